"""PDF page images for the document view, rendered on demand with pypdfium2 and cached as PNG files.

``page_png(Path("corpus/docs/kl-dat-dai.pdf"), "9f2c…", 0, Path("/tmp/thanhtra-pages"))`` →
``Path("/tmp/thanhtra-pages/9f2c…-0.png")``; a second call returns the cached file without opening the PDF.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

_SCALE = 1.5          # 108 dpi: legible beside the text without megabyte-sized pages


def page_png(pdf: Path, sha256: str, page: int, cache_dir: Path) -> Path | None:
    """The cached PNG of page ``page`` (0-based) of ``pdf``, or None when the file or the page is not there."""
    key = "".join(c for c in sha256 if c.isalnum())[:64] or "nohash"
    target = cache_dir / f"{key}-{int(page)}.png"
    if target.exists():
        return target
    if not pdf.is_file():
        return None
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(pdf))
    except pdfium.PdfiumError:
        return None
    try:
        if not 0 <= page < len(document):
            return None
        image = document[page].render(scale=_SCALE).to_pil()
    finally:
        document.close()
    cache_dir.mkdir(parents=True, exist_ok=True)
    # Write then rename, so a concurrent request never serves a half-written file.
    fd, tmp = tempfile.mkstemp(dir=cache_dir, suffix=".part")
    with os.fdopen(fd, "wb") as out:
        image.save(out, format="PNG")
    os.replace(tmp, target)
    return target
