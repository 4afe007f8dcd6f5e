"""Baselines for the README quality table, scored by the same referee as thanhtra.

    python benchmarks/baselines.py ../shared/eval/dev/texts --out /tmp/baselines
    python3 ../shared/eval/score.py --pred /tmp/baselines/underthesea.jsonl --gold ../shared/eval/dev/gold
    python3 ../shared/eval/score.py --pred /tmp/baselines/dateparser.jsonl --gold ../shared/eval/dev/gold
    python3 ../shared/eval/score.py --pred /tmp/baselines/regex.jsonl --gold ../shared/eval/dev/gold

underthesea's CRF ``ner``: ORG and LOC spans → units, PER spans → persons. dateparser's
``search_dates(languages=["vi"])`` → dates at day precision. A plain number/symbol regular expression → references.
"""
from __future__ import annotations

import argparse
import json
import re
import warnings
from pathlib import Path

PLAIN_REFERENCE = re.compile(r"\b\d{1,5}(?:/\d{4})?/[A-ZĐ][A-Za-zĐđ&]*(?:-[A-ZĐ][A-Za-zĐđ&0-9]*)*")


def ner_spans(text: str) -> dict[str, list[str]]:
    from underthesea import ner

    out: dict[str, list[str]] = {"ORG": [], "LOC": [], "PER": []}
    for line in text.split("\n"):
        if not line.strip():
            continue
        current, label = [], None
        for word, _pos, _chunk, tag in ner(line) + [("", "", "", "O")]:
            if tag.startswith("B-") or tag == "O" or (tag.startswith("I-") and tag[2:] != label):
                if current and label in out:
                    out[label].append(" ".join(current))
                current, label = ([word], tag[2:]) if tag != "O" else ([], None)
            else:
                current.append(word)
    return out


def dateparser_dates(text: str) -> list[str]:
    from dateparser.search import search_dates

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = search_dates(text, languages=["vi"]) or []
    return [d.date().isoformat() for _, d in found]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("texts", type=Path)
    ap.add_argument("--out", type=Path, default=Path("/tmp/baselines"))
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    files = sorted(args.texts.glob("*.txt"))
    with (args.out / "underthesea.jsonl").open("w") as u, (args.out / "dateparser.jsonl").open("w") as d, \
            (args.out / "regex.jsonl").open("w") as r:
        for f in files:
            text = f.read_text(encoding="utf-8")
            src = {"path": str(f)}
            spans = ner_spans(text)
            u.write(json.dumps({"source": src, "units": [{"text": t} for t in spans["ORG"] + spans["LOC"]],
                                "persons": [{"name": t} for t in spans["PER"]]}, ensure_ascii=False) + "\n")
            d.write(json.dumps({"source": src, "dates": [{"value": v} for v in dateparser_dates(text)]}) + "\n")
            r.write(json.dumps({"source": src, "references": [{"id": m} for m in PLAIN_REFERENCE.findall(text)]},
                               ensure_ascii=False) + "\n")
    print(f"wrote baselines for {len(files)} texts to {args.out}")


if __name__ == "__main__":
    main()
