"""Findings of a document and their document-level roll-up: the public API the record builder calls.

``classify_document(text, facts)`` segments the findings (``segment``), labels each one (``classify``: keyword rules
combined with the scikit-learn models), decides the document kind and relevance, and rolls the findings up
(GUIDE.md §2: violation types = union over non-compliant findings, outcome = the strongest, remedies = union).

``classify_document("THANH TRA TỈNH …\\nKẾT LUẬN THANH TRA\\n…\\nIII. KẾT LUẬN\\nUBND xã giao đất trái thẩm quyền.\\n"
"IV. KIẾN NGHỊ\\nThu hồi nộp ngân sách 300.000.000 đồng.", facts)`` →
``DocumentClassification(findings=[…2 findings…], violation_types=["land"], outcome="violation",
remedies=["recover_funds"], doc_kind="conclusion", relevant=True, model_version="clf-3f9a1c2b")``.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..doc_kind import guess_doc_kind
from ..record import OUTCOMES, REMEDIES, VIOLATION_TYPES, Finding
from .classify import Models, label_findings, label_findings_with_evidence, load_models, model_version, relevance_probability
from .cues import OUTCOME_RANK
from .document_model import Evidence
from .relevance import announces_future_check, rule_relevance
from .segment import find_finding_sections, find_findings, split_sentences

__all__ = ["DocumentClassification", "classify_document", "document_evidence", "find_findings", "label_findings", "model_version",
           "is_relevant", "has_own_inspection_findings", "split_sentences"]

# Kinds that never report findings of their own: a plan lists checks to come, a law states rules.
_NO_FINDINGS_KINDS = ("plan", "law")


class _NoFacts:
    units: tuple = ()
    amounts: tuple = ()


_NO_FACTS = _NoFacts()


@dataclass(slots=True)
class DocumentClassification:
    findings: list[Finding] = field(default_factory=list)
    violation_types: list[str] = field(default_factory=list)
    outcome: str = "none"
    remedies: list[str] = field(default_factory=list)
    doc_kind: str = "other"
    relevant: bool = False
    model_version: str = "rules"


def is_relevant(text: str, models: Models | None = None, *, kind: str | None = None,
                reports_findings: bool | None = None) -> bool:
    """Does the document report on inspection or checking at all?

    The model decides clear cases (p ≥ ``relevance``); a borderline one (p ≥ ``relevance_gate``) is relevant when the
    segmenter finds findings that carry their own inspection wording ("qua kiểm tra …", "kết luận …"). The model
    learned from news, so an official document is also relevant by its kind (a conclusion) or by the rules. Without a
    trained model the rules decide.

    ``is_relevant("Đội tuyển Việt Nam thắng Thái Lan 2-0 tối qua.")`` → ``False``.
    """
    models = models or load_models()
    kind = kind or guess_doc_kind(text)
    if kind == "conclusion" or (kind != "news" and rule_relevance(text)):
        return True
    p = relevance_probability(text, models)
    if p is None:
        return rule_relevance(text)
    if p >= models.thresholds.get("relevance", 0.5):
        return True
    if p < models.thresholds.get("relevance_gate", 1.0):
        return False
    if reports_findings is None:
        reports_findings = has_own_inspection_findings(text)
    return reports_findings


def has_own_inspection_findings(text: str, facts=None) -> bool:
    """Whether some sentence reports a result with inspection wording of its own (no help from the document).

    ``has_own_inspection_findings("Qua kiểm tra, Đoàn phát hiện 3 công chức đi muộn.")`` → ``True``.
    """
    return bool(find_findings(text, facts if facts is not None else _NO_FACTS, inspection_document=False))


def roll_up(findings: list[Finding]) -> tuple[list[str], str, list[str]]:
    """Document-level labels from the findings (GUIDE.md §2).

    ``roll_up([Finding("…", 0, 9, violation_types=["land"], outcome="violation", remedies=["recover_funds"])])`` →
    ``(["land"], "violation", ["recover_funds"])``.
    """
    violation: set[str] = set()
    remedies: set[str] = set()
    outcome = "none"
    for f in findings:
        if f.outcome not in ("none", "compliant"):
            violation.update(f.violation_types)
        remedies.update(f.remedies)
        if OUTCOME_RANK[f.outcome] > OUTCOME_RANK[outcome]:
            outcome = f.outcome
    return ([v for v in VIOLATION_TYPES if v in violation], outcome, [r for r in REMEDIES if r in remedies])


def prune_minor_areas(findings: list[Finding], min_findings: int = 2, min_share: float = 0.25) -> list[Finding]:
    """Drop an area from the findings when it is a side mention: named by one breach finding only while the main
    area of the document is named by more than four (a long article about land that mentions a school once).

    ``prune_minor_areas([land×5 findings, one finding with ["land", "sector_edu_health"]])`` → the second loses
    ``"sector_edu_health"``.
    """
    support = Counter(v for f in findings if f.outcome not in ("none", "compliant") for v in set(f.violation_types))
    if not support:
        return findings
    top = max(support.values())
    minor = {v for v, n in support.items() if n < min_findings and n < min_share * top}
    for f in findings:
        if minor.intersection(f.violation_types):
            f.violation_types = [v for v in f.violation_types if v not in minor]
    return findings


def classify_document(text: str, facts, *, model_dir: str | None = None,
                      models: Models | None = None) -> DocumentClassification:
    """Findings, their roll-up, the document kind and relevance of one normalised text.

    `model_dir` picks another set of trained classifiers (an empty folder gives the rules-only baseline); `models`
    passes loaded ones directly (training recipes score models before writing them).

    ``classify_document("Qua kiểm tra, Đoàn kiểm tra công vụ phát hiện 3 công chức đi muộn, yêu cầu UBND phường "
    "chấn chỉnh.", facts).outcome`` → ``"shortcoming"``.
    """
    models = models or (load_models(model_dir) if model_dir else load_models())
    kind = guess_doc_kind(text)
    # The relevance model learned from news; an official document is judged by its kind and by the rules too.
    relevant = is_relevant(text, models, kind=kind)
    result = DocumentClassification(doc_kind=kind, relevant=relevant, model_version=models.version)
    title = text.split("\n", 1)[0]
    if kind in _NO_FINDINGS_KINDS or not relevant or (kind == "news" and announces_future_check(title)
                                                       and not _reports_result(text)):
        return result
    evidence = document_evidence(text, facts, models)
    result.findings = evidence.findings
    if models.document is not None:
        result.violation_types, result.outcome, result.remedies = models.document.decide(evidence)
    else:
        result.violation_types, result.outcome, result.remedies = evidence.rolled
    assert result.outcome in OUTCOMES
    return result


def document_evidence(text: str, facts, models: Models | None = None) -> Evidence:
    """The labeled findings of a document (relevance aside) with what the document-level decision reads.

    ``document_evidence("Qua kiểm tra, UBND xã chi sai 5 triệu đồng.", facts).rolled`` →
    ``(["budget_finance"], "violation", [])``.
    """
    models = models or load_models()
    pairs = find_finding_sections(text, facts, inspection_document=True)
    findings = [f for f, _ in pairs]
    sections = [section for _, section in pairs]
    rules, vprobs, rprobs, oprobs = label_findings_with_evidence(findings, getattr(facts, "units", None) or (),
                                                                 models, sections)
    keep = [i for i, f in enumerate(findings) if f.outcome != "none" or f.remedies]
    kept = prune_minor_areas([findings[i] for i in keep])

    def rows(matrix):
        return None if matrix is None else matrix[keep]
    return Evidence(text=text, title=text.split("\n", 1)[0], findings=kept, rules=[rules[i] for i in keep],
                    sections=[sections[i] for i in keep], violation_probs=rows(vprobs), remedy_probs=rows(rprobs),
                    outcome_probs=rows(oprobs), rolled=roll_up(kept))


def _reports_result(text: str) -> bool:
    from .segment import _PAST_RESULT
    return bool(_PAST_RESULT.search(text.lower()))
