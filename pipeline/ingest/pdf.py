"""PDF reading: pypdfium2 for the text layer (fast), pdfplumber only for pages that draw tables, Tesseract for pages
without a text layer.

The text layer is read as positioned line segments, put in reading order, stripped of running headers, footers and
page numbers, and wrapped lines are joined back into paragraphs so tokens broken at a line end come out whole:
``"… theo Kế hoạch số 169/KH-"`` + ``"UBND ngày 12/01/2024"`` → ``"… theo Kế hoạch số 169/KH-UBND ngày 12/01/2024"``.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .base import IngestedDocument, IngestError
from .ocr import ocr_page

MIN_TEXT_CHARS = 16          # fewer visible characters than this and the page is treated as scanned
EDGE_ZONE = 0.09             # top/bottom fraction of the page where running headers and footers live
_PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?(?:trang|page)?\s*\d{1,4}\s*(?:/\s*\d{1,4})?(?:\s*-)?\s*$", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
_PARA_START = re.compile(r"^\s*(?:[-–•+*]\s|[IVXLC]{1,5}\.\s|\d{1,2}(?:\.\d{1,2})*[.)]\s|[a-zđ]\)\s|Điều\s+\d)")


@dataclass(slots=True)
class _Line:
    text: str
    left: float
    right: float
    top: float
    bottom: float
    table: bool = False


def _segments(textpage) -> list[_Line]:
    out = []
    for i in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(i)
        text = textpage.get_text_bounded(left, bottom, right, top).replace("\r", " ").replace("\n", " ").strip()
        # pdfium reports a hyphen at a line end as a "soft hyphen" marker (\x02); it is a real hyphen in the text.
        text = text.replace("\x02", "-").replace("\ufffe", "-")
        if text:
            out.append(_Line(text, left, right, top, bottom))
    return out


def _lines_in_reading_order(segments: list[_Line]) -> list[_Line]:
    """Group segments into lines by vertical overlap, top to bottom, and merge each line left to right. Segments
    far apart on one baseline (the two columns of an official header) stay separate lines, left first, so neither
    column is cut in half."""
    segments.sort(key=lambda s: -s.top)
    rows: list[list[_Line]] = []
    for seg in segments:
        middle = (seg.top + seg.bottom) / 2
        for row in reversed(rows[-3:]):
            if row[0].bottom <= middle <= row[0].top:
                row.append(seg)
                break
        else:
            rows.append([seg])
    lines: list[_Line] = []
    for row in rows:
        row.sort(key=lambda s: s.left)
        current = row[0]
        for seg in row[1:]:
            height = max(seg.top - seg.bottom, 1.0)
            gap = seg.left - current.right
            if gap < height * 2.5:
                # pdfium splits a line into runs at font or symbol changes ("LĐ-TB" "&" "XH"); only a gap as
                # wide as a space is a space.
                current.text += (" " if gap > height * 0.18 else "") + seg.text
                current.right = max(current.right, seg.right)
                current.top, current.bottom = max(current.top, seg.top), min(current.bottom, seg.bottom)
            else:
                lines.append(current)
                current = seg
        lines.append(current)
    return lines


def _edge_key(line: _Line, height: float) -> str | None:
    if line.top > height * (1 - EDGE_ZONE) or line.bottom < height * EDGE_ZONE:
        return _DIGITS.sub("#", line.text.casefold())
    return None


def _drop_running_lines(pages: list[list[_Line]], heights: list[float]) -> None:
    """Remove lines repeated at the top or bottom of several pages, and lone page numbers there."""
    counts: Counter[str] = Counter()
    for lines, h in zip(pages, heights):
        counts.update({k for k in (_edge_key(l, h) for l in lines) if k})
    needed = max(2, (len(pages) + 1) // 2)
    for idx, (lines, h) in enumerate(zip(pages, heights)):
        kept = []
        for line in lines:
            key = _edge_key(line, h)
            if key and (counts[key] >= needed and len(pages) > 1 or _PAGE_NUMBER.match(line.text)):
                continue
            kept.append(line)
        pages[idx] = kept


def _join_wrapped(lines: list[_Line]) -> str:
    """Join lines that wrap inside a paragraph; a line that ends short of the right margin ends its paragraph."""
    if not lines:
        return ""
    body = [l for l in lines if not l.table]
    right_margin = max((l.right for l in body), default=0.0)
    spacing = Counter(round(a.top - b.top) for a, b in zip(body, body[1:]) if a.top > b.top)
    usual = spacing.most_common(1)[0][0] if spacing else 0
    out: list[str] = [lines[0].text]
    for prev, line in zip(lines, lines[1:]):
        height = max(prev.top - prev.bottom, 1.0)
        # Ragged-right text: the line was full when the next line's first word would not have fitted after it.
        char_width = (prev.right - prev.left) / max(len(prev.text), 1)
        first_word = len(line.text.split(" ", 1)[0]) + 1
        full = prev.right + first_word * char_width >= right_margin - height * 0.5
        close = usual and 0 < prev.top - line.top <= usual * 1.25 + 1
        if prev.table or line.table or not (full and close) or _PARA_START.match(line.text):
            out.append("\n" + line.text)
            continue
        tail, head = out[-1], line.text
        if tail.endswith("-") and len(tail) > 1 and tail[-2].isalnum() and head[:1].isalnum():
            # Vietnamese typesetting does not hyphenate syllables, so a line-final hyphen is a real one: "169/KH-"
            # + "UBND", "kinh tế-" + "xã hội". Joined without a space, the token comes out whole.
            out[-1] = tail + head
        elif tail.endswith("/") and head[:1].isalnum():
            out[-1] = tail + head
        else:
            out.append(" " + head)
    return "".join(out)


def _ends_mid_paragraph(lines: list[_Line]) -> bool:
    """The page's last body line reaches the right margin: its paragraph goes on at the top of the next page."""
    body = [l for l in lines if not l.table]
    if len(body) < 2 or lines[-1].table:
        return False
    right_margin = max(l.right for l in body)
    last = body[-1]
    return last.right >= right_margin - max(last.top - last.bottom, 1.0) * 3 and not last.text.rstrip().endswith((".", ":", ";"))


def _table_pages(pdf) -> list[int]:
    """Pages drawing several path objects (ruled tables); only those go through pdfplumber."""
    found = []
    for i in range(len(pdf)):
        page = pdf[i]
        paths = sum(1 for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=2))
        if paths >= 4:
            found.append(i)
        page.close()
    return found


def _tables(path: str, indices: list[int], password: str | None) -> dict[int, list[tuple[tuple, list[list[str]]]]]:
    if not indices:
        return {}
    import pdfplumber  # imported lazily: it is slow to import and most PDFs never need it

    out: dict[int, list] = {}
    with pdfplumber.open(path, password=password or "", pages=[i + 1 for i in indices]) as doc:
        for i, page in zip(indices, doc.pages):
            found = []
            for table in page.find_tables():
                rows = [[(c or "").replace("\n", " ").strip() for c in row] for row in table.extract()]
                rows = [r for r in rows if any(r)]
                if len(rows) >= 2:
                    found.append((table.bbox, rows))
            if found:
                out[i] = found
            page.close()
    return out


def _place_tables(lines: list[_Line], tables, page_height: float) -> list[_Line]:
    """Replace the line segments inside each table by one line per table row, at the table's position."""
    for (x0, top, x1, bottom), rows in tables:
        y_top, y_bottom = page_height - top, page_height - bottom      # pdfplumber measures from the top
        inside = [l for l in lines if x0 - 2 <= (l.left + l.right) / 2 <= x1 + 2
                  and y_bottom - 2 <= (l.top + l.bottom) / 2 <= y_top + 2]
        if not inside:
            continue
        lines = [l for l in lines if l not in inside]
        step = (y_top - y_bottom) / (len(rows) + 1)
        lines += [_Line(" | ".join(r), x0, x1, y_top - step * k, y_top - step * (k + 1), table=True)
                  for k, r in enumerate(rows)]
    lines.sort(key=lambda l: -l.top)
    return lines


def open_pdf(path: str, password: str | None):
    try:
        return pdfium.PdfDocument(path, password=password)
    except pdfium.PdfiumError as exc:
        msg = str(exc).lower()
        if "password" in msg:
            if password:
                raise IngestError("encrypted", "PDF is encrypted and the password given is wrong") from None
            raise IngestError("encrypted", "PDF is encrypted: pass --password to read it") from None
        raise IngestError("corrupt", f"PDF cannot be parsed ({exc})") from None


def read_pdf(path: str, *, password: str | None = None, ocr: bool = True, ocr_lang: str = "vie") -> IngestedDocument:
    """Read a PDF (text layer, tables, OCR for pages without text) into pages of text."""
    pdf = open_pdf(path, password)
    try:
        n = len(pdf)
        if n == 0:
            raise IngestError("corrupt", "PDF has no pages")
        table_map = _tables(path, _table_pages(pdf), password)
        pages_lines: list[list[_Line] | None] = []
        heights: list[float] = []
        scanned: list[int] = []
        for i in range(n):
            page = pdf[i]
            heights.append(page.get_height())
            textpage = page.get_textpage()
            segments = _segments(textpage)
            textpage.close()
            if sum(len(s.text) for s in segments) < MIN_TEXT_CHARS:
                pages_lines.append(None)
                scanned.append(i)
            else:
                lines = _lines_in_reading_order(segments)
                if i in table_map:
                    lines = _place_tables(lines, table_map[i], heights[-1])
                pages_lines.append(lines)
            page.close()
        text_pages = [p for p in pages_lines if p is not None]
        _drop_running_lines(text_pages, [h for p, h in zip(pages_lines, heights) if p is not None])
        it = iter(text_pages)
        texts: list[str] = []
        continued: list[bool] = []
        confidences: list[float] = []
        for i, lines in enumerate(pages_lines):
            if lines is None:
                continued.append(False)
                if not ocr:
                    texts.append("")
                    continue
                text, conf = ocr_page(pdf[i], lang=ocr_lang)
                texts.append(text)
                confidences.append(conf)
            else:
                kept = next(it)
                continued.append(_ends_mid_paragraph(kept))
                texts.append(_join_wrapped(kept))
        for i in range(len(texts) - 1):
            if continued[i] and _PARA_START.match(texts[i + 1]):
                continued[i] = False
        tables = [rows for i in sorted(table_map) for _, rows in table_map[i]]
        return IngestedDocument(
            format="pdf", pages=texts, tables=tables, continued=continued,
            ocr_pages=[i + 1 for i in scanned] if ocr else [],
            ocr_confidence=round(sum(confidences) / len(confidences), 1) if confidences else None,
        )
    finally:
        pdf.close()
