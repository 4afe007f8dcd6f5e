"""One file → one Record: ingestion, normalisation, then every extractor over the normalised text.

``record_for_file("corpus/docs/ket-luan-dat-dai.pdf").to_dict()`` →
``{"schema": "thanhtra.record/1", "source": {"path": …, "format": "pdf", "pages": 3, …}, "meta": {"number": "12/KL-TTr", …},
"references": [{"id": "1234/QĐ-UBND", …}], …}``; an unreadable file gives a Record whose ``error`` says why.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass

from . import __version__
from .extract import extract_all
from .findings import classify_document
from .ingest import DEFAULT_MAX_BYTES, IngestError, ingest_file
from .normalize import join_pages, normalize_text
from .record import ErrorInfo, Meta, Record, Source
from .versions import model_version


@dataclass(frozen=True, slots=True)
class ExtractOptions:
    password: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    max_chars: int = 5_000_000      # ~2,000 pages: beyond this one document would dominate a worker's memory
    reference_date: dt.date | None = None
    ocr: bool = True
    with_text: bool = False


def sha256_of(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _title(text: str, given: str | None) -> str | None:
    if given:
        return normalize_text(given)
    for line in text.split("\n", 40)[:40]:
        if len(line.strip()) > 12:
            return line.strip()[:300]
    return None


def record_for_text(text: str, source: Source, *, reference_date: dt.date | None = None,
                    title: str | None = None, published: str | None = None) -> Record:
    """Extract every fact type from already-normalised text."""
    facts = extract_all(text, reference_date=reference_date)
    verdict = classify_document(text, facts)
    meta = Meta(title=_title(text, title), doc_kind=verdict.doc_kind, number=facts.number,
                issued_at=facts.issued_at, place=facts.place, published_at=published or facts.published_at,
                relevant=verdict.relevant)
    return Record(source=source, meta=meta, references=facts.references, dates=facts.dates,
                  amounts=facts.amounts, units=facts.units, persons=facts.persons, findings=verdict.findings,
                  violation_types=verdict.violation_types, outcome=verdict.outcome, remedies=verdict.remedies,
                  pipeline_version=__version__, model_version=model_version(), text=text)


def record_for_file(path: str, options: ExtractOptions = ExtractOptions()) -> Record:
    """Never raises for a bad file: the Record carries ``error`` instead."""
    source = Source(path=path)
    try:
        source.size = os.stat(path).st_size
        source.sha256 = sha256_of(path)
        doc = ingest_file(path, password=options.password, max_bytes=options.max_bytes, ocr=options.ocr)
        source.format, source.pages, source.encoding = doc.format, len(doc.pages), doc.encoding
        if doc.ocr_pages:
            source.ocr_pages, source.ocr_confidence = doc.ocr_pages, doc.ocr_confidence
        if sum(map(len, doc.pages)) > options.max_chars:
            raise IngestError("too_large", f"document has {sum(map(len, doc.pages)):,} characters of text, over the "
                                           f"{options.max_chars:,} limit (raise it with --max-chars)")
        text, offsets = join_pages(doc.pages, doc.continued)
        if not text.strip():
            raise IngestError("empty", "no text found in the document" + (" (OCR found none either)" if doc.ocr_pages else ""))
        published = doc.published if doc.published and doc.published[:4].isdigit() else None
        record = record_for_text(text, source, reference_date=options.reference_date, title=doc.title,
                                 published=published)
        record.page_offsets = offsets if len(offsets) > 1 else None
        record.tables = doc.tables or None
        return record
    except IngestError as exc:
        return Record(source=source, error=ErrorInfo(exc.kind, exc.message), pipeline_version=__version__)
    except FileNotFoundError:
        return Record(source=source, error=ErrorInfo("not_found", "file not found (moved or deleted during the batch?)"),
                      pipeline_version=__version__)
    except PermissionError:
        return Record(source=source, error=ErrorInfo("permission", "no permission to read the file"),
                      pipeline_version=__version__)


def safe_record_dict(path: str, options: ExtractOptions = ExtractOptions()) -> dict:
    """``record_for_file(...).to_dict()`` that survives a bug too: an unexpected exception on one document becomes
    an ``internal`` error record, so neither a batch nor a flow chunk is lost to it."""
    try:
        record = record_for_file(path, options)
    except Exception as exc:
        record = Record(source=Source(path=path), error=ErrorInfo("internal", f"{type(exc).__name__}: {exc}"),
                        pipeline_version=__version__)
    return record.to_dict(with_text=options.with_text)
