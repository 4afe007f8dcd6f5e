"""The embedded default store: records in a SQLite file under ``data/`` (any SQLAlchemy URL works).

One row per document keyed by its path; a re-run replaces the row, so loading twice never duplicates.
``save_records("sqlite:///data/thanhtra.sqlite", records)`` → ``14`` rows written.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Iterable

from sqlalchemy import JSON, DateTime, Integer, String, Text, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

DEFAULT_DB = "data/thanhtra.sqlite"


class Base(DeclarativeBase):
    pass


class DocumentRow(Base):
    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    path: Mapped[str] = mapped_column(String(1024), unique=True)
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    format: Mapped[str | None] = mapped_column(String(16))
    pages: Mapped[int | None] = mapped_column(Integer)
    doc_kind: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))            # ok | error
    error_kind: Mapped[str | None] = mapped_column(String(32))
    error_message: Mapped[str | None] = mapped_column(Text)
    record: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)


def db_url(db: str | None) -> str:
    db = db or DEFAULT_DB
    if "://" in db:
        return db
    Path(db).parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{db}"


def save_records(db: str | None, records: Iterable[dict]) -> int:
    engine = create_engine(db_url(db))
    Base.metadata.create_all(engine)
    n = 0
    with Session(engine) as session:
        for rec in records:
            src = rec.get("source") or {}
            row = session.scalars(select(DocumentRow).where(DocumentRow.path == src.get("path"))).first() or DocumentRow(path=src.get("path"))
            err = rec.get("error") or {}
            row.sha256, row.format, row.pages = src.get("sha256"), src.get("format"), src.get("pages")
            row.doc_kind = (rec.get("meta") or {}).get("doc_kind")
            row.status = "error" if err else "ok"
            row.error_kind, row.error_message = err.get("kind"), err.get("message")
            row.record = json.loads(json.dumps(rec))
            row.updated_at = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
            session.add(row)
            n += 1
            if n % 200 == 0:
                session.commit()
        session.commit()
    engine.dispose()
    return n
