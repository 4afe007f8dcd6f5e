"""What ingestion hands to extraction, and the one error type every reader raises.

A reader turns a file into pages of plain text; ``IngestError`` carries a short ``kind`` the batch writes into the
error record (``{"kind": "encrypted", "message": "PDF is encrypted: pass --password"}``).
"""
from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_MAX_BYTES = 100 * 1024 * 1024


class IngestError(Exception):
    """A file that cannot be read, with a machine-readable kind: empty, corrupt, encrypted, too_large, not_found,
    permission, binary, unsupported, zip_bomb, ocr_unavailable, timeout."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


@dataclass(slots=True)
class IngestedDocument:
    """Raw page texts (not yet normalised) plus what the reader learnt about the file."""
    format: str
    pages: list[str]
    tables: list[list[list[str]]] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)      # 1-based page numbers
    ocr_confidence: float | None = None                     # mean word confidence over OCR'd pages, 0-100
    title: str | None = None
    published: str | None = None                            # ISO date from page metadata (HTML)
    encoding: str | None = None
    continued: list[bool] = field(default_factory=list)    # page i's last paragraph goes on on page i+1
