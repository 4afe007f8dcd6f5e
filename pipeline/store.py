"""The store behind ``thanhtra run``: the normalised database of ``pipeline.db`` (SQLite file by default, any URL works).

``save_records("data/thanhtra.sqlite", records)`` migrates the schema, opens a run, loads the records idempotently
(re-running never duplicates a document and never overwrites a reviewed row) and returns the number of documents,
e.g. ``14``. PostgreSQL: ``save_records("postgresql+psycopg://postgres@127.0.0.1:5432/thanhtra", records)``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

from .db import make_engine, upgrade
from .db.load import LoadStats, finish_run, load_records, start_run

DEFAULT_DB = "data/thanhtra.sqlite"


def db_url(db: str | None) -> str:
    """A SQLAlchemy URL for a file name or URL: ``db_url("out/t.sqlite")`` → ``"sqlite:///out/t.sqlite"``."""
    db = db or DEFAULT_DB
    if "://" in db:
        return db
    Path(db).parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{db}"


def save_records(db: str | None, records: Iterable[dict], params: dict | None = None) -> int:
    """Load records into ``db`` as one run and return how many documents were written:
    ``save_records(None, [{"source": {"path": "a.txt", "sha256": "ab…"}, "meta": {"doc_kind": "letter"}}])`` → ``1``."""
    engine = make_engine(db_url(db))
    try:
        upgrade(engine)
        first, records = _peek(iter(records))
        versions = (first or {}).get("pipeline_version"), (first or {}).get("model_version")
        run_id = start_run(engine, params, *versions)
        stats: LoadStats = load_records(engine, records, run_id=run_id)
        finish_run(engine, run_id, documents=stats.documents, failures=stats.errors)
        return stats.documents
    finally:
        engine.dispose()


def _peek(records: Iterator[dict]) -> tuple[dict | None, Iterator[dict]]:
    first = next(records, None)
    if first is None:
        return None, iter(())

    def chained() -> Iterator[dict]:
        yield first
        yield from records
    return first, chained()
