"""The keyword-rules-only baseline for the findings fields, measured the same way as the shipped models.

    python benchmarks/findings_baseline.py ../shared/eval/dev/texts -o /tmp/rules-only.jsonl
    python3 ../shared/eval/score.py --pred /tmp/rules-only.jsonl --gold ../shared/eval/dev/gold

``classify_document`` with an empty model folder runs the keyword cues alone (no relevance model, no classifiers).
"""
from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from pipeline.extract import extract_all
from pipeline.findings import classify_document
from pipeline.normalize import normalize_text


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("texts", type=Path)
    ap.add_argument("-o", "--output", type=Path, required=True)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as empty, args.output.open("w", encoding="utf-8") as out:
        for path in sorted(args.texts.glob("*.txt")):
            text = normalize_text(path.read_text(encoding="utf-8"))
            verdict = classify_document(text, extract_all(text), model_dir=empty)
            out.write(json.dumps({"source": {"path": str(path)}, "violation_types": verdict.violation_types,
                                  "outcome": verdict.outcome, "remedies": verdict.remedies}) + "\n")


if __name__ == "__main__":
    main()
