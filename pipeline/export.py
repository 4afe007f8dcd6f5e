"""Exports of the database for analysts: one table per entity as CSV, Parquet or Excel, or the records as JSONL.

``export("sqlite:///data/thanhtra.sqlite", "out/", "xlsx")`` → ``[PosixPath("out/thanhtra.xlsx")]`` with sheets
documents, references, dates, amounts, units, persons, findings, finding_labels, document_labels;
``export(url, "out/", "csv")`` → ``[out/documents.csv, out/references.csv, …]`` (UTF-8 with BOM for Excel);
``export(url, "out/", "jsonl")`` → ``[out/records.jsonl]``, one GUIDE §1 record per document rebuilt from the tables
(rows a reviewer rejected are left out).
"""
from __future__ import annotations

import csv
import datetime as dt
import json
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable, Iterator

import pyarrow as pa
from sqlalchemy import Engine, select

from .db import make_engine
from .db.load import DOCUMENT_LABELS, DOCUMENTS, FINDING_LABELS, FINDINGS, MENTIONS
from .record import Record

FORMATS = ("csv", "parquet", "xlsx", "jsonl")
_MENTION_ENTITIES = {  # entity → (mention kind, name of the value column, its type, extra fields as columns)
    "references": ("reference", "id", pa.string(), (("type", pa.string()), ("issuer", pa.string()),
                                                    ("year", pa.int64()), ("issued_at", pa.string()),
                                                    ("style", pa.string()))),
    "dates": ("date", "value", pa.string(), (("precision", pa.string()), ("role", pa.string()))),
    "amounts": ("amount", "value", pa.int64(), (("currency", pa.string()), ("qualifier", pa.string()))),
    "units": ("unit", "name", pa.string(), (("kind", pa.string()), ("locality", pa.string()),
                                            ("successor", pa.string()), ("source", pa.string()))),
    "persons": ("person", "name", pa.string(), (("position", pa.string()), ("unit", pa.string()))),
}
_RECORD_FIELD = {kind: field for field, (kind, *_rest) in _MENTION_ENTITIES.items()}
_DOCUMENT_COLUMNS = [c for c in DOCUMENTS.columns if c.name != "text"]
_XLSX_CELL_LIMIT = 32_767
_CHUNK = 500


def _arrow_type(column) -> pa.DataType:
    python_type = column.type.python_type
    return {int: pa.int64(), float: pa.float64(), bool: pa.bool_(), dt.datetime: pa.timestamp("us")}.get(
        python_type, pa.string())


def _amount_value(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        try:
            return round(float(value))
        except ValueError:
            return None


def _mention_table(kind: str, value_name: str, value_type: pa.DataType, extras) -> tuple[pa.Schema, Any, Callable]:
    schema = pa.schema([("mention_id", pa.int64()), ("document_id", pa.int64()), (value_name, value_type),
                        *extras, ("text", pa.string()), ("start", pa.int64()), ("end", pa.int64()),
                        ("reviewed", pa.bool_()), ("review_status", pa.string())])
    query = (select(MENTIONS.c.id, MENTIONS.c.document_id, MENTIONS.c.value, MENTIONS.c.extra, MENTIONS.c.text,
                    MENTIONS.c.start, MENTIONS.c.end, MENTIONS.c.reviewed, MENTIONS.c.review_status)
             .where(MENTIONS.c.kind == kind).order_by(MENTIONS.c.document_id, MENTIONS.c.start, MENTIONS.c.id))
    convert = _amount_value if kind == "amount" else (lambda v: v)
    extra_names = [name for name, _ in extras]

    def row(r) -> tuple:
        extra = r.extra or {}
        return (r.id, r.document_id, convert(r.value), *(extra.get(n) for n in extra_names), r.text, r.start,
                r.end, bool(r.reviewed), r.review_status)
    return schema, query, row


def _tables() -> dict[str, tuple[pa.Schema, Any, Callable]]:
    tables = {"documents": (pa.schema([(c.name, _arrow_type(c)) for c in _DOCUMENT_COLUMNS]),
                            select(*_DOCUMENT_COLUMNS).order_by(DOCUMENTS.c.id), tuple)}
    for entity, spec in _MENTION_ENTITIES.items():
        tables[entity] = _mention_table(*spec)
    finding_columns = [c for c in FINDINGS.columns]
    tables["findings"] = (
        pa.schema([(c.name, _arrow_type(c)) if c.name != "amounts" else ("amounts", pa.string())
                   for c in finding_columns]),
        select(*finding_columns).order_by(FINDINGS.c.document_id, FINDINGS.c.start, FINDINGS.c.id),
        lambda r: tuple(json.dumps(v) if k == "amounts" and v is not None else v for k, v in r._mapping.items()))
    tables["finding_labels"] = (
        pa.schema([("finding_id", pa.int64()), ("document_id", pa.int64()), ("label_kind", pa.string()),
                   ("label", pa.string())]),
        select(FINDING_LABELS.c.finding_id, FINDINGS.c.document_id, FINDING_LABELS.c.label_kind,
               FINDING_LABELS.c.label).join(FINDINGS, FINDINGS.c.id == FINDING_LABELS.c.finding_id)
        .order_by(FINDING_LABELS.c.finding_id, FINDING_LABELS.c.label_kind, FINDING_LABELS.c.label), tuple)
    tables["document_labels"] = (
        pa.schema([("document_id", pa.int64()), ("kind", pa.string()), ("label", pa.string()),
                   ("reviewed", pa.bool_())]),
        select(DOCUMENT_LABELS).order_by(DOCUMENT_LABELS.c.document_id, DOCUMENT_LABELS.c.kind,
                                         DOCUMENT_LABELS.c.label), tuple)
    return tables


ENTITIES = tuple(_tables())


def _rows(conn, query, convert) -> Iterator[tuple]:
    for r in conn.execution_options(yield_per=2000).execute(query):
        yield convert(r)


def _write_csv(conn, out_dir: Path) -> list[Path]:
    files = []
    for entity, (schema, query, convert) in _tables().items():
        path = out_dir / f"{entity}.csv"
        # utf-8-sig: the BOM makes Excel read the file as UTF-8 instead of the ANSI code page.
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(schema.names)
            writer.writerows(_rows(conn, query, convert))
        files.append(path)
    return files


def _write_parquet(conn, out_dir: Path) -> list[Path]:
    import pyarrow.parquet as pq

    files = []
    for entity, (schema, query, convert) in _tables().items():
        rows = list(_rows(conn, query, convert))
        columns = list(zip(*rows)) if rows else [[] for _ in schema.names]
        table = pa.Table.from_arrays([pa.array(col, type=t) for col, t in zip(columns, schema.types)], schema=schema)
        path = out_dir / f"{entity}.parquet"
        pq.write_table(table, path)
        files.append(path)
    return files


def _xlsx_cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)[:_XLSX_CELL_LIMIT]
    if value.startswith("="):
        # Untrusted text must never become a live formula when an analyst opens the workbook.
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def _write_xlsx(conn, out_dir: Path) -> list[Path]:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for entity, (schema, query, convert) in _tables().items():
        sheet = workbook.create_sheet(entity)
        sheet.freeze_panes = "A2"
        header = []
        for name in schema.names:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in _rows(conn, query, convert):
            sheet.append([_xlsx_cell(sheet, v) for v in row])
    path = out_dir / "thanhtra.xlsx"
    workbook.save(path)
    return [path]


def _records(conn, with_text: bool) -> Iterator[dict]:
    doc_query = select(DOCUMENTS).order_by(DOCUMENTS.c.id)
    docs = list(conn.execute(doc_query if with_text else doc_query.with_only_columns(*_DOCUMENT_COLUMNS)))
    for i in range(0, len(docs), _CHUNK):
        chunk = docs[i:i + _CHUNK]
        ids = [d.id for d in chunk]
        spans: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for m in conn.execute(select(MENTIONS).where(MENTIONS.c.document_id.in_(ids),
                                                     MENTIONS.c.review_status.is_distinct_from("rejected"))
                              .order_by(MENTIONS.c.document_id, MENTIONS.c.start, MENTIONS.c.id)):
            field = _RECORD_FIELD[m.kind]
            value_name = _MENTION_ENTITIES[field][1]
            value = _amount_value(m.value) if m.kind == "amount" else m.value
            spans[m.document_id][field].append({value_name: value, **(m.extra or {}), "text": m.text,
                                                "start": m.start, "end": m.end})
        labels: dict[int, dict[str, set]] = defaultdict(lambda: defaultdict(set))
        for f_id, kind, label in conn.execute(
                select(FINDING_LABELS.c.finding_id, FINDING_LABELS.c.label_kind, FINDING_LABELS.c.label)
                .join(FINDINGS, FINDINGS.c.id == FINDING_LABELS.c.finding_id).where(FINDINGS.c.document_id.in_(ids))):
            labels[f_id][kind].add(label)
        for f in conn.execute(select(FINDINGS).where(FINDINGS.c.document_id.in_(ids),
                                                     FINDINGS.c.review_status.is_distinct_from("rejected"))
                              .order_by(FINDINGS.c.document_id, FINDINGS.c.start, FINDINGS.c.id)):
            spans[f.document_id]["findings"].append({
                "text": f.text, "start": f.start, "end": f.end, "outcome": f.outcome, "score": f.score,
                "unit": f.unit, "amounts": f.amounts or [],
                "violation_types": sorted(labels[f.id]["violation_type"]), "remedies": sorted(labels[f.id]["remedy"])})
        roll_up: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for doc_id, kind, label in conn.execute(select(DOCUMENT_LABELS.c.document_id, DOCUMENT_LABELS.c.kind,
                                                       DOCUMENT_LABELS.c.label)
                                                .where(DOCUMENT_LABELS.c.document_id.in_(ids))
                                                .order_by(DOCUMENT_LABELS.c.label)):
            roll_up[doc_id][kind].append(label)
        for d in chunk:
            yield _record_dict(d, spans[d.id], roll_up[d.id], with_text)


def _record_dict(d, spans: dict[str, list], roll_up: dict[str, list], with_text: bool) -> dict:
    outcomes = roll_up.get("outcome") or ["none"]
    record = {
        "source": {"path": d.path, "sha256": d.sha256 or None, "format": d.format, "pages": d.pages, "size": d.size,
                   "encoding": d.encoding},
        "meta": {"title": d.title, "doc_kind": d.doc_kind, "number": d.number, "issued_at": d.issued_at,
                 "place": d.place, "published_at": d.published_at, "relevant": d.relevant},
        **spans,
        "violation_types": roll_up.get("violation_type", []), "remedies": roll_up.get("remedy", []),
        # a reviewer's outcome and the machine's can coexist only if they agree or the reviewer added one: take the
        # strongest, as the roll-up rule does.
        "outcome": max(outcomes, key=_OUTCOME_RANK.get),
        "pipeline_version": d.pipeline_version, "model_version": d.model_version,
        "text": d.text if with_text else None,
        "error": {"kind": d.error_kind, "message": d.error_message or ""} if d.status == "error" else None,
    }
    return Record.from_dict(record).to_dict(with_text=with_text)


_OUTCOME_RANK = {name: rank for rank, name in enumerate(("none", "compliant", "shortcoming", "violation", "serious"))}


def _write_jsonl(conn, out_dir: Path, with_text: bool) -> list[Path]:
    path = out_dir / "records.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for record in _records(conn, with_text):
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return [path]


def export(url: str | Engine, out_dir: str | Path, fmt: str, *, with_text: bool = False) -> list[Path]:
    """Write every entity table (or, for jsonl, every record) under ``out_dir`` and return the files written.

    ``export("sqlite:///data/thanhtra.sqlite", "exports", "parquet")`` →
    ``[Path("exports/documents.parquet"), Path("exports/references.parquet"), …, Path("exports/document_labels.parquet")]``
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url, read_only=True)
    try:
        with engine.connect() as conn:
            if fmt == "csv":
                return _write_csv(conn, out)
            if fmt == "parquet":
                return _write_parquet(conn, out)
            if fmt == "xlsx":
                return _write_xlsx(conn, out)
            return _write_jsonl(conn, out, with_text)
    finally:
        if engine is not url:
            engine.dispose()
