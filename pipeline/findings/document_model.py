"""Document-level decision over the evidence of the findings: a small stacked model trained on the hand-labeled documents.

The sentence labels (keyword rules + sentence models) are rolled up per document (GUIDE.md §2), but a plain union
is brittle: one side mention adds an area, one sentence quoting "khởi tố" makes a whole document serious. Here every
candidate label of a document is described by a few label-agnostic numbers — how many breach findings carry it by the
rules, the sentence model's highest probability, whether the title names it, how much of the document's area
vocabulary it takes, whether the plain roll-up chose it — and one logistic regression per field (violation types,
remedies, outcome), trained on documents with hand-written gold, turns them into the document's labels. Because the
features do not name the label (apart from a weak per-label prior), what is learned about "side mentions" carries
over to labels with few training documents.

``DocumentModel.decide(evidence)`` → ``(["land"], "violation", ["recover_funds", "review_responsibility"])``.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from ..record import OUTCOMES, REMEDIES, VIOLATION_TYPES, Finding
from .cues import (COMPLIANT_CUES, REMEDY_CUES, SERIOUS_CUES, SHORTCOMING_CUES, VIOLATION_CUES,
                   VIOLATION_OUTCOME_CUES, RuleLabels, rule_outcome)

_NEGATED_BREACH = re.compile(
    r"(?<!\w)(?:không|chưa)( (phát hiện|thấy|có|xảy ra|để xảy ra|có dấu hiệu))+ (?:\w+ ){0,4}"
    r"(?:vi phạm|sai phạm|tiêu cực|sai sót|dấu hiệu)(?!\w)")
_BREACH = ("shortcoming", "violation", "serious")


@dataclass(slots=True)
class Evidence:
    """What the document-level decision reads: the labeled findings with their rule labels and sentence-model
    probabilities (rows follow `findings`; None without a sentence model), the title and the whole text."""
    text: str
    title: str
    findings: list[Finding]
    rules: list[RuleLabels]
    sections: list[str]
    violation_probs: np.ndarray | None = None
    remedy_probs: np.ndarray | None = None
    outcome_probs: np.ndarray | None = None
    rolled: tuple = field(default_factory=lambda: ([], "none", []))     # the plain roll-up


def _log(n: float) -> float:
    return math.log1p(n)


def violation_features(ev: Evidence) -> np.ndarray:
    """One row per violation type: label-agnostic evidence plus a one-hot label prior.

    ``violation_features(ev).shape`` → ``(15, 9 + 15)``.
    """
    breach = [i for i, f in enumerate(ev.findings) if f.outcome in _BREACH]
    rule_counts = np.array([sum(v in ev.rules[i].violation_types for i in breach) for v in VIOLATION_TYPES], float)
    top = rule_counts.max() if len(rule_counts) else 0.0
    title = ev.title.lower()
    doc_hits = np.array([len(VIOLATION_CUES[v].findall(ev.text.lower())) for v in VIOLATION_TYPES], float)
    doc_total = max(doc_hits.sum(), 1.0)
    rolled = set(ev.rolled[0])
    rows = np.zeros((len(VIOLATION_TYPES), 9 + len(VIOLATION_TYPES)), dtype=float)
    for j, v in enumerate(VIOLATION_TYPES):
        probs = ev.violation_probs[breach, j] if ev.violation_probs is not None and breach else np.zeros(1)
        rows[j, :9] = (
            float(v in rolled),
            float(rule_counts[j] > 0),
            rule_counts[j] / max(len(breach), 1),
            _log(rule_counts[j]),
            float(probs.max()),
            float(probs.mean()),
            float(bool(VIOLATION_CUES[v].search(title))),
            doc_hits[j] / doc_total,
            float(top > 0 and rule_counts[j] == top),
        )
        rows[j, 9 + j] = 0.5
    return rows


def remedy_features(ev: Evidence) -> np.ndarray:
    """One row per remedy: label-agnostic evidence plus a one-hot label prior.

    ``remedy_features(ev).shape`` → ``(11, 8 + 11)``.
    """
    n = len(ev.findings)
    low = ev.text.lower()
    title = ev.title.lower()
    rolled = set(ev.rolled[2])
    rows = np.zeros((len(REMEDIES), 8 + len(REMEDIES)), dtype=float)
    for j, r in enumerate(REMEDIES):
        with_rule = [i for i in range(n) if r in ev.rules[i].remedies]
        in_section = sum(ev.sections[i] == "remedy" for i in with_rule)
        probs = ev.remedy_probs[:, j] if ev.remedy_probs is not None and n else np.zeros(1)
        rows[j, :8] = (
            float(r in rolled),
            float(bool(with_rule)),
            _log(len(with_rule)),
            float(in_section > 0),
            float(probs.max()),
            _log(len(REMEDY_CUES[r].findall(low))),
            float(bool(REMEDY_CUES[r].search(title))),
            float(ev.rolled[1] in _BREACH),
        )
        rows[j, 8 + j] = 0.5
    return rows


def outcome_features(ev: Evidence) -> np.ndarray:
    """Evidence for the document's outcome: the roll-up's outcome, the share of findings per rule outcome, the
    sentence model's strongest vote per outcome, outcome cues of the title and the whole text.

    ``outcome_features(ev).shape`` → ``(27,)``.
    """
    n = len(ev.findings)
    rolled = np.zeros(len(OUTCOMES))
    rolled[OUTCOMES.index(ev.rolled[1])] = 1.0
    shares = np.zeros(len(OUTCOMES))
    for r in ev.rules:
        shares[OUTCOMES.index(r.outcome)] += 1.0 / max(n, 1)
    model = ev.outcome_probs.max(axis=0) if ev.outcome_probs is not None and n else np.zeros(len(OUTCOMES))
    title = np.zeros(len(OUTCOMES))
    title[OUTCOMES.index(rule_outcome(ev.title))] = 1.0
    low = ev.text.lower()
    cues = [_log(len(rx.findall(low))) for rx in (SERIOUS_CUES, VIOLATION_OUTCOME_CUES, SHORTCOMING_CUES,
                                                     COMPLIANT_CUES, _NEGATED_BREACH)]
    return np.concatenate([rolled, shares, model, title, cues, [_log(n), _log(len(ev.text) / 1000.0)]])


@dataclass(frozen=True, slots=True)
class DocumentModel:
    """The stacked logistic regressions (scikit-learn estimators with predict_proba) and their thresholds; a field
    without a model (None) keeps the plain roll-up, which cross-validation found better for it."""
    violation: object | None
    remedy: object | None
    outcome: object | None
    violation_threshold: float = 0.5
    remedy_threshold: float = 0.5
    remedy_keep: float = 0.0        # a remedy of the roll-up stays unless the stack gives it less than this

    def decide(self, ev: Evidence) -> tuple[list[str], str, list[str]]:
        """Document labels from the evidence; the outcome decides first (no areas without a breach, no remedies
        without a finding).

        ``DocumentModel(...).decide(ev)`` → ``(["land"], "violation", ["recover_funds"])``.
        """
        violation, outcome, remedies = list(ev.rolled[0]), ev.rolled[1], list(ev.rolled[2])
        if self.outcome is not None and ev.findings:
            probs = self.outcome.predict_proba(outcome_features(ev)[None, :])[0]
            outcome = str(self.outcome.classes_[int(np.argmax(probs))])
        if outcome not in _BREACH:
            violation = []
        elif self.violation is not None:
            pv = self.violation.predict_proba(violation_features(ev))[:, 1]
            violation = [v for v, p in zip(VIOLATION_TYPES, pv) if p >= self.violation_threshold]
            if not violation and ev.rolled[0]:
                violation = [VIOLATION_TYPES[int(np.argmax(pv))]]
        if outcome == "none":
            remedies = []
        elif self.remedy is not None:
            pr = self.remedy.predict_proba(remedy_features(ev))[:, 1]
            rolled = set(ev.rolled[2])
            remedies = [r for r, p in zip(REMEDIES, pr)
                        if p >= self.remedy_threshold or (r in rolled and p >= self.remedy_keep)]
        return violation, outcome, remedies
