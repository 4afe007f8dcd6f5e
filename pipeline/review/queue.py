"""The review queues: documents and findings, least confident first, filtered and paginated.

``document_queue(conn, QueueFilters(doc_kind="conclusion", status="unreviewed"), page=1)`` →
``Page(items=[{"id": 12, "path": "corpus/docs/kl-dat-dai.pdf", "min_score": 0.41, "findings": 3,
"status": None, …}], total=57, page=1, per_page=50)``. A document's confidence is its least confident finding;
relevant documents with no finding at all come first (a missed finding is the costliest error), irrelevant ones last.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, case, func, literal, select

from pipeline.db.load import DOCUMENT_LABELS, DOCUMENTS, FINDING_LABELS, FINDINGS, MENTIONS

from .models import AUDIT, DOCUMENT_REVIEWS, USERS

STATUSES = ("unreviewed", "accepted", "corrected", "done")
PER_PAGE = 50


@dataclass(slots=True)
class QueueFilters:
    violation_type: str | None = None
    unit: str | None = None              # part of a unit's normalised name (ASCII case-insensitive on SQLite)
    date_from: str | None = None         # YYYY-MM-DD, against issued_at (or published_at)
    date_to: str | None = None
    doc_kind: str | None = None
    status: str | None = None            # one of STATUSES
    reviewer: str | None = None          # username in the audit trail

    def as_params(self) -> dict[str, str]:
        return {k: v for k, v in ((n, getattr(self, n)) for n in self.__slots__) if v}


@dataclass(slots=True)
class Page:
    items: list[dict[str, Any]]
    total: int
    page: int
    per_page: int
    pages: int = field(init=False)

    def __post_init__(self) -> None:
        self.pages = max(1, -(-self.total // self.per_page))


def _like(text: str) -> str:
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _document_conditions(f: QueueFilters) -> list:
    conditions = []
    document_date = func.coalesce(DOCUMENTS.c.issued_at, DOCUMENTS.c.published_at)
    if f.doc_kind:
        conditions.append(DOCUMENTS.c.doc_kind == f.doc_kind)
    if f.date_from:
        conditions.append(document_date >= f.date_from)
    if f.date_to:
        conditions.append(document_date <= f.date_to)
    if f.status == "unreviewed":
        conditions.append(DOCUMENT_REVIEWS.c.document_id.is_(None))
    elif f.status == "done":
        conditions.append(DOCUMENT_REVIEWS.c.done)
    elif f.status in ("accepted", "corrected"):
        conditions.append(DOCUMENT_REVIEWS.c.status == f.status)
    if f.reviewer:
        # IN over an uncorrelated subquery: evaluated once, not once per document as a correlated EXISTS would be.
        reviewer_id = select(USERS.c.id).where(USERS.c.username == f.reviewer).scalar_subquery()
        conditions.append(DOCUMENTS.c.id.in_(select(AUDIT.c.document_id).where(AUDIT.c.user_id == reviewer_id)))
    return conditions


def document_queue(conn, filters: QueueFilters, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """Documents to review, least confident first; see the module docstring for an example."""
    scores = (select(FINDINGS.c.document_id, func.min(FINDINGS.c.score).label("min_score"),
                     func.count().label("findings"))
              .group_by(FINDINGS.c.document_id).subquery())
    conditions = _document_conditions(filters)
    if filters.violation_type:
        conditions.append(DOCUMENTS.c.id.in_(select(DOCUMENT_LABELS.c.document_id).where(
            DOCUMENT_LABELS.c.kind == "violation_type", DOCUMENT_LABELS.c.label == filters.violation_type)))
    if filters.unit:
        # On the normalised name: (kind, value) is indexed, so only unit names are read, not every mention row.
        conditions.append(DOCUMENTS.c.id.in_(select(MENTIONS.c.document_id).where(
            MENTIONS.c.kind == "unit", func.lower(MENTIONS.c.value).like(_like(filters.unit), escape="\\"))))
    joined = (DOCUMENTS.outerjoin(scores, scores.c.document_id == DOCUMENTS.c.id)
              .outerjoin(DOCUMENT_REVIEWS, DOCUMENT_REVIEWS.c.document_id == DOCUMENTS.c.id))
    where = and_(DOCUMENTS.c.status == "ok", *conditions)
    # The count needs no scores: leaving the per-document aggregate out halves the cost of a queue page.
    counted = DOCUMENTS.outerjoin(DOCUMENT_REVIEWS, DOCUMENT_REVIEWS.c.document_id == DOCUMENTS.c.id)
    total = conn.execute(select(func.count()).select_from(counted).where(where)).scalar_one()
    confidence = func.coalesce(scores.c.min_score,
                               case((DOCUMENTS.c.relevant.is_(False), literal(1.0)), else_=literal(0.0)))
    rows = conn.execute(select(DOCUMENTS.c.id, DOCUMENTS.c.path, DOCUMENTS.c.title, DOCUMENTS.c.doc_kind,
                               DOCUMENTS.c.issued_at, DOCUMENTS.c.published_at, DOCUMENTS.c.relevant,
                               scores.c.min_score, func.coalesce(scores.c.findings, 0).label("findings"),
                               DOCUMENT_REVIEWS.c.status, DOCUMENT_REVIEWS.c.done)
                        .select_from(joined).where(where)
                        .order_by(confidence, DOCUMENTS.c.id)
                        .limit(per_page).offset((max(page, 1) - 1) * per_page))
    return Page([dict(r._mapping) for r in rows], total, max(page, 1), per_page)


def finding_queue(conn, filters: QueueFilters, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """Findings to review, lowest score first: ``Page(items=[{"id": 7, "document_id": 12, "score": 0.38,
    "outcome": "violation", "text": "…", "violation_types": ["land"], …}], …)``. The status filter applies to
    the finding itself (unreviewed, accepted, corrected; "done" means its document is done)."""
    conditions = _document_conditions(QueueFilters(doc_kind=filters.doc_kind, date_from=filters.date_from,
                                                   date_to=filters.date_to, reviewer=filters.reviewer,
                                                   status="done" if filters.status == "done" else None))
    if filters.status == "unreviewed":
        conditions.append(~FINDINGS.c.reviewed)
    elif filters.status == "accepted":
        conditions.append(FINDINGS.c.review_status == "accepted")
    elif filters.status == "corrected":
        conditions.append(FINDINGS.c.review_status.in_(("corrected", "rejected")))
    if filters.violation_type:
        conditions.append(FINDINGS.c.id.in_(select(FINDING_LABELS.c.finding_id).where(
            FINDING_LABELS.c.label_kind == "violation_type", FINDING_LABELS.c.label == filters.violation_type)))
    if filters.unit:
        conditions.append(func.lower(FINDINGS.c.unit).like(_like(filters.unit), escape="\\"))
    joined = (FINDINGS.join(DOCUMENTS, DOCUMENTS.c.id == FINDINGS.c.document_id)
              .outerjoin(DOCUMENT_REVIEWS, DOCUMENT_REVIEWS.c.document_id == DOCUMENTS.c.id))
    where = and_(*conditions) if conditions else literal(True)
    total = conn.execute(select(func.count()).select_from(joined).where(where)).scalar_one()
    rows = conn.execute(select(FINDINGS.c.id, FINDINGS.c.document_id, FINDINGS.c.score, FINDINGS.c.outcome,
                               FINDINGS.c.unit, func.substr(FINDINGS.c.text, 1, 240).label("text"),
                               FINDINGS.c.review_status, DOCUMENTS.c.path, DOCUMENTS.c.doc_kind)
                        .select_from(joined).where(where)
                        .order_by(func.coalesce(FINDINGS.c.score, 0.0), FINDINGS.c.id)
                        .limit(per_page).offset((max(page, 1) - 1) * per_page))
    items = [dict(r._mapping) for r in rows]
    if items:
        labels: dict[int, list[str]] = {i["id"]: [] for i in items}
        for fid, label in conn.execute(select(FINDING_LABELS.c.finding_id, FINDING_LABELS.c.label)
                                       .where(FINDING_LABELS.c.finding_id.in_(labels),
                                              FINDING_LABELS.c.label_kind == "violation_type")
                                       .order_by(FINDING_LABELS.c.label)):
            labels[fid].append(label)
        for item in items:
            item["violation_types"] = labels[item["id"]]
    return Page(items, total, max(page, 1), per_page)
