"""A static, self-contained HTML report over the database: totals, charts and the citation graph, drawn as inline SVG.

``build_report("sqlite:///data/thanhtra.sqlite", "out/report.html")`` → ``Path("out/report.html")``, a single file
with no scripts, fonts or images fetched from anywhere; every string from the documents is HTML-escaped.
"""
from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import Engine, distinct, func, select

from . import __version__
from .db import make_engine
from .db.load import DOCUMENT_LABELS, DOCUMENTS, FINDING_LABELS, FINDINGS, MENTIONS, RUNS

TEMPLATES = Path(__file__).resolve().parent / "templates"
_ENV = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(("html", "j2")),
                   trim_blocks=True, lstrip_blocks=True)
_NOT_REJECTED_MENTION = MENTIONS.c.review_status.is_distinct_from("rejected")
_NOT_REJECTED_FINDING = FINDINGS.c.review_status.is_distinct_from("rejected")
TOP_REFERENCES = 50
TOP_CITING_DOCUMENTS = 120


@dataclass(slots=True)
class Bar:
    label: str
    value: float
    length: float        # pixels
    display: str


def bars(counts: list[tuple[str, float]], max_length: float = 420.0) -> list[Bar]:
    """Scale (label, value) pairs to bar lengths: ``bars([("land", 4), ("procurement", 2)])`` →
    ``[Bar("land", 4, 420.0, "4"), Bar("procurement", 2, 210.0, "2")]``."""
    top = max((v for _, v in counts), default=0) or 1
    return [Bar(str(label), v, max(1.0, v / top * max_length) if v else 0.0, f"{v:,.0f}".translate(_VN_DIGITS))
            for label, v in counts]


def _vnd(value: int) -> str:
    """Vietnamese number style (``.`` groups thousands, ``,`` marks decimals): ``_vnd(1_600_000_000)`` → ``"1,60 tỷ đồng"``."""
    if value >= 1_000_000_000:
        shown = f"{value / 1_000_000_000:,.2f} tỷ đồng"
    elif value >= 1_000_000:
        shown = f"{value / 1_000_000:,.1f} triệu đồng"
    else:
        shown = f"{value:,} đồng"
    return shown.translate(_VN_DIGITS)


_VN_DIGITS = str.maketrans({",": ".", ".": ","})


def _counts(conn, query) -> list[tuple[str, int]]:
    return [(label if label is not None else "(none)", n) for label, n in conn.execute(query)]


def _month(value: str | None) -> str | None:
    return value[:7] if value and len(value) >= 7 and value[:4].isdigit() and value[5:7].isdigit() else None


def _months(conn) -> list[tuple[str, int, int]]:
    """(YYYY-MM, documents, findings) by the document's issue date, else its publication date."""
    month_of = {doc_id: _month(issued) or _month(published) for doc_id, issued, published in
                conn.execute(select(DOCUMENTS.c.id, DOCUMENTS.c.issued_at, DOCUMENTS.c.published_at))}
    docs = Counter(m for m in month_of.values() if m)
    findings = Counter()
    for doc_id, n in conn.execute(select(FINDINGS.c.document_id, func.count()).where(_NOT_REJECTED_FINDING)
                                  .group_by(FINDINGS.c.document_id)):
        if month_of.get(doc_id):
            findings[month_of[doc_id]] += n
    return [(m, docs[m], findings[m]) for m in sorted(docs)]


def _amounts(conn, titles: dict[int, str]) -> tuple[int, list[tuple[str, int]]]:
    """Per document the sum of its distinct amounts (a figure repeated in a text counts once)."""
    per_doc: dict[int, set[int]] = defaultdict(set)
    for doc_id, value in conn.execute(select(MENTIONS.c.document_id, MENTIONS.c.value)
                                      .where(MENTIONS.c.kind == "amount", _NOT_REJECTED_MENTION)):
        try:
            per_doc[doc_id].add(int(float(value)))
        except (TypeError, ValueError):
            continue
    sums = sorted(((sum(v), doc_id) for doc_id, v in per_doc.items()), reverse=True)
    return sum(s for s, _ in sums), [(titles.get(doc_id) or f"#{doc_id}", s) for s, doc_id in sums[:15]]


def citation_graph(pairs: list[tuple[str, int]], titles: dict[int, str], size: float = 760.0) -> dict:
    """Lay out references (inner ring) and the documents citing them (outer ring) as SVG coordinates.

    ``citation_graph([("4379/QĐ-UBND", 1), ("4379/QĐ-UBND", 2)], {1: "Kết luận thanh tra …", 2: "Tin …"})`` →
    ``{"refs": [{"label": "4379/QĐ-UBND", "x": …, "y": …, "r": …, "count": 2}], "docs": [...], "edges": [...]}``.
    Documents sit at the mean angle of what they cite, so edges stay short and crossings few.
    """
    citing: dict[str, set[int]] = defaultdict(set)
    for ref, doc_id in pairs:
        citing[ref].add(doc_id)
    top = sorted(citing, key=lambda r: (-len(citing[r]), r))[:TOP_REFERENCES]
    centre, inner, outer = size / 2, size * 0.24, size * 0.44
    ref_angle = {ref: 2 * math.pi * i / max(1, len(top)) for i, ref in enumerate(top)}
    doc_refs: dict[int, list[str]] = defaultdict(list)
    for ref in top:
        for doc_id in citing[ref]:
            doc_refs[doc_id].append(ref)
    docs = sorted(doc_refs, key=lambda d: (-len(doc_refs[d]), d))[:TOP_CITING_DOCUMENTS]

    def mean_angle(refs: list[str]) -> float:
        return math.atan2(sum(math.sin(ref_angle[r]) for r in refs), sum(math.cos(ref_angle[r]) for r in refs)) % (2 * math.pi)
    # Order documents by preferred angle, then spread them evenly so labels and dots never sit on each other.
    docs.sort(key=lambda d: mean_angle(doc_refs[d]))
    doc_angle = {d: 2 * math.pi * i / max(1, len(docs)) for i, d in enumerate(docs)}
    point = lambda angle, radius: (round(centre + radius * math.cos(angle), 1), round(centre + radius * math.sin(angle), 1))  # noqa: E731
    most = max((len(citing[r]) for r in top), default=1)
    refs_out = [{"label": ref, "count": len(citing[ref]), "r": round(3 + 7 * len(citing[ref]) / most, 1),
                 "xy": point(ref_angle[ref], inner)} for ref in top]
    docs_out = [{"label": titles.get(d) or f"#{d}", "xy": point(doc_angle[d], outer)} for d in docs]
    ref_xy = {r["label"]: r["xy"] for r in refs_out}
    edges = [(point(doc_angle[d], outer), ref_xy[ref]) for d in docs for ref in doc_refs[d]]
    table = [{"ref": ref, "count": len(citing[ref]),
              "documents": sorted(titles.get(d) or f"#{d}" for d in citing[ref])[:8]} for ref in top]
    return {"size": size, "refs": refs_out, "docs": docs_out, "edges": edges, "table": table}


def report_data(conn) -> dict:
    """Everything the template shows, queried once."""
    titles = {doc_id: (title or path.rsplit("/", 1)[-1])[:120]
              for doc_id, title, path in conn.execute(select(DOCUMENTS.c.id, DOCUMENTS.c.title, DOCUMENTS.c.path))}
    status = dict(_counts(conn, select(DOCUMENTS.c.status, func.count()).group_by(DOCUMENTS.c.status)))
    mentions = dict(_counts(conn, select(MENTIONS.c.kind, func.count()).where(_NOT_REJECTED_MENTION)
                            .group_by(MENTIONS.c.kind)))
    n_findings = conn.execute(select(func.count()).select_from(FINDINGS).where(_NOT_REJECTED_FINDING)).scalar() or 0
    by_label = lambda kind: (select(FINDING_LABELS.c.label, func.count())  # noqa: E731
                             .join(FINDINGS, FINDINGS.c.id == FINDING_LABELS.c.finding_id)
                             .where(FINDING_LABELS.c.label_kind == kind, _NOT_REJECTED_FINDING)
                             .group_by(FINDING_LABELS.c.label).order_by(func.count().desc(), FINDING_LABELS.c.label))
    doc_label = lambda kind: (select(DOCUMENT_LABELS.c.label, func.count(distinct(DOCUMENT_LABELS.c.document_id)))  # noqa: E731
                              .where(DOCUMENT_LABELS.c.kind == kind).group_by(DOCUMENT_LABELS.c.label)
                              .order_by(func.count(distinct(DOCUMENT_LABELS.c.document_id)).desc(),
                                        DOCUMENT_LABELS.c.label))
    units = _counts(conn, select(FINDINGS.c.unit, func.count()).where(FINDINGS.c.unit.is_not(None), _NOT_REJECTED_FINDING)
                    .group_by(FINDINGS.c.unit).order_by(func.count().desc(), FINDINGS.c.unit).limit(20))
    units_caption = "findings per inspected unit"
    if not units:
        units_caption = "documents naming each unit (no finding names a unit yet)"
        n_docs = func.count(distinct(MENTIONS.c.document_id))
        units = _counts(conn, select(MENTIONS.c.value, n_docs).where(MENTIONS.c.kind == "unit", _NOT_REJECTED_MENTION)
                        .group_by(MENTIONS.c.value).order_by(n_docs.desc(), MENTIONS.c.value).limit(20))
    total_amount, top_amounts = _amounts(conn, titles)
    months = _months(conn)
    pairs = list(conn.execute(select(MENTIONS.c.value, MENTIONS.c.document_id)
                              .where(MENTIONS.c.kind == "reference", _NOT_REJECTED_MENTION).distinct()))
    runs = conn.execute(select(func.count(), func.max(RUNS.c.finished_at)).select_from(RUNS)).one()
    return {
        "generated": dt.datetime.now().strftime("%Y-%m-%d %H:%M"), "version": __version__,
        "totals": {"documents": sum(status.values()), "ok": status.get("ok", 0), "errors": status.get("error", 0),
                   "findings": n_findings, "amount": _vnd(total_amount), "runs": runs[0], "last_run": runs[1],
                   "mentions": mentions},
        "violations": bars(_counts(conn, by_label("violation_type"))),
        "violations_docs": bars(_counts(conn, doc_label("violation_type"))),
        "remedies": bars(_counts(conn, doc_label("remedy"))),
        "units": bars(units), "units_caption": units_caption,
        "months": months, "month_bars": bars([(m, d) for m, d, _ in months], max_length=180.0),
        "amounts": [(title, _vnd(v), bar.length) for (title, v), bar in zip(top_amounts, bars(top_amounts))],
        "outcomes": bars(_counts(conn, doc_label("outcome"))),
        "doc_kinds": bars(_counts(conn, select(DOCUMENTS.c.doc_kind, func.count()).group_by(DOCUMENTS.c.doc_kind)
                                  .order_by(func.count().desc(), DOCUMENTS.c.doc_kind))),
        "graph": citation_graph([(ref, doc_id) for ref, doc_id in pairs if ref], titles),
    }


def build_report(url: str | Engine, out_path: str | Path) -> Path:
    """Render the report for the database at ``url`` into ``out_path`` and return its path.

    ``build_report("sqlite:///data/thanhtra.sqlite", "data/report.html")`` → ``Path("data/report.html")``
    (a page headed "Báo cáo tổng hợp thanh tra, kiểm tra" with totals such as "14 documents").
    """
    engine = make_engine(url, read_only=True)
    try:
        with engine.connect() as conn:
            data = report_data(conn)
    finally:
        if engine is not url:
            engine.dispose()
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(_ENV.get_template("report.html.j2").render(**data), encoding="utf-8")
    return out
