"""The record every document becomes (../shared/eval/GUIDE.md §1), defined once.

Every other module builds these classes and nothing else writes record JSON by hand. Offsets (`start`, `end`)
always point into the record's normalised text (`Record.text`, written with ``--with-text``).

Example: the reference in "Quyết định số 4379/QĐ-UBND ngày 10-11-2022" becomes
``Reference(id="4379/QĐ-UBND", type="Quyết định", issuer="UBND", issued_at="2022-11-10", text=..., start=0, end=42)``.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

SCHEMA = "thanhtra.record/1"

DOC_KINDS = ("news", "conclusion", "decision", "plan", "letter", "report", "law", "other")
OUTCOMES = ("none", "compliant", "shortcoming", "violation", "serious")
VIOLATION_TYPES = (
    "land", "construction_planning", "investment_project", "procurement", "budget_finance", "public_asset",
    "admin_procedure", "service_discipline", "citizen_complaints", "personnel", "anti_corruption",
    "environment_resources", "sector_edu_health", "ops_infra_it", "other",
)
REMEDIES = (
    "recover_funds", "recover_land_asset", "adjust_accounts", "admin_fine", "review_responsibility", "discipline",
    "party_action", "criminal_referral", "correct_practice", "policy_fix", "verify_monitor",
)
UNIT_KINDS = (
    "ministry", "government", "legislature", "department", "peoples_committee", "peoples_council", "inspectorate",
    "inspection_team", "public_service_unit", "enterprise", "party", "court_procuracy", "police", "office",
    "division", "association", "other",
)
DATE_PRECISIONS = ("day", "month", "quarter", "year")


def _compact(obj: Any) -> Any:
    """asdict without None values, so records stay small and optional fields stay optional."""
    if isinstance(obj, dict):
        return {k: _compact(v) for k, v in obj.items() if v is not None}
    if isinstance(obj, list):
        return [_compact(v) for v in obj]
    return obj


@dataclass(slots=True)
class Span:
    """A stretch of the normalised text: what every extracted item carries."""
    text: str
    start: int
    end: int


@dataclass(slots=True)
class Reference(Span):
    id: str = ""
    type: str | None = None          # "Quyết định", "Kết luận", "Công văn", ...
    issuer: str | None = None        # issuing-body code from the symbol: "UBND", "SNV", "TTCP"
    year: int | None = None          # from a normative symbol (86/2011/NĐ-CP) or a number/year form
    issued_at: str | None = None     # from "ngày …" right after the reference
    style: str | None = None         # administrative, letter, normative, party, number_year


@dataclass(slots=True)
class DateMention(Span):
    value: str = ""                  # YYYY-MM-DD, YYYY-MM, YYYY-Qn, YYYY, or --MM-DD when no year is fixed
    precision: str = "day"
    role: str | None = None          # issued (the document's own date line), published, range_start, range_end


@dataclass(slots=True)
class Amount(Span):
    value: int | float = 0
    currency: str = "VND"
    qualifier: str | None = None     # more_than, less_than, almost, about, up_to


@dataclass(slots=True)
class Unit(Span):
    name: str = ""
    kind: str = "other"
    locality: str | None = None
    successor: str | None = None     # the body that took over after the 2025 reorganisation, where known
    source: str | None = None        # rules, model, position


@dataclass(slots=True)
class Person(Span):
    name: str = ""
    position: str | None = None
    unit: str | None = None


@dataclass(slots=True)
class Finding(Span):
    violation_types: list[str] = field(default_factory=list)
    outcome: str = "none"
    remedies: list[str] = field(default_factory=list)
    score: float = 0.0
    unit: str | None = None
    amounts: list[int] = field(default_factory=list)


@dataclass(slots=True)
class Source:
    path: str
    sha256: str | None = None
    format: str | None = None        # pdf, docx, doc, html, text
    pages: int | None = None
    size: int | None = None
    encoding: str | None = None      # for text input: utf-8, utf-16, cp1258, tcvn3, vni
    ocr_pages: list[int] | None = None
    ocr_confidence: float | None = None


@dataclass(slots=True)
class Meta:
    title: str | None = None
    doc_kind: str | None = None
    number: str | None = None
    issued_at: str | None = None
    place: str | None = None
    published_at: str | None = None
    relevant: bool | None = None     # does the document report on inspection or checking at all?


@dataclass(slots=True)
class ErrorInfo:
    kind: str                        # empty, corrupt, encrypted, too_large, not_found, permission, unsupported, ...
    message: str


@dataclass(slots=True)
class Record:
    source: Source
    meta: Meta = field(default_factory=Meta)
    references: list[Reference] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    violation_types: list[str] = field(default_factory=list)
    outcome: str = "none"
    remedies: list[str] = field(default_factory=list)
    pipeline_version: str | None = None
    model_version: str | None = None
    page_offsets: list[int] | None = None   # start offset of each page in `text`
    tables: list[list[list[str]]] | None = None
    text: str | None = None
    error: ErrorInfo | None = None
    schema: str = SCHEMA

    def to_dict(self, with_text: bool = False) -> dict[str, Any]:
        d = _compact(asdict(self))
        if not with_text:
            d.pop("text", None)
        # schema first, as in GUIDE.md: readers eyeball JSONL files.
        return {"schema": d.pop("schema")} | d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Record":
        def build(klass, items):
            names = {f.name for f in fields(klass)}
            return [klass(**{k: v for k, v in it.items() if k in names}) for it in items or []]

        src_names = {f.name for f in fields(Source)}
        meta_names = {f.name for f in fields(Meta)}
        err = d.get("error")
        return cls(
            source=Source(**{k: v for k, v in (d.get("source") or {}).items() if k in src_names}),
            meta=Meta(**{k: v for k, v in (d.get("meta") or {}).items() if k in meta_names}),
            references=build(Reference, d.get("references")),
            dates=build(DateMention, d.get("dates")),
            amounts=build(Amount, d.get("amounts")),
            units=build(Unit, d.get("units")),
            persons=build(Person, d.get("persons")),
            findings=build(Finding, d.get("findings")),
            violation_types=list(d.get("violation_types") or []),
            outcome=d.get("outcome") or "none",
            remedies=list(d.get("remedies") or []),
            pipeline_version=d.get("pipeline_version"),
            model_version=d.get("model_version"),
            page_offsets=d.get("page_offsets"),
            tables=d.get("tables"),
            text=d.get("text"),
            error=ErrorInfo(**err) if err else None,
            schema=d.get("schema", SCHEMA),
        )
