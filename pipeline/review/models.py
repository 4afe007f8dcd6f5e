"""Tables of the steward review app, on the shared ``Base`` metadata (created by migration 0002).

``users`` (scrypt-hashed passwords), ``review_sessions`` (server-side login sessions, keyed by the SHA-256 of the
cookie token so a leaked database does not leak live cookies), ``review_audit`` (one row per change: who, when,
what, before and after) and ``document_reviews`` (the review state of a document, for the queue's status filter).

Audit rows point at mentions and findings by id *and* by span, without a foreign key: re-running the pipeline
deletes and re-inserts machine rows, and the trail must outlive them.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, false, func
from sqlalchemy.orm import Mapped, mapped_column

from pipeline.db.models import Base

DOCUMENT_REVIEW_STATUSES = ("accepted", "corrected")
AUDIT_TARGETS = ("mention", "finding", "document")


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.current_timestamp())


class ReviewSession(Base):
    __tablename__ = "review_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)


class ReviewAudit(Base):
    __tablename__ = "review_audit"
    __table_args__ = (Index("ix_review_audit_document_id_at", "document_id", "at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    target: Mapped[str] = mapped_column(String(16))            # mention | finding | document
    target_id: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str | None] = mapped_column(String(32))       # mention kind, or the finding/document field
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))            # accept, reject, relabel, add, edit, done
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class DocumentReview(Base):
    __tablename__ = "document_reviews"
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), index=True)    # accepted | corrected
    done: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)


USERS = User.__table__
SESSIONS = ReviewSession.__table__
AUDIT = ReviewAudit.__table__
DOCUMENT_REVIEWS = DocumentReview.__table__
