"""Label Studio interoperability: pre-annotated tasks out, completed annotations back in as reviews.

``export_tasks("sqlite:///data/thanhtra.sqlite", "ls/")`` → ``[ls/tasks.json, ls/config.xml]``; each task is
``{"id": 12, "data": {"text": "…", "document_id": 12, "path": "…"}, "predictions": [{"model_version": "…",
"score": 0.41, "result": [{"id": "m88", "from_name": "label", "to_name": "text", "type": "labels", "score": 1.0,
"value": {"start": 40, "end": 56, "text": "Sở Nội vụ Hà Nam", "labels": ["Unit"]}}, …]}]}``. Findings are
``Finding`` regions with per-region ``choices`` (violation_type, outcome, remedy); the document roll-up is
task-level ``choices``. ``import_annotations(url, "ls/export.json", default_reviewer="lan")`` turns every completed
annotation into review actions (accept, reject, relabel, add, finding edits) by its annotator, audited as usual.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable
from xml.sax.saxutils import quoteattr

from sqlalchemy import Engine, select

from pipeline.db import make_engine, upgrade
from pipeline.db.load import DOCUMENTS, FINDINGS, MENTIONS
from pipeline.record import OUTCOMES, REMEDIES, VIOLATION_TYPES

from . import actions
from .models import USERS

LABELS = {"reference": "Reference", "date": "Date", "amount": "Amount", "unit": "Unit", "person": "Person"}
KINDS = {label: kind for kind, label in LABELS.items()}
FINDING_LABEL = "Finding"
_RULE_SCORE = 1.0          # rule-based spans carry no probability; Label Studio sorts by score, so they sort last


def labeling_config() -> str:
    """The Label Studio labeling config (XML) the exported tasks are written for."""
    def choices(name: str, values: Iterable[str], multiple: bool, per_region: bool) -> str:
        region = ' perRegion="true" visibleWhen="region-selected" whenLabelValue="Finding"' if per_region else ""
        items = "".join(f"<Choice value={quoteattr(v)}/>" for v in values)
        kind = "multiple" if multiple else "single"
        return f'  <Choices name="{name}" toName="text" choice="{kind}"{region}>{items}</Choices>\n'

    labels = "".join(f'<Label value="{v}"/>' for v in (*LABELS.values(), FINDING_LABEL))
    return ('<View>\n'
            f'  <Labels name="label" toName="text">{labels}</Labels>\n'
            '  <Text name="text" value="$text"/>\n'
            '  <TextArea name="value" toName="text" perRegion="true" editable="true" maxSubmissions="1"/>\n'
            + choices("violation_type", VIOLATION_TYPES, True, True) + choices("outcome", OUTCOMES, False, True)
            + choices("remedy", REMEDIES, True, True)
            + choices("doc_violation_types", VIOLATION_TYPES, True, False)
            + choices("doc_outcome", OUTCOMES, False, False) + choices("doc_remedies", REMEDIES, True, False)
            + '</View>\n')


def _region(region_id: str, start: int, end: int, text: str) -> dict[str, Any]:
    return {"id": region_id, "to_name": "text", "value": {"start": start, "end": end, "text": text}}


def task_for_document(conn, doc) -> dict[str, Any]:
    """One Label Studio task (with its prediction) for a ``documents`` row; see the module docstring."""
    result: list[dict[str, Any]] = []
    scores: list[float] = []
    for m in conn.execute(select(MENTIONS).where(MENTIONS.c.document_id == doc.id,
                                                 (MENTIONS.c.review_status.is_(None))
                                                 | (MENTIONS.c.review_status != "rejected"))
                          .order_by(MENTIONS.c.start)):
        score = float((m.extra or {}).get("score", _RULE_SCORE))
        scores.append(score)
        base = _region(f"m{m.id}", m.start, m.end, m.text)
        result.append(base | {"from_name": "label", "type": "labels", "score": score,
                              "value": base["value"] | {"labels": [LABELS[m.kind]]}})
        if m.value is not None:
            result.append(base | {"from_name": "value", "type": "textarea",
                                  "value": base["value"] | {"text": [m.value]}})
    findings = conn.execute(select(FINDINGS).where(FINDINGS.c.document_id == doc.id,
                                                   (FINDINGS.c.review_status.is_(None))
                                                   | (FINDINGS.c.review_status != "rejected"))
                            .order_by(FINDINGS.c.start)).all()
    labels = actions.finding_labels(conn, [f.id for f in findings])
    for f in findings:
        score = float(f.score) if f.score is not None else 0.0
        scores.append(score)
        base = _region(f"f{f.id}", f.start, f.end, f.text)
        result.append(base | {"from_name": "label", "type": "labels", "score": score,
                              "value": base["value"] | {"labels": [FINDING_LABEL]}})
        for name, values in (("violation_type", labels[f.id]["violation_type"]), ("outcome", [f.outcome]),
                             ("remedy", labels[f.id]["remedy"])):
            result.append(base | {"from_name": name, "type": "choices", "value": base["value"] | {"choices": values}})
    roll_up = actions.document_labels(conn, doc.id)
    for name, values in (("doc_violation_types", roll_up["violation_types"]), ("doc_outcome", [roll_up["outcome"]]),
                         ("doc_remedies", roll_up["remedies"])):
        result.append({"id": name, "from_name": name, "to_name": "text", "type": "choices",
                       "value": {"choices": values}})
    return {"id": doc.id, "data": {"text": doc.text, "document_id": doc.id, "path": doc.path},
            "predictions": [{"model_version": doc.model_version or "rules", "result": result,
                             "score": min(scores) if scores else 0.0}]}


def export_tasks(db: Engine | str, folder: str | Path, document_ids: Iterable[int] | None = None) -> list[Path]:
    """Write ``tasks.json`` (all documents with text, or only ``document_ids``) and ``config.xml``."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    engine = make_engine(db, read_only=True) if isinstance(db, str) else db
    try:
        with engine.connect() as conn:
            query = (select(DOCUMENTS.c.id, DOCUMENTS.c.text, DOCUMENTS.c.path, DOCUMENTS.c.model_version)
                     .where(DOCUMENTS.c.text.is_not(None), DOCUMENTS.c.status == "ok").order_by(DOCUMENTS.c.id))
            if document_ids is not None:
                query = query.where(DOCUMENTS.c.id.in_(list(document_ids)))
            tasks = [task_for_document(conn, doc) for doc in conn.execute(query).all()]
    finally:
        if engine is not db:
            engine.dispose()
    (out / "tasks.json").write_text(json.dumps(tasks, ensure_ascii=False, indent=1), encoding="utf-8")
    (out / "config.xml").write_text(labeling_config(), encoding="utf-8")
    return [out / "tasks.json", out / "config.xml"]


@dataclass(slots=True)
class ImportStats:
    annotations: int = 0
    accepted: int = 0
    rejected: int = 0
    relabelled: int = 0
    added: int = 0
    findings_edited: int = 0
    skipped: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Region:
    start: int
    end: int
    label: str | None = None
    value: str | None = None
    choices: dict[str, list[str]] = field(default_factory=dict)


def _regions(result: list[dict]) -> tuple[dict[str, _Region], dict[str, list[str]]]:
    regions: dict[str, _Region] = {}
    document_choices: dict[str, list[str]] = {}
    for item in result:
        value = item.get("value") or {}
        name = item.get("from_name")
        if name in ("doc_violation_types", "doc_outcome", "doc_remedies"):
            document_choices[name] = list(value.get("choices") or [])
            continue
        if "start" not in value or "end" not in value:
            continue
        region = regions.setdefault(str(item.get("id")), _Region(int(value["start"]), int(value["end"])))
        if item.get("type") == "labels" and value.get("labels"):
            region.label = value["labels"][0]
        elif item.get("type") == "textarea" and value.get("text"):
            region.value = str(value["text"][0]).strip()
        elif item.get("type") == "choices":
            region.choices[name] = list(value.get("choices") or [])
    return regions, document_choices


def _annotator(annotation: dict) -> str | None:
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        who = who.get("username") or who.get("email")
    return who if isinstance(who, str) else None


def _user_id(conn, username: str | None) -> int | None:
    if not username:
        return None
    names = {username, username.split("@", 1)[0]}
    return conn.execute(select(USERS.c.id).where(USERS.c.username.in_(names)).order_by(USERS.c.id)).scalar()


def _apply_annotation(conn, user_id: int, document_id: int, result: list[dict], predicted: dict[str, list[str]],
                      stats: ImportStats) -> None:
    regions, document_choices = _regions(result)
    # Document choices the annotator left as predicted must not undo the roll-up of the findings they edited.
    document_choices = {k: v for k, v in document_choices.items() if sorted(v) != sorted(predicted.get(k, ()))}
    pool = {m.id: m for m in conn.execute(select(MENTIONS).where(
        MENTIONS.c.document_id == document_id,
        (MENTIONS.c.review_status.is_(None)) | (MENTIONS.c.review_status != "rejected")))}
    findings = {f.id: f for f in conn.execute(select(FINDINGS).where(
        FINDINGS.c.document_id == document_id,
        (FINDINGS.c.review_status.is_(None)) | (FINDINGS.c.review_status != "rejected")))}
    seen_findings: set[int] = set()
    for region_id, region in regions.items():
        if region.label == FINDING_LABEL:
            fid = int(region_id[1:]) if region_id[:1] == "f" and region_id[1:].isdigit() else None
            if fid not in findings:
                stats.skipped.append(f"document {document_id}: new finding {region.start}–{region.end} not imported")
                continue
            seen_findings.add(fid)
            current = actions.finding_labels(conn, [fid])[fid]
            outcome = (region.choices.get("outcome") or [findings[fid].outcome])[0]
            types = region.choices.get("violation_type", current["violation_type"])
            remedies = region.choices.get("remedy", current["remedy"])
            if (outcome, sorted(types), sorted(remedies)) == (findings[fid].outcome, current["violation_type"],
                                                               current["remedy"]):
                actions.edit_finding(conn, user_id, fid, "accept")
                stats.accepted += 1
            else:
                actions.edit_finding(conn, user_id, fid, "edit", outcome=outcome, violation_types=types,
                                     remedies=remedies)
                stats.findings_edited += 1
            continue
        kind = KINDS.get(region.label or "")
        if kind is None:
            continue
        same_span = [m for m in pool.values() if (m.start, m.end) == (region.start, region.end)]
        own = next((m for m in same_span if m.kind == kind), None)
        by_id = pool.get(int(region_id[1:])) if region_id[:1] == "m" and region_id[1:].isdigit() else None
        target = own or (by_id if by_id in same_span else None) or (same_span[0] if same_span else None)
        try:
            if target is None:
                actions.add_mention(conn, user_id, document_id, kind, region.start, region.end, region.value)
                stats.added += 1
                continue
            pool.pop(target.id)
            if target.kind == kind and region.value in (None, target.value):
                actions.judge_mention(conn, user_id, target.id, "accept")
                stats.accepted += 1
            else:
                actions.judge_mention(conn, user_id, target.id, "relabel", kind=kind, value=region.value)
                stats.relabelled += 1
        except actions.ReviewError as exc:
            stats.skipped.append(f"document {document_id}, region {region_id}: {exc}")
    for mention in pool.values():                       # predicted, but the annotator deleted the region
        actions.judge_mention(conn, user_id, mention.id, "reject")
        stats.rejected += 1
    for fid in findings.keys() - seen_findings:
        actions.edit_finding(conn, user_id, fid, "reject")
        stats.rejected += 1
    if document_choices:
        labels = actions.document_labels(conn, document_id)
        wanted = {"outcome": (document_choices.get("doc_outcome") or [labels["outcome"]])[0],
                  "violation_types": document_choices.get("doc_violation_types", labels["violation_types"]),
                  "remedies": document_choices.get("doc_remedies", labels["remedies"])}
        if (wanted["outcome"], sorted(wanted["violation_types"]), sorted(wanted["remedies"])) != (
                labels["outcome"], labels["violation_types"], labels["remedies"]):
            actions.edit_document_labels(conn, user_id, document_id, **wanted)
    actions.finish_document(conn, user_id, document_id)


def import_annotations(db: Engine | str, export_file: str | Path, default_reviewer: str) -> ImportStats:
    """Apply the completed annotations of a Label Studio JSON export as reviews. Each annotation is applied by the
    steward whose username (or e-mail name) matches its annotator, else by ``default_reviewer``; a document's
    annotations are applied in order, each in its own transaction, and the document is marked reviewed.
    ``import_annotations(url, "project-3-at-2025-06-01.json", "lan")`` → ``ImportStats(annotations=14, …)``."""
    tasks = json.loads(Path(export_file).read_text(encoding="utf-8"))
    engine = make_engine(db)
    stats = ImportStats()
    try:
        upgrade(engine)
        with engine.connect() as conn:
            fallback = _user_id(conn, default_reviewer)
        if fallback is None:
            raise ValueError(f"no steward {default_reviewer!r}: add one with `thanhtra users add`")
        for task in tasks if isinstance(tasks, list) else [tasks]:
            document_id = int((task.get("data") or {}).get("document_id") or task.get("id"))
            predictions = task.get("predictions") or [{}]
            predicted = _regions(predictions[0].get("result") or [])[1]
            for annotation in task.get("annotations") or ():
                if annotation.get("was_cancelled") or not annotation.get("result"):
                    continue
                with engine.begin() as conn:
                    if conn.execute(select(DOCUMENTS.c.id).where(DOCUMENTS.c.id == document_id)).scalar() is None:
                        stats.skipped.append(f"document {document_id} is not in the database")
                        break
                    user_id = _user_id(conn, _annotator(annotation)) or fallback
                    _apply_annotation(conn, user_id, document_id, annotation["result"], predicted, stats)
                stats.annotations += 1
    finally:
        if engine is not db:
            engine.dispose()
    return stats
