"""Plain-text files in UTF-8, UTF-16, Windows-1258 or the legacy TCVN3/VNI font encodings.

The encoding is decided from the first 64 KB; the rest is decoded in chunks so a large file never needs two copies of
itself in memory. ``read_text_file("bao-cao.txt")`` on TCVN3 bytes ``b"Uû ban nh\xa9n d\xa9n"`` → ``"Ủy ban nhân dân"``.
"""
from __future__ import annotations

import codecs

from .base import IngestedDocument, IngestError
from .text_decoding import decode_with, detect_encoding, repair_legacy_font_text

SAMPLE = 64 * 1024
CHUNK = 4 * 1024 * 1024


def read_text_file(path: str) -> IngestedDocument:
    with open(path, "rb") as fh:
        sample = fh.read(SAMPLE)
        if not sample.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
            raise IngestError("empty", "text file has no content")
        try:
            encoding = detect_encoding(sample)
        except ValueError as exc:
            raise IngestError("binary", f"not a text file: {exc}") from None
        fh.seek(0)
        if encoding in ("tcvn3", "vni"):
            # Single-byte legacy encodings: every chunk boundary is a character boundary.
            parts = [decode_with(chunk, encoding) for chunk in iter(lambda: fh.read(CHUNK), b"")]
        else:
            decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
            parts = [decoder.decode(chunk) for chunk in iter(lambda: fh.read(CHUNK), b"")]
            parts.append(decoder.decode(b"", final=True))
    text = "".join(parts)
    if encoding in ("utf-8", "utf-8-sig"):
        # Text pasted from old Word files keeps TCVN3 glyph soup inside valid UTF-8.
        text, legacy = repair_legacy_font_text(text)
        encoding = legacy or encoding
    if "\x00" in text[:SAMPLE]:
        raise IngestError("binary", "not a text file: NUL characters after decoding")
    return IngestedDocument(format="text", pages=[text], encoding=encoding)
