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
        legacy = None
        parts: list[str] = []
        # Single-byte legacy encodings decode chunk by chunk; multi-byte ones need an incremental decoder so a
        # character split across chunks survives.
        decoder = None if encoding in ("tcvn3", "vni") else codecs.getincrementaldecoder(encoding)(errors="replace")
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            part = decode_with(chunk, encoding) if decoder is None else decoder.decode(chunk)
            if encoding in ("utf-8", "utf-8-sig"):
                # Text pasted from old Word files keeps TCVN3 glyph soup inside valid UTF-8.
                part, found = repair_legacy_font_text(part)
                legacy = legacy or found
            parts.append(part)
        if decoder is not None:
            parts.append(decoder.decode(b"", final=True))
    text = "".join(parts)
    del parts
    encoding = legacy or encoding
    if "\x00" in text[:SAMPLE]:
        raise IngestError("binary", "not a text file: NUL characters after decoding")
    return IngestedDocument(format="text", pages=[text], encoding=encoding)
