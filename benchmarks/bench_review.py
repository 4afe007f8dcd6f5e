"""Response times of the review app with 10,000 documents in the database (target: < 200 ms per page).

    python benchmarks/bench_review.py [--documents 10000] [--requests 40] [--db /tmp/bench_review.sqlite]

Real records (news texts run through the extractors, cached by benchmarks/bench_load.py or built here from the
first 300 news texts) are loaded as copies under different paths and hashes until there are ``--documents``;
each copy gets its own finding scores and document kind so the queue's ordering and filters have work to do. A
few documents are reviewed by two stewards. Pages are fetched in-process with FastAPI's TestClient (the full app:
session check, queries, templating, security headers); prints p50 and p95 per page kind.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import statistics
import tempfile
import time
from pathlib import Path

from pipeline.paths import SHARED

NEWS = SHARED / "corpus" / "news2017"
CACHE = Path(tempfile.gettempdir()) / "thanhtra_bench_load_records.jsonl"    # shared with bench_load.py
KINDS = ("news", "conclusion", "decision", "letter", "plan")
TARGET_MS = 200.0


def base_records(limit: int = 300) -> list[dict]:
    """Real records with text: bench_load's cache when present, else built from the news corpus now."""
    if CACHE.exists():
        with CACHE.open(encoding="utf-8") as fh:
            return [json.loads(line) for _, line in zip(range(limit), fh)]
    from pipeline.document import record_for_text
    from pipeline.normalize import normalize_text
    from pipeline.record import Source

    records = []
    for path in sorted(NEWS.glob("*.txt"))[:limit]:
        raw = path.read_bytes()
        text = normalize_text(raw.decode("utf-8"))
        source = Source(path=str(path), sha256=hashlib.sha256(raw).hexdigest(), format="text", size=len(raw))
        rec = record_for_text(text, source).to_dict(with_text=True)
        rec["findings"] = [{"text": text[:200], "start": 0, "end": min(200, len(text)), "outcome": "violation",
                            "violation_types": ["budget_finance"], "remedies": [], "score": 0.7}] if rec.get("amounts") else []
        records.append(rec)
    return records


def copies(records: list[dict], n: int) -> list[dict]:
    rng = random.Random(7)
    out = []
    for i in range(n):
        rec = json.loads(json.dumps(records[i % len(records)]))
        rec["source"]["path"] = f"bench/{i:05d}-{Path(rec['source']['path']).name}"
        rec["source"]["sha256"] = f"{i:064x}"
        rec.setdefault("meta", {})["doc_kind"] = KINDS[i % len(KINDS)]
        rec["meta"]["relevant"] = i % 3 != 0
        for finding in rec.get("findings") or ():
            finding["score"] = round(rng.random(), 3)
        rec.pop("error", None)
        out.append(rec)
    return out


def build(url: str, documents: int) -> None:
    from pipeline.db import make_engine, upgrade
    from pipeline.db.load import MENTIONS, load_records
    from pipeline.review import actions
    from pipeline.review.auth import add_user
    from sqlalchemy import select

    upgrade(url)
    started = time.perf_counter()
    stats = load_records(url, copies(base_records(), documents))
    print(f"loaded {stats.documents:,} documents, {stats.mentions:,} mentions, {stats.findings:,} findings "
          f"in {time.perf_counter() - started:.1f} s")
    lan, minh = add_user(url, "lan", "bench-password-1"), add_user(url, "minh", "bench-password-2")
    engine = make_engine(url)
    with engine.begin() as conn:
        for doc_id in range(1, 41):
            for user in (lan, minh):
                for m in conn.execute(select(MENTIONS.c.id).where(MENTIONS.c.document_id == doc_id).limit(5)).scalars():
                    actions.judge_mention(conn, user, m, "accept" if (m + user) % 4 else "reject")
            if doc_id % 2:
                actions.finish_document(conn, lan, doc_id)
    engine.dispose()


def timed(client, path: str, requests: int) -> tuple[float, float]:
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(round(0.95 * (len(samples) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--documents", type=int, default=10_000)
    ap.add_argument("--requests", type=int, default=40)
    ap.add_argument("--db", help="SQLite file to build (or reuse when it exists)")
    args = ap.parse_args()
    from fastapi.testclient import TestClient

    from pipeline.review.app import create_app

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.db) if args.db else Path(tmp) / "bench_review.sqlite"
        url = f"sqlite:///{path}"
        if not path.exists():
            build(url, args.documents)
        client = TestClient(create_app(url, secret="bench"))
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
        client.post("/login", data={"username": "lan", "password": "bench-password-1", "csrf_token": token})
        rng = random.Random(3)
        pages = {
            "queue, documents p1": "/queue",
            "queue, documents p150": "/queue?page=150",
            "queue, kind+status filter": "/queue?doc_kind=conclusion&status=unreviewed",
            "queue, violation filter": "/queue?violation_type=land",
            "queue, unit filter": "/queue?unit=UBND",
            "queue, reviewer filter": "/queue?reviewer=minh",
            "queue, findings p1": "/queue?tab=findings",
            "queue, findings p100": "/queue?tab=findings&page=100",
        }
        worst = 0.0
        print(f"{'page':<28}{'p50 ms':>9}{'p95 ms':>9}")
        for name, page in pages.items():
            p50, p95 = timed(client, page, args.requests)
            worst = max(worst, p95)
            print(f"{name:<28}{p50:>9.1f}{p95:>9.1f}")
        doc_samples = []
        for _ in range(args.requests):
            doc_id = rng.randint(1, args.documents)
            started = time.perf_counter()
            assert client.get(f"/documents/{doc_id}").status_code == 200
            doc_samples.append((time.perf_counter() - started) * 1000)
        doc_samples.sort()
        p95 = doc_samples[int(round(0.95 * (len(doc_samples) - 1)))]
        worst = max(worst, p95)
        print(f"{'document view (random)':<28}{statistics.median(doc_samples):>9.1f}{p95:>9.1f}")
        print(f"worst p95 {worst:.1f} ms: {'OK' if worst < TARGET_MS else 'OVER'} the {TARGET_MS:.0f} ms target")
        return 0 if worst < TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
