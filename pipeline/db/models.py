"""The normalised schema analysts query with SQL (SQLAlchemy 2.0 models; the tables are created only by migrations).

One row per document in ``documents``; every extracted span in ``mentions`` (``kind`` says which: reference, date,
amount, unit, person; ``value`` is its normalised string, e.g. ``"4379/QĐ-UBND"``, ``"2022-11-10"``, ``"1200000000"``,
``"Sở Nội vụ"``, ``"Đinh Mạnh Hùng"``); findings with their labels in ``finding_labels``; the document-level roll-up
in ``document_labels``; one row per batch in ``runs``.

Document identity is the pair (sha256, path): re-loading the same file never duplicates it, the same bytes at two
paths are two documents (each path is what a reviewer opens), and a file edited in place becomes a new document
because its offsets (and any reviewed labels tied to them) belong to the old content. Unreadable files with no
hash are keyed by path with sha256 ``""``.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, MetaData, String, Text, false,
                        UniqueConstraint, func)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

MENTION_KINDS = ("reference", "date", "amount", "unit", "person")
REVIEW_STATUSES = ("accepted", "rejected", "corrected", "added")

# Explicit constraint names keep migrations portable between SQLite and PostgreSQL.
NAMING = {"ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
          "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s", "pk": "pk_%(table_name)s"}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[int]: JSON}


class Run(Base):
    __tablename__ = "runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.current_timestamp())
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    documents: Mapped[int] = mapped_column(Integer, default=0)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    pipeline_version: Mapped[str | None] = mapped_column(String(32))
    model_version: Mapped[str | None] = mapped_column(String(64))
    params: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Document(Base):
    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("sha256", "path", name="uq_documents_sha256_path"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    path: Mapped[str] = mapped_column(String(2048), index=True)
    sha256: Mapped[str] = mapped_column(String(64))          # indexed as the leading column of the unique key
    format: Mapped[str | None] = mapped_column(String(16))
    pages: Mapped[int | None] = mapped_column(Integer)
    size: Mapped[int | None] = mapped_column(Integer)
    encoding: Mapped[str | None] = mapped_column(String(16))
    title: Mapped[str | None] = mapped_column(Text)
    doc_kind: Mapped[str | None] = mapped_column(String(16), index=True)
    number: Mapped[str | None] = mapped_column(String(128))
    issued_at: Mapped[str | None] = mapped_column(String(10), index=True)
    place: Mapped[str | None] = mapped_column(String(128))
    published_at: Mapped[str | None] = mapped_column(String(10))
    relevant: Mapped[bool | None] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(8))                     # ok | error
    error_kind: Mapped[str | None] = mapped_column(String(32))
    error_message: Mapped[str | None] = mapped_column(Text)
    pipeline_version: Mapped[str | None] = mapped_column(String(32))
    model_version: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str | None] = mapped_column(Text)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.current_timestamp())
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.current_timestamp())


class Mention(Base):
    __tablename__ = "mentions"
    __table_args__ = (Index("ix_mentions_kind_value", "kind", "value"),
                      Index("ix_mentions_document_id_kind", "document_id", "kind"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    value: Mapped[str | None] = mapped_column(String(512))
    extra: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    reviewed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    review_status: Mapped[str | None] = mapped_column(String(16))


class Finding(Base):
    __tablename__ = "findings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(16), index=True)
    score: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(512), index=True)
    amounts: Mapped[list[int] | None] = mapped_column(JSON)
    model_version: Mapped[str | None] = mapped_column(String(64))
    reviewed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    review_status: Mapped[str | None] = mapped_column(String(16))


class FindingLabel(Base):
    __tablename__ = "finding_labels"
    __table_args__ = (Index("ix_finding_labels_kind_label", "label_kind", "label"),)
    finding_id: Mapped[int] = mapped_column(ForeignKey("findings.id", ondelete="CASCADE"), primary_key=True)
    label_kind: Mapped[str] = mapped_column(String(16), primary_key=True)    # violation_type | remedy
    label: Mapped[str] = mapped_column(String(32), primary_key=True)


class DocumentLabel(Base):
    __tablename__ = "document_labels"
    __table_args__ = (Index("ix_document_labels_kind_label", "kind", "label"),)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)          # violation_type | remedy | outcome
    label: Mapped[str] = mapped_column(String(32), primary_key=True)
    reviewed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
