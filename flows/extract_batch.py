"""The batch analysts run: discover → ingest → extract → classify → load, as coarse Prefect tasks (one per chunk of
documents), restartable and idempotent.

Each task extracts its chunk and loads it into the database itself, so finished work is stored as it happens: a
batch killed half-way keeps every finished chunk, and the rerun skips documents (path and content sha256) already
extracted by the same pipeline and model versions. ``extract_batch(["corpus/docs"], db="data/thanhtra.sqlite")`` →
``{"documents": 14, "extracted": 14, "skipped": 0, "failures": 0, …}``.
"""
# No `from __future__ import annotations`: a served deployment runs a cloudpickled copy of the flow whose globals
# hold only the names its code uses, so string annotations (ExtractOptions) could not be resolved for validation.
import time
from dataclasses import replace
from collections import Counter

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from sqlalchemy import select

from pipeline import __version__
from pipeline.batch import discover
from pipeline.db import make_engine, upgrade
from pipeline.db.load import DOCUMENTS, finish_run, load_records, start_run
from pipeline.document import ExtractOptions, safe_record_dict, sha256_of
from pipeline.versions import model_version

_HASHES_PER_QUERY = 500          # well under SQLite's bound-parameter limit


def _tally(records: list[dict]) -> dict:
    kinds, violations, units, pages, ocr = Counter(), Counter(), Counter(), 0, 0
    amount = 0
    failed = []
    for r in records:
        src = r.get("source") or {}
        if r.get("error"):
            failed.append({"path": src.get("path"), "kind": r["error"]["kind"], "message": r["error"]["message"]})
            continue
        pages += src.get("pages") or 0
        ocr += len(src.get("ocr_pages") or [])
        kinds[(r.get("meta") or {}).get("doc_kind") or "unknown"] += 1
        violations.update(r.get("violation_types") or [])
        units.update({u.get("name") or u["text"] for u in r.get("units") or []})
        amount += sum(a["value"] for a in r.get("amounts") or [] if a.get("currency", "VND") == "VND")
    return {"pages": pages, "ocr_pages": ocr, "failed": failed, "kinds": kinds, "violations": violations,
            "units": units, "amount_vnd": amount}


@task(retries=3, retry_delay_seconds=[2, 8, 30], task_run_name="extract-chunk-{index}")
def extract_chunk(index: int, paths: list[str], options: ExtractOptions, db: str, run_id: int) -> dict:
    """Extract and load one chunk (the flow already left out unchanged documents). Retried as a whole on a transient
    failure (database restart, file system): loading is idempotent, so a retry never duplicates."""
    engine = make_engine(db)
    try:
        with_text = replace(options, with_text=True)      # the review app shows the text
        records = [safe_record_dict(path, with_text) for path in paths]
        load_records(engine, records, run_id=run_id)
    finally:
        engine.dispose()
    return {"extracted": len(records), "skipped": 0, **_tally(records)}


def _pending(engine, files: list[str], versions: tuple[str, str | None]) -> list[str]:
    """The files not yet stored as extracted by these versions with their current content, decided in the flow
    before any task exists: one hash per file and one query per few hundred hashes, so an unchanged batch starts no
    worker process (each costs seconds of model loading) and sends no per-document queries. Keyed by (sha256, path),
    the documents' identity: a copy of an extracted file under a new path is still a document to store.

    ``_pending(engine, ["/kl/a.pdf", "/kl/b.txt"], ("0.1.0", "ner-1+clf-2"))`` → ``["/kl/b.txt"]`` when a.pdf's
    current bytes were stored by those versions.
    """
    digests: dict[str, str | None] = {}
    for path in files:
        try:
            digests[path] = sha256_of(path)
        except OSError:
            digests[path] = None               # unreadable: the task turns it into an error record
    pipeline_version, model_version_ = versions
    same = lambda column, value: column.is_(None) if value is None else column == value  # noqa: E731
    wanted = sorted({d for d in digests.values() if d})
    done: set[tuple[str, str]] = set()
    with engine.connect() as conn:
        for i in range(0, len(wanted), _HASHES_PER_QUERY):
            done.update(conn.execute(select(DOCUMENTS.c.sha256, DOCUMENTS.c.path).where(
                DOCUMENTS.c.sha256.in_(wanted[i:i + _HASHES_PER_QUERY]), DOCUMENTS.c.status == "ok",
                same(DOCUMENTS.c.pipeline_version, pipeline_version),
                same(DOCUMENTS.c.model_version, model_version_))).tuples())
    return [p for p in files if (digests[p], p) not in done]


def _chunks(files: list[str], size: int) -> list[list[str]]:
    return [files[i:i + size] for i in range(0, len(files), size)]


@flow(name="extract_batch", log_prints=False)
def extract_batch(paths: list[str], db: str, options: ExtractOptions = ExtractOptions(), chunk_size: int = 0,
                  workers: int = 2) -> dict:
    started = time.perf_counter()
    upgrade(db)
    engine = make_engine(db)
    versions = (__version__, model_version())
    files = list(discover(paths))
    pending = _pending(engine, files, versions)
    # Prefect spends tens of milliseconds per submitted task: big batches get bigger chunks (about eight per worker)
    # so its overhead stays a small share, small batches keep chunks of 8 so both workers get work.
    chunk_size = chunk_size or max(8, -(-len(pending) // (workers * 8)))
    run_id = start_run(engine, {"paths": paths, "chunk_size": chunk_size}, *versions)
    chunks = _chunks(pending, chunk_size)
    futures = [extract_chunk.submit(i, chunk, options, db, run_id) for i, chunk in enumerate(chunks)]
    results = [{"extracted": 0, "skipped": len(files) - len(pending), **_tally([])}]
    for chunk, future in zip(chunks, futures):
        try:
            results.append(future.result())
        except Exception as exc:  # a chunk that failed all its retries: its documents are reported, the run goes on
            results.append({"extracted": 0, "skipped": 0, **_tally([]),
                            "failed": [{"path": p, "kind": "internal", "message": f"{type(exc).__name__}: {exc}"}
                                       for p in chunk]})
    summary = _summarise(results, len(files), time.perf_counter() - started)
    finish_run(engine, run_id, summary["documents"], summary["failures"])
    engine.dispose()
    _publish(summary)
    return summary


def _summarise(results: list[dict], n_files: int, seconds: float) -> dict:
    kinds, violations, units = Counter(), Counter(), Counter()
    for r in results:
        kinds.update(r["kinds"])
        violations.update(r["violations"])
        units.update(r["units"])
    failed = [f for r in results for f in r["failed"]]
    return {
        "documents": n_files,
        "extracted": sum(r["extracted"] for r in results),
        "skipped": sum(r["skipped"] for r in results),
        "pages": sum(r["pages"] for r in results),
        "ocr_pages": sum(r["ocr_pages"] for r in results),
        "failures": len(failed),
        "failed": failed,
        "by_doc_kind": dict(kinds.most_common()),
        "by_violation_type": dict(violations.most_common()),
        "top_units": units.most_common(10),
        "amount_vnd": sum(r["amount_vnd"] for r in results),
        "seconds": round(seconds, 1),
    }


def _publish(summary: dict) -> None:
    """Prefect artifacts: the run summary table and the failures."""
    rows = [{"measure": k, "value": str(summary[k])} for k in
            ("documents", "extracted", "skipped", "pages", "ocr_pages", "failures", "amount_vnd", "seconds")]
    rows += [{"measure": f"doc kind: {k}", "value": str(v)} for k, v in summary["by_doc_kind"].items()]
    rows += [{"measure": f"violation: {k}", "value": str(v)} for k, v in summary["by_violation_type"].items()]
    rows += [{"measure": f"unit: {k}", "value": str(v)} for k, v in summary["top_units"]]
    create_table_artifact(key="extract-batch-summary", table=rows, description="thanhtra run summary")
    failures = "\n".join(f"| `{f['path']}` | {f['kind']} | {f['message']} |" for f in summary["failed"])
    create_markdown_artifact(key="extract-batch-failures", description="documents that could not be processed",
                             markdown="| path | kind | message |\n|---|---|---|\n" + (failures or "| – | – | none |"))
