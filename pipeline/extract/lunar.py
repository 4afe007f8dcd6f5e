"""The Vietnamese lunar calendar (âm lịch), computed astronomically (BRIEF.md §2.3).

The conversion is Hồ Ngọc Đức's algorithm: months begin on the local day of the astronomical new moon, month 11
is the month that contains the winter solstice, and in a 13-month year the leap month is the first month without a
major solar term. Everything is reckoned at UTC+7, the Vietnamese meridian; that is why Vietnamese and Chinese Tết
differ in some years (1985, 2007). No lookup tables: any year 1800–2199 converts the same way.

Public API: `lunar_to_solar`, `solar_to_lunar`, `tet`, `leap_month`, `can_chi_year`, `can_chi_name`,
`lunar_month_number`, and `find_lunar_phrases` for the ways texts write lunar dates ("mùng 6 Tết Đinh Dậu").

Example: ``lunar_to_solar(2021, 1, 6)`` (mùng 6 Tết Tân Sửu) → ``datetime.date(2021, 2, 17)``.
"""
from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass

VIETNAM_TIME_ZONE = 7.0
# Julian day number of 0001-01-01 minus its proleptic Gregorian ordinal.
_JD_OFFSET = 1721425
_SYNODIC_MONTH = 29.530588853
_JD_NEW_MOON_ZERO = 2415021.076998695  # the new moon of 1900-01-01, k = 0 in the series below
_DEG = math.pi / 180

CAN = ("Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý")
CHI = ("Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi")
# Spelling variants seen in print, folded the same way as the canonical names.
_CAN_VARIANTS = {"quí": 9}
_CHI_VARIANTS = {"tị": 5, "mẹo": 3}

# Lunar month names used in running text; the numbered forms ("tháng 7 âm lịch") are handled by callers.
_MONTH_WORDS = {"giêng": 1, "chạp": 12, "một": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6,
                "bảy": 7, "tám": 8, "chín": 9, "mười": 10, "mười một": 11, "một một": 11, "mười hai": 12}


def _jd(day: dt.date) -> int:
    return day.toordinal() + _JD_OFFSET


def _date(jd: int) -> dt.date:
    return dt.date.fromordinal(jd - _JD_OFFSET)


def _new_moon(k: int) -> float:
    """Julian day (UT, fractional) of the k-th new moon after 1900-01-01 (Meeus, truncated series)."""
    t = k / 1236.85
    t2, t3 = t * t, t * t * t
    jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
    jd1 += 0.00033 * math.sin((166.56 + 132.87 * t - 0.009173 * t2) * _DEG)
    m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3
    mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3
    f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3
    c1 = (0.1734 - 0.000393 * t) * math.sin(m * _DEG) + 0.0021 * math.sin(2 * _DEG * m)
    c1 += -0.4068 * math.sin(mpr * _DEG) + 0.0161 * math.sin(_DEG * 2 * mpr)
    c1 -= 0.0004 * math.sin(_DEG * 3 * mpr)
    c1 += 0.0104 * math.sin(_DEG * 2 * f) - 0.0051 * math.sin(_DEG * (m + mpr))
    c1 += -0.0074 * math.sin(_DEG * (m - mpr)) + 0.0004 * math.sin(_DEG * (2 * f + m))
    c1 += -0.0004 * math.sin(_DEG * (2 * f - m)) - 0.0006 * math.sin(_DEG * (2 * f + mpr))
    c1 += 0.0010 * math.sin(_DEG * (2 * f - mpr)) + 0.0005 * math.sin(_DEG * (2 * mpr + m))
    if t < -11:
        delta_t = 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
    else:
        delta_t = -0.000278 + 0.000265 * t + 0.000262 * t2
    return jd1 + c1 - delta_t


def _new_moon_day(k: int, tz: float) -> int:
    """Local civil day (Julian day number) on which the k-th new moon falls."""
    return math.floor(_new_moon(k) + 0.5 + tz / 24)


def _sun_longitude(jd_ut: float) -> float:
    """Apparent solar longitude in radians, 0 ≤ L < 2π, at a Julian day in UT."""
    t = (jd_ut - 2451545.0) / 36525
    t2 = t * t
    m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2
    l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2
    dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * math.sin(_DEG * m)
    dl += (0.019993 - 0.000101 * t) * math.sin(_DEG * 2 * m) + 0.000290 * math.sin(_DEG * 3 * m)
    lon = (l0 + dl) * _DEG
    return lon - 2 * math.pi * math.floor(lon / (2 * math.pi))


def _solar_term_sector(day_jd: int, tz: float) -> int:
    """Which 30° sector (0–11) the sun is in at the start of a local day; a major term starts each sector."""
    return math.floor(_sun_longitude(day_jd - 0.5 - tz / 24) / math.pi * 6)


def _month11_start(year: int, tz: float) -> int:
    """First day of the lunar month that contains the winter solstice of a Gregorian year."""
    off = _jd(dt.date(year, 12, 31)) - 2415021
    k = math.floor(off / _SYNODIC_MONTH)
    start = _new_moon_day(k, tz)
    if _solar_term_sector(start, tz) >= 9:
        start = _new_moon_day(k - 1, tz)
    return start


def _leap_month_offset(month11_start: int, tz: float) -> int:
    """Offset, counted in months after month 11, of the first month that contains no major solar term."""
    k = math.floor((month11_start - _JD_NEW_MOON_ZERO) / _SYNODIC_MONTH + 0.5)
    i = 1
    arc = _solar_term_sector(_new_moon_day(k + i, tz), tz)
    while True:
        last = arc
        i += 1
        arc = _solar_term_sector(_new_moon_day(k + i, tz), tz)
        if arc == last or i >= 14:
            return i - 1


def leap_month(lunar_year: int, tz: float = VIETNAM_TIME_ZONE) -> int | None:
    """The lunar month that is doubled in a lunar year, or None in a 12-month year.

    Example: ``leap_month(2023)`` (năm Quý Mão, nhuận tháng 2) → ``2``.
    """
    a11 = _month11_start(lunar_year - 1, tz)
    b11 = _month11_start(lunar_year, tz)
    if b11 - a11 <= 365:
        return None
    offset = _leap_month_offset(a11, tz)
    # Offsets 0 and 1 are months 11 and 12 of the previous lunar year; a leap at offset 2 repeats month 12,
    # which also belongs to the previous year.
    return offset - 2 if offset >= 3 else None


def lunar_to_solar(lunar_year: int, lunar_month: int, lunar_day: int, leap_month: bool = False,
                   tz: float = VIETNAM_TIME_ZONE) -> dt.date:
    """The Gregorian date of a Vietnamese lunar date. Raises ValueError for a date that does not exist.

    Example: ``lunar_to_solar(2017, 1, 6)`` ("mùng 6 Tết Đinh Dậu") → ``datetime.date(2017, 2, 2)``.
    """
    if not (1 <= lunar_month <= 12 and 1 <= lunar_day <= 30):
        raise ValueError(f"no lunar date {lunar_day}/{lunar_month}/{lunar_year}")
    if lunar_month < 11:
        a11 = _month11_start(lunar_year - 1, tz)
        b11 = _month11_start(lunar_year, tz)
    else:
        a11 = _month11_start(lunar_year, tz)
        b11 = _month11_start(lunar_year + 1, tz)
    k = math.floor(0.5 + (a11 - _JD_NEW_MOON_ZERO) / _SYNODIC_MONTH)
    off = (lunar_month - 11) % 12
    if b11 - a11 > 365:
        leap_off = _leap_month_offset(a11, tz)
        leap = (leap_off - 2) % 12
        if leap_month and lunar_month != leap:
            raise ValueError(f"lunar year {lunar_year} has no leap month {lunar_month}")
        if leap_month or off >= leap_off:
            off += 1
    elif leap_month:
        raise ValueError(f"lunar year {lunar_year} has no leap month")
    month_start = _new_moon_day(k + off, tz)
    month_length = _new_moon_day(k + off + 1, tz) - month_start
    if lunar_day > month_length:
        raise ValueError(f"lunar month {lunar_month}/{lunar_year} has only {month_length} days")
    return _date(month_start + lunar_day - 1)


def solar_to_lunar(day: dt.date, tz: float = VIETNAM_TIME_ZONE) -> tuple[int, int, int, bool]:
    """The lunar (year, month, day, is_leap_month) of a Gregorian date.

    Example: ``solar_to_lunar(datetime.date(2023, 1, 27))`` → ``(2023, 1, 6, False)`` (mùng 6 Tết Quý Mão).
    """
    day_jd = _jd(day)
    k = math.floor((day_jd - 2415021.076998695) / _SYNODIC_MONTH)
    month_start = _new_moon_day(k + 1, tz)
    # The linear estimate of k can be one lunation ahead near a new moon; step back until the month has begun.
    while month_start > day_jd:
        month_start = _new_moon_day(k, tz)
        k -= 1
    a11 = _month11_start(day.year, tz)
    b11 = a11
    if a11 >= month_start:
        lunar_year = day.year
        a11 = _month11_start(day.year - 1, tz)
    else:
        lunar_year = day.year + 1
        b11 = _month11_start(day.year + 1, tz)
    lunar_day = day_jd - month_start + 1
    diff = math.floor((month_start - a11) / 29)
    is_leap = False
    lunar_month = diff + 11
    if b11 - a11 > 365:
        leap_diff = _leap_month_offset(a11, tz)
        if diff >= leap_diff:
            lunar_month = diff + 10
            is_leap = diff == leap_diff
    if lunar_month > 12:
        lunar_month -= 12
    if lunar_month >= 11 and diff < 4:
        lunar_year -= 1
    return lunar_year, lunar_month, lunar_day, is_leap


def tet(year: int) -> dt.date:
    """The first day of the lunar year that begins in a Gregorian year (mùng 1 Tết Nguyên đán).

    Example: ``tet(2025)`` (Tết Ất Tỵ) → ``datetime.date(2025, 1, 29)``.
    """
    return lunar_to_solar(year, 1, 1)


def _fold(name: str) -> str:
    """Lower-case, NFC, single-spaced: the exact form of a name, diacritics kept."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def _strip_marks(name: str) -> str:
    decomposed = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_CAN_EXACT = {_fold(n): i for i, n in enumerate(CAN)} | _CAN_VARIANTS
_CHI_EXACT = {_fold(n): i for i, n in enumerate(CHI)} | _CHI_VARIANTS
_CAN_BARE: dict[str, set[int]] = {}
_CHI_BARE: dict[str, set[int]] = {}
for _table, _bare in ((_CAN_EXACT, _CAN_BARE), (_CHI_EXACT, _CHI_BARE)):
    for _name, _index in _table.items():
        _bare.setdefault(_strip_marks(_name), set()).add(_index)

# Can and chi words as they appear in text, for callers that build patterns: "Tết Đinh Dậu", "năm Kỷ Hợi".
# Case-sensitive even inside a case-insensitive pattern: the stem is capitalised in running text, and lower-case
# pairs are ordinary words or names.
CAN_CHI_PATTERN = (r"(?-i:(?:" + "|".join(sorted({*CAN, "Quí"}, key=len, reverse=True)) + r")\s+(?:"
                   + "|".join(f"[{n[0]}{n[0].lower()}]{n[1:]}" for n in sorted({*CHI, "Tị", "Mẹo"}, key=len,
                                                                                 reverse=True))
                   + r"))(?!\w)")


def _cycle_index(can_word: str, chi_word: str) -> int:
    """Position 0–59 in the sexagenary cycle (0 = Giáp Tý); tolerant of case and missing diacritics."""
    can_folded, chi_folded = _fold(can_word), _fold(chi_word)
    cans = {_CAN_EXACT[can_folded]} if can_folded in _CAN_EXACT else _CAN_BARE.get(_strip_marks(can_folded), set())
    chis = {_CHI_EXACT[chi_folded]} if chi_folded in _CHI_EXACT else _CHI_BARE.get(_strip_marks(chi_folded), set())
    # Stems and branches pair only by parity (yang with yang), which also settles "Ty" = Tý or Tỵ.
    pairs = [(c, b) for c in cans for b in chis if c % 2 == b % 2]
    if len(pairs) != 1:
        raise ValueError(f"not a sexagenary year name: {can_word} {chi_word}")
    can, chi = pairs[0]
    return next(i for i in range(60) if i % 10 == can and i % 12 == chi)


def can_chi_year(name: str, near: int) -> int:
    """The Gregorian year in which the named lunar year begins, choosing the cycle closest to `near`.

    Example: ``can_chi_year("Đinh Dậu", near=2016)`` → ``2017``; ``can_chi_year("ky hoi", 2020)`` → ``2019``.
    """
    words = name.replace("-", " ").split()
    if len(words) != 2:
        raise ValueError(f"not a sexagenary year name: {name!r}")
    index = _cycle_index(words[0], words[1])
    # 1984 was Giáp Tý, index 0 of the cycle.
    base = 1984 + index
    candidate = base + 60 * round((near - base) / 60)
    return candidate


def can_chi_name(lunar_year: int) -> str:
    """The sexagenary name of a lunar year.

    Example: ``can_chi_name(2021)`` → ``"Tân Sửu"``.
    """
    return f"{CAN[(lunar_year + 6) % 10]} {CHI[(lunar_year + 8) % 12]}"


def lunar_month_number(word: str) -> int | None:
    """The number of a lunar month written as a word or digits.

    Example: ``lunar_month_number("Chạp")`` → ``12``; ``lunar_month_number("Giêng")`` → ``1``.
    """
    folded = _fold(word)
    if folded.isdigit():
        month = int(folded)
        return month if 1 <= month <= 12 else None
    return _MONTH_WORDS.get(folded)


_SOLAR_YEAR = r"(?:18|19|20|21)\d{2}(?!\d)"
_LUNAR_MARK = r"\(\s*+âm\s++lịch\s*+\)|âm\s++lịch|\(\s*+AL\s*+\)|AL(?!\w)"
_YEAR_TAIL = (rf"(?:\s++nguyên\s++đán)?(?:(?:\s*+,\s*+|\s++)(?:năm\s++|xuân\s++)?(?P<cc>{CAN_CHI_PATTERN}))?"
              rf"(?:\s++(?:năm\s++)?(?P<ly>{_SOLAR_YEAR})|\s*+\(\s*+(?P<py>\d{{4}})\s*+\))?"
              rf"(?:\s*+(?:{_LUNAR_MARK}))?")
_MONTH_WORD = r"giêng|chạp|một|hai|ba|tư|bốn|năm|sáu|bảy|tám|chín|mười(?:\s++một|\s++hai)?|\d{1,2}"
_LUNAR_PHRASE_RE = re.compile(
    r"(?<!\w)(?:"
    r"(?:ngày\s++)?(?:mùng|mồng)\s*+(?P<d1>\d{1,2})\s++(?:tháng\s++(?P<m1>giêng|chạp)|tết)"
    r"|(?:ngày\s++)?(?P<d2>\d{1,2})\s++(?:tháng\s++(?P<m2>giêng|chạp)|tết)"
    rf"|rằm\s++tháng\s++(?P<m3>{_MONTH_WORD})"
    r"|(?:ngày\s++|mùng\s++|mồng\s++)?(?P<d4>\d{1,2})\s*+(?:tháng\s++|/\s?|-)(?P<m4>\d{1,2})\s*+"
    rf"(?:{_LUNAR_MARK}))" + _YEAR_TAIL,
    re.IGNORECASE)
# "mùng 10 tháng Giêng hàng năm" is a yearly feast, not a date.
_YEARLY_RE = re.compile(r"\s*+(?:hàng|hằng|mỗi)\s++năm", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class LunarPhrase:
    """A lunar date as written: its span, lunar month and day, and whatever names its year."""
    start: int
    end: int
    month: int
    day: int
    year: int | None          # the lunar year written as a number ("Tết Tân Sửu 2021" → 2021)
    year_name: str | None     # the sexagenary name written with it ("Tân Sửu")


def find_lunar_phrases(text: str) -> list[LunarPhrase]:
    """Lunar dates written in Vietnamese text, in text order; conversion to solar dates is the caller's.

    "mùng 6 Tết" counts from the new year, a bare "28 Tết" or "30 Tết" is the end of the old one (month 12), and
    "rằm" is the 15th. Feasts recurring every year ("mùng 10 tháng Giêng hàng năm") and dates of years outside
    1800–2199 (history, beyond the astronomy here) are left out.

    Example: "Ngày 17/2 (tức mùng 6 Tết Tân Sửu 2021)" → [LunarPhrase(start=15, end=38, month=1, day=6,
    year=2021, year_name="Tân Sửu")].
    """
    out = []
    for m in _LUNAR_PHRASE_RE.finditer(text):
        if m["m3"]:
            day, month = 15, lunar_month_number(m["m3"])
        elif m["d4"]:
            day, month = int(m["d4"]), int(m["m4"])
        else:
            day = int(m["d1"] or m["d2"])
            month_word = m["m1"] or m["m2"]
            if month_word:
                month = lunar_month_number(month_word)
            else:
                month = 1 if m["d1"] or day <= 10 else 12
        if month is None or not (1 <= month <= 12 and 1 <= day <= 30) or _YEARLY_RE.match(text, m.end()):
            continue
        year_text = m["ly"] or m["py"]
        if year_text and not 1800 <= int(year_text) < 2200:
            continue
        out.append(LunarPhrase(m.start(), m.end(), month, day, int(year_text) if year_text else None, m["cc"]))
    return out
