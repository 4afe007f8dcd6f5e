"""Idempotent, concurrent-safe loading of records (GUIDE §1 dicts) into the normalised tables.

``load_records("sqlite:///data/thanhtra.sqlite", [{"source": {"path": "a.pdf", "sha256": "9f…"}, "references":
[{"id": "4379/QĐ-UBND", "text": "Quyết định số 4379/QĐ-UBND", "start": 10, "end": 36}], …}])`` →
``LoadStats(documents=1, errors=0, mentions=1, findings=0, kept_reviewed=0, retries=0)``.

Each batch of documents is one transaction: upsert the documents by their key (sha256, path), delete their machine
rows, insert the new ones. Rows a reviewer marked ``reviewed`` are never touched, and a machine row that overlaps a
reviewed one of the same kind is not added again. Concurrent loaders are serialised per document by the row lock
the upsert takes (PostgreSQL) or by the database write lock (SQLite, ``BEGIN IMMEDIATE``); documents are locked in
key order so two batches cannot deadlock, and serialization failures or deadlocks are retried anyway.
"""
from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from sqlalchemy import Engine, Table, delete, exists, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError

from . import make_engine
from .models import Document, DocumentLabel, Finding, FindingLabel, Mention, Run

DOCUMENTS: Table = Document.__table__
MENTIONS: Table = Mention.__table__
FINDINGS: Table = Finding.__table__
FINDING_LABELS: Table = FindingLabel.__table__
DOCUMENT_LABELS: Table = DocumentLabel.__table__
RUNS: Table = Run.__table__

# record list field → (mention kind, the field holding the normalised value)
MENTION_FIELDS = {"references": ("reference", "id"), "dates": ("date", "value"), "amounts": ("amount", "value"),
                  "units": ("unit", "name"), "persons": ("person", "name")}
_SPAN_KEYS = frozenset(("text", "start", "end"))
_RETRY_SQLSTATES = frozenset(("40001", "40P01"))      # serialization failure, deadlock detected
_MAX_ATTEMPTS = 8
_BOUNDED = {c.name: c.type.length for c in DOCUMENTS.columns if getattr(c.type, "length", None) and c.name != "path"}
_VALUE_LENGTH = MENTIONS.c.value.type.length
_UNIT_LENGTH = FINDINGS.c.unit.type.length


@dataclass(slots=True)
class LoadStats:
    documents: int = 0           # distinct documents written (ok and error)
    errors: int = 0              # of which records carrying an ``error``
    mentions: int = 0            # machine mention rows inserted
    findings: int = 0            # machine finding rows inserted
    kept_reviewed: int = 0       # machine rows not added because a reviewed row covers them
    retries: int = 0             # batches retried after a deadlock, serialization failure or busy database

    def add(self, other: "LoadStats") -> None:
        for name in self.__slots__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def _clip(value: Any, length: int | None) -> Any:
    return value[:length] if isinstance(value, str) and length and len(value) > length else value


def document_key(rec: dict) -> tuple[str, str]:
    """The identity of a record's document: ``(sha256 or "", path)``; e.g. ``("9f2c…", "corpus/docs/kl-1.pdf")``."""
    src = rec.get("source") or {}
    return (src.get("sha256") or "", src.get("path") or "")


def _value_string(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _clip(str(value), _VALUE_LENGTH)


def document_row(rec: dict, run_id: int | None, now: dt.datetime) -> dict[str, Any]:
    """The ``documents`` row of a record: ``{"path": "a.pdf", "sha256": "9f…", "doc_kind": "conclusion", …}``."""
    src, meta, err = rec.get("source") or {}, rec.get("meta") or {}, rec.get("error") or {}
    sha256, path = document_key(rec)
    row = {
        "path": path, "sha256": sha256, "format": src.get("format"), "pages": src.get("pages"),
        "size": src.get("size"), "encoding": src.get("encoding"), "title": meta.get("title"),
        "doc_kind": meta.get("doc_kind"), "number": meta.get("number"), "issued_at": meta.get("issued_at"),
        "place": meta.get("place"), "published_at": meta.get("published_at"), "relevant": meta.get("relevant"),
        "status": "error" if err else "ok", "error_kind": err.get("kind"), "error_message": err.get("message"),
        "pipeline_version": rec.get("pipeline_version"), "model_version": rec.get("model_version"),
        "text": rec.get("text"), "run_id": run_id, "created_at": now, "updated_at": now,
    }
    for name, length in _BOUNDED.items():
        row[name] = _clip(row[name], length)
    return row


def mention_rows(rec: dict) -> Iterator[dict[str, Any]]:
    """Every span of a record as a ``mentions`` row (without ``document_id``):
    ``{"kind": "date", "start": 5, "end": 20, "text": "ngày 10-11-2022", "value": "2022-11-10",
    "extra": {"precision": "day"}}``."""
    for field, (kind, value_key) in MENTION_FIELDS.items():
        for item in rec.get(field) or ():
            extra = {k: v for k, v in item.items() if k not in _SPAN_KEYS and k != value_key and v is not None}
            yield {"kind": kind, "start": int(item.get("start") or 0), "end": int(item.get("end") or 0),
                   "text": item.get("text") or "", "value": _value_string(item.get(value_key)),
                   "extra": extra or None, "reviewed": False, "review_status": None}


def document_label_rows(rec: dict) -> list[tuple[str, str]]:
    """The roll-up of a record as (kind, label): ``[("violation_type", "land"), ("outcome", "violation")]``."""
    labels = {("violation_type", v) for v in rec.get("violation_types") or ()}
    labels |= {("remedy", r) for r in rec.get("remedies") or ()}
    if not rec.get("error"):
        labels.add(("outcome", rec.get("outcome") or "none"))
    return sorted(labels)


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


def _upsert_documents(conn, rows: list[dict]) -> dict[tuple[str, str], int]:
    dialect = conn.dialect.name
    if dialect not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"loading needs INSERT … ON CONFLICT (PostgreSQL or SQLite), not {dialect}")
    # executemany (not .values(rows)) so the statement compiles once and SQLAlchemy batches it as multi-row VALUES.
    stmt = (pg_insert if dialect == "postgresql" else sqlite_insert)(DOCUMENTS)
    updated = {c.name: stmt.excluded[c.name] for c in DOCUMENTS.columns if c.name not in ("id", "created_at")}
    stmt = stmt.on_conflict_do_update(index_elements=["sha256", "path"], set_=updated)
    stmt = stmt.returning(DOCUMENTS.c.id, DOCUMENTS.c.sha256, DOCUMENTS.c.path)
    return {(sha, path): doc_id for doc_id, sha, path in conn.execute(stmt, rows)}


def _load_batch(conn, records: list[dict], run_id: int | None) -> LoadStats:
    stats = LoadStats()
    now = _now()
    doc_rows = [document_row(r, run_id, now) for r in records]
    ids = _upsert_documents(conn, doc_rows)
    stats.documents = len(records)
    stats.errors = sum(1 for r in records if r.get("error"))

    # A file that once failed before it could be hashed has a placeholder row under sha256 ""; the readable
    # version replaces it (placeholders carry no spans, so nothing reviewed is lost).
    hashed_paths = [p for (sha, p) in ids if sha]
    if hashed_paths:
        conn.execute(delete(DOCUMENTS).where(DOCUMENTS.c.sha256 == "", DOCUMENTS.c.path.in_(hashed_paths)))

    doc_ids = list(ids.values())
    machine_findings = select(FINDINGS.c.id).where(FINDINGS.c.document_id.in_(doc_ids), ~FINDINGS.c.reviewed)
    conn.execute(delete(FINDING_LABELS).where(FINDING_LABELS.c.finding_id.in_(machine_findings)))
    for table in (FINDINGS, MENTIONS, DOCUMENT_LABELS):
        conn.execute(delete(table).where(table.c.document_id.in_(doc_ids), ~table.c.reviewed))

    reviewed_mentions: dict[tuple[int, str], list[tuple[int, int]]] = {}
    for doc_id, kind, start, end in conn.execute(
            select(MENTIONS.c.document_id, MENTIONS.c.kind, MENTIONS.c.start, MENTIONS.c.end)
            .where(MENTIONS.c.document_id.in_(doc_ids), MENTIONS.c.reviewed)):
        reviewed_mentions.setdefault((doc_id, kind), []).append((start, end))
    reviewed_findings: dict[int, list[tuple[int, int]]] = {}
    for doc_id, start, end in conn.execute(select(FINDINGS.c.document_id, FINDINGS.c.start, FINDINGS.c.end)
                                           .where(FINDINGS.c.document_id.in_(doc_ids), FINDINGS.c.reviewed)):
        reviewed_findings.setdefault(doc_id, []).append((start, end))
    reviewed_labels = set(conn.execute(select(DOCUMENT_LABELS.c.document_id, DOCUMENT_LABELS.c.kind,
                                              DOCUMENT_LABELS.c.label)
                                       .where(DOCUMENT_LABELS.c.document_id.in_(doc_ids), DOCUMENT_LABELS.c.reviewed)))
    reviewed_outcome = {doc_id for doc_id, kind, _ in reviewed_labels if kind == "outcome"}

    mentions, findings, finding_labels, doc_labels = [], [], [], []
    for rec in records:
        doc_id = ids[document_key(rec)]
        for row in mention_rows(rec):
            spans = reviewed_mentions.get((doc_id, row["kind"]))
            if spans and _overlaps(row["start"], row["end"], spans):
                stats.kept_reviewed += 1
                continue
            row["document_id"] = doc_id
            mentions.append(row)
        for f in rec.get("findings") or ():
            start, end = int(f.get("start") or 0), int(f.get("end") or 0)
            spans = reviewed_findings.get(doc_id)
            if spans and _overlaps(start, end, spans):
                stats.kept_reviewed += 1
                continue
            findings.append({"document_id": doc_id, "start": start, "end": end, "text": f.get("text") or "",
                             "outcome": f.get("outcome") or "none", "score": f.get("score"),
                             "unit": _clip(f.get("unit"), _UNIT_LENGTH), "amounts": f.get("amounts") or None,
                             "model_version": rec.get("model_version"), "reviewed": False, "review_status": None})
            finding_labels.append(sorted({("violation_type", v) for v in f.get("violation_types") or ()}
                                         | {("remedy", r) for r in f.get("remedies") or ()}))
        for kind, label in document_label_rows(rec):
            if (doc_id, kind, label) in reviewed_labels or (kind == "outcome" and doc_id in reviewed_outcome):
                continue
            doc_labels.append({"document_id": doc_id, "kind": kind, "label": label, "reviewed": False})

    if mentions:
        conn.execute(insert(MENTIONS), mentions)
    if findings:
        finding_ids = conn.execute(insert(FINDINGS).returning(FINDINGS.c.id, sort_by_parameter_order=True),
                                   findings).scalars().all()
        label_rows = [{"finding_id": fid, "label_kind": kind, "label": label}
                      for fid, labels in zip(finding_ids, finding_labels) for kind, label in labels]
        if label_rows:
            conn.execute(insert(FINDING_LABELS), label_rows)
    if doc_labels:
        conn.execute(insert(DOCUMENT_LABELS), doc_labels)
    stats.mentions, stats.findings = len(mentions), len(findings)
    return stats


def _retryable(exc: DBAPIError) -> bool:
    sqlstate = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    if sqlstate in _RETRY_SQLSTATES:
        return True
    message = str(exc.orig).lower()
    return "database is locked" in message or "database is busy" in message or "deadlock" in message


def _batches(records: Iterable[dict], size: int) -> Iterator[list[dict]]:
    batch: dict[tuple[str, str], dict] = {}
    for rec in records:
        batch[document_key(rec)] = rec        # the same document twice in one batch: the later record wins
        if len(batch) >= size:
            yield [batch[k] for k in sorted(batch)]
            batch = {}
    if batch:
        yield [batch[k] for k in sorted(batch)]


def load_records(engine_or_url: Engine | str, records: Iterable[dict], run_id: int | None = None,
                 batch_size: int = 250) -> LoadStats:
    """Upsert records into the database (schema from ``upgrade``); re-loading replaces machine rows only.

    ``load_records(engine, [{"source": {"path": "kl.txt", "sha256": "ab12…"}, "meta": {"doc_kind": "conclusion"},
    "amounts": [{"value": 1200000000, "text": "1,2 tỷ đồng", "start": 40, "end": 51}]}])`` →
    ``LoadStats(documents=1, errors=0, mentions=1, findings=0, kept_reviewed=0, retries=0)``
    """
    engine = make_engine(engine_or_url)
    total = LoadStats()
    try:
        for batch in _batches(records, batch_size):
            for attempt in range(_MAX_ATTEMPTS):
                try:
                    with engine.begin() as conn:
                        stats = _load_batch(conn, batch, run_id)
                    break
                except DBAPIError as exc:
                    if attempt == _MAX_ATTEMPTS - 1 or not _retryable(exc):
                        raise
                    total.retries += 1
                    time.sleep(min(2.0, 0.05 * 2 ** attempt) * (0.5 + random.random()))
            total.add(stats)
    finally:
        if engine is not engine_or_url:
            engine.dispose()
    return total


def already_done(engine: Engine | str, sha256: str, pipeline_version: str | None,
                 model_version: str | None) -> bool:
    """Was this content already extracted successfully by the same pipeline and model versions?

    ``already_done(engine, "9f2c…e1", "0.1.0", "ner-2025-06")`` → ``True`` when any path with that hash was loaded
    with status ok by those versions, so the flow can skip re-extracting it.
    """
    engine_ = make_engine(engine)
    same = lambda column, value: column.is_(None) if value is None else column == value  # noqa: E731
    query = select(exists().where(DOCUMENTS.c.sha256 == sha256, DOCUMENTS.c.status == "ok",
                                  same(DOCUMENTS.c.pipeline_version, pipeline_version),
                                  same(DOCUMENTS.c.model_version, model_version)))
    try:
        with engine_.connect() as conn:
            return bool(conn.execute(query).scalar())
    finally:
        if engine_ is not engine:
            engine_.dispose()


def start_run(engine: Engine, params: dict | None = None, pipeline_version: str | None = None,
              model_version: str | None = None) -> int:
    """Open a ``runs`` row and return its id: ``start_run(engine, {"paths": ["corpus/docs"]}, "0.1.0")`` → ``7``."""
    with engine.begin() as conn:
        return conn.execute(insert(RUNS).values(started_at=_now(), documents=0, failures=0, params=params,
                                                pipeline_version=pipeline_version, model_version=model_version)
                            .returning(RUNS.c.id)).scalar_one()


def finish_run(engine: Engine, run_id: int, documents: int, failures: int) -> None:
    """Close a run with its counts: ``finish_run(engine, 7, documents=14, failures=1)``."""
    with engine.begin() as conn:
        conn.execute(update(RUNS).where(RUNS.c.id == run_id)
                     .values(finished_at=_now(), documents=documents, failures=failures))


__all__ = ["LoadStats", "already_done", "document_key", "document_row", "finish_run", "load_records",
           "mention_rows", "start_run"]
