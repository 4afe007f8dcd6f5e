"""Plain-text files in UTF-8, UTF-16, Windows-1258 or the legacy TCVN3/VNI font encodings.

The encoding is decided from the first 64 KB; the rest is decoded in chunks so a large file never needs two copies of
itself in memory. ``read_text_file("bao-cao.txt")`` on TCVN3 bytes ``b"Uû ban nh\xa9n d\xa9n"`` → ``"Ủy ban nhân dân"``.
"""
from __future__ import annotations

import codecs

from .base import IngestedDocument, IngestError
from .text_decoding import detect_encoding, iter_decode, repair_legacy_font_text

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
        legacy = None
        parts: list[str] = []
        chunks = iter(lambda: fh.read(CHUNK), b"")
        if encoding.startswith("utf"):
            # An incremental decoder keeps a character split across chunks; a stray bad byte far into a large file
            # becomes U+FFFD instead of failing the document.
            decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
            for chunk in chunks:
                part, found = repair_legacy_font_text(decoder.decode(chunk))   # TCVN3 glyph soup pasted into UTF-8
                legacy = legacy or found
                parts.append(part)
            parts.append(decoder.decode(b"", final=True))
        else:
            # Legacy encodings: pieces end at line breaks, so no letter is cut from its combining mark.
            parts.extend(iter_decode(chunks, encoding))
    text = "".join(parts)
    del parts
    encoding = legacy or encoding
    if "\x00" in text[:SAMPLE]:
        raise IngestError("binary", "not a text file: NUL characters after decoding")
    return IngestedDocument(format="text", pages=[text], encoding=encoding)
