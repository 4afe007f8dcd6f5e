"""Date mentions in Vietnamese administrative text and news (BRIEF.md §2, GUIDE.md §2 "dates").

`extract_dates` finds every calendar date, month and quarter in text order; `find_issue_date` reads the document's
own "<Place>, ngày … tháng … năm …" line and `find_publication_date` a news byline.

Conventions that callers rely on:
- `DateMention.value` is `YYYY-MM-DD`, `YYYY-MM`, `YYYY-Qn` or `YYYY` (precision "year", only for "năm 2022");
  a day the text gives without a year that nothing in the text fixes is `--MM-DD` (a month or quarter without a
  year is dropped). Years are never guessed; in order they come from the mention itself, its range or list
  partner, a lunar year name or a lunar equivalent ("3-2 (mùng 7 Tết)" holds in 2017, not in the years around
  it), the latest dated neighbour within a few sentences of the same paragraph (a crawled article is often one
  long line), the document's own date line or byline, and last `reference_date`. Neighbours more than a year
  older than the text's own latest date are other events and lend nothing; a written weekday vetoes a wrong year.
- A lunar date written next to its solar equivalent ("ngày 3-2 (mùng 7 Tết)") is one mention, the solar one; a
  lunar date on its own is converted with `pipeline.extract.lunar`.
- Ranges "từ ngày 1/3 đến ngày 15/3/2023" give both ends with roles range_start/range_end; the document's date
  line has role "issued" and a news byline role "published".
- Numbers that only look like dates are left alone: references ("4379/QĐ-UBND", "số 47/54"), fractions ("3/5 đơn
  vị"), scores ("thắng 2-1"), money and decimals ("1.409 triệu", "2.5"), times ("8h30", "5:17 PM").

Example: "Từ ngày 2-2 (mùng 6 Tết) đến ngày 8-2-2017, Đoàn kiểm tra …" → [DateMention(text="ngày 2-2",
value="2017-02-02", role="range_start", …), DateMention(text="ngày 8-2-2017", value="2017-02-08",
role="range_end", …)].
"""
from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from dataclasses import dataclass

from pipeline.extract import lunar
from pipeline.record import DateMention

_UPPER = "A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
_SEP = r"(?:\s?[/\-–—]\s?|\.)"
_YEAR = r"(?:19|20)\d{2}(?!\d)"
# What may follow a numeric date: not another digit group (money, versions, phone numbers) nor a symbol
# ("12/2017/NĐ-CP"), nor a percent sign.
_NUMERIC_END = r"(?!\d|[.,]\d|[/\-–—]\d|/\w|\s?%)"
_LIST_SEP = r"\s*+(?:,|;|và|hoặc|đến|tới|[-–—])\s*+"
_WORD_LIST_SEP = r"\s*+(?:,|;|và|hoặc|đến|tới)\s*+"

# "28/01/2021", "28-1-2021", "28.01.2021", "ngày 7-2", "(10.2)"; a year-less one needs a cue (checked later).
_NUMERIC_RE = re.compile(
    rf"(?<![\d.,/\-–—])(?P<d>\d{{1,2}})(?P<s1>{_SEP})(?P<m>\d{{1,2}})"
    rf"(?:(?P<s2>{_SEP})(?P<y>{_YEAR})|{_NUMERIC_END}(?:\s*+,?\s*+(?i:năm)\s++(?P<y3>{_YEAR}))?){_NUMERIC_END}")
# A count after a year-less "2-3" makes it a number range, not a date: "ngày 2-3 lần", "từ 3-5 năm".
_COUNTED_AFTER_RE = re.compile(
    r"\s*+(?:lần|lượt|người|năm|tháng|ngày|tuần|giờ|tiếng|phút|giây|km|m|cm|mm|m2|m²|ha|kg|g|tấn|lít|triệu|tỷ|tỉ|"
    r"nghìn|ngàn|chiếc|cái|con|ca|bàn|điểm|hộ|suất|vé|phòng|tầng|lô|căn|đợt|cuộc|học\s++sinh|trẻ|cháu|bệnh\s++nhân)"
    r"(?!\w)", re.IGNORECASE)
# "ngày 7 và 8/2", "ngày 29-31/5", "ngày 10 - 11/2/2017": leading days take the month and year of the last one.
# Only the last separator may be a dash: in "ngày 27-2 tới 11-3-2011" the dash belongs to a day-month.
_DAY_LIST_RE = re.compile(
    rf"(?<!\w)ngày\s++(?P<days>\d{{1,2}}(?:{_WORD_LIST_SEP}(?:ngày\s++)?\d{{1,2}}(?!\d))*){_LIST_SEP}"
    rf"(?:(?:hết\s++)?ngày\s++)?"
    rf"(?P<d>\d{{1,2}})(?P<s1>{_SEP})(?P<m>\d{{1,2}})(?:(?P<s2>{_SEP})(?P<y>{_YEAR}))?{_NUMERIC_END}",
    re.IGNORECASE)
# "ngày 28 tháng 01 năm 2021", "tháng 5-2022", "tháng 5 năm 2022", "tháng 7 và 8/2017", "tháng 3 năm nay".
_VERBAL_RE = re.compile(
    rf"(?<!\w)(?:(?P<dcue>ngày|mùng|mồng)\s++(?P<days>\d{{1,2}}(?:{_LIST_SEP}(?:ngày\s++)?\d{{1,2}}(?!\d))*)"
    rf"(?:\s*+,\s*+|\s++))?"
    rf"tháng\s++(?P<months>\d{{1,2}}(?!\d)(?:{_LIST_SEP}(?:tháng\s++)?\d{{1,2}}(?!\d))*)"
    rf"(?:\s*+(?:[/.\-–—]|,?\s*+năm)\s*+(?P<y>{_YEAR})|\s++năm\s++(?P<rel>nay|ngoái|trước|qua|sau|tới)(?!\w))?",
    re.IGNORECASE)
# "(9/2016)", "từ 5/2022 đến 12/2022": a bare month/year, accepted only after a cue.
_MONTH_YEAR_RE = re.compile(rf"(?<![\d.,/\-–—])(?P<m>\d{{1,2}})(?P<s1>[/\-–.])(?P<y>{_YEAR}){_NUMERIC_END}")
_ROMAN_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_QUARTER = r"(?:iv|i{1,3}|[1-4])(?!\w)"
_QUARTER_NUMBER_RE = re.compile(_QUARTER, re.IGNORECASE)
# "quý I/2023", "Quý IV-2019", "quý 1 năm 2023", "quý III và IV/2017".
_QUARTER_RE = re.compile(
    rf"(?<!\w)quý\s++(?P<qs>{_QUARTER}(?:{_LIST_SEP}(?:quý\s++)?{_QUARTER})*)"
    rf"(?:\s*+(?:[/.\-–—]|,?\s*+năm)\s*+(?P<y>{_YEAR})|\s++năm\s++(?P<rel>nay|ngoái|trước|qua|sau|tới)(?!\w))?",
    re.IGNORECASE)
# "năm 2022" on its own (precision "year"); "năm 2011-2016" and "năm học 2017-2018" are periods, not years.
_YEAR_RE = re.compile(rf"(?<!\w)năm\s++(?P<y>{_YEAR})(?!\s*+[-–—]\s*+\d)", re.IGNORECASE)
# A lunar year named on its own ("Tết Đinh Dậu", "năm Kỷ Hợi", "Tết Nguyên đán 2023"): no date, but it fixes the
# year of its neighbours.
_LUNAR_YEAR_MENTION_RE = re.compile(
    rf"(?<!\w)(?:(?P<cc>{lunar.CAN_CHI_PATTERN})(?:\s++(?P<ly>{_YEAR}))?"
    rf"|(?i:tết|xuân)(?:\s++(?i:nguyên\s++đán|âm\s++lịch))?\s++(?P<ty>{_YEAR}))")
_EN_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
              "november", "december")
_EN_MONTH = (r"(?P<en>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
             r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
# "February 18, 2025", "18 February 2025" in English-language press.
_ENGLISH_RE = re.compile(
    rf"(?<!\w)(?:{_EN_MONTH}\s++(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s++(?P<y>{_YEAR})"
    rf"|(?P<d2>\d{{1,2}})\s++{_EN_MONTH.replace('?P<en>', '?P<en2>')}\s++(?P<y2>{_YEAR}))", re.IGNORECASE)

_WEEKDAY = r"(?:thứ\s++(?:hai|ba|tư|năm|sáu|bảy|bẩy|[2-7])(?!\w)|chủ\s++nhật|CN(?!\w))"
# Words right before a year-less day/month that make it a date: "sáng 8/2", "hôm 31-5", "Hôm qua (10.2)".
_STRONG_CUE_RE = re.compile(
    rf"(?:(?<!\w)(?:ngày|hôm|sáng|trưa|chiều|tối|đêm|khuya|sớm|rạng\s++sáng|lễ|tết|phiên)|{_WEEKDAY}"
    r"|(?<!\w)(?:hôm|sáng|trưa|chiều|tối|đêm|ngày)\s++(?:nay|qua|mai|kia))\s*+[,:(]?\s*+(?:ngày\s*+)?$",
    re.IGNORECASE)
_WEEKDAY_BEFORE_RE = re.compile(rf"(?<!\w)(?P<wd>{_WEEKDAY})\s*+[,(]?\s*+(?:ngày\s*+)?$", re.IGNORECASE)
_WEEKDAY_NUMBERS = {"thứ hai": 0, "thứ ba": 1, "thứ tư": 2, "thứ năm": 3, "thứ sáu": 4, "thứ bảy": 5, "thứ bẩy": 5,
                    "chủ nhật": 6, "cn": 6} | {f"thứ {n}": n - 2 for n in range(2, 8)}
# Weaker cues, trusted only with a slash ("tính tới 19/1", "từ 1/3"): with a dash they introduce number ranges, and
# after a number they join fractions ("bằng 1/2 đến 1/3").
_WEAK_CUE_RE = re.compile(r"(?<![\d%]\s)(?<![\w%])(?:từ|đến|tới|trước|sau|vào|hết|hồi|dịp|cuối|đầu|giữa)\s*+$",
                          re.IGNORECASE)
_MONTH_YEAR_CUE_RE = re.compile(
    r"(?:(?<!\w)(?:từ|đến|tới|trước|sau|vào|hết|hồi|cuối|đầu|giữa|trong|khoảng|tháng)\s*+|[(,;]\s*+|[.!?]\s++|^\s*+"
    r"|\d{4}\s*+[-–—]\s*+)$", re.IGNORECASE)
# Text between two dates that makes them a list or range: "7/2, 8/2 và 10/2", "1/3 đến 15/3/2023".
_CONNECTOR_RE = re.compile(
    r"\s*+(?:\([^()]{0,80}\)\s*+)?(?:,|;|và|hoặc|đến|tới|[-–—]|cho\s++đến|đến\s++hết)?\s*+(?:(?:hết\s++)?ngày\s*+)?",
    re.IGNORECASE)
_RANGE_WORD_RE = re.compile(r"\s*+(?:\([^()]{0,80}\)\s*+)?(?:đến|tới|cho\s++đến|[-–—])\s*+(?:hết\s++)?(?:ngày\s*+)?$",
                            re.IGNORECASE)
_RANGE_START_RE = re.compile(r"(?<!\w)(?:từ|kể\s++từ|tính\s++từ)\s*+(?:ngày\s*+)?$", re.IGNORECASE)
# A date right after a document number is that document's date; it says little about the year of the news.
_AFTER_REFERENCE_RE = re.compile(
    r"(?:(?<!\w)(?i:số)\s*+:?\s*+\d[\w/.\-–]*|\d+/[\w.\-–/]*[A-ZĐ][\w.\-–/]*)[\s,]*(?:\(\s*+)?"
    r"(?i:ban\s++hành\s++)?(?i:ngày\s*+)?$")
_DURATION_TAIL_RE = re.compile(r"\s*+(?:(?:một\s++)?lần|lượt|ngày|tuần|giờ|tiếng)(?!\w)", re.IGNORECASE)
_LUNAR_MARK_RE = re.compile(r"\s*+(?:\(\s*+)?(?:âm\s++lịch|AL(?!\w))")
_PAIR_GAP_RE = re.compile(
    r"\s*+[,(\[]?\s*+(?:tức|tức\s++là|nhằm|nhằm\s++ngày|hay|tức\s++từ|từ|âm\s++lịch)?\s*+(?:ngày\s*+)?$", re.IGNORECASE)
# "phấn đấu đến năm 2020", "sinh năm 1989": target and birth years say nothing about when nearby events happen.
_NOT_EVENT_YEAR_RE = re.compile(r"(?<!\w)(?:đến|tới|đến\s++hết|tới\s++hết|sinh)\s*+$", re.IGNORECASE)
_NGAY_BEFORE_RE = re.compile(r"(?<!\w)ngày\s*+$", re.IGNORECASE)
_SENTENCE_END_RE = re.compile(rf"(?<![.!?…])[.!?…]++[\"”’')\]]*+\s++(?=[\"“‘'(\[]?[{_UPPER}\d])|\n")

# Issue line: "Hà Nội, ngày 05 tháng 3 năm 2020"; the day may be blank in drafts.
_PLACE = rf"(?P<place>(?:(?:TP|Tp|TX|Tx|T\.P)\.?[ \t]?)?[{_UPPER}][\w'’]*\.?(?:(?:[ \t]|[ \t]?[-–][ \t]?)" \
         rf"(?:[{_UPPER}][\w'’]*|\d+)){{0,5}})"
_ISSUE_LINE_RE = re.compile(
    rf"{_PLACE}[ \t]*+,[ \t]*+(?:ngày|NGÀY)\s*+(?:(?P<d>\d{{1,2}})\s*+(?:tháng|THÁNG)\s*+(?P<m>\d{{1,2}})\s*+"
    rf"(?:năm|NĂM)\s*+(?P<y>{_YEAR})"
    rf"|(?P<blank>[ \t._…-]*+)(?:tháng|THÁNG)\s*+(?P<bm>\d{{1,2}})\s*+(?:năm|NĂM)\s*+(?P<by>{_YEAR})"
    rf"|(?P<nd>\d{{1,2}})\s*+[/.\-]\s*+(?P<nm>\d{{1,2}})\s*+[/.\-]\s*+(?P<ny>{_YEAR}))")
_CITY_PREFIX_RE = re.compile(r"(?:TP|TX|T\.P)\.?$", re.IGNORECASE)
# A place-and-date line in running prose ("Tại Hà Nội, ngày 5 tháng 3 năm 2020, Bộ …") is not the document's own.
_PROSE_PLACE_START = {"tại", "ở", "từ", "vào", "hôm", "sáng", "chiều", "trưa", "tối", "đêm", "theo", "trong", "đến",
                      "tới", "sau", "trước", "khi", "lúc", "cũng", "còn", "và", "nhưng"}


_TIME = r"\d{1,2}\s?[:h]\s?\d{2}(?::\d{2})?(?:\s?[APap]\.?[Mm]\.?)?"
_BYLINE_DATE = rf"(?P<d>\d{{1,2}})\s?[/.\-]\s?(?P<m>\d{{1,2}})\s?[/.\-]\s?(?P<y>{_YEAR})"
_BYLINE_LABEL = (r"(?:ngày\s++đăng|đăng\s++ngày|ngày\s++xuất\s++bản|xuất\s++bản|thời\s++gian\s++đăng|đăng\s++lúc"
                 r"|published|posted)")
# Byline forms in order of trust; the first hit in the head of the text wins. "Cập nhật" (an update, not the
# publication) comes last.
_BYLINE_PATTERNS = (
    # A label starts its line or takes a colon: "bài đăng ngày 5/3/2017" in prose cites another article.
    re.compile(rf"(?:(?:^|\n|\|)[ \t]*+{_BYLINE_LABEL}\s*+:?|{_BYLINE_LABEL}\s*+:)\s*+(?:lúc\s*+)?"
               rf"(?:{_TIME}\s*+[,|\-–]?\s*+)?(?:{_WEEKDAY}\s*+,?\s*+)?(?:ngày\s*+)?{_BYLINE_DATE}", re.IGNORECASE),
    re.compile(rf"(?:^|\n|\||(?<!\s)\s{{2,}}+)\s*+{_WEEKDAY}\s*+,?\s*+(?:ngày\s*+)?{_BYLINE_DATE}", re.IGNORECASE),
    re.compile(rf"{_WEEKDAY}\s*+,?\s*+(?:ngày\s*+)?{_BYLINE_DATE}\s*+[,|\-–]?\s*+(?:lúc\s*+)?{_TIME}", re.IGNORECASE),
    # Time and date side by side open a line of page chrome ("21:27 04/03/2018", "| 20:45 08/02/2017"); in a
    # sentence ("14:00 ngày 5/6/2023") a word stands between them.
    re.compile(rf"(?:^|\n|\|)[ \t]*+\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?:\s?[APap][Mm])?\s*+[,|\-–]?\s*+"
               rf"(?:{_WEEKDAY}\s*+,?\s*+)?{_BYLINE_DATE}", re.IGNORECASE),
    re.compile(rf"(?:^|\n|\|)[ \t]*+(?:\[\s*+)?{_BYLINE_DATE}\s*+[,|\-–]?\s*+\d{{1,2}}:\d{{2}}(?!\d)"),
    re.compile(rf"(?:^|\n)[ \t]*+\(\s*+{_BYLINE_DATE}\s*+\)"),
    re.compile(rf"(?:^|\n)[ \t]*+{_BYLINE_DATE}[ \t]*+(?:\n|$)"),
    re.compile(rf"(?:cập\s++nhật|updated)\s*+:?\s*+(?:lúc\s*+)?(?:{_TIME}\s*+[,|\-–]?\s*+)?(?:{_WEEKDAY}\s*+,?\s*+)?"
               rf"(?:ngày\s*+)?{_BYLINE_DATE}", re.IGNORECASE),
)
_BYLINE_REGION = 2000

# How many sentences either side of a year-less date, inside its paragraph (line), may lend it their year: a dated
# day, month or quarter, or (closer in) a bare year such as "năm 2017" or a lunar year name.
_STRONG_WINDOW = 3
_WEAK_WINDOW = 1
# How many years before the text's latest dated year a neighbour may be and still lend its year.
_ERA_LAG = 1
# How many years either side of the text's era to search for the year in which a solar and a lunar date coincide.
_LUNAR_MATCH_SPAN = 40


@dataclass(slots=True)
class _Candidate:
    """One date as read from the text, before its year is settled."""
    start: int
    end: int
    precision: str                   # day, month, quarter, year
    day: int | None = None
    month: int | None = None
    quarter: int | None = None
    year: int | None = None
    year_given: bool = False         # the year is written in the mention itself (or in its list or range)
    needs_cue: bool = False          # a year-less "7/2" is a date only after a cue or next to another date
    slash: bool = False              # written with "/" (weak cues are trusted only then)
    relative: int | None = None      # "năm nay" 0, "năm ngoái" -1, "năm tới" +1
    lunar: tuple[int, int] | None = None   # (lunar month, lunar day) of a lunar date
    lunar_year_name: str | None = None
    after_reference: bool = False    # the date of a cited document
    weekday: int | None = None       # "thứ Hai, 7/2" → 0 (Monday), to check an inferred year against
    role: str | None = None
    link: str | None = None          # how it joins the next candidate of its match: "range" or "list"


@dataclass(slots=True)
class _Match:
    start: int
    end: int
    rank: int                        # among equal spans, the lower rank wins
    items: list[_Candidate]


_RELATIVE_YEARS = {"nay": 0, "ngoái": -1, "trước": -1, "qua": -1, "sau": 1, "tới": 1}
_NUMBER_RE = re.compile(r"\d{1,2}")


def _valid_day(day: int, month: int, year: int | None) -> bool:
    if not (1 <= month <= 12 and day >= 1):
        return False
    return day <= (calendar.monthrange(year, month)[1] if year else (29 if month == 2 else
                                                                     calendar.monthrange(2001, month)[1]))


def _link_of(separator: str) -> str:
    return "list" if re.search(r",|;|và|hoặc", separator, re.IGNORECASE) else "range"


def _listed(m: re.Match, group: str, pattern: re.Pattern, make, closes_match: bool = True) -> list[_Candidate]:
    """One candidate per number of a listed group ("ngày 7, 8 và 9/2", "quý III và IV/2017"), each linked to the
    next; the first starts where the match starts and, when `closes_match`, the last ends where the match ends."""
    base, listed = m.start(group), m[group]
    numbers = list(pattern.finditer(listed))
    items = []
    for i, n in enumerate(numbers):
        last = i == len(numbers) - 1
        item = make(n.group(), m.start() if i == 0 else base + n.start(),
                    m.end() if last and closes_match else base + n.end())
        if not last:
            item.link = _link_of(listed[n.end():numbers[i + 1].start()])
        items.append(item)
    return items


def _mixed_dots(m: re.Match) -> bool:
    """"5.6-2017" mixes a decimal-looking dot with a dash: not a date."""
    return m["s2"] is not None and (m["s1"] == ".") != (m["s2"] == ".")


def _numeric_matches(text: str) -> list[_Match]:
    out = []
    for m in _NUMERIC_RE.finditer(text):
        day, month = int(m["d"]), int(m["m"])
        year = int(m["y"] or m["y3"]) if m["y"] or m["y3"] else None
        if _mixed_dots(m) or not _valid_day(day, month, year) or (
                year is None and _COUNTED_AFTER_RE.match(text, m.end())):
            continue
        item = _Candidate(m.start(), m.end(), "day", day, month, year=year, year_given=year is not None,
                          needs_cue=year is None, slash="/" in m["s1"])
        out.append(_Match(m.start(), m.end(), 3, [item]))
    return out


def _day_list_matches(text: str) -> list[_Match]:
    out = []
    for m in _DAY_LIST_RE.finditer(text):
        month, year = int(m["m"]), int(m["y"]) if m["y"] else None
        if _mixed_dots(m):
            continue

        def make(number: str, start: int, end: int) -> _Candidate:
            return _Candidate(start, end, "day", int(number), month, year=year, year_given=year is not None)

        items = _listed(m, "days", _NUMBER_RE, make, closes_match=False)
        items[-1].link = _link_of(text[items[-1].end:m.start("d")])
        items.append(make(m["d"], m.start("d"), m.end()))
        if all(_valid_day(i.day, month, year) for i in items):
            out.append(_Match(m.start(), m.end(), 1, items))
    return out


def _verbal_matches(text: str) -> list[_Match]:
    out = []
    for m in _VERBAL_RE.finditer(text):
        year = int(m["y"]) if m["y"] else None
        relative = _RELATIVE_YEARS[m["rel"].casefold()] if m["rel"] else None
        months = [int(n) for n in _NUMBER_RE.findall(m["months"])]
        # "tháng 7 âm lịch" is a lunar month, "3 tháng 10 ngày" a duration and "3 tháng 1 lần" a frequency.
        if not all(1 <= n <= 12 for n in months) or _LUNAR_MARK_RE.match(text, m.end()) or (
                m["days"] is None and _DURATION_TAIL_RE.match(text, m.end())):
            continue
        if m["days"] is None:
            items = _listed(m, "months", _NUMBER_RE, lambda n, s, e: _Candidate(
                s, e, "month", month=int(n), year=year, year_given=year is not None, relative=relative))
        elif len(months) == 1:
            items = _listed(m, "days", _NUMBER_RE, lambda n, s, e: _Candidate(
                s, e, "day", int(n), months[0], year=year, year_given=year is not None, relative=relative))
            if not all(_valid_day(i.day, i.month, year) for i in items):
                continue
        else:
            continue
        out.append(_Match(m.start(), m.end(), 2, items))
    return out


def _month_year_matches(text: str) -> list[_Match]:
    out = []
    for m in _MONTH_YEAR_RE.finditer(text):
        cue = _MONTH_YEAR_CUE_RE.search(text, max(0, m.start() - 12), m.start())
        # A dotted "3.2017" could be a decimal; only "(3.2017)" and "tháng 3.2017" read as dates.
        if 1 <= int(m["m"]) <= 12 and cue and (m["s1"] != "." or cue.group().rstrip().endswith(("(", "tháng"))):
            item = _Candidate(m.start(), m.end(), "month", month=int(m["m"]), year=int(m["y"]), year_given=True)
            out.append(_Match(m.start(), m.end(), 4, [item]))
    return out


def _quarter_matches(text: str) -> list[_Match]:
    out = []
    for m in _QUARTER_RE.finditer(text):
        year = int(m["y"]) if m["y"] else None
        relative = _RELATIVE_YEARS[m["rel"].casefold()] if m["rel"] else None
        items = _listed(m, "qs", _QUARTER_NUMBER_RE, lambda n, s, e: _Candidate(
            s, e, "quarter", quarter=_ROMAN_QUARTERS[n.casefold()], year=year, year_given=year is not None,
            relative=relative))
        out.append(_Match(m.start(), m.end(), 2, items))
    return out


def _lunar_matches(text: str) -> list[_Match]:
    return [_Match(p.start, p.end, 0, [_Candidate(p.start, p.end, "day", lunar=(p.month, p.day),
                                                  lunar_year_name=p.year_name, year=p.year,
                                                  year_given=p.year is not None)])
            for p in lunar.find_lunar_phrases(text)]


def _english_matches(text: str) -> list[_Match]:
    out = []
    for m in _ENGLISH_RE.finditer(text):
        name = (m["en"] or m["en2"]).casefold()
        month = next(i for i, full in enumerate(_EN_MONTHS, 1) if full.startswith(name[:3]))
        day, year = int(m["d"] or m["d2"]), int(m["y"] or m["y2"])
        if _valid_day(day, month, year):
            out.append(_Match(m.start(), m.end(), 2, [_Candidate(m.start(), m.end(), "day", day, month, year=year,
                                                                 year_given=True)]))
    return out


def _year_matches(text: str) -> list[_Match]:
    return [_Match(m.start(), m.end(), 5, [_Candidate(m.start(), m.end(), "year", year=int(m["y"]), year_given=True)])
            for m in _YEAR_RE.finditer(text)]


_SCANNERS = (_lunar_matches, _day_list_matches, _verbal_matches, _numeric_matches, _month_year_matches,
             _quarter_matches, _english_matches, _year_matches)


def _scan(text: str) -> list[_Candidate]:
    """All candidates, overlaps resolved in favour of the longest match, in text order."""
    matches = [m for scanner in _SCANNERS for m in scanner(text)]
    matches.sort(key=lambda m: (m.start, -(m.end - m.start), m.rank))
    kept: list[_Match] = []
    for m in matches:
        if kept and m.start < kept[-1].end:
            continue
        kept.append(m)
    candidates = [item for m in kept for item in m.items]
    for c in candidates:
        c.after_reference = _AFTER_REFERENCE_RE.search(text, max(0, c.start - 60), c.start) is not None
        if c.precision == "day" and c.lunar is None:
            weekday = _WEEKDAY_BEFORE_RE.search(text, max(0, c.start - 24), c.start)
            if weekday:
                c.weekday = _WEEKDAY_NUMBERS[re.sub(r"\s+", " ", weekday["wd"].casefold())]
    return candidates


def _accept_cued(text: str, candidates: list[_Candidate]) -> list[_Candidate]:
    """Keep a year-less "7/2" only after a cue word or when joined to an accepted date by a list or range word."""
    def cued(c: _Candidate) -> bool:
        window_start = max(0, c.start - 30)
        if _STRONG_CUE_RE.search(text, window_start, c.start):
            return True
        return c.slash and _WEAK_CUE_RE.search(text, window_start, c.start) is not None

    accepted = [not c.needs_cue or cued(c) for c in candidates]
    changed = True
    while changed:
        changed = False
        for i, c in enumerate(candidates):
            if accepted[i]:
                continue
            for j in (i - 1, i + 1):
                if 0 <= j < len(candidates) and accepted[j] and candidates[j].precision == "day":
                    a, b = (candidates[j], c) if j < i else (c, candidates[j])
                    if b.start - a.end <= 40 and _CONNECTOR_RE.fullmatch(text, a.end, b.start):
                        accepted[i] = changed = True
                        break
    return [c for c, ok in zip(candidates, accepted) if ok]


def _month_of(c: _Candidate) -> int:
    if c.month:
        return c.month
    return 3 * c.quarter - 2 if c.quarter else (c.lunar[0] if c.lunar else 1)


def _order_key(c: _Candidate) -> tuple[int, int]:
    return _month_of(c), c.day or 0


def _link_neighbours(text: str, candidates: list[_Candidate]) -> None:
    """Mark ranges and lists between adjacent dates, and share a written year across them."""
    for a, b in zip(candidates, candidates[1:]):
        if a.link is None and b.start - a.end <= 40 and a.precision != "year" and b.precision != "year":
            gap = text[a.end:b.start]
            if _RANGE_WORD_RE.fullmatch(gap):
                a.link = "range"
            elif _CONNECTOR_RE.fullmatch(gap) and re.search(r",|;|và|hoặc", gap, re.IGNORECASE):
                a.link = "list"
        if a.link == "range" and (a.lunar is None) == (b.lunar is None):
            starts_range = _RANGE_START_RE.search(text, max(0, a.start - 16), a.start)
            if starts_range or a.precision == b.precision:
                a.role = a.role or "range_start"
                b.role = b.role or "range_end"
    # The year usually sits on the last member ("từ 1/3 đến 15/3/2023"), so carry it backwards first.
    for a, b in reversed(list(zip(candidates, candidates[1:]))):
        if a.link and a.year is None and b.year is not None and b.year_given and a.lunar is None:
            a.year = b.year - (1 if _order_key(a) > _order_key(b) else 0)
            a.year_given = True
    for a, b in zip(candidates, candidates[1:]):
        if a.link and b.year is None and a.year is not None and a.year_given and b.lunar is None:
            b.year = a.year + (1 if _order_key(b) < _order_key(a) else 0)
            b.year_given = True


def _named_year(name: str, near: int) -> int | None:
    """The year of a sexagenary name, or None for a pair that is no year ("Quý Ngọ" mixes yin and yang).

    Texts name the current, the coming or a past lunar year, so a cycle more than a year ahead is 60 years back.
    """
    try:
        year = lunar.can_chi_year(name, near)
    except ValueError:
        return None
    return year - 60 if year > near + 1 else year


def _lunar_year_of(m: re.Match, near: int) -> int | None:
    if m["ly"] or m["ty"]:
        return int(m["ly"] or m["ty"])
    return _named_year(m["cc"], near)


def _lunar_year_from_name(c: _Candidate, near: int) -> int | None:
    if c.year is not None:
        return c.year
    if c.lunar_year_name:
        return _named_year(c.lunar_year_name, near)
    return None


def _lunar_solar(c: _Candidate, lunar_year: int) -> dt.date | None:
    month, day = c.lunar
    for d in (day, day - 1) if day == 30 else (day,):
        try:
            return lunar.lunar_to_solar(lunar_year, month, d)
        except ValueError:
            continue
    return None


def _lunar_for_solar_year(c: _Candidate, solar_year: int) -> dt.date | None:
    """A lunar date without a year name, in the lunar year whose date falls in the given solar year."""
    for lunar_year in (solar_year, solar_year - 1) if c.lunar[0] >= 11 else (solar_year,):
        day = _lunar_solar(c, lunar_year)
        if day is not None and day.year == solar_year:
            return day
    return _lunar_solar(c, solar_year)


def _pair_lunar(text: str, candidates: list[_Candidate], near: int, era: int | None) -> list[_Candidate]:
    """Drop lunar dates written beside their solar equivalent, lending their year to the solar date.

    `near` picks the cycle of a lunar year name; `era` is a year the text itself gives, or None.
    """
    solar = [c for c in candidates if c.lunar is None and c.precision == "day"]
    drop = set()
    for c in candidates:
        if c.lunar is None:
            continue
        lunar_year = _lunar_year_from_name(c, near)
        converted = _lunar_solar(c, lunar_year) if lunar_year else None
        twin = None
        if converted:
            twin = next((s for s in solar if abs(s.start - c.start) < 300 and s.day == converted.day
                         and s.month == converted.month and s.year in (None, converted.year)), None)
        if twin is None:
            before = [s for s in solar if s.end <= c.start and c.start - s.end <= 25]
            after = [s for s in solar if s.start >= c.end and s.start - c.end <= 25]
            if before and _PAIR_GAP_RE.fullmatch(text, before[-1].end, c.start):
                twin = before[-1]
            elif after and _PAIR_GAP_RE.fullmatch(text, c.end, after[0].start):
                twin = after[0]
        if twin is None:
            continue
        drop.add(id(c))
        if twin.year is None and converted is not None:
            twin.year, twin.year_given = converted.year, True
        elif twin.year is None and era is not None:
            twin.year = _year_matching_lunar(c, twin, era)
            twin.year_given = twin.year is not None
    return [c for c in candidates if id(c) not in drop]


def _year_matching_lunar(lunar_date: _Candidate, solar: _Candidate, era: int) -> int | None:
    """The year, closest to the text's era, in which a solar day and month fall on a lunar day and month.

    "ngày 3-2 (mùng 7 Tết)" holds only in 1998, 2017 and 2036 around 2017: the pair itself fixes the year.
    """
    for year in sorted(range(era - _LUNAR_MATCH_SPAN, era + _LUNAR_MATCH_SPAN + 1), key=lambda y: abs(y - era)):
        if not _valid_day(solar.day, solar.month, year):
            continue
        if _lunar_for_solar_year(lunar_date, year) == dt.date(year, solar.month, solar.day):
            return year
    return None


@dataclass(slots=True)
class _Layout:
    """Sentence and paragraph boundaries, for the neighbour window of year inference."""
    sentence_starts: list[int]
    line_starts: list[int]

    @classmethod
    def of(cls, text: str) -> "_Layout":
        return cls([0] + [m.end() for m in _SENTENCE_END_RE.finditer(text)],
                   [0] + [m.end() for m in re.finditer(r"\n+", text)])

    def sentence(self, pos: int) -> int:
        return bisect.bisect_right(self.sentence_starts, pos) - 1

    def line(self, pos: int) -> int:
        return bisect.bisect_right(self.line_starts, pos) - 1


@dataclass(slots=True)
class _Anchor:
    pos: int
    sentence: int
    line: int
    year: int
    strong: bool                     # a dated day, month or quarter, not a bare year


def _anchors(text: str, candidates: list[_Candidate], layout: _Layout, near: int) -> list[_Anchor]:
    anchors = []
    for c in candidates:
        if c.precision == "year" and _NOT_EVENT_YEAR_RE.search(text, max(0, c.start - 12), c.start):
            continue
        if c.year is not None and c.year_given and c.lunar is None and not c.after_reference:
            anchors.append(_Anchor(c.start, layout.sentence(c.start), layout.line(c.start), c.year,
                                   c.precision != "year"))
    for m in _LUNAR_YEAR_MENTION_RE.finditer(text):
        year = _lunar_year_of(m, near)
        if year is None:
            continue
        anchors.append(_Anchor(m.start(), layout.sentence(m.start()), layout.line(m.start()), year, False))
    anchors.sort(key=lambda a: a.pos)
    return anchors


def _neighbour_year(pos: int, anchors: list[_Anchor], sentences: list[int], layout: _Layout) -> int | None:
    """The latest year among the dated neighbours in the sentence window around a position, within its paragraph.

    The latest, not the nearest: a year-less date in prose is the writer's current year, and the older years
    around it usually belong to other events ("Quyết định … ngày 2/11/2016 … tại cuộc họp báo ngày 27/6").
    """
    sentence, line = layout.sentence(pos), layout.line(pos)
    # `sentences` are the anchors' sentence numbers, sorted like the anchors: bisect to the window.
    lo = bisect.bisect_left(sentences, sentence - _STRONG_WINDOW)
    hi = bisect.bisect_right(sentences, sentence + _STRONG_WINDOW)
    years = [a.year for a in anchors[lo:hi]
             if a.line == line and abs(a.sentence - sentence) <= (_STRONG_WINDOW if a.strong else _WEAK_WINDOW)]
    return max(years) if years else None


def _doc_year_for(month: int, day: int, doc_date: dt.date) -> int:
    """The year of a year-less date read against the document's own date: a late-December date in a January
    document is last year's."""
    if month >= 11 and doc_date.month <= 2:
        return doc_date.year - 1
    return doc_date.year


def _infer_years(text: str, candidates: list[_Candidate], doc_date: dt.date | None, near: int,
                 era: int | None) -> None:
    """Give each year-less candidate the year its neighbours, the document's own date or nothing fixes.

    A year-less date is in the writer's present, so neighbours dated well before the text's latest year (`era`)
    belong to other events ("sinh năm 1989", "Luật … năm 2012") and lend no year.
    """
    layout = _Layout.of(text)
    anchors = [a for a in _anchors(text, candidates, layout, near) if era is None or a.year >= era - _ERA_LAG]
    sentences = [a.sentence for a in anchors]
    for c in candidates:
        if c.year is not None and c.lunar is None:
            continue
        if c.relative is not None:
            # "năm nay" is the writer's present: only the document's own date says which year that is.
            c.year = doc_date.year + c.relative if doc_date is not None else None
            continue
        year = _neighbour_year(c.start, anchors, sentences, layout)
        if year is None and doc_date is not None:
            year = _doc_year_for(_month_of(c), c.day or 1, doc_date)
        if c.lunar is not None:
            _resolve_lunar(c, year, near)
        else:
            c.year = _check_weekday(c, year)


def _check_weekday(c: _Candidate, year: int | None) -> int | None:
    """An inferred year that contradicts the written weekday is wrong; a neighbouring year may fit instead."""
    if year is None or c.weekday is None:
        return year
    for candidate in (year, year - 1, year + 1):
        if _valid_day(c.day, c.month, candidate) and dt.date(candidate, c.month, c.day).weekday() == c.weekday:
            return candidate
    return None


def _resolve_lunar(c: _Candidate, context_year: int | None, near: int) -> None:
    """Turn a lunar candidate into its solar day, or leave it without a year when nothing fixes one."""
    lunar_year = _lunar_year_from_name(c, context_year or near)
    if lunar_year is not None:
        converted = _lunar_solar(c, lunar_year)
    elif context_year is not None:
        converted = _lunar_for_solar_year(c, context_year)
    else:
        converted = None
    if converted is not None:
        c.year, c.month, c.day = converted.year, converted.month, converted.day
    else:
        c.year = None


def _value(c: _Candidate) -> str | None:
    if c.precision == "year":
        return f"{c.year:04d}"
    if c.year is None:
        # Only a day can be reported without its year; a bare "tháng 12" or "quý IV" says too little.
        return f"--{c.month:02d}-{c.day:02d}" if c.precision == "day" and c.month else None
    if c.precision == "quarter":
        return f"{c.year:04d}-Q{c.quarter}"
    if c.precision == "month":
        return f"{c.year:04d}-{c.month:02d}"
    if not _valid_day(c.day, c.month, c.year):
        return None
    return f"{c.year:04d}-{c.month:02d}-{c.day:02d}"


def _mention(text: str, c: _Candidate, value: str) -> DateMention:
    start = c.start
    # The record shows "ngày 10-11-2022", as a reader would quote it.
    if c.precision == "day" and c.lunar is None:
        cue = _NGAY_BEFORE_RE.search(text, max(0, start - 6), start)
        if cue:
            start = cue.start()
    return DateMention(text=text[start:c.end], start=start, end=c.end, value=value, precision=c.precision,
                       role=c.role)


def _header_prefix(prefix: str) -> bool:
    """May this stand before the place on its line: nothing, a column gap, the national motto, a rule of dashes or
    a document number ("Số: 143/SNV-TT")?"""
    body = prefix.rstrip()
    gap = prefix[len(body):]
    return (not body or len(gap) >= 2 or "\t" in gap or body.casefold().endswith("phúc")
            or body[-3:] in ("---", "___", "===") or "/" in body.rsplit(None, 1)[-1])


def find_issue_date(text: str) -> tuple[str | None, DateMention | None]:
    """The document's own place-and-date line → (place, date with role "issued"); (None, None) when absent.

    Example: "UBND TỈNH BẮC NINH\\nSố: 12/KL-UBND\\nBắc Ninh, ngày 05 tháng 3 năm 2020" → ("Bắc Ninh",
    DateMention(text="ngày 05 tháng 3 năm 2020", value="2020-03-05", precision="day", role="issued", …)).
    A draft's blank day ("Hà Nội, ngày    tháng 10 năm 2018") gives value "2018-10", precision "month".
    """
    for m in _ISSUE_LINE_RE.finditer(text):
        line_start = text.rfind("\n", 0, m.start("place")) + 1
        words = m["place"].split()
        if (not _header_prefix(text[line_start:m.start("place")])
                or words[0].casefold() in _PROSE_PLACE_START or re.match(r"[ \t]*[,;]", text[m.end():])):
            continue
        # A flattened header glues the motto or the state's name to the place: "VIỆT NAM Hà Nội", "Hạnh Phúc Huế".
        while len(words) > 1 and (words[0].isupper() and not words[-1].isupper() and not _CITY_PREFIX_RE.match(words[0])
                                  or words[0].casefold() in ("hạnh", "phúc")):
            words.pop(0)
        place = " ".join(words)
        date_start = text.index(",", m.end("place")) + 1
        date_start += len(text[date_start:m.end()]) - len(text[date_start:m.end()].lstrip())
        if m["y"] or m["ny"]:
            day, month, year = (int(m["d"]), int(m["m"]), int(m["y"])) if m["y"] else (
                int(m["nd"]), int(m["nm"]), int(m["ny"]))
            if not _valid_day(day, month, year):
                continue
            value, precision = f"{year:04d}-{month:02d}-{day:02d}", "day"
        else:
            month, year = int(m["bm"]), int(m["by"])
            if not 1 <= month <= 12:
                continue
            value, precision = f"{year:04d}-{month:02d}", "month"
        return place, DateMention(text=text[date_start:m.end()], start=date_start, end=m.end(), value=value,
                                  precision=precision, role="issued")
    return None, None


def find_publication_date(text: str) -> DateMention | None:
    """The publication date from a news byline near the top of the text, or None.

    Example: "Thanh tra Bộ Nội vụ công bố kết luận\\nThứ Tư, 08-07-2020, 03:52\\n…" →
    DateMention(text="08-07-2020", value="2020-07-08", precision="day", role="published", …).
    """
    head = text[:_BYLINE_REGION]
    for pattern in _BYLINE_PATTERNS:
        for m in pattern.finditer(head):
            day, month, year = int(m["d"]), int(m["m"]), int(m["y"])
            if _valid_day(day, month, year):
                return DateMention(text=text[m.start("d"):m.end("y")], start=m.start("d"), end=m.end("y"),
                                   value=f"{year:04d}-{month:02d}-{day:02d}", precision="day", role="published")
    return None


def _as_date(mention: DateMention | None) -> dt.date | None:
    if mention is None or mention.precision not in ("day", "month"):
        return None
    year, month, *day = map(int, mention.value.split("-"))
    return dt.date(year, month, day[0] if day else 1)


def extract_dates(text: str, *, reference_date: dt.date | None = None) -> list[DateMention]:
    """Every date, month and quarter mentioned in the text, in text order, years settled from context.

    Example: "Ngày 17/2 (tức mùng 6 Tết Tân Sửu 2021), Đoàn kiểm tra đã kiểm tra đột xuất …" →
    [DateMention(text="Ngày 17/2", start=0, end=9, value="2021-02-17", precision="day", role=None)].
    """
    _, issued = find_issue_date(text)
    published = find_publication_date(text)
    own_date = _as_date(issued) or _as_date(published)
    candidates = _accept_cued(text, _scan(text))
    today = dt.date.today().year
    # The era of the text: its own date, else the latest of its dated days and months and lunar year names
    # ("sinh năm 1956" says nothing about when it was written), and only then the caller's reference date, which
    # may be a crawl or file date years after the text.
    written_years = [c.year for c in candidates
                     if c.year_given and c.lunar is None and c.year is not None and c.precision != "year"]
    written_years += [y for m in _LUNAR_YEAR_MENTION_RE.finditer(text) if (y := _lunar_year_of(m, today)) is not None]
    era = own_date.year if own_date else (
        max(written_years) if written_years else (reference_date.year if reference_date else None))
    near = era or today
    doc_date = own_date or reference_date
    candidates = _pair_lunar(text, candidates, near, era)
    _link_neighbours(text, candidates)
    _infer_years(text, candidates, doc_date, near, era)
    out = []
    for c in candidates:
        value = _value(c)
        if value is None:
            continue
        mention = _mention(text, c, value)
        for fixed in (issued, published):
            if fixed is not None and mention.role is None and fixed.start <= c.start and c.end <= fixed.end + 1:
                mention.role = fixed.role
        out.append(mention)
    return out
