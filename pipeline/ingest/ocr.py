"""Tesseract OCR for scanned pages (Debian packages ``tesseract-ocr`` and ``tesseract-ocr-vie``).

Each page is rendered by pypdfium2 at 300 dpi in grey, one page at a time so memory stays flat, and read with the
Vietnamese model; words are regrouped into Tesseract's paragraphs:
``ocr_page(pdf[0])`` → ``("KẾT LUẬN THANH TRA\\nVề việc chấp hành …", 91.4)``.
"""
from __future__ import annotations

import shutil
from collections import defaultdict
from functools import lru_cache

from .base import IngestError

OCR_DPI = 300


@lru_cache(maxsize=1)
def _tesseract_languages() -> frozenset[str]:
    import pytesseract

    if not shutil.which("tesseract"):
        return frozenset()
    try:
        return frozenset(pytesseract.get_languages(config=""))
    except Exception:  # a broken install reads as "no OCR", which the caller reports
        return frozenset()


def ocr_image(image, lang: str = "vie") -> tuple[str, float]:
    """OCR one PIL image; returns (text with one paragraph per line, mean word confidence 0-100)."""
    import pytesseract

    langs = _tesseract_languages()
    if lang not in langs:
        raise IngestError("ocr_unavailable",
                          f"page needs OCR but Tesseract with language '{lang}' is not installed "
                          "(apt-get install tesseract-ocr tesseract-ocr-vie)")
    data = pytesseract.image_to_data(image, lang=lang, config="--psm 3", output_type=pytesseract.Output.DICT)
    paragraphs: dict[tuple[int, int], list[str]] = defaultdict(list)
    confidences = []
    for word, conf, block, par in zip(data["text"], data["conf"], data["block_num"], data["par_num"]):
        word = word.strip()
        if not word:
            continue
        paragraphs[(block, par)].append(word)
        if float(conf) >= 0:
            confidences.append(float(conf))
    text = "\n".join(" ".join(words) for _, words in sorted(paragraphs.items()))
    return text, (sum(confidences) / len(confidences) if confidences else 0.0)


def ocr_page(page, lang: str = "vie") -> tuple[str, float]:
    """OCR one pypdfium2 page."""
    bitmap = page.render(scale=OCR_DPI / 72, grayscale=True)
    try:
        image = bitmap.to_pil()
        return ocr_image(image, lang)
    finally:
        bitmap.close()
