"""Document references: every mention of a document by its number and symbol (GUIDE.md §2 "references",
BRIEF.md §1).

- `extract_references(text)` — every mention in text order, one `Reference` per number.
- `parse_reference(s)` — one number/symbol string on its own ("4379/QĐ-UBND", "2096/KLUBND").
- `find_document_number(text)` — the document's own "Số: 143/SNV-TT" header line.

What decides whether a match counts: a full symbol (4379/QĐ-UBND, 86/2011/NĐ-CP, 60-NQ/TW) counts on its own;
a bare number/year (11/2016), a lone unknown group (32/C46), a lower-case symbol (qđ-ubnd) or a list of numbers
sharing one symbol (09, 10, 11/KL-TTr) counts only after a type word or "số", or when joined by "và", "&" or ","
to a reference that had one. Recipient blocks ("Nơi nhận: …"), "Lưu: VT, …" lines and form codes
("Mẫu số 03/BC-TT") never count.

Example: "theo Quyết định số 4379/QĐ-UBND ngày 10-11-2022 của UBND" → [Reference(id="4379/QĐ-UBND",
type="Quyết định", issuer="UBND", issued_at="2022-11-10", style="administrative",
text="Quyết định số 4379/QĐ-UBND ngày 10-11-2022", start=5, end=47)].
"""
from __future__ import annotations

import bisect
import datetime as dt
import re

from pipeline.extract.reference_grammar import CORE_RE, DASHES, Core, read_core
from pipeline.record import Reference

# Type words, longest first within a family so "Thông tư liên tịch" wins over "Thông tư".
_TYPE_WORDS: tuple[tuple[str, str], ...] = (
    ("thông báo kết luận", "Thông báo"), ("thông báo", "Thông báo"),
    ("kết luận", "Kết luận"), ("quyết định", "Quyết định"), ("công văn", "Công văn"), ("công điện", "Công điện"),
    ("công thư", "Công văn"), ("văn bản hợp nhất", "Văn bản hợp nhất"), ("văn bản", "Công văn"),
    ("chỉ thị", "Chỉ thị"), ("kế hoạch", "Kế hoạch"), ("tờ trình", "Tờ trình"), ("nghị định", "Nghị định"),
    ("thông tư liên tịch", "Thông tư liên tịch"), ("thông tư", "Thông tư"),
    ("nghị quyết liên tịch", "Nghị quyết liên tịch"), ("nghị quyết", "Nghị quyết"), ("bộ luật", "Luật"),
    ("luật", "Luật"), ("pháp lệnh", "Pháp lệnh"), ("báo cáo", "Báo cáo"), ("biên bản", "Biên bản"),
    ("hướng dẫn", "Hướng dẫn"), ("quy định", "Quy định"), ("quy chế", "Quy chế"),
    ("chương trình", "Chương trình"), ("đề án", "Đề án"), ("phương án", "Phương án"), ("giấy phép", "Giấy phép"),
    ("phiếu chuyển", "Phiếu chuyển"), ("phiếu báo", "Phiếu báo"), ("giấy mời", "Giấy mời"),
    ("hợp đồng", "Hợp đồng"), ("thông cáo", "Thông cáo"), ("bản án", "Bản án"),
)
_TYPE_BY_WORD = {w: t for w, t in _TYPE_WORDS}
# Abbreviations written as a type word ("QĐ 704/QĐ-SNNMT", "TT 85/2025/TT-BNNMT"); case matters here.
_TYPE_ABBREVIATIONS = {"QĐ": "Quyết định", "CV": "Công văn", "NĐ": "Nghị định", "TT": "Thông tư",
                       "NQ": "Nghị quyết", "KL": "Kết luận", "CT": "Chỉ thị", "KH": "Kế hoạch", "TB": "Thông báo"}
# Generic words name no type of their own: the symbol's type code wins over them ("văn bản số 12/KL-TTr").
_GENERIC_TYPES = frozenset({"văn bản"})
# Words that can sit between a type word and its number without "số" ("Quyết định hành chính 166/QĐ-UBND").
_QUALIFIERS = r"(?:thanh tra|kiểm tra|hành chính|xử phạt(?: vi phạm hành chính)?|liên tịch|kết luận(?: thanh tra)?)"

_WORDS_ALT = "|".join(re.escape(w) for w, _ in _TYPE_WORDS)
_ABBR_ALT = "|".join(map(re.escape, _TYPE_ABBREVIATIONS))
_TYPE_WORD_RE = re.compile(rf"(?<!\w)(?:(?P<word>(?i:{_WORDS_ALT}))|(?P<abbr>{_ABBR_ALT}))(?!\w)")
# What may stand between a type word and the number: nothing, a qualifier, or a few lower-case words before "số".
# "số", "Số hiệu", "Số/Ký hiệu" (document portals), "Ký hiệu", "No." (English versions).
_SO_WORD = (r"(?:(?:số|Số|SỐ)(?:[ \t]*/?[ \t]*(?:ký|Ký|KÝ)[ \t]+(?:hiệu|HIỆU)|[ \t]+(?:hiệu|HIỆU))?"
            r"|(?:Ký|KÝ)[ \t]+(?:hiệu|HIỆU)|No\.?)")
_SO = rf"{_SO_WORD}\s*[:.]?\s*"
_GAP_DIRECT_RE = re.compile(rf"(?:\s+(?i:{_QUALIFIERS}))?\s*:?\s*(?:{_SO})?")
_GAP_WORDS_RE = re.compile(rf"(?:\s+[a-zà-ỹđ]+){{0,7}}\s+{_SO}")
_SO_TAIL_RE = re.compile(rf"(?<!\w){_SO}\Z")
_FORM_TAIL_RE = re.compile(r"(?<!\w)(?i:mẫu|biểu|phụ lục)(?:\s+(?i:số|mẫu|biểu))?\s*[:.]?\s*\Z")
# An issue of a periodical ("Tạp chí Thanh tra số 5/2017") is numbered like a document but is not one.
_PERIODICAL_TAIL_RE = re.compile(r"(?<!\w)(?i:tạp chí|bản tin|ấn phẩm|đặc san|kỳ báo|báo)(?:\s+\S+){0,3}\s+\Z")
# Several numbers sharing one symbol: "09, 10, 11/KL-TTr", "09, 10 và 11/KL-TTr".
_LIST_TAIL_RE = re.compile(r"(?:(?<![\w./])\d{1,5}[a-zA-Z]?[ \t]*(?:,[ \t]*(?:và[ \t]+)?|và[ \t]+|&[ \t]*))+\Z")
_LIST_ITEM_RE = re.compile(r"\d{1,5}[a-zA-Z]?")
# Joins a reference to the previous one: "73/NQ-CP và 116/NQ-CP", "704/QĐ-SNNMT & 595/QĐ-SNNMT".
_JOIN_RE = re.compile(r"\s*(?:,|;|&|và|hoặc)\s*(?:và\s+)?")
_DATE_SEP = "[/." + re.escape(DASHES) + "]"
_DATE_AFTER_RE = re.compile(
    rf"[ \t]*,?[ \t]*(?i:ngày)[ \t]*(?P<d>\d{{1,2}})(?:[ \t]*{_DATE_SEP}[ \t]*(?P<m>\d{{1,2}})"
    rf"(?:[ \t]*{_DATE_SEP}[ \t]*(?P<y>\d{{4}}|\d{{2}}))?(?!\d)"
    r"|[ \t]+tháng[ \t]+(?P<m2>\d{1,2})(?:[ \t]+năm[ \t]+(?P<y2>\d{4}))?)(?!\d)"
)
# Recipient block: the line starting "Nơi nhận" and the bullet lines after it. A non-bullet line stays in the
# block only between two bullets (a wrapped recipient, or the signature column the PDF layer interleaved), so
# an annex after the block is still read even when the text has no blank lines.
_RECIPIENTS_RE = re.compile(
    r"(?m)^[ \t]*(?:[-–•+*][ \t]*)?(?i:nơi nhận)[^\n]*"
    r"(?:\n(?:[ \t]*[-–—+•*][^\n]*|[ \t]*[^\s\-–—+•*][^\n]*(?=\n[ \t]*[-–—+•*])))*"
)
_FILED_LINE_RE = re.compile(r"(?m)^[ \t]*(?:[-–•+*][ \t]*)?Lưu(?:[ \t]*:|[ \t]+(?:VT|HS|hồ sơ)\b)[^\n]*")
_LABEL_RE = re.compile(rf"^{_SO}")
_LEAD_WINDOW = 90
_HEADER_LIMIT = 3000
# "Số:" in a header: at a line start, or after a column gap when the PDF layer joined two header columns.
_HEADER_NUMBER_RE = re.compile(
    rf"(?m)(?:^[ \t]*|[ \t]{{2,}}|\t){_SO_WORD}[ \t]*:?[ \t]*|(?<!\w){_SO_WORD}[ \t]*:[ \t]*")
_BLANK_NUMBER_RE = re.compile(r"[ \t._…]*/")
_BODY_START_RE = re.compile(r"(?m)^[ \t]*(?:Căn cứ|CĂN CỨ|Kính gửi|KÍNH GỬI)")


def _excluded_zones(text: str) -> list[tuple[int, int]]:
    zones = [m.span() for m in _RECIPIENTS_RE.finditer(text)]
    zones += [m.span() for m in _FILED_LINE_RE.finditer(text)]
    zones.sort()
    return zones


def _in_zones(pos: int, zones: list[tuple[int, int]], starts: list[int]) -> bool:
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and zones[i][0] <= pos < zones[i][1]


def _issued_at(m: re.Match) -> str | None:
    day, month, year = m.group("d"), m.group("m") or m.group("m2"), m.group("y") or m.group("y2")
    if not (month and year and len(year) == 4):
        return None
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _lead(text: str, pos: int) -> tuple[int, str | None, str | None] | None:
    """What directly precedes a number at `pos`: (start, type name, kind), kind being "type", "generic"
    ("văn bản"), "so" or "form" ("Mẫu số 03/BC-TT"); None when nothing does.

    "… theo Quyết định số " → (5, "Quyết định", "type"); "… tại số " → (4, None, "so").
    """
    lo = max(0, pos - _LEAD_WINDOW)
    window = text[lo:pos]
    if _FORM_TAIL_RE.search(window):
        return (pos, None, "form")
    so = _SO_TAIL_RE.search(window)
    best = None
    for m in _TYPE_WORD_RE.finditer(window):
        gap = window[m.end():]
        if _GAP_DIRECT_RE.fullmatch(gap) or (so and _GAP_WORDS_RE.fullmatch(gap)):
            best = m
    if best is not None:
        word = best.group("word")
        if word is not None:
            key = word.lower()
            generic = key in _GENERIC_TYPES
            return (lo + best.start(), _TYPE_BY_WORD[key], "generic" if generic else "type")
        return (lo + best.start(), _TYPE_ABBREVIATIONS[best.group("abbr")], "type")
    if so:
        return (lo + so.start(), None, "so")
    return None


def _make(text: str, core: Core, number: str, start: int, ctx_type: str | None, ctx_kind: str | None,
          date: re.Match | None) -> Reference:
    end = date.end() if date else core.end
    specific = ctx_kind == "type"
    ref_type = ctx_type if specific or core.type is None else core.type
    return Reference(
        text=text[start:end], start=start, end=end, id=number + core.tail, type=ref_type, issuer=core.issuer,
        year=core.year, issued_at=_issued_at(date) if date else None, style=core.style,
    )


def extract_references(text: str, *, repair_fused: bool = True) -> list[Reference]:
    """Every document reference in `text`, in text order, one per number (a set per document for scoring).

    "Kết luận thanh tra số 09, 10/KL-TTr ngày 20/6/2024 và Nghị định 86/2011/NĐ-CP" →
    [Reference(id="09/KL-TTr", type="Kết luận", issued_at="2024-06-20", ...),
     Reference(id="10/KL-TTr", ...), Reference(id="86/2011/NĐ-CP", type="Nghị định", year=2011, ...)].
    `repair_fused` splits a fused symbol at known codes ("2096/KLUBND" → "2096/KL-UBND").
    """
    refs: list[Reference] = []
    zones = _excluded_zones(text)
    zone_starts = [z[0] for z in zones]
    prev_end = -1
    prev_type: str | None = None
    prev_led = False
    for m in CORE_RE.finditer(text):
        start = m.start()
        if zones and _in_zones(start, zones, zone_starts):
            continue
        core = read_core(m, repair_fused)
        if core is None:
            continue
        numbers = [core.number]
        first_num_start = start
        window_lo = max(0, start - _LEAD_WINDOW)
        listed = _LIST_TAIL_RE.search(text, window_lo, start)
        lead = _lead(text, listed.start() if listed else start)
        if listed and lead is not None and lead[2] != "form":
            first_num_start = listed.start()
            numbers = _LIST_ITEM_RE.findall(listed.group()) + numbers
        elif listed:
            lead = _lead(text, start)
        if lead is not None and lead[2] == "form":
            continue
        joined = (prev_led and prev_end >= 0 and prev_end <= first_num_start
                  and _JOIN_RE.fullmatch(text, prev_end, first_num_start) is not None)
        if core.needs_lead and lead is None and not joined:
            continue
        if (core.style == "number_year" and lead is not None and lead[2] == "so"
                and _PERIODICAL_TAIL_RE.search(text, max(0, lead[0] - 40), lead[0])):
            continue
        if lead is not None:
            ref_start, ctx_type, ctx_kind = lead
        else:
            ref_start, ctx_kind = first_num_start, None
            ctx_type = prev_type if joined else None
        date = _DATE_AFTER_RE.match(text, core.end)
        for number in numbers:
            refs.append(_make(text, core, number, ref_start, ctx_type, ctx_kind, date))
        prev_end = refs[-1].end
        prev_type = refs[-1].type
        prev_led = lead is not None or joined
    return refs


def parse_reference(s: str, *, repair_fused: bool = True) -> Reference | None:
    """Parse one number/symbol string into a canonical Reference, or None when it is not one.

    "4379/QĐ-UBND" → Reference(id="4379/QĐ-UBND", type="Quyết định", issuer="UBND", style="administrative");
    "2096/KLUBND" → Reference(id="2096/KL-UBND", type="Kết luận"); "60-NQ/TW" → id "60-NQ/TW", style "party";
    "11/2016" → id "11/2016", style "number_year"; "28/01/2021" → None.
    """
    stripped = _LABEL_RE.sub("", s.strip().strip(".,;:()[]\"'"))
    m = CORE_RE.match(stripped)
    if m is None:
        return None
    core = read_core(m, repair_fused)
    if core is None or stripped[core.end:].strip():
        return None
    return Reference(text=s, start=0, end=len(s), id=core.id, type=core.type, issuer=core.issuer,
                     year=core.year, style=core.style)


def find_document_number(text: str) -> Reference | None:
    """The document's own number from its header ("Số: 143/SNV-TT"), or None (news, drafts with "Số: /…").

    "SỞ NỘI VỤ\\nSố: 143/SNV-TT\\nV/v kiểm tra công vụ" → Reference(id="143/SNV-TT", type="Công văn",
    issuer="SNV", style="letter", text="Số: 143/SNV-TT", start=10, end=24).
    """
    limit = min(len(text), _HEADER_LIMIT)
    body = _BODY_START_RE.search(text, 0, limit)
    if body is not None:
        limit = body.start()
    for h in _HEADER_NUMBER_RE.finditer(text, 0, limit):
        pos = h.end()
        if _BLANK_NUMBER_RE.match(text, pos):
            return None
        m = CORE_RE.match(text, pos)
        if m is None:
            continue
        core = read_core(m)
        if core is None:
            continue
        label = h.start() + len(h.group()) - len(h.group().lstrip())
        return Reference(text=text[label:core.end], start=label, end=core.end, id=core.id, type=core.type,
                         issuer=core.issuer, year=core.year, style=core.style)
    return None


__all__ = ["extract_references", "find_document_number", "parse_reference"]
