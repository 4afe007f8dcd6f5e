"""Decide a file's format from its first bytes, never from its name.

``sniff_format(b"%PDF-1.7\\n…")`` → ``"pdf"``; a Word file renamed ``.txt`` is still ``"docx"``.
"""
from __future__ import annotations

import re

_HTML_START = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|title)\b",
                         re.IGNORECASE | re.DOTALL)
_HTML_TAGS = re.compile(rb"<(p|div|article|br|span|a\s)[\s>/]", re.IGNORECASE)


def sniff_format(head: bytes) -> str:
    """Return pdf, docx (any zip; the DOCX reader checks the parts), doc, rtf, image, html or text."""
    body = head.lstrip(b"\xef\xbb\xbf")
    if head.startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if body.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")):
        return "image"
    if _HTML_START.match(body) or len(_HTML_TAGS.findall(body[:8192])) >= 3:
        return "html"
    return "text"
