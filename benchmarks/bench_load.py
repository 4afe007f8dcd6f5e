"""Speed of loading already-extracted records into the database (SQLite and PostgreSQL).

    python benchmarks/bench_load.py [--files 3870] [--pg postgresql+psycopg://postgres@127.0.0.1:5432/test]

Records are built once from the real news texts with ``pipeline.extract.extract_all`` and cached under /tmp, so
later runs measure loading only. The extractors do not yet produce findings, so each record gets synthetic ones
(one per sentence that carries an amount, labelled deterministically) to exercise the findings tables too.
Prints documents per second for a first load and for a re-load (the idempotent replace path); target ≥ 500/s.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
import time
import uuid
from pathlib import Path
from pipeline.paths import SHARED

NEWS = SHARED / "corpus" / "news2017"
CACHE = Path(tempfile.gettempdir()) / "thanhtra_bench_load_records.jsonl"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
VIOLATION_CYCLE = ("budget_finance", "land", "procurement", "admin_procedure", "personnel")


def _synthetic_findings(text: str, amounts: list[dict], i: int) -> list[dict]:
    findings = []
    for k, amount in enumerate(amounts[:5]):
        start = text.rfind(".", 0, amount["start"]) + 1
        end = text.find(".", amount["end"])
        end = len(text) if end < 0 else end + 1
        findings.append({"text": text[start:end].strip(), "start": start, "end": end,
                         "violation_types": [VIOLATION_CYCLE[(i + k) % len(VIOLATION_CYCLE)]],
                         "outcome": "violation", "remedies": ["recover_funds"] if k % 2 == 0 else [],
                         "score": 0.7, "amounts": [int(amount["value"])]})
    return findings


def build_cache(limit: int) -> None:
    from pipeline.document import record_for_text
    from pipeline.normalize import normalize_text
    from pipeline.record import Source

    with CACHE.open("w", encoding="utf-8") as out:
        for i, path in enumerate(sorted(NEWS.glob("*.txt"))[:limit]):
            raw = path.read_bytes()
            text = normalize_text(raw.decode("utf-8"))
            source = Source(path=str(path), sha256=hashlib.sha256(raw).hexdigest(), format="text", size=len(raw))
            rec = record_for_text(text, source).to_dict(with_text=True)
            rec["findings"] = _synthetic_findings(text, rec.get("amounts", []), i)
            rec["violation_types"] = sorted({v for f in rec["findings"] for v in f["violation_types"]})
            rec["remedies"] = sorted({r for f in rec["findings"] for r in f["remedies"]})
            rec["outcome"] = "violation" if rec["findings"] else "none"
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")


def load_cache(limit: int) -> list[dict]:
    with CACHE.open(encoding="utf-8") as fh:
        return [json.loads(line) for _, line in zip(range(limit), fh)]


def measure(url: str, records: list[dict]) -> tuple[float, float]:
    from pipeline.db import upgrade
    from pipeline.db.load import load_records

    upgrade(url)
    first = time.perf_counter()
    load_records(url, records)
    first = time.perf_counter() - first
    again = time.perf_counter()
    load_records(url, records)
    again = time.perf_counter() - again
    return len(records) / first, len(records) / again


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=3870)
    ap.add_argument("--pg", default=PG_URL, help="PostgreSQL URL ('' to skip)")
    ap.add_argument("--cache-only", action="store_true", help="build the record cache and stop")
    args = ap.parse_args()
    if not CACHE.exists() or sum(1 for _ in CACHE.open(encoding="utf-8")) < args.files:
        print(f"building record cache {CACHE} (one-off, runs the extractors) …", flush=True)
        build_cache(args.files)
    if args.cache_only:
        return
    records = load_cache(args.files)
    print(f"{len(records)} records, {sum(len(r.get('references', [])) + len(r.get('dates', [])) + len(r.get('amounts', [])) + len(r.get('units', [])) + len(r.get('persons', [])) for r in records):,} mentions")

    with tempfile.TemporaryDirectory() as tmp:
        first, again = measure(f"sqlite:///{tmp}/bench.sqlite", records)
        print(f"  SQLite       first load {first:>8,.0f} docs/s   re-load {again:>8,.0f} docs/s")

    if args.pg:
        from sqlalchemy import create_engine, text

        schema = f"bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(args.pg)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            sep = "&" if "?" in args.pg else "?"
            first, again = measure(f"{args.pg}{sep}options=-csearch_path%3D{schema}", records)
            print(f"  PostgreSQL   first load {first:>8,.0f} docs/s   re-load {again:>8,.0f} docs/s   target ≥ 500")
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


if __name__ == "__main__":
    main()
