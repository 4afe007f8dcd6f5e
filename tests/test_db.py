"""The database layer: migrations on SQLite and PostgreSQL, idempotent and concurrent loading, reviewed rows."""
import json
import subprocess
import sys
import time
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, func, select, text, update

from conftest import ROOT
from pipeline.db import MIGRATIONS, make_engine, upgrade
from pipeline.db.load import (DOCUMENT_LABELS, DOCUMENTS, FINDING_LABELS, FINDINGS, MENTIONS, already_done,
                              load_records)
from pipeline.db.models import Base
from pipeline.document import record_for_file
from pipeline.store import save_records

PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

TEXTS = {
    "ket-luan.txt": (
        "UBND TỈNH NAM ĐỊNH\nTHANH TRA TỈNH\nSố: 27/KL-TTr\nNam Định, ngày 14 tháng 3 năm 2024\n"
        "KẾT LUẬN THANH TRA\nViệc quản lý, sử dụng ngân sách tại Trung tâm Y tế huyện Ý Yên\n"
        "Thực hiện Quyết định số 112/QĐ-TTr ngày 05/01/2024 của Chánh Thanh tra tỉnh, Đoàn thanh tra đã tiến hành "
        "thanh tra tại Trung tâm Y tế huyện Ý Yên. Qua thanh tra phát hiện đơn vị chi sai quy định số tiền "
        "1,25 tỷ đồng, thanh toán vượt định mức 350.000.000 đồng. Giám đốc Trung tâm Y tế huyện Ý Yên "
        "Trần Văn Khải chịu trách nhiệm. Yêu cầu thu hồi nộp ngân sách nhà nước số tiền trên theo Nghị định "
        "số 86/2011/NĐ-CP.\nKT. CHÁNH THANH TRA\nPHÓ CHÁNH THANH TRA\nNguyễn Thị Hồng Nhung\n"),
    "cong-van.txt": (
        "SỞ NỘI VỤ TỈNH HÀ NAM\nSố: 143/SNV-TT\nHà Nam, ngày 27 tháng 01 năm 2023\n"
        "V/v chấn chỉnh kỷ luật, kỷ cương hành chính\nThực hiện Kế hoạch số 4379/KH-UBND ngày 10-11-2022 của "
        "UBND tỉnh Hà Nam, Đoàn kiểm tra công vụ đã kiểm tra tại UBND huyện Kim Bảng trong tháng 12/2022. "
        "Một số công chức chưa chấp hành nghiêm giờ làm việc. Sở Nội vụ đề nghị UBND huyện Kim Bảng chấn chỉnh, "
        "kiểm điểm các cá nhân có liên quan.\nGIÁM ĐỐC\nLê Văn Thành\n"),
    "tin.txt": (
        "Thanh tra phát hiện sai phạm hơn 3 tỷ đồng tại dự án đường liên xã\n"
        "Ngày 8/5/2023, Thanh tra tỉnh Phú Thọ công bố kết luận theo Quyết định số 1520/QĐ-UBND về dự án "
        "đường liên xã do Ban Quản lý dự án huyện Thanh Sơn làm chủ đầu tư. Kết luận chỉ ra nghiệm thu khống "
        "khối lượng 3,1 tỷ đồng; kiến nghị xuất toán và chuyển cơ quan điều tra.\n"),
}


def _findings(rec: dict) -> dict:
    """Stand-in for the findings classifier: one finding per amount sentence, labelled as the texts say."""
    body = rec.get("text") or ""
    findings = []
    for amount in rec.get("amounts", []):
        start = body.rfind(".", 0, amount["start"]) + 1
        end = body.find(".", amount["end"]) + 1 or len(body)
        if any(f["start"] == start for f in findings):
            continue
        findings.append({"text": body[start:end].strip(), "start": start, "end": end, "outcome": "violation",
                         "violation_types": ["budget_finance"], "remedies": ["recover_funds"], "score": 0.8,
                         "unit": "Trung tâm Y tế huyện Ý Yên", "amounts": [amount["value"]]})
    rec["findings"] = findings
    rec["violation_types"] = ["budget_finance"] if findings else []
    rec["remedies"] = ["recover_funds"] if findings else []
    rec["outcome"] = "violation" if findings else "none"
    return rec


def build_records(folder) -> list[dict]:
    """Records made by the real pipeline from small texts written here, plus one unreadable file."""
    folder.mkdir(parents=True, exist_ok=True)
    records = []
    for name, body in TEXTS.items():
        path = folder / name
        path.write_text(body, encoding="utf-8")
        records.append(_findings(record_for_file(str(path)).to_dict(with_text=True)))
    records.append(record_for_file(str(folder / "missing.pdf")).to_dict())
    return records


def clone(records: list[dict], n: int) -> list[dict]:
    """n distinct documents (own path and hash) with the content of the given records."""
    out = []
    for i in range(n):
        rec = json.loads(json.dumps(records[i % len(records)]))
        rec["source"]["path"] = f"batch/{i:04d}-{rec['source']['path'].rsplit('/', 1)[-1]}"
        rec["source"]["sha256"] = f"{i:064x}"
        rec.pop("error", None)
        out.append(rec)
    return out


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> list[dict]:
    return build_records(tmp_path_factory.mktemp("texts"))


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path}/t.sqlite"


@pytest.fixture
def pg_url():
    """A fresh schema per test in the shared test database, dropped afterwards (tests can run twice)."""
    schema = f"t_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_SERVER)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield f"{PG_SERVER}?options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/t.sqlite"
    return request.getfixturevalue("pg_url")


def counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    with engine.connect() as conn:
        result = {t.name: conn.execute(select(func.count()).select_from(t)).scalar()
                  for t in (DOCUMENTS, MENTIONS, FINDINGS, FINDING_LABELS, DOCUMENT_LABELS)}
    engine.dispose()
    return result


def test_migrations_create_the_schema_of_the_models(url):
    upgrade(url)
    upgrade(url)                                   # a second upgrade is a no-op
    engine = make_engine(url)
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
        head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
        names = set(Base.metadata.tables)
    engine.dispose()
    assert {"documents", "mentions", "findings", "finding_labels", "document_labels", "runs"} <= names


def test_loading_twice_does_not_duplicate(url, records):
    upgrade(url)
    first = load_records(url, records)
    after_first = counts(url)
    second = load_records(url, records)
    assert counts(url) == after_first
    assert first.documents == second.documents == len(records) == after_first["documents"]
    assert first.errors == 1 and first.mentions == second.mentions == after_first["mentions"] > 10
    assert after_first["findings"] >= 2 and after_first["finding_labels"] == 2 * after_first["findings"]


def test_rows_hold_the_record(sqlite_url, records):
    upgrade(sqlite_url)
    load_records(sqlite_url, records)
    engine = make_engine(sqlite_url)
    with engine.connect() as conn:
        doc = conn.execute(select(DOCUMENTS).where(DOCUMENTS.c.path.like("%ket-luan.txt"))).one()
        assert doc.status == "ok" and doc.sha256 == records[0]["source"]["sha256"] and doc.text
        refs = set(conn.execute(select(MENTIONS.c.value).where(MENTIONS.c.document_id == doc.id,
                                                               MENTIONS.c.kind == "reference")).scalars())
        assert {"112/QĐ-TTr", "86/2011/NĐ-CP"} <= refs
        amounts = set(conn.execute(select(MENTIONS.c.value).where(MENTIONS.c.document_id == doc.id,
                                                                  MENTIONS.c.kind == "amount")).scalars())
        assert {"1250000000", "350000000"} <= amounts
        date = conn.execute(select(MENTIONS).where(MENTIONS.c.document_id == doc.id, MENTIONS.c.kind == "date",
                                                   MENTIONS.c.value == "2024-01-05")).first()
        assert date is not None and date.extra["precision"] == "day"
        assert doc.text[date.start:date.end] == date.text
        failed = conn.execute(select(DOCUMENTS).where(DOCUMENTS.c.path.like("%missing.pdf"))).one()
        assert failed.status == "error" and failed.error_kind == "not_found" and failed.sha256 == ""
        labels = set(conn.execute(select(DOCUMENT_LABELS.c.kind, DOCUMENT_LABELS.c.label)
                                  .where(DOCUMENT_LABELS.c.document_id == doc.id)))
        assert labels == {("violation_type", "budget_finance"), ("remedy", "recover_funds"), ("outcome", "violation")}
    engine.dispose()


def test_same_content_at_two_paths_is_two_documents_and_a_readable_file_replaces_its_failure(sqlite_url, records):
    upgrade(sqlite_url)
    copy = json.loads(json.dumps(records[1]))
    copy["source"]["path"] = "elsewhere/cong-van.txt"
    load_records(sqlite_url, [records[1], copy, records[3]])
    assert counts(sqlite_url)["documents"] == 3
    fixed = json.loads(json.dumps(records[1]))
    fixed["source"]["path"] = records[3]["source"]["path"]    # the missing file appeared with content
    load_records(sqlite_url, [fixed])
    engine = make_engine(sqlite_url)
    with engine.connect() as conn:
        rows = conn.execute(select(DOCUMENTS.c.status).where(DOCUMENTS.c.path == fixed["source"]["path"])).all()
    engine.dispose()
    assert [r.status for r in rows] == ["ok"]


def test_reviewed_rows_survive_a_reload(url, records):
    upgrade(url)
    load_records(url, records)
    engine = make_engine(url)
    with engine.begin() as conn:
        doc_id = conn.execute(select(DOCUMENTS.c.id).where(DOCUMENTS.c.path.like("%ket-luan.txt"))).scalar_one()
        amount = conn.execute(select(MENTIONS).where(MENTIONS.c.document_id == doc_id, MENTIONS.c.kind == "amount")
                              .order_by(MENTIONS.c.start)).first()
        conn.execute(update(MENTIONS).where(MENTIONS.c.id == amount.id)
                     .values(value="1300000000", reviewed=True, review_status="corrected"))
        finding = conn.execute(select(FINDINGS).where(FINDINGS.c.document_id == doc_id)).first()
        conn.execute(update(FINDINGS).where(FINDINGS.c.id == finding.id)
                     .values(outcome="serious", reviewed=True, review_status="corrected"))
        conn.execute(update(DOCUMENT_LABELS).where(DOCUMENT_LABELS.c.document_id == doc_id,
                                                   DOCUMENT_LABELS.c.kind == "outcome")
                     .values(label="serious", reviewed=True))
    before = counts(url)
    stats = load_records(url, records)
    assert counts(url) == before
    assert stats.kept_reviewed == 2                  # the machine amount and finding under the reviewed ones
    with engine.connect() as conn:
        kept = conn.execute(select(MENTIONS).where(MENTIONS.c.id == amount.id)).one()
        assert (kept.value, kept.reviewed, kept.review_status) == ("1300000000", True, "corrected")
        same_span = conn.execute(select(func.count()).select_from(MENTIONS).where(
            MENTIONS.c.document_id == doc_id, MENTIONS.c.kind == "amount", MENTIONS.c.start == amount.start)).scalar()
        assert same_span == 1
        assert conn.execute(select(FINDINGS.c.outcome).where(FINDINGS.c.id == finding.id)).scalar() == "serious"
        assert conn.execute(select(func.count()).select_from(FINDING_LABELS)
                            .where(FINDING_LABELS.c.finding_id == finding.id)).scalar() == 2
        outcomes = conn.execute(select(DOCUMENT_LABELS.c.label).where(
            DOCUMENT_LABELS.c.document_id == doc_id, DOCUMENT_LABELS.c.kind == "outcome")).scalars().all()
        assert outcomes == ["serious"]
    engine.dispose()


_WORKER = """
import json, random, sys, time
from pipeline.db.load import load_records
url, path, seed, start_at = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
records = [json.loads(line) for line in open(path, encoding="utf-8")]
random.Random(seed).shuffle(records)
time.sleep(max(0.0, start_at - time.time()))
print(load_records(url, records, batch_size=25).documents)
"""


def test_two_processes_loading_the_same_records_concurrently(url, records, tmp_path):
    upgrade(url)
    batch = clone(records[:3], 200)
    path = tmp_path / "records.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in batch), encoding="utf-8")
    start_at = str(time.time() + 3.0)
    procs = [subprocess.Popen([sys.executable, "-c", _WORKER, url, str(path), str(seed), start_at], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for seed in (1, 2)]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err for _, err in outputs]
    assert [out.strip() for out, _ in outputs] == ["200", "200"]
    together = counts(url)
    assert together["documents"] == 200
    load_records(url, batch)                         # one more, alone: the counts of a single clean load
    assert counts(url) == together


def test_already_done_and_save_records(tmp_path, records):
    db = tmp_path / "store" / "t.sqlite"
    assert save_records(str(db), iter(records)) == len(records)
    assert save_records(str(db), iter(records)) == len(records)
    url = f"sqlite:///{db}"
    assert counts(url)["documents"] == len(records)
    sha, version, model = records[0]["source"]["sha256"], records[0]["pipeline_version"], records[0].get("model_version")
    engine = make_engine(url)
    assert already_done(engine, sha, version, model)
    assert not already_done(engine, sha, version, "ner-2")
    assert not already_done(engine, sha, "0.0.0-other", model)
    assert not already_done(engine, "f" * 64, version, None)
    with engine.connect() as conn:
        runs = conn.execute(text("SELECT documents, failures, finished_at FROM runs ORDER BY id")).all()
    engine.dispose()
    assert [(r.documents, r.failures) for r in runs] == [(len(records), 1)] * 2 and all(r.finished_at for r in runs)


def test_unsupported_backend_is_refused_clearly():
    with pytest.raises(NotImplementedError):
        from pipeline.db.load import _upsert_documents

        class Conn:
            class dialect:
                name = "mysql"
        _upsert_documents(Conn(), [])
