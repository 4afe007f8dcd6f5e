"""Ingestion: any file an analyst drops in a folder → pages of raw text, or an ``IngestError`` saying why not.

``ingest_file("corpus/docs/ket-luan-dat-dai.pdf")`` → ``IngestedDocument(format="pdf", pages=["THANH TRA TỈNH …", …])``.
"""
from __future__ import annotations

import os

from .base import DEFAULT_MAX_BYTES, IngestedDocument, IngestError
from .sniff import sniff_format

__all__ = ["DEFAULT_MAX_BYTES", "IngestError", "IngestedDocument", "ingest_file", "sniff_format"]


def _read_image(path: str) -> IngestedDocument:
    from PIL import Image, ImageSequence, UnidentifiedImageError

    from .ocr import ocr_image

    pages, confs = [], []
    try:
        with Image.open(path) as img:
            for frame in ImageSequence.Iterator(img):
                text, conf = ocr_image(frame.convert("L"))
                pages.append(text)
                confs.append(conf)
    except UnidentifiedImageError:
        raise IngestError("corrupt", "image cannot be decoded") from None
    return IngestedDocument(format="image", pages=pages, ocr_pages=list(range(1, len(pages) + 1)),
                            ocr_confidence=round(sum(confs) / len(confs), 1) if confs else None)


def ingest_file(path: str, *, password: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
                ocr: bool = True) -> IngestedDocument:
    """Read one file whatever its extension says; raises IngestError with a one-line reason."""
    try:
        size = os.stat(path).st_size
        if size == 0:
            raise IngestError("empty", "file is empty (0 bytes)")
        if size > max_bytes:
            raise IngestError("too_large", f"file is {size / 1e6:.0f} MB, over the {max_bytes / 1e6:.0f} MB limit "
                                           "(raise it with --max-bytes)")
        with open(path, "rb") as fh:
            head = fh.read(8192)
        fmt = sniff_format(head)
        if fmt == "pdf":
            from .pdf import read_pdf
            return read_pdf(path, password=password, ocr=ocr)
        if fmt == "docx":
            from .docx import read_docx
            return read_docx(path)
        if fmt == "doc":
            from .docx import read_doc
            return read_doc(path)
        if fmt == "html":
            from .html import read_html_bytes
            with open(path, "rb") as fh:
                return read_html_bytes(fh.read())
        if fmt == "image":
            return _read_image(path)
        if fmt == "rtf":
            raise IngestError("unsupported", "RTF is not supported: save it as DOCX or PDF")
        from .text import read_text_file
        return read_text_file(path)
    except FileNotFoundError:
        raise IngestError("not_found", "file not found (moved or deleted during the batch?)") from None
    except PermissionError:
        raise IngestError("permission", "no permission to read the file") from None
    except IsADirectoryError:
        raise IngestError("not_found", "is a directory, not a file") from None
    except MemoryError:
        raise IngestError("too_large", "file needs more memory than is available") from None
