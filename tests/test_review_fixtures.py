"""Shared builders for the review tests: small hand-made records (offsets found in the text) loaded into SQLite."""
from __future__ import annotations

import hashlib

from pipeline.db import make_engine, upgrade
from pipeline.db.load import load_records
from pipeline.review.auth import add_user

KET_LUAN = (
    "UBND TỈNH NAM ĐỊNH\nTHANH TRA TỈNH\nSố: 27/KL-TTr\nNam Định, ngày 14 tháng 3 năm 2024\n"
    "KẾT LUẬN THANH TRA\nThực hiện Quyết định số 112/QĐ-TTr ngày 05/01/2024 của Chánh Thanh tra tỉnh, Đoàn thanh tra "
    "đã thanh tra tại Trung tâm Y tế huyện Ý Yên. Qua thanh tra phát hiện đơn vị chi sai quy định số tiền 1,25 tỷ đồng. "
    "Giám đốc Trung tâm Y tế huyện Ý Yên Trần Văn Khải chịu trách nhiệm. Yêu cầu thu hồi nộp ngân sách nhà nước.\n"
    "KT. CHÁNH THANH TRA\nPHÓ CHÁNH THANH TRA\nNguyễn Thị Hồng Nhung\n")
KET_LUAN_SPANS = [
    ("reference", "27/KL-TTr", "27/KL-TTr"), ("date", "ngày 14 tháng 3 năm 2024", "2024-03-14"),
    ("reference", "Quyết định số 112/QĐ-TTr", "112/QĐ-TTr"), ("date", "05/01/2024", "2024-01-05"),
    ("unit", "Trung tâm Y tế huyện Ý Yên", "Trung tâm Y tế huyện Ý Yên"), ("amount", "1,25 tỷ đồng", "1250000000"),
    ("person", "Trần Văn Khải", "Trần Văn Khải"), ("person", "Nguyễn Thị Hồng Nhung", "Nguyễn Thị Hồng Nhung"),
    ("unit", "THANH TRA TỈNH", "Thanh tra tỉnh"),
]
HOSTILE = (
    "CÔNG VĂN số 99/SNV-TT\n<script>window.__pwned=1</script>\n"
    "Ảnh: <img src=x onerror=\"window.__pwned=2\"> xem <a href=\"javascript:window.__pwned=3\">tại đây</a>.\n"
    "Sở Nội vụ đề nghị UBND huyện Kim Bảng chấn chỉnh ngày 27/01/2023.\n")
HOSTILE_SPANS = [("reference", "99/SNV-TT", "99/SNV-TT"), ("unit", "Sở Nội vụ", "Sở Nội vụ"),
                 ("unit", "UBND huyện Kim Bảng", "UBND huyện Kim Bảng"), ("date", "27/01/2023", "2023-01-27"),
                 ("unit", "<script>window.__pwned=1</script>", "<script>")]
_FIELDS = {"reference": ("references", "id"), "date": ("dates", "value"), "amount": ("amounts", "value"),
           "unit": ("units", "name"), "person": ("persons", "name")}


def make_record(path: str, text: str, spans, findings=()) -> dict:
    """A GUIDE §1 record for ``text`` whose spans are (kind, surface, value), located with str.find."""
    rec = {"source": {"path": path, "sha256": hashlib.sha256(text.encode()).hexdigest(), "format": "text"},
           "meta": {"doc_kind": "conclusion", "issued_at": "2024-03-14", "relevant": True}, "text": text,
           "pipeline_version": "0.1.0", "model_version": "test"}
    for kind, surface, value in spans:
        start = text.index(surface)
        field, key = _FIELDS[kind]
        rec.setdefault(field, []).append({"text": surface, "start": start, "end": start + len(surface),
                                          key: int(value) if kind == "amount" else value})
    rec["findings"] = []
    for surface, outcome, types, remedies, score in findings:
        start = text.index(surface)
        rec["findings"].append({"text": surface, "start": start, "end": start + len(surface), "outcome": outcome,
                                "violation_types": types, "remedies": remedies, "score": score,
                                "unit": "Trung tâm Y tế huyện Ý Yên", "amounts": []})
    adverse = [f for f in rec["findings"] if f["outcome"] in ("shortcoming", "violation", "serious")]
    rec["violation_types"] = sorted({t for f in adverse for t in f["violation_types"]})
    rec["remedies"] = sorted({r for f in rec["findings"] for r in f["remedies"]})
    rec["outcome"] = adverse[0]["outcome"] if adverse else "none"
    return rec


def ket_luan_record(path: str = "kl/ket-luan-y-yen.txt") -> dict:
    return make_record(path, KET_LUAN, KET_LUAN_SPANS, findings=[
        ("Qua thanh tra phát hiện đơn vị chi sai quy định số tiền 1,25 tỷ đồng.", "violation", ["budget_finance"],
         ["recover_funds"], 0.41),
        ("Giám đốc Trung tâm Y tế huyện Ý Yên Trần Văn Khải chịu trách nhiệm.", "shortcoming", ["personnel"], [],
         0.77)])


def hostile_record(path: str = "cv/hostile.txt") -> dict:
    return make_record(path, HOSTILE, HOSTILE_SPANS)


def make_database(url: str, records: list[dict], users=(("lan", "mat-khau-lan-1"), ("minh", "mat-khau-minh-1"))):
    """Migrate, load the records, add the stewards; returns the engine."""
    upgrade(url)
    load_records(url, records)
    for name, password in users:
        add_user(url, name, password)
    return make_engine(url)


def test_make_record_offsets_point_at_their_surface():
    rec = ket_luan_record()
    for field in ("references", "dates", "amounts", "units", "persons", "findings"):
        for item in rec[field]:
            assert rec["text"][item["start"]:item["end"]] == item["text"]
    assert rec["outcome"] == "violation" and rec["violation_types"] == ["budget_finance", "personnel"]
