"""Labels for each finding: keyword rules combined with the trained scikit-learn models in models/classifiers/.

The models are loaded once (lru_cache) and offline. A rule label is kept when the model does not clearly reject it and a
model label is added when the model is confident; the thresholds were chosen on cross-validation and are stored with
the models (``thresholds.json``). Without model files the rules alone decide and ``model_version()`` says "rules".

``label_findings([Finding(text="Qua kiểm tra phát hiện chi sai 120 triệu đồng, kiến nghị thu hồi.", start=0, end=64)])``
→ the same Finding with ``violation_types=["budget_finance"], outcome="violation", remedies=["recover_funds"],
score=0.87``.
"""
from __future__ import annotations

import hashlib
import json
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..record import OUTCOMES, REMEDIES, VIOLATION_TYPES, Finding
from .cues import rule_labels

MODEL_DIR = Path(__file__).resolve().parents[2] / "models" / "classifiers"
# relevance.joblib: a pipeline over document text; finding.joblib: one shared vectorizer and three classifiers;
# document.joblib: the stacked document-level decision (document_model.DocumentModel).
ARTIFACTS = ("relevance.joblib", "finding.joblib", "document.joblib")
# Used when thresholds.json is absent: keep a rule label unless p < KEEP, add a model label when p >= ADD.
DEFAULT_THRESHOLDS = {"violation_keep": 0.15, "violation_add": 0.7, "remedy_keep": 0.15, "remedy_add": 0.7,
                      "relevance": 0.5}


@dataclass(frozen=True, slots=True)
class Models:
    relevance: object | None
    vectorizer: object | None
    violation: object | None
    outcome: object | None
    remedy: object | None
    thresholds: dict
    version: str
    document: object | None = None


@lru_cache(maxsize=4)
def load_models(model_dir: str = str(MODEL_DIR)) -> Models:
    """The trained pipelines of `model_dir` (missing files → None), with their thresholds and version id.

    ``load_models().version`` → ``"clf-3f9a1c2b"`` (or ``"rules"`` when no model has been trained).
    """
    import joblib

    folder = Path(model_dir)
    loaded = {}
    digest = hashlib.sha256()
    for name in ARTIFACTS:
        path = folder / name
        if path.exists():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                loaded[name] = joblib.load(path)
            digest.update(path.read_bytes())
        else:
            loaded[name] = None
    thresholds = dict(DEFAULT_THRESHOLDS)
    if (folder / "thresholds.json").exists():
        thresholds.update(json.loads((folder / "thresholds.json").read_text(encoding="utf-8")))
    version = f"clf-{digest.hexdigest()[:8]}" if any(loaded.values()) else "rules"
    finding = loaded["finding.joblib"] or {}
    return Models(loaded["relevance.joblib"], finding.get("vectorizer"), finding.get("violation"),
                  finding.get("outcome"), finding.get("remedy"), thresholds, version, loaded["document.joblib"])


def model_version() -> str:
    """Short id of the classifier artifacts every record carries.

    ``model_version()`` → ``"clf-3f9a1c2b"``.
    """
    return load_models().version


def relevance_probability(text: str, models: Models | None = None) -> float | None:
    """P(the document reports on inspection or checking), from the relevance model; None without a model.

    ``relevance_probability("Qua thanh tra, Thanh tra tỉnh phát hiện nhiều sai phạm …")`` → ``0.97``.
    """
    model = (models or load_models()).relevance
    if model is None:
        return None
    return float(model.predict_proba([relevance_input(text)])[0, 1])


def relevance_input(text: str) -> str:
    """What the relevance model reads: the first line (the title, said three times because it names the topic) and
    the first 3,000 characters.

    ``relevance_input("Thanh tra Sở Y tế\nNội dung …")`` → ``"Thanh tra Sở Y tế\nThanh tra Sở Y tế\nThanh tra Sở Y tế\nThanh tra Sở Y tế\nNội dung …"``.
    """
    title = text.split("\n", 1)[0][:300]
    return (title + "\n") * 3 + text[:3000]


def _multilabel_probabilities(model, features, n: int, labels: tuple[str, ...]) -> np.ndarray:
    """Probabilities per label in `labels` order; a label the model never saw gets 0.5 (no opinion)."""
    out = np.full((n, len(labels)), 0.5, dtype=float)
    if model is None or not n:
        return out
    probs = model.predict_proba(features)
    classes = list(model.label_names_)
    for j, label in enumerate(classes):
        if label in labels:
            out[:, labels.index(label)] = probs[:, j]
    return out


def _combine(rule_set: set[str], probs: np.ndarray, labels: tuple[str, ...], keep: float, add: float,
             have_model: bool) -> tuple[list[str], float]:
    """Rule labels the model does not reject, plus labels the model is sure of; with the confidence of that set."""
    chosen = []
    confidence = 1.0
    for j, label in enumerate(labels):
        p = probs[j]
        on = (label in rule_set and (not have_model or p >= keep)) or (have_model and p >= add)
        if on:
            chosen.append(label)
        if have_model:
            confidence = min(confidence, p if on else 1.0 - p)
    return chosen, confidence


def mask_units(finding: Finding, units) -> str:
    """The finding's text with the unit names inside it blanked: "Sở Tài nguyên và Môi trường" names who was
    checked, not an environmental breach.

    ``mask_units(Finding(text="Sở Y tế chi sai 5 triệu", start=0, end=23), [Unit(text="Sở Y tế", start=0, end=7)])``
    → ``"đơn vị chi sai 5 triệu"``.
    """
    text = finding.text
    pieces = []
    pos = 0
    for u in units:
        a, b = u.start - finding.start, u.end - finding.start
        if a < pos or b > len(text):
            continue
        pieces.append(text[pos:a])
        pieces.append("đơn vị")
        pos = b
    pieces.append(text[pos:])
    return "".join(pieces)


def label_findings(findings: list[Finding], units=(), models: Models | None = None,
                   sections: list[str] | None = None) -> list[Finding]:
    """Fill violation_types, outcome, remedies and score of each finding in place; returns the same list.
    `units` (facts.units) are blanked before areas are read; `sections` (from ``segment.find_finding_sections``)
    tell which findings stand in a recommendation section.

    ``label_findings([Finding(text="Kiến nghị kiểm điểm, rút kinh nghiệm đối với Chủ tịch UBND xã.", start=0, end=62)])``
    → ``[Finding(…, violation_types=[], outcome="none", remedies=["review_responsibility"], score=0.9)]``.
    """
    label_findings_with_evidence(findings, units, models, sections)
    return findings


def label_findings_with_evidence(findings: list[Finding], units=(), models: Models | None = None,
                                 sections: list[str] | None = None):
    """``label_findings`` that also returns what the document-level decision reads: the rule labels of each finding
    and the sentence models' probabilities (violation types, remedies, outcomes; rows follow `findings`, None
    without a model).

    ``label_findings_with_evidence([Finding(text="Chi sai 5 triệu đồng.", start=0, end=21)])[0][0].outcome`` →
    ``"violation"``.
    """
    models = models or load_models()
    if not findings:
        return [], None, None, None
    th = models.thresholds
    ordered = sorted(units, key=lambda u: u.start)
    texts = [mask_units(f, [u for u in ordered if f.start <= u.start and u.end <= f.end]) for f in findings]
    features = models.vectorizer.transform(texts) if models.vectorizer is not None else None
    n = len(texts)
    vprobs = _multilabel_probabilities(models.violation, features, n, VIOLATION_TYPES)
    rprobs = _multilabel_probabilities(models.remedy, features, n, REMEDIES)
    oprobs = _multilabel_probabilities(models.outcome, features, n, OUTCOMES) if models.outcome is not None else None
    all_rules = []
    for i, finding in enumerate(findings):
        rules = rule_labels(finding.text, masked=texts[i], directed=bool(sections) and sections[i] == "remedy")
        all_rules.append(rules)
        outcome = rules.outcome
        outcome_conf = 0.6
        if oprobs is not None:
            row = oprobs[i]
            model_outcome = OUTCOMES[int(np.argmax(row))]
            if outcome == "none" and model_outcome != "none" and row.max() >= th.get("outcome_add", 0.8):
                outcome = model_outcome
            outcome_conf = float(row[OUTCOMES.index(outcome)])
        violation, vconf = _combine(rules.violation_types, vprobs[i], VIOLATION_TYPES, th["violation_keep"],
                                    th["violation_add"], models.violation is not None)
        remedies, rconf = _combine(rules.remedies, rprobs[i], REMEDIES, th["remedy_keep"], th["remedy_add"],
                                   models.remedy is not None)
        finding.violation_types = violation if outcome not in ("none", "compliant") else []
        finding.outcome = outcome
        finding.remedies = remedies
        finding.score = round(float((max(outcome_conf, 1e-3) * max(vconf, 1e-3) * max(rconf, 1e-3)) ** (1 / 3)), 4)
    have = models.vectorizer is not None
    return (all_rules, vprobs if have and models.violation is not None else None,
            rprobs if have and models.remedy is not None else None, oprobs)
