"""What a steward can do to a document, each change marked ``reviewed`` (so re-runs keep it) and audited.

``judge_mention(conn, user_id=3, mention_id=88, action="relabel", kind="person", value="Lê Văn Thành")`` turns a
machine "unit" span into a person and returns its new state ``{"id": 88, "kind": "person", "value": "Lê Văn Thành",
"status": "corrected", …}``; ``add_mention(conn, 3, 12, "amount", 40, 51, "1200000000")`` adds a span the
extractor missed; ``edit_finding(conn, 3, 7, outcome="violation", violation_types=["land"])`` relabels a finding.
Statuses follow ``pipeline.db.models.REVIEW_STATUSES``: accepted, rejected, corrected, added.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from sqlalchemy import and_, delete, insert, select, update

from pipeline.db.load import DOCUMENT_LABELS, DOCUMENTS, FINDING_LABELS, FINDINGS, MENTIONS
from pipeline.db.models import MENTION_KINDS
from pipeline.record import OUTCOMES, REMEDIES, VIOLATION_TYPES

from .audit import record_change
from .models import DOCUMENT_REVIEWS

MENTION_ACTIONS = ("accept", "reject", "relabel")
FINDING_ACTIONS = ("accept", "reject", "edit")
_OUTCOME_RANK = {o: i for i, o in enumerate(OUTCOMES)}
_ADVERSE = frozenset(("shortcoming", "violation", "serious"))


class ReviewError(ValueError):
    """A change the data does not allow (unknown item, bad label, offsets outside the text)."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def _mention_state(row) -> dict[str, Any]:
    return {"id": row.id, "kind": row.kind, "value": row.value, "text": row.text, "start": row.start,
            "end": row.end, "status": row.review_status}


def touch_document(conn, document_id: int, user_id: int, corrected: bool, done: bool | None = None) -> None:
    """Keep the document's review state current: once anything was changed it stays ``corrected``."""
    current = conn.execute(select(DOCUMENT_REVIEWS.c.status, DOCUMENT_REVIEWS.c.done)
                           .where(DOCUMENT_REVIEWS.c.document_id == document_id)).first()
    status = "corrected" if corrected or (current and current.status == "corrected") else "accepted"
    values = {"status": status, "reviewer_id": user_id, "updated_at": _now()}
    if done is not None:
        values["done"] = done
    if current is None:
        conn.execute(insert(DOCUMENT_REVIEWS).values(document_id=document_id, **({"done": False} | values)))
    else:
        conn.execute(update(DOCUMENT_REVIEWS).where(DOCUMENT_REVIEWS.c.document_id == document_id).values(**values))


def _check_mention_label(kind: str, value: str | None) -> None:
    if kind not in MENTION_KINDS:
        raise ReviewError(f"unknown span kind {kind!r}")
    if kind == "amount" and value not in (None, ""):
        try:
            int(value)
        except ValueError:
            raise ReviewError(f"an amount's value is a whole number of đồng, not {value!r}") from None


def judge_mention(conn, user_id: int, mention_id: int, action: str, kind: str | None = None,
                  value: str | None = None) -> dict[str, Any]:
    """Accept, reject or relabel one span; see the module docstring for an example."""
    if action not in MENTION_ACTIONS:
        raise ReviewError(f"unknown action {action!r}")
    row = conn.execute(select(MENTIONS).where(MENTIONS.c.id == mention_id)).first()
    if row is None:
        raise ReviewError(f"no span {mention_id}")
    before = _mention_state(row)
    new_kind = kind or row.kind
    if action == "relabel" and new_kind != row.kind and row.review_status != "added":
        return _relabel_kind(conn, user_id, row, before, new_kind, value)
    changes: dict[str, Any] = {"reviewed": True}
    if action == "accept":
        changes["review_status"] = "added" if row.review_status == "added" else "accepted"
    elif action == "reject":
        changes["review_status"] = "rejected"
    else:
        new_value = row.value if value is None else (value.strip() or None)
        _check_mention_label(new_kind, new_value)
        changes.update(kind=new_kind, value=new_value,
                       review_status="added" if row.review_status == "added" else "corrected")
    conn.execute(update(MENTIONS).where(MENTIONS.c.id == mention_id).values(**changes))
    after = before | {k: v for k, v in changes.items() if k in ("kind", "value")} | {"status": changes["review_status"]}
    record_change(conn, user_id=user_id, document_id=row.document_id, target="mention", target_id=mention_id,
                  kind=after["kind"], start=row.start, end=row.end, action=action, before=before, after=after)
    touch_document(conn, row.document_id, user_id, corrected=action != "accept")
    return after


def _relabel_kind(conn, user_id: int, row, before: dict[str, Any], kind: str, value: str | None) -> dict[str, Any]:
    # The loader skips a machine span only when a reviewed span *of the same kind* covers it. Changing the kind in
    # place would let the next run add the machine's label again; so the machine row stays, rejected, and the
    # steward's label is a new reviewed row over the same text.
    new_value = row.value if value is None else (value.strip() or None)
    _check_mention_label(kind, new_value)
    conn.execute(update(MENTIONS).where(MENTIONS.c.id == row.id).values(reviewed=True, review_status="rejected"))
    new_id = conn.execute(insert(MENTIONS).values(document_id=row.document_id, kind=kind, start=row.start,
                                                  end=row.end, text=row.text, value=new_value, extra=None,
                                                  reviewed=True, review_status="corrected")
                          .returning(MENTIONS.c.id)).scalar_one()
    after = before | {"id": new_id, "kind": kind, "value": new_value, "status": "corrected", "replaces": row.id}
    record_change(conn, user_id=user_id, document_id=row.document_id, target="mention", target_id=new_id,
                  kind=kind, start=row.start, end=row.end, action="relabel", before=before, after=after)
    touch_document(conn, row.document_id, user_id, corrected=True)
    return after


def add_mention(conn, user_id: int, document_id: int, kind: str, start: int, end: int,
                value: str | None = None) -> dict[str, Any]:
    """Add a span the extractor missed, from the steward's selection (offsets into documents.text); surrounding
    whitespace is trimmed. ``add_mention(conn, 3, 12, "person", 200, 214)`` → ``{"id": 931, "kind": "person",
    "text": "Lê Văn Thành", "value": "Lê Văn Thành", "status": "added", …}``."""
    text = conn.execute(select(DOCUMENTS.c.text).where(DOCUMENTS.c.id == document_id)).scalar()
    if text is None:
        raise ReviewError(f"no document text for {document_id}")
    if not (0 <= start < end <= len(text)):
        raise ReviewError(f"offsets {start}–{end} are outside the text (length {len(text)})")
    surface = text[start:end]
    start += len(surface) - len(surface.lstrip())
    end -= len(surface) - len(surface.rstrip())
    surface = text[start:end]
    if not surface:
        raise ReviewError("the selection is only whitespace")
    value = (value or "").strip() or (None if kind == "amount" else surface)
    _check_mention_label(kind, value)
    mention_id = conn.execute(insert(MENTIONS).values(document_id=document_id, kind=kind, start=start, end=end,
                                                      text=surface, value=value, extra=None, reviewed=True,
                                                      review_status="added")
                              .returning(MENTIONS.c.id)).scalar_one()
    after = {"id": mention_id, "kind": kind, "value": value, "text": surface, "start": start, "end": end,
             "status": "added"}
    record_change(conn, user_id=user_id, document_id=document_id, target="mention", target_id=mention_id,
                  kind=kind, start=start, end=end, action="add", before=None, after=after)
    touch_document(conn, document_id, user_id, corrected=True)
    return after


def finding_labels(conn, finding_ids: Iterable[int]) -> dict[int, dict[str, list[str]]]:
    """Labels per finding: ``{7: {"violation_type": ["land"], "remedy": ["recover_funds"]}}``."""
    ids = list(finding_ids)
    labels: dict[int, dict[str, list[str]]] = {i: {"violation_type": [], "remedy": []} for i in ids}
    if ids:
        for fid, kind, label in conn.execute(select(FINDING_LABELS).where(FINDING_LABELS.c.finding_id.in_(ids))
                                             .order_by(FINDING_LABELS.c.label)):
            labels[fid].setdefault(kind, []).append(label)
    return labels


def _finding_state(conn, row) -> dict[str, Any]:
    labels = finding_labels(conn, [row.id])[row.id]
    return {"id": row.id, "outcome": row.outcome, "violation_types": labels["violation_type"],
            "remedies": labels["remedy"], "status": row.review_status}


def _checked(values: Iterable[str] | None, allowed: tuple[str, ...], what: str) -> list[str] | None:
    if values is None:
        return None
    values = sorted({v for v in values if v})
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise ReviewError(f"unknown {what}: {', '.join(unknown)}")
    return values


def _replace_finding_labels(conn, finding_id: int, kind: str, labels: list[str]) -> None:
    conn.execute(delete(FINDING_LABELS).where(FINDING_LABELS.c.finding_id == finding_id,
                                              FINDING_LABELS.c.label_kind == kind))
    if labels:
        conn.execute(insert(FINDING_LABELS), [{"finding_id": finding_id, "label_kind": kind, "label": label}
                                              for label in labels])


def roll_up(conn, document_id: int) -> dict[str, Any]:
    """Recompute the document labels from its findings that were not rejected (GUIDE §2: violation types of the
    adverse findings, the strongest outcome, all remedies) and mark them reviewed."""
    rows = conn.execute(select(FINDINGS.c.id, FINDINGS.c.outcome).where(
        FINDINGS.c.document_id == document_id,
        (FINDINGS.c.review_status.is_(None)) | (FINDINGS.c.review_status != "rejected"))).all()
    labels = finding_labels(conn, [r.id for r in rows])
    outcome = max((r.outcome for r in rows), key=lambda o: _OUTCOME_RANK.get(o, 0), default="none")
    types = sorted({t for r in rows if r.outcome in _ADVERSE for t in labels[r.id]["violation_type"]})
    remedies = sorted({t for r in rows for t in labels[r.id]["remedy"]})
    set_document_labels_rows(conn, document_id, types, outcome, remedies)
    return {"violation_types": types, "outcome": outcome, "remedies": remedies}


def set_document_labels_rows(conn, document_id: int, types: list[str], outcome: str, remedies: list[str]) -> None:
    conn.execute(delete(DOCUMENT_LABELS).where(DOCUMENT_LABELS.c.document_id == document_id))
    rows = ([("violation_type", t) for t in types] + [("remedy", r) for r in remedies] + [("outcome", outcome)])
    conn.execute(insert(DOCUMENT_LABELS), [{"document_id": document_id, "kind": k, "label": v, "reviewed": True}
                                           for k, v in rows])


def document_labels(conn, document_id: int) -> dict[str, Any]:
    """``{"violation_types": ["land"], "outcome": "violation", "remedies": ["recover_funds"], "reviewed": True}``."""
    out: dict[str, Any] = {"violation_types": [], "outcome": "none", "remedies": [], "reviewed": False}
    for kind, label, reviewed in conn.execute(select(DOCUMENT_LABELS.c.kind, DOCUMENT_LABELS.c.label,
                                                     DOCUMENT_LABELS.c.reviewed)
                                              .where(DOCUMENT_LABELS.c.document_id == document_id)
                                              .order_by(DOCUMENT_LABELS.c.label)):
        if kind == "outcome":
            out["outcome"] = label
        elif kind == "violation_type":
            out["violation_types"].append(label)
        elif kind == "remedy":
            out["remedies"].append(label)
        out["reviewed"] = out["reviewed"] or bool(reviewed)
    return out


def edit_finding(conn, user_id: int, finding_id: int, action: str = "edit", *, outcome: str | None = None,
                 violation_types: Iterable[str] | None = None,
                 remedies: Iterable[str] | None = None) -> dict[str, Any]:
    """Accept, reject or relabel a finding (its outcome, violation types and remedies), then refresh the
    document roll-up: ``edit_finding(conn, 3, 7, outcome="serious", remedies=["criminal_referral"])`` →
    ``{"id": 7, "outcome": "serious", "violation_types": ["land"], "remedies": ["criminal_referral"],
    "status": "corrected"}``."""
    if action not in FINDING_ACTIONS:
        raise ReviewError(f"unknown action {action!r}")
    row = conn.execute(select(FINDINGS).where(FINDINGS.c.id == finding_id)).first()
    if row is None:
        raise ReviewError(f"no finding {finding_id}")
    if outcome is not None and outcome not in OUTCOMES:
        raise ReviewError(f"unknown outcome {outcome!r}")
    types = _checked(violation_types, VIOLATION_TYPES, "violation types")
    remedy_list = _checked(remedies, REMEDIES, "remedies")
    before = _finding_state(conn, row)
    status = {"accept": "accepted", "reject": "rejected"}.get(action, "corrected")
    changes: dict[str, Any] = {"reviewed": True, "review_status": status}
    if action == "edit" and outcome is not None:
        changes["outcome"] = outcome
    conn.execute(update(FINDINGS).where(FINDINGS.c.id == finding_id).values(**changes))
    if action == "edit":
        if types is not None:
            _replace_finding_labels(conn, finding_id, "violation_type", types)
        if remedy_list is not None:
            _replace_finding_labels(conn, finding_id, "remedy", remedy_list)
    after = _finding_state(conn, conn.execute(select(FINDINGS).where(FINDINGS.c.id == finding_id)).first())
    record_change(conn, user_id=user_id, document_id=row.document_id, target="finding", target_id=finding_id,
                  kind="finding", start=row.start, end=row.end, action=action, before=before, after=after)
    roll_up(conn, row.document_id)
    touch_document(conn, row.document_id, user_id, corrected=action != "accept")
    return after


def edit_document_labels(conn, user_id: int, document_id: int, *, outcome: str,
                         violation_types: Iterable[str], remedies: Iterable[str]) -> dict[str, Any]:
    """Set the document-level labels directly (e.g. a finding the model missed):
    ``edit_document_labels(conn, 3, 12, outcome="shortcoming", violation_types=["service_discipline"],
    remedies=[])`` → ``{"violation_types": ["service_discipline"], "outcome": "shortcoming", "remedies": []}``."""
    if outcome not in OUTCOMES:
        raise ReviewError(f"unknown outcome {outcome!r}")
    types = _checked(violation_types, VIOLATION_TYPES, "violation types") or []
    remedy_list = _checked(remedies, REMEDIES, "remedies") or []
    before = document_labels(conn, document_id)
    before.pop("reviewed")
    set_document_labels_rows(conn, document_id, types, outcome, remedy_list)
    after = {"violation_types": types, "outcome": outcome, "remedies": remedy_list}
    record_change(conn, user_id=user_id, document_id=document_id, target="document", kind="labels",
                  action="edit", before=before, after=after)
    touch_document(conn, document_id, user_id, corrected=before != after)
    return after


def finish_document(conn, user_id: int, document_id: int) -> int:
    """Mark the document reviewed: every span and finding not yet judged is accepted (one audit row each), the
    roll-up is confirmed, and the document becomes ``done`` (what the gold export takes). Returns how many items
    were accepted: ``finish_document(conn, 3, 12)`` → ``17``."""
    open_mentions = conn.execute(select(MENTIONS).where(MENTIONS.c.document_id == document_id,
                                                        ~MENTIONS.c.reviewed)).all()
    open_findings = conn.execute(select(FINDINGS).where(FINDINGS.c.document_id == document_id,
                                                        ~FINDINGS.c.reviewed)).all()
    for row in open_mentions:
        before = _mention_state(row)
        record_change(conn, user_id=user_id, document_id=document_id, target="mention", target_id=row.id,
                      kind=row.kind, start=row.start, end=row.end, action="accept", before=before,
                      after=before | {"status": "accepted"})
    for row in open_findings:
        before = _finding_state(conn, row)
        record_change(conn, user_id=user_id, document_id=document_id, target="finding", target_id=row.id,
                      kind="finding", start=row.start, end=row.end, action="accept", before=before,
                      after=before | {"status": "accepted"})
    conn.execute(update(MENTIONS).where(MENTIONS.c.document_id == document_id, ~MENTIONS.c.reviewed)
                 .values(reviewed=True, review_status="accepted"))
    conn.execute(update(FINDINGS).where(FINDINGS.c.document_id == document_id, ~FINDINGS.c.reviewed)
                 .values(reviewed=True, review_status="accepted"))
    conn.execute(update(DOCUMENT_LABELS).where(DOCUMENT_LABELS.c.document_id == document_id)
                 .values(reviewed=True))
    record_change(conn, user_id=user_id, document_id=document_id, target="document", kind="review",
                  action="done", after={"accepted": len(open_mentions) + len(open_findings)})
    touch_document(conn, document_id, user_id, corrected=False, done=True)
    return len(open_mentions) + len(open_findings)
