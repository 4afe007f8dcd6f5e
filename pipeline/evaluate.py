"""Score records against gold files (GUIDE.md §3) the way the referee does, with per-label detail.

The fields, the set comparison per document, the normalisation of references, unit and person strings, and the
micro/macro averages are those of ../shared/eval/score.py (re-implemented here, so the package does not import from
../shared; tests/test_evaluate.py checks that the numbers agree exactly). On top: P/R/F1 per violation type and per
remedy label, and the outcome confusion matrix.

``format_report(evaluate(load_predictions("out.jsonl"), "../shared/eval/dev/gold"))`` →
``"79 gold documents, 79 with a record\\nfield  P  R  F1 …\\nviolation_types  0.612 …"``.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .record import OUTCOMES, REMEDIES, VIOLATION_TYPES

FIELDS = ("references", "dates", "amounts", "units", "units_lenient", "persons", "violation_types", "remedies")

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
_DATE_VALUE = re.compile(r"^\d{4}-(\d{2}(-\d{2})?|Q[1-4])$")


def _tone_table() -> dict[str, str]:
    """Old-style tone placement ("hoà", "thuỷ") folded to the modern one, as the referee does."""
    table = {}
    for plain, marked in (("a", "àáảãạ"), ("e", "èéẻẽẹ"), ("y", "ỳýỷỹỵ")):
        first = "o" if plain in "ae" else "u"
        first_marked = "òóỏõọ" if first == "o" else "ùúủũụ"
        for i, m in enumerate(marked):
            table[first + m] = first_marked[i] + plain
    return table


_TONE = _tone_table()
_TONE_RE = re.compile(r"(?<![qQ])(" + "|".join(_TONE) + r")(?![\w])")


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s or "")


def norm_ref(s: str) -> str:
    """Reference id as compared: "Số: 4379/QĐ–UBND" → "4379/QD-UBND"."""
    s = _nfc(s).translate(_DASHES).upper().replace("Ð", "Đ").replace("Đ", "D")
    s = re.sub(r"\s+", "", s)
    s = re.sub(r"^(SỐ|SO)[:.]?", "", s)
    return s.strip(".,;:()[]\"'")


def norm_text(s: str) -> str:
    """Unit or person string as compared: "UBND TP. Hà Nội" → "ủy ban nhân dân thành phố hà nội"."""
    s = _TONE_RE.sub(lambda m: _TONE[m.group(1)], _nfc(s).translate(_DASHES).casefold())
    s = re.sub(r"\bubnd\b", "ủy ban nhân dân", s)
    s = re.sub(r"\bhđnd\b", "hội đồng nhân dân", s)
    s = re.sub(r"\btp\.?\s*", "thành phố ", s)
    s = re.sub(r"[\s\u00a0]+", " ", s)
    return s.strip(" .,;:()[]\"'“”‘’")


def _contains(a: str, b: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(b) + r"(?!\w)", a) is not None


def _values(rec: dict, key: str, attr: str) -> list:
    out = []
    for item in rec.get(key) or []:
        v = item.get(attr) if isinstance(item, dict) else item
        if v not in (None, ""):
            out.append(v)
    return out


def prediction_sets(rec: dict) -> dict[str, set]:
    """The comparable sets of one record."""
    amounts = set()
    for a in rec.get("amounts") or []:
        v = a.get("value") if isinstance(a, dict) else a
        currency = (a.get("currency") or "VND") if isinstance(a, dict) else "VND"
        if isinstance(v, (int, float)) and currency.upper() == "VND":
            amounts.add(int(round(v)))
    return {
        "references": {norm_ref(v) for v in _values(rec, "references", "id")},
        "dates": {v for v in _values(rec, "dates", "value") if isinstance(v, str) and _DATE_VALUE.match(v)},
        "amounts": amounts,
        "units": {norm_text(v) for v in _values(rec, "units", "text")},
        "persons": {norm_text(v) for v in _values(rec, "persons", "name")},
        "violation_types": set(rec.get("violation_types") or []),
        "remedies": set(rec.get("remedies") or []),
    }


def gold_sets(g: dict) -> dict[str, set]:
    """The comparable sets of one gold file."""
    return {
        "references": {norm_ref(v) for v in g.get("references", [])},
        "dates": {v for v in g.get("dates", []) if _DATE_VALUE.match(v)},
        "amounts": {int(v) for v in g.get("amounts", [])},
        "units": {norm_text(v) for v in g.get("units", [])},
        "persons": {norm_text(v) for v in g.get("persons", [])},
        "violation_types": set(g.get("violation_types", [])),
        "remedies": set(g.get("remedies", [])),
    }


def _lenient(pred: set[str], gold: set[str]) -> tuple[int, int, int]:
    tp_g = sum(1 for g in gold if any(_contains(p, g) or _contains(g, p) for p in pred))
    tp_p = sum(1 for p in pred if any(_contains(p, g) or _contains(g, p) for g in gold))
    return tp_p, len(pred) - tp_p, len(gold) - tp_g


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall, F1; an empty side counts as perfect, as in the referee."""
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class Report:
    documents: int
    missing: list[str]
    counts: dict[str, list[int]]                       # field → [tp, fp, fn]
    per_violation: dict[str, list[int]]                # label → [tp, fp, fn]
    per_remedy: dict[str, list[int]]
    outcome_confusion: dict[str, dict[str, int]]       # gold → predicted → count
    outcome_accuracy: float
    violation_macro_f1: float
    errors: dict[str, list] = field(default_factory=dict)

    def scores(self) -> dict[str, dict]:
        """Field → {"p", "r", "f1", "tp", "fp", "fn"}, the referee's numbers."""
        out = {f: dict(zip(("tp", "fp", "fn"), c)) | dict(zip(("p", "r", "f1"), prf(*c))) for f, c in self.counts.items()}
        out["violation_types"]["macro_f1"] = self.violation_macro_f1
        out["outcome"] = {"accuracy": self.outcome_accuracy}
        return out


def load_gold(gold_dir: str | Path) -> dict[str, dict]:
    """key (file stem) → gold dict for every ``*.json`` in `gold_dir`."""
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(Path(gold_dir).glob("*.json"))}


def load_predictions(path: str | Path) -> dict[str, dict]:
    """key (stem of ``source.path``) → record dict, from a records JSONL file."""
    preds = {}
    with Path(path).open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rec = json.loads(line)
                src = rec.get("source") or {}
                p = src.get("path") if isinstance(src, dict) else src
                if p:
                    preds[Path(p).stem] = rec
    return preds


def evaluate(pred_records: dict[str, dict], gold_dir: str | Path) -> Report:
    """Compare records (key → record dict, keyed by file stem) with the gold files of `gold_dir`.

    ``evaluate({"0007": {"violation_types": ["admin_procedure"], "outcome": "shortcoming"}}, "dev/gold")
    .scores()["violation_types"]["f1"]`` → ``0.41`` (over every gold file; missing records count as empty).
    """
    golds = load_gold(gold_dir)
    counts = {f: [0, 0, 0] for f in FIELDS}
    per_label: dict[str, list[int]] = {}
    per_remedy = {r: [0, 0, 0] for r in REMEDIES}
    per_violation = {v: [0, 0, 0] for v in VIOLATION_TYPES}
    confusion = {g: {p: 0 for p in OUTCOMES} for g in OUTCOMES}
    errors: dict[str, list] = {f: [] for f in FIELDS}
    hits = 0
    for key, g in sorted(golds.items()):
        rec = pred_records.get(key, {})
        gold_outcome, pred_outcome = g.get("outcome") or "none", rec.get("outcome") or "none"
        hits += gold_outcome == pred_outcome
        confusion.setdefault(gold_outcome, {}).setdefault(pred_outcome, 0)
        confusion[gold_outcome][pred_outcome] += 1
        gs, ps = gold_sets(g), prediction_sets(rec)
        for f in FIELDS:
            if f == "units_lenient":
                c = _lenient(ps["units"], gs["units"])
            else:
                c = (len(ps[f] & gs[f]), len(ps[f] - gs[f]), len(gs[f] - ps[f]))
                if ps[f] != gs[f]:
                    errors[f].append((key, sorted(map(str, ps[f] - gs[f])), sorted(map(str, gs[f] - ps[f]))))
            for i in range(3):
                counts[f][i] += c[i]
        for label in gs["violation_types"] | ps["violation_types"]:
            c = per_label.setdefault(label, [0, 0, 0])
            row = per_violation.setdefault(label, [0, 0, 0])
            d = (label in gs["violation_types"] and label in ps["violation_types"],
                 label in ps["violation_types"] and label not in gs["violation_types"],
                 label in gs["violation_types"] and label not in ps["violation_types"])
            for i in range(3):
                c[i] += d[i]
                row[i] += d[i]
        for label in gs["remedies"] | ps["remedies"]:
            row = per_remedy.setdefault(label, [0, 0, 0])
            row[0] += label in gs["remedies"] and label in ps["remedies"]
            row[1] += label in ps["remedies"] and label not in gs["remedies"]
            row[2] += label in gs["remedies"] and label not in ps["remedies"]
    macro = [prf(*c)[2] for c in per_label.values()]
    return Report(documents=len(golds), missing=sorted(set(golds) - set(pred_records)), counts=counts,
                  per_violation=per_violation, per_remedy=per_remedy, outcome_confusion=confusion,
                  outcome_accuracy=hits / len(golds) if golds else 0.0,
                  violation_macro_f1=sum(macro) / len(macro) if macro else 1.0, errors=errors)


def _rows(table: dict[str, list[int]]) -> list[str]:
    out = []
    for label, c in table.items():
        if any(c):
            p, r, f = prf(*c)
            out.append(f"{label:<24}{p:>7.3f}{r:>7.3f}{f:>7.3f}{c[0]:>6}{c[1]:>6}{c[2]:>6}")
    return out


def format_report(report: Report, *, fields: tuple[str, ...] = FIELDS) -> str:
    """The report as text: fields (same layout as the referee), per-label tables, outcome confusion matrix.

    ``print(format_report(evaluate(preds, "corpus/gold")))`` prints lines such as
    ``"remedies            0.906  0.941  0.923     48      5      3"``.
    """
    s = report.scores()
    missing = f"; missing: {' '.join(report.missing[:20])}" if report.missing else ""
    lines = [f"{report.documents} gold documents, {report.documents - len(report.missing)} with a record{missing}",
             f"{'field':<18}{'P':>7}{'R':>7}{'F1':>7}{'tp':>7}{'fp':>7}{'fn':>7}"]
    for f in fields:
        r = s[f]
        lines.append(f"{f:<18}{r['p']:>7.3f}{r['r']:>7.3f}{r['f1']:>7.3f}{r['tp']:>7}{r['fp']:>7}{r['fn']:>7}")
    lines.append(f"{'violation macro-F1':<18}{'':>14}{report.violation_macro_f1:>7.3f}")
    lines.append(f"{'outcome accuracy':<18}{'':>14}{report.outcome_accuracy:>7.3f}")
    header = f"{'label':<24}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>6}{'fn':>6}"
    lines += ["", "# violation types", header] + _rows(report.per_violation)
    lines += ["", "# remedies", header] + _rows(report.per_remedy)
    lines += ["", "# outcome confusion (rows: gold, columns: predicted)",
              f"{'':<13}" + "".join(f"{o[:11]:>12}" for o in OUTCOMES)]
    for g in OUTCOMES:
        lines.append(f"{g:<13}" + "".join(f"{report.outcome_confusion.get(g, {}).get(p, 0):>12}" for p in OUTCOMES))
    return "\n".join(lines)
