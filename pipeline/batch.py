"""Batch extraction: folders in, one JSONL line per document out, written as soon as each document is done so an
interrupted batch keeps everything finished before it.

``run_batch(["corpus/docs"], "out.jsonl", jobs=2)`` → ``BatchSummary(documents=14, pages=23, ocr_pages=3, failures=0, …)``.
"""
from __future__ import annotations

import json
import multiprocessing as mp
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Iterable, Iterator

from .document import ExtractOptions, safe_record_dict

SKIP_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}


@dataclass
class BatchSummary:
    documents: int = 0
    pages: int = 0
    ocr_pages: int = 0
    failures: int = 0
    seconds: float = 0.0
    failed: list[tuple[str, str, str]] = field(default_factory=list)

    def line(self) -> str:
        return (f"{self.documents} documents, {self.pages} pages, {self.ocr_pages} OCR'd pages, "
                f"{self.failures} failures, {self.seconds:.1f} s")


def discover(paths: Iterable[str], exclude: Iterable[str] = ()) -> Iterator[str]:
    """Files under the given paths, recursively, in a stable order; hidden files, OS litter and ``exclude`` (the
    batch's own output) skipped. A path that does not exist is yielded as is, so it becomes an error record."""
    skip = {os.path.realpath(p) for p in exclude}
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    full = str(Path(root) / name)
                    if (not name.startswith(".") and name not in SKIP_NAMES and not name.startswith("~$")
                            and os.path.realpath(full) not in skip):
                        yield full
        else:
            yield str(path)


def _safe_record(args: tuple[str, ExtractOptions]) -> dict:
    return safe_record_dict(*args)


def iter_records(paths: list[str], options: ExtractOptions, jobs: int = 1) -> Iterator[dict]:
    """Records in input order; with jobs > 1 the work runs in worker processes (recycled to bound memory)."""
    tasks = ((p, options) for p in paths)
    if jobs <= 1 or len(paths) <= 1:
        yield from map(_safe_record, tasks)
        return
    with mp.get_context("fork").Pool(jobs, maxtasksperchild=500) as pool:
        yield from pool.imap(_safe_record, tasks, chunksize=1)


def run_batch(paths: Iterable[str], out: IO[str], options: ExtractOptions = ExtractOptions(), *, jobs: int = 1,
              progress: bool = True, err: IO[str] = sys.stderr) -> BatchSummary:
    files = list(discover(paths, exclude=[out.name] if isinstance(getattr(out, "name", None), str) else []))
    summary = BatchSummary()
    start = time.perf_counter()
    bar = None
    if progress and len(files) > 1:
        from tqdm import tqdm
        bar = tqdm(total=len(files), unit="doc", file=err, disable=None, dynamic_ncols=True)
    for rec in iter_records(files, options, jobs):
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        out.flush()
        summary.documents += 1
        src = rec.get("source", {})
        summary.pages += src.get("pages") or 0
        summary.ocr_pages += len(src.get("ocr_pages") or [])
        if rec.get("error"):
            summary.failures += 1
            e = rec["error"]
            summary.failed.append((src.get("path", "?"), e["kind"], e["message"]))
            line = f"thanhtra: {src.get('path')}: {e['kind']}: {e['message']}"
            (bar.write(line, file=err) if bar else print(line, file=err))
        if bar:
            bar.update(1)
    if bar:
        bar.close()
    summary.seconds = time.perf_counter() - start
    return summary
