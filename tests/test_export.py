"""Exports read back with the tools analysts use: csv, pyarrow, openpyxl, json."""
import csv
import json

import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from pipeline.db import make_engine, upgrade
from pipeline.db.load import MENTIONS, load_records
from pipeline.export import ENTITIES, export
from test_db import build_records, counts, pg_url  # noqa: F401  (pg_url is a fixture)

HOSTILE_TITLE = "=HYPERLINK(\"http://x\",\"bấm\") <script>alert(1)</script>"


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("export")
    records = build_records(folder / "texts")
    records[1]["meta"]["title"] = HOSTILE_TITLE
    url = f"sqlite:///{folder}/t.sqlite"
    upgrade(url)
    load_records(url, records)
    return url, records


def _mention_counts(url):
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(MENTIONS.select()).all()
    engine.dispose()
    by_kind = {}
    for r in rows:
        by_kind[r.kind] = by_kind.get(r.kind, 0) + 1
    return by_kind


def test_entities():
    assert ENTITIES == ("documents", "references", "dates", "amounts", "units", "persons", "findings",
                        "finding_labels", "document_labels")


def test_csv_has_a_bom_and_every_row(loaded, tmp_path):
    url, records = loaded
    files = export(url, tmp_path, "csv")
    assert [f.name for f in files] == [f"{e}.csv" for e in ENTITIES]
    assert files[0].read_bytes().startswith(b"\xef\xbb\xbf")
    with (tmp_path / "documents.csv").open(encoding="utf-8-sig", newline="") as fh:
        docs = list(csv.DictReader(fh))
    assert len(docs) == len(records) and "text" not in docs[0]
    assert HOSTILE_TITLE in {d["title"] for d in docs}
    with (tmp_path / "amounts.csv").open(encoding="utf-8-sig", newline="") as fh:
        amounts = list(csv.DictReader(fh))
    assert {"1250000000", "350000000"} <= {a["value"] for a in amounts}
    assert all(a["currency"] == "VND" for a in amounts)
    with (tmp_path / "units.csv").open(encoding="utf-8-sig", newline="") as fh:
        assert any("Ý Yên" in u["text"] for u in csv.DictReader(fh))


def test_parquet_is_typed_and_complete(loaded, tmp_path):
    url, _ = loaded
    files = export(url, tmp_path, "parquet")
    tables = {f.stem: pq.read_table(f) for f in files}
    assert set(tables) == set(ENTITIES)
    n = counts(url)
    mentions = _mention_counts(url)
    assert tables["documents"].num_rows == n["documents"]
    assert tables["findings"].num_rows == n["findings"]
    assert tables["finding_labels"].num_rows == n["finding_labels"]
    assert tables["document_labels"].num_rows == n["document_labels"]
    assert tables["references"].num_rows == mentions["reference"]
    assert tables["dates"].num_rows == mentions["date"]
    assert str(tables["amounts"].schema.field("value").type) == "int64"
    assert 1250000000 in tables["amounts"].column("value").to_pylist()
    assert "86/2011/NĐ-CP" in tables["references"].column("id").to_pylist()
    years = dict(zip(tables["references"].column("id").to_pylist(), tables["references"].column("year").to_pylist()))
    assert years["86/2011/NĐ-CP"] == 2011


def test_xlsx_one_sheet_per_entity_bold_frozen_and_formula_safe(loaded, tmp_path):
    url, records = loaded
    [path] = export(url, tmp_path, "xlsx")
    book = load_workbook(path)
    assert book.sheetnames == list(ENTITIES)
    docs = book["documents"]
    assert docs.freeze_panes == "A2"
    assert all(cell.font.bold for cell in docs[1])
    header = [c.value for c in docs[1]]
    titles = [row[header.index("title")] for row in docs.iter_rows(min_row=2, values_only=True)]
    assert len(titles) == len(records)
    hostile = next(c for row in docs.iter_rows(min_row=2) for c in row if c.value == HOSTILE_TITLE)
    assert hostile.data_type == "s"              # stays text, never a live formula
    assert book["persons"].max_row >= 2


def test_jsonl_rebuilds_the_records_without_rejected_rows(loaded, tmp_path):
    url, records = loaded
    [path] = export(url, tmp_path / "a", "jsonl")
    rebuilt = {r["source"]["path"]: r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())}
    assert len(rebuilt) == len(records)
    for original in records:
        again = rebuilt[original["source"]["path"]]
        assert again["schema"] == "thanhtra.record/1"
        for field, key in (("references", "id"), ("dates", "value"), ("amounts", "value"), ("units", "name"),
                           ("persons", "name")):
            assert sorted(m[key] for m in again.get(field, [])) == sorted(m[key] for m in original.get(field, []))
        assert again.get("violation_types", []) == original.get("violation_types", [])
        assert again["outcome"] == original.get("outcome", "none")
        assert len(again.get("findings", [])) == len(original.get("findings", []))
        assert again.get("error") == original.get("error")
        assert "text" not in again
    first = rebuilt[records[0]["source"]["path"]]
    assert first["references"][0]["text"] and "start" in first["references"][0]

    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(update(MENTIONS).where(MENTIONS.c.kind == "reference", MENTIONS.c.value == "86/2011/NĐ-CP")
                     .values(reviewed=True, review_status="rejected"))
    engine.dispose()
    [path] = export(url, tmp_path / "b", "jsonl", with_text=True)
    rebuilt = {r["source"]["path"]: r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())}
    first = rebuilt[records[0]["source"]["path"]]
    assert "86/2011/NĐ-CP" not in {m["id"] for m in first["references"]}
    assert first["text"] == records[0]["text"]


def test_unknown_format_is_refused(loaded, tmp_path):
    with pytest.raises(ValueError):
        export(loaded[0], tmp_path, "pdf")


def test_every_format_from_postgresql(pg_url, tmp_path):  # noqa: F811
    records = build_records(tmp_path / "texts")
    upgrade(pg_url)
    load_records(pg_url, records)
    written = [f for fmt in ("csv", "parquet", "xlsx", "jsonl") for f in export(pg_url, tmp_path / fmt, fmt)]
    assert len(written) == 2 * len(ENTITIES) + 2
    assert pq.read_table(tmp_path / "parquet" / "documents.parquet").num_rows == len(records)
    lines = (tmp_path / "jsonl" / "records.jsonl").read_text(encoding="utf-8").splitlines()
    assert sorted(json.loads(line)["source"]["path"] for line in lines) == sorted(r["source"]["path"] for r in records)
