"""HTML news pages: the article's main text (trafilatura) without menus, ads and related links, plus title and
publication date from the page metadata.

A page whose ``<meta charset>`` lies is decoded by evidence, not by the declaration: valid UTF-8 is UTF-8.
``read_html_bytes(b"<html>…<h1>Kiểm tra công vụ tại Sở Nội vụ</h1>…")`` → pages ``["Kiểm tra công vụ tại Sở Nội vụ\\n…"]``.
"""
from __future__ import annotations

import re

from .base import IngestedDocument, IngestError
from .text_decoding import decode_text_bytes

_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>")


def decode_html(data: bytes) -> tuple[str, str]:
    """Decode HTML bytes: BOM, then strict UTF-8, then the declared charset, then Vietnamese-aware detection."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = _DECLARED.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii", "ignore").lower()
        if name not in ("utf-8", "utf8"):
            try:
                return data.decode(name), name
            except (LookupError, UnicodeDecodeError):
                pass
    return decode_text_bytes(data)


def read_html_bytes(data: bytes) -> IngestedDocument:
    import trafilatura

    html, encoding = decode_html(data)
    if not html.strip():
        raise IngestError("empty", "HTML page is empty")
    doc = trafilatura.bare_extraction(html, include_tables=True, with_metadata=True, include_comments=False,
                                      favor_recall=True)
    text = (doc.text or "") if doc else ""
    if not text.strip():
        # Pages too small for trafilatura's heuristics (a bare fragment) still have text worth keeping.
        text = trafilatura.html2txt(html) or _TAGS.sub(" ", html)
    title = doc.title if doc else None
    if title and not text.lstrip().startswith(title[:40]):
        text = title + "\n" + text
    if not text.strip():
        raise IngestError("empty", "HTML page has no readable text")
    return IngestedDocument(format="html", pages=[text], title=title, published=(doc.date if doc else None),
                            encoding=encoding)
