"""The audit trail of every steward change, and the agreement between stewards computed from it.

``record_change(conn, user_id=3, document_id=12, target="mention", target_id=88, kind="unit", start=40, end=56,
action="relabel", before={"kind": "unit", "value": "Sở Nội vụ"}, after={"kind": "person", "value": "Lê Văn Thành"})``
adds one row; ``document_history(conn, 12)`` lists them newest first; ``document_agreement(conn, 12)`` gives
Cohen's kappa per field for each pair of stewards who reviewed the document.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from itertools import combinations
from typing import Any, Hashable, Iterable

from sqlalchemy import insert, select

from .models import AUDIT, USERS

# Actions that express a decision about an item (``done`` and document edits are bookkeeping, not item decisions).
_DECISIONS = frozenset(("accept", "reject", "relabel", "edit", "add"))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def record_change(conn, *, user_id: int, document_id: int, target: str, action: str, target_id: int | None = None,
                  kind: str | None = None, start: int | None = None, end: int | None = None,
                  before: dict | None = None, after: dict | None = None) -> None:
    """Append one audit row (who, when, what, before → after); see the module docstring for an example."""
    conn.execute(insert(AUDIT).values(at=_now(), user_id=user_id, document_id=document_id, target=target,
                                      target_id=target_id, kind=kind, start=start, end=end, action=action,
                                      before=before, after=after))


def document_history(conn, document_id: int, limit: int = 500) -> list[dict[str, Any]]:
    """Audit rows of a document, newest first: ``[{"at": datetime(…), "username": "nguyen.lan", "action": "reject",
    "target": "mention", "kind": "date", "start": 120, "end": 135, "before": {…}, "after": {…}}, …]``."""
    rows = conn.execute(select(AUDIT, USERS.c.username).join(USERS, USERS.c.id == AUDIT.c.user_id)
                        .where(AUDIT.c.document_id == document_id)
                        .order_by(AUDIT.c.at.desc(), AUDIT.c.id.desc()).limit(limit))
    return [dict(r._mapping) for r in rows]


def cohen_kappa(pairs: Iterable[tuple[Hashable, Hashable]]) -> float | None:
    """Cohen's kappa of two raters' labels for the same items.

    ``cohen_kappa([("accept", "accept"), ("reject", "accept"), ("reject", "reject")])`` → ``0.4``; None for no items;
    1.0 when both raters always gave the one same label (chance agreement 1, observed agreement 1).
    """
    pairs = list(pairs)
    n = len(pairs)
    if not n:
        return None
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    chance = sum(first[label] * second[label] for label in first) / (n * n)
    if chance >= 1.0:
        return 1.0 if observed >= 1.0 else 0.0
    return (observed - chance) / (1.0 - chance)


def _decisions(conn, document_id: int) -> dict[str, dict[tuple, dict]]:
    """Each steward's latest decision per item: username → {(target, start, end): {"field":…, "after":…}}."""
    rows = conn.execute(select(USERS.c.username, AUDIT.c.target, AUDIT.c.kind, AUDIT.c.start, AUDIT.c.end,
                               AUDIT.c.action, AUDIT.c.before, AUDIT.c.after)
                        .join(USERS, USERS.c.id == AUDIT.c.user_id)
                        .where(AUDIT.c.document_id == document_id, AUDIT.c.target.in_(("mention", "finding")),
                               AUDIT.c.action.in_(_DECISIONS))
                        .order_by(AUDIT.c.at, AUDIT.c.id))
    latest: dict[str, dict[tuple, dict]] = defaultdict(dict)
    for r in rows:
        key = (r.target, r.start, r.end)
        earlier = latest[r.username].get(key)
        # The field an item belongs to is the kind it had when first judged, so a relabel stays in its field.
        field = earlier["field"] if earlier else ((r.before or {}).get("kind") or r.kind or r.target)
        original = earlier["original"] if earlier else (r.before or {})
        latest[r.username][key] = {"field": field, "original": original, "after": r.after or {}}
    return latest


def _mention_label(decision: dict) -> str:
    """rejected, the kind kept or given ("unit"), or the kind with a corrected value ("date=2024-01-06")."""
    after = decision["after"]
    if after.get("status") == "rejected":
        return "rejected"
    if after.get("value") == decision["original"].get("value"):
        return str(after.get("kind"))
    return f"{after.get('kind')}={after.get('value')}"


def pair_agreement(first: dict[tuple, dict], second: dict[tuple, dict]) -> dict[str, dict[str, Any]]:
    """Kappa per field over the items both stewards judged: mention kinds (label: rejected, kind, kind=new value),
    ``finding.outcome`` and ``finding.violation_types`` (one yes/no item per finding and type either named)."""
    per_field: dict[str, list[tuple]] = defaultdict(list)
    for key in first.keys() & second.keys():
        a, b = first[key], second[key]
        if key[0] == "mention":
            per_field[a["field"]].append((_mention_label(a), _mention_label(b)))
            continue
        rejected_a, rejected_b = a["after"].get("status") == "rejected", b["after"].get("status") == "rejected"
        per_field["finding.outcome"].append(("rejected" if rejected_a else a["after"].get("outcome"),
                                             "rejected" if rejected_b else b["after"].get("outcome")))
        types_a = set() if rejected_a else set(a["after"].get("violation_types") or ())
        types_b = set() if rejected_b else set(b["after"].get("violation_types") or ())
        for label in sorted(types_a | types_b):
            per_field["finding.violation_types"].append((label in types_a, label in types_b))
    return {field: {"kappa": cohen_kappa(pairs), "items": len(pairs),
                    "agreement": sum(x == y for x, y in pairs) / len(pairs)}
            for field, pairs in sorted(per_field.items())}


def document_agreement(conn, document_id: int) -> list[dict[str, Any]]:
    """Agreement of every pair of stewards on a document: ``[{"stewards": ("lan", "minh"), "fields":
    {"date": {"kappa": 1.0, "items": 3, "agreement": 1.0}, "finding.outcome": {…}}}]`` (empty for < 2 stewards)."""
    latest = _decisions(conn, document_id)
    return [{"stewards": (a, b), "fields": pair_agreement(latest[a], latest[b])}
            for a, b in combinations(sorted(latest), 2)]
