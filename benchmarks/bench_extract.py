"""Speed of the extraction stage (after ingestion), one core, over real news texts.

    python benchmarks/bench_extract.py [--files 3870]

Prints characters per second for every extractor and for the whole stage (``extract_all``), which must reach
50,000 chars/s per core. Texts are normalised first, as ingestion would.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from pipeline.extract import dates, money, persons, references, tokens, units
from pipeline.extract import extract_all
from pipeline.normalize import normalize_text
from pipeline.paths import SHARED

NEWS = SHARED / "corpus" / "news2017"


def timed(fn, texts) -> float:
    start = time.process_time()
    for t in texts:
        fn(t)
    return time.process_time() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=3870)
    args = ap.parse_args()
    texts = [normalize_text(p.read_text(encoding="utf-8")) for p in sorted(NEWS.glob("*.txt"))[: args.files]]
    chars = sum(map(len, texts))
    extract_all(texts[0])                                     # warm caches and lazy imports
    docs = [tokens.make_doc(t) for t in texts]
    stages = {
        "references": lambda t: references.extract_references(t),
        "dates": lambda t: dates.extract_dates(t),
        "amounts": lambda t: money.extract_amounts(t),
        "segmentation (make_doc)": lambda t: tokens.make_doc(t),
    }
    print(f"{len(texts)} texts, {chars:,} characters, CPU time on one core")
    for name, fn in stages.items():
        s = timed(fn, texts)
        print(f"  {name:<28}{chars / s:>14,.0f} chars/s")
    it = iter(docs)
    s = timed(lambda t: units.extract_units(t, doc=next(it)), texts)
    print(f"  {'units (given doc)':<28}{chars / s:>14,.0f} chars/s")
    it = iter(docs)
    s = timed(lambda t: persons.extract_persons(t, doc=next(it)), texts)
    print(f"  {'persons (given doc)':<28}{chars / s:>14,.0f} chars/s")
    s = timed(extract_all, texts)
    print(f"  {'extract_all (whole stage)':<28}{chars / s:>14,.0f} chars/s   target ≥ 50,000")

    # Classification: the findings of the same texts, labelled by the trained models (segmentation excluded).
    from pipeline.findings import find_findings, label_findings
    findings = []
    for t in texts[:400]:
        findings += find_findings(t, extract_all(t))
    label_findings(findings[:10])
    s = timed(lambda batch: label_findings(batch), [findings])
    print(f"  {'classification':<28}{len(findings) / s:>14,.0f} findings/s ({len(findings)} findings)   target ≥ 1,000")


if __name__ == "__main__":
    main()
