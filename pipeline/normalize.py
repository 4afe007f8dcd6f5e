"""Text normalisation applied to every document before extraction.

Offsets in a record point into the normalised text, so everything here runs once, per page, before the extractors.

Example: ``normalize_text("CỘNG HOÀ XÃ HỘI\u00a0CHỦ NGHĨA  VIỆT NAM\r\nÐộc lập")``
→ ``"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập"``.
"""
from __future__ import annotations

import re
import unicodedata

# Look-alike letters seen on real portals (U+00D0 Icelandic eth, U+0189 African D) and invisible characters
# that break tokens ("Qu\u200byết định"). The soft hyphen only marks a possible break, it is never text.
_LOOKALIKE = str.maketrans({
    "\u00d0": "Đ", "\u0189": "Đ", "\u00f0": "đ",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ", "\u3000": " ", "\t": " ",
    "\u200b": None, "\u200c": None, "\u200d": None, "\u2060": None, "\ufeff": None, "\u00ad": None,
})

# Old-style tone placement ("hoà", "thuỷ") → modern ("hòa", "thủy"), the form the referee folds to. Only at the
# end of a syllable and never after "q" ("quý" is a different word shape).
_TONE_PAIRS: dict[str, str] = {}
for _plain, _marked in (("a", "àáảãạ"), ("e", "èéẻẽẹ"), ("y", "ỳýỷỹỵ")):
    _lead, _lead_marked = ("o", "òóỏõọ") if _plain in "ae" else ("u", "ùúủũụ")
    for _i, _m in enumerate(_marked):
        _TONE_PAIRS[_lead + _m] = _lead_marked[_i] + _plain
        _TONE_PAIRS[(_lead + _m).upper()] = (_lead_marked[_i] + _plain).upper()
        _TONE_PAIRS[_lead.upper() + _m] = _lead_marked[_i].upper() + _plain
_TONE_RE = re.compile(r"(?:(?<!\w)|(?<=[^\WqQ]))(" + "|".join(_TONE_PAIRS) + r")(?!\w)")
_SPACES = re.compile(r"[ ]{2,}")
_TRAILING = re.compile(r"[ ]+\n|\n[ ]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _retone(m: re.Match) -> str:
    return _TONE_PAIRS[m.group(1)]


def fold_tone_placement(s: str) -> str:
    """``"Thanh Hoá, thuỷ lợi"`` → ``"Thanh Hóa, thủy lợi"`` (modern placement)."""
    # The lookbehind keeps "qu" out ("quý" is not an old-style "qúy").
    return _TONE_RE.sub(_retone, s)


def normalize_text(s: str) -> str:
    """NFC, look-alike letters, modern tone placement, tidy whitespace; paragraph breaks kept."""
    s = s.replace("\r\n", "\n").replace("\r", "\n")
    s = unicodedata.normalize("NFC", s).translate(_LOOKALIKE)
    s = _CONTROL.sub(" ", s)
    s = fold_tone_placement(s)
    s = _SPACES.sub(" ", s)
    s = _TRAILING.sub("\n", s)
    s = _BLANK_LINES.sub("\n\n", s)
    return s.strip()


def join_pages(pages: list[str], continued: list[bool] | None = None) -> tuple[str, list[int]]:
    """Normalise each page and join them; returns the text and the start offset of every page in it. A paragraph
    that runs over a page break is joined with a space, other page breaks become a blank line."""
    parts, offsets, pos = [], [], 0
    for i, page in enumerate(pages):
        norm = normalize_text(page)
        if parts:
            sep = " " if continued and i - 1 < len(continued) and continued[i - 1] else "\n\n"
            parts.append(sep)
            pos += len(sep)
        offsets.append(pos)
        parts.append(norm)
        pos += len(norm)
    return "".join(parts), offsets
