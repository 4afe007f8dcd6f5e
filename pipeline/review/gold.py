"""Reviewed documents as gold files in the GUIDE §3 format: the stewards' truth for ``thanhtra eval``, the referee
and ``thanhtra train --from-reviews DIR``.

``export_gold("sqlite:///data/thanhtra.sqlite", "reviews/")`` → ``GoldExport(documents=2, folder=…)`` writing
``reviews/texts/0012.txt``, ``reviews/gold/0012.json`` (``{"id": "0012", "references": ["27/KL-TTr"], "dates":
["2024-03-14"], "amounts": [1250000000], "units": ["Trung tâm Y tế huyện Ý Yên"], "persons": ["Trần Văn Khải"],
"violation_types": ["budget_finance"], "outcome": "violation", "remedies": ["recover_funds"]}``) and
``reviews/manifest.jsonl`` (id → source path, sha256, reviewers). A document is exported once a steward marked it
reviewed (``done``); its rejected spans are left out, corrected and added ones are in.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select

from pipeline.db import make_engine
from pipeline.db.load import DOCUMENTS, MENTIONS

from .actions import document_labels
from .models import AUDIT, DOCUMENT_REVIEWS, USERS

_DATE_VALUE = re.compile(r"^\d{4}-(\d{2}(-\d{2})?|Q[1-4])$")
_ADVERSE = frozenset(("shortcoming", "violation", "serious"))


@dataclass(slots=True)
class GoldExport:
    documents: int
    folder: Path


def _gold_id(document_id: int) -> str:
    return f"{document_id:04d}"


def _amount(value: str | None, extra: dict | None) -> int | None:
    if (extra or {}).get("currency", "VND").upper() != "VND" or value in (None, ""):
        return None
    try:
        number = round(float(value))
    except ValueError:
        return None
    return number if number > 0 else None


def gold_for_document(conn, document_id: int) -> dict:
    """The gold dict of one document from its current (reviewed) rows; keys exactly as GUIDE §3."""
    fields: dict[str, list] = {"references": [], "dates": [], "amounts": [], "units": [], "persons": []}
    for kind, text, value, extra in conn.execute(
            select(MENTIONS.c.kind, MENTIONS.c.text, MENTIONS.c.value, MENTIONS.c.extra)
            .where(MENTIONS.c.document_id == document_id,
                   (MENTIONS.c.review_status.is_(None)) | (MENTIONS.c.review_status != "rejected"))
            .order_by(MENTIONS.c.start)):
        if kind == "reference" and value:
            fields["references"].append(value)
        elif kind == "date" and value and _DATE_VALUE.match(value):
            fields["dates"].append(value)
        elif kind == "amount" and (amount := _amount(value, extra)) is not None:
            fields["amounts"].append(amount)
        elif kind == "unit" and text.strip():
            fields["units"].append(text.strip())        # units are scored on the surface mention
        elif kind == "person" and (value or text).strip():
            fields["persons"].append((value or text).strip())
    labels = document_labels(conn, document_id)
    outcome = labels["outcome"]
    return {"id": _gold_id(document_id), **{k: list(dict.fromkeys(v)) for k, v in fields.items()},
            "violation_types": labels["violation_types"] if outcome in _ADVERSE else [],
            "outcome": outcome, "remedies": labels["remedies"]}


def export_gold(db: Engine | str, folder: str | Path, *, include_unfinished: bool = False) -> GoldExport:
    """Write texts/, gold/ and manifest.jsonl for every reviewed document; see the module docstring."""
    out = Path(folder)
    (out / "texts").mkdir(parents=True, exist_ok=True)
    (out / "gold").mkdir(parents=True, exist_ok=True)
    engine = make_engine(db, read_only=True) if isinstance(db, str) else db
    count = 0
    try:
        with engine.connect() as conn:
            query = (select(DOCUMENTS.c.id, DOCUMENTS.c.path, DOCUMENTS.c.sha256, DOCUMENTS.c.text)
                     .join(DOCUMENT_REVIEWS, DOCUMENT_REVIEWS.c.document_id == DOCUMENTS.c.id)
                     .where(DOCUMENTS.c.text.is_not(None)).order_by(DOCUMENTS.c.id))
            if not include_unfinished:
                query = query.where(DOCUMENT_REVIEWS.c.done)
            with (out / "manifest.jsonl").open("w", encoding="utf-8") as manifest:
                for doc in conn.execute(query).all():
                    gold = gold_for_document(conn, doc.id)
                    (out / "texts" / f"{gold['id']}.txt").write_text(doc.text, encoding="utf-8")
                    (out / "gold" / f"{gold['id']}.json").write_text(
                        json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
                    reviewers = sorted(set(conn.execute(
                        select(USERS.c.username).join(AUDIT, AUDIT.c.user_id == USERS.c.id)
                        .where(AUDIT.c.document_id == doc.id)).scalars()))
                    manifest.write(json.dumps({"id": gold["id"], "path": doc.path, "sha256": doc.sha256,
                                               "reviewers": reviewers}, ensure_ascii=False) + "\n")
                    count += 1
    finally:
        if engine is not db:
            engine.dispose()
    return GoldExport(count, out)
