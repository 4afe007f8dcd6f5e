"""Finding segmentation: which sentences of a document report what an inspection, check, audit, review or
investigation found at a unit (or what it recommends), and which unit and amounts each one concerns.

Two kinds of evidence decide. In official documents the section a sentence stands in ("II. KẾT QUẢ KIỂM TRA, XÁC MINH",
"III. KẾT LUẬN", "IV. KIẾN NGHỊ") says whether it is a result, a recommendation or background. In news, a sentence must
carry an evaluative cue (vi phạm, tồn tại, chấp hành nghiêm …) or a remedy cue, and either an inspection cue of its own
(qua kiểm tra, phát hiện, kết luận …) or stand in a document that reports an inspection. Allegations nobody has verified
("bị tố", "theo đơn phản ánh") and announcements of future checks ("sẽ thanh tra") are left out.

``find_findings("Qua kiểm tra, Đoàn phát hiện UBND xã chi sai 120 triệu đồng.", facts)`` →
``[Finding(text="Qua kiểm tra, Đoàn phát hiện UBND xã chi sai 120 triệu đồng.", start=0, end=58, unit="UBND xã",
amounts=[120000000])]`` (labels are filled in by ``classify``).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from ..record import Finding
from .cues import COMPLIANT_CUES, REMEDY_CUES, SERIOUS_CUES, SHORTCOMING_CUES, VIOLATION_OUTCOME_CUES

# A sentence ends at a line break, or at . ! ? … followed by space and a capital, digit, quote or dash.
_BOUNDARY = re.compile(r"\n+|(?<=[.!?…])[\"”’)]*\s+(?=[\"“‘(\-–—•+]?\s*[A-ZĐÀ-Ỹ0-9])")
_ABBREVIATION_END = re.compile(r"(?:\b[A-ZĐ][A-Za-zĐđ]{0,3}|\b[a-zđ]{1,2}|\d)\.$")

_HEADING = re.compile(
    r"^\s*(?:(?:[IVXL]{1,5}|[A-Z]|\d{1,2}(?:\.\d{1,2})*)[.)/-]\s*|(?:PHẦN|Phần|MỤC|Mục|Chương|CHƯƠNG)\s+\w+[.:]?\s*)?"
    r"(?P<title>[^\n]{0,160})$")
_RESULT_SECTION = re.compile(
    r"kết quả (thanh tra|kiểm tra|xác minh|giám sát|kiểm toán|rà soát)|kết luận|nhận xét|đánh giá|tồn tại|hạn chế|"
    r"vi phạm|sai phạm|thiếu sót|ưu điểm|khuyết điểm|trách nhiệm|nguyên nhân|kết quả", re.IGNORECASE)
_REMEDY_SECTION = re.compile(
    r"kiến nghị|biện pháp|xử lý|tổ chức thực hiện|yêu cầu|đề nghị|chỉ đạo|về kinh tế|về quản lý|về trách nhiệm|"
    r"chuyển cơ quan|điều \d+", re.IGNORECASE)
_BACKGROUND_SECTION = re.compile(
    r"khái quát|đặc điểm|tình hình chung|căn cứ|mục đích|yêu cầu của|nội dung (thanh tra|kiểm tra)|phạm vi|"
    r"thời (gian|kỳ)|thành phần|phương pháp|tổ chức (đoàn|việc)|kinh phí thực hiện|nơi nhận", re.IGNORECASE)

_INSPECTION_CONTEXT = re.compile(
    r"(?<!\w)(?:thanh tra|kiểm tra|kiểm toán|điều tra|xác minh|rà soát|giám sát|phát hiện|kết luận|cho thấy|"
    r"xác định|chỉ ra|chỉ rõ|làm rõ|ghi nhận|đánh giá|nhận thấy|xử phạt|kỷ luật|khởi tố|truy tố|xét xử|"
    r"vi phạm|sai phạm|kiến nghị|yêu cầu|đề nghị|quyết định|buộc|bị phạt|bị bắt|tạm giam|cách chức|"
    r"khiển trách|cảnh cáo|thu hồi|xuất toán)(?!\w)")
# Unverified claims: the press or a complainant says so and no body has checked yet.
_ALLEGATION = re.compile(
    r"(?<!\w)(?:bị tố|tố cáo rằng|theo đơn|đơn tố cáo|phản ánh (rằng|của|việc)|người dân (cho rằng|phản ánh|bức xúc)|"
    r"nghi vấn|nghi ngờ|có thông tin|dư luận|bạn đọc|theo phản ánh|được cho là|tin đồn|tố giác)(?!\w)")
_VERIFIED = re.compile(
    r"(?<!\w)(?:kết luận|qua (thanh tra|kiểm tra|xác minh|rà soát)|xác minh (cho thấy|của)|xác định|đã xử lý|"
    r"bị xử phạt|thừa nhận|cơ quan điều tra)(?!\w)")
# Announcements and conditionals: what a body will do or would do, not what it found.
_FUTURE = re.compile(
    r"(?<!\w)(?:sẽ (tiến hành |tổ chức |thành lập |có |)(thanh tra|kiểm tra|xác minh|làm rõ|kiểm toán)|"
    r"kế hoạch (thanh tra|kiểm tra)|dự kiến|chuẩn bị (thanh tra|kiểm tra)|thời hạn thanh tra|"
    r"đối tượng thanh tra|thời kỳ thanh tra|nội dung thanh tra|quyết định thanh tra|thành lập đoàn)(?!\w)")
_CONDITIONAL = re.compile(
    r"(?<!\w)(?:nếu|hễ|giả sử|trường hợp (nào )?(phát hiện|có|vi phạm|sai phạm)|(ai|nào) (vi phạm|sai phạm|sai)|"
    r"bất kỳ (ai|cá nhân|đơn vị|trường hợp)|không để xảy ra|tránh (để )?xảy ra|phòng ngừa)(?!\w)")
_PAST_RESULT = re.compile(
    r"(?<!\w)(?:đã (phát hiện|xử lý|kết luận|xử phạt|thu hồi)|(đã|đều|qua \w+ \w+,?) phát hiện|"
    r"kết luận (cho thấy|chỉ rõ|nêu|khẳng định|xác định)|cho thấy)(?!\w)")

_EVALUATIVE = (SERIOUS_CUES, VIOLATION_OUTCOME_CUES, SHORTCOMING_CUES, COMPLIANT_CUES)
_UNIT_LOOKBACK = 300
_MAX_SENTENCE = 1200


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    section: str          # result, remedy, background, other, title
    heading: bool = False


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: line breaks and sentence-final punctuation before a capital end a sentence.

    ``split_sentences("Qua kiểm tra phát hiện sai phạm. UBND TP. Hà Nội chỉ đạo xử lý.")`` →
    ``[(0, 32), (33, 65)]`` ("TP." is an abbreviation, not an end).
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if m.group()[0] != "\n" and _ABBREVIATION_END.search(text, max(start, m.start() - 6), m.start()):
            continue
        _append(spans, text, start, m.start())
        start = m.end()
    _append(spans, text, start, len(text))
    return spans


def _append(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    # Run-on crawled text: cut very long stretches at "; " so one finding stays readable.
    while end - start > _MAX_SENTENCE:
        cut = text.rfind("; ", start, start + _MAX_SENTENCE)
        if cut <= start:
            cut = text.rfind(", ", start, start + _MAX_SENTENCE)
        if cut <= start:
            break
        spans.append((start, cut + 1))
        start = cut + 2
    if end > start:
        spans.append((start, end))


def _heading(line: str) -> tuple[bool, str | None]:
    """(is the line a heading, the section it opens). Roman-numbered or upper-case headings open a section;
    "1. Ưu điểm", "2. Về quản lý" are headings inside the current section."""
    stripped = line.strip()
    if not stripped or len(stripped) > 160:
        return False, None
    roman = re.match(r"^(?:[IVXL]{1,5}|PHẦN \w+|Phần \w+|MỤC \w+|CHƯƠNG \w+)[.)/:]?\s", stripped)
    numbered = re.match(r"^(?:\d{1,2}(?:\.\d{1,2})*|[a-zđ])[.)/]\s", stripped)
    letters = [c for c in stripped if c.isalpha()]
    upper = len(letters) > 3 and sum(c.isupper() for c in letters) / len(letters) > 0.8
    if not (roman or numbered or upper) or (stripped.endswith((".", ";")) and not upper) or (
            stripped.endswith(":") and len(stripped) > 60 and not upper):
        return False, None
    if numbered and not upper and len(stripped) > 120:
        return False, None
    if not (roman or upper):
        return True, None
    title = _HEADING.match(stripped).group("title")
    if _BACKGROUND_SECTION.search(title):
        return True, "background"
    if _REMEDY_SECTION.search(title):
        return True, "remedy"
    if _RESULT_SECTION.search(title):
        return True, "result"
    return True, None


def sentences_with_sections(text: str) -> list[Sentence]:
    """Every sentence with the section it stands in; the first line of a text without headings is its title.

    ``sentences_with_sections("III. KẾT LUẬN\\nXã giao đất trái thẩm quyền.")`` →
    ``[Sentence(0, 13, "result", heading=True), Sentence(14, 41, "result")]``.
    """
    out: list[Sentence] = []
    section = "other"
    for start, end in split_sentences(text):
        line_start = text.rfind("\n", 0, start) + 1
        if line_start == start:
            line_end = text.find("\n", start)
            line_end = len(text) if line_end < 0 else line_end
            if line_end == end:
                is_heading, opened = _heading(text[start:end])
                if is_heading:
                    section = opened or section
                    out.append(Sentence(start, end, section, heading=True))
                    continue
        out.append(Sentence(start, end, "title" if not out and start == 0 and "\n" in text[end:end + 2] else section))
    return out


def _is_evaluative(low: str) -> bool:
    return any(rx.search(low) for rx in _EVALUATIVE)


def _has_remedy(low: str) -> bool:
    return any(rx.search(low) for rx in REMEDY_CUES.values())


def is_finding_sentence(sentence: str, section: str, *, inspection_document: bool) -> bool:
    """Whether one sentence reports a result (or a remedy) of a check, given its section and the document.

    ``is_finding_sentence("Qua kiểm tra, phát hiện 5 công chức đi muộn.", "other", inspection_document=True)`` → True;
    ``is_finding_sentence("Thanh tra tỉnh sẽ thanh tra việc giao đất tại xã.", "other", inspection_document=True)`` → False.
    """
    low = sentence.lower()
    if section == "background":
        return False
    if _FUTURE.search(low) and not _PAST_RESULT.search(low) or _CONDITIONAL.search(low) or low.rstrip().endswith("?"):
        return False
    evaluative = _is_evaluative(low)
    remedy = _has_remedy(low)
    if not (evaluative or remedy):
        return False
    if _ALLEGATION.search(low) and not _VERIFIED.search(low):
        return False
    if section in ("result", "remedy"):
        return True
    if _INSPECTION_CONTEXT.search(low):
        return inspection_document or bool(_VERIFIED.search(low))
    return inspection_document and evaluative and section != "title"


def _unit_for(start: int, end: int, unit_starts: list[int], units) -> str | None:
    """The first unit named inside the sentence, else the last one named shortly before it."""
    i = bisect_left(unit_starts, start)
    if i < len(units) and units[i].start < end:
        return units[i].text
    j = bisect_right(unit_starts, start) - 1
    if j >= 0 and start - units[j].end <= _UNIT_LOOKBACK:
        return units[j].text
    return None


def find_findings(text: str, facts, *, inspection_document: bool = True) -> list[Finding]:
    """Finding sentences of `text` with their unit and VND amounts; labels stay empty for ``classify`` to fill.

    ``find_findings("Qua kiểm tra, Đoàn phát hiện UBND xã chi sai 120 triệu đồng.", facts)`` →
    ``[Finding(text="Qua kiểm tra, …", start=0, end=58, unit="UBND xã", amounts=[120000000])]``.
    """
    return [f for f, _ in find_finding_sections(text, facts, inspection_document=inspection_document)]


def find_finding_sections(text: str, facts, *, inspection_document: bool = True) -> list[tuple[Finding, str]]:
    """``find_findings`` with the section each finding stands in (result, remedy, other, title).

    ``find_finding_sections("IV. KIẾN NGHỊ\\nThu hồi nộp ngân sách 86.500.000 đồng.", facts)`` →
    ``[(Finding(text="Thu hồi nộp ngân sách 86.500.000 đồng.", …), "remedy")]``.
    """
    units = sorted(getattr(facts, "units", None) or [], key=lambda u: u.start)
    unit_starts = [u.start for u in units]
    amounts = sorted((a for a in getattr(facts, "amounts", None) or [] if (a.currency or "VND") == "VND"),
                     key=lambda a: a.start)
    amount_starts = [a.start for a in amounts]
    out: list[tuple[Finding, str]] = []
    for s in sentences_with_sections(text):
        sentence = text[s.start:s.end]
        if s.heading or not is_finding_sentence(sentence, s.section, inspection_document=inspection_document):
            continue
        lo, hi = bisect_left(amount_starts, s.start), bisect_left(amount_starts, s.end)
        out.append((Finding(text=sentence, start=s.start, end=s.end,
                            unit=_unit_for(s.start, s.end, unit_starts, units),
                            amounts=[int(a.value) for a in amounts[lo:hi] if a.end <= s.end]), s.section))
    return out
