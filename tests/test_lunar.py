"""The lunar calendar: astronomical conversion at UTC+7, sexagenary year names, lunar phrases in text."""
import datetime as dt

import pytest

from pipeline.extract.lunar import (can_chi_name, can_chi_year, find_lunar_phrases, leap_month, lunar_month_number,
                                    lunar_to_solar, solar_to_lunar, tet)

# Tết Nguyên đán as published in Vietnamese calendars.
KNOWN_TET = {
    1968: dt.date(1968, 1, 29),   # Mậu Thân: the North had moved to UTC+7 (the South, still on UTC+8, kept the 30th)
    1985: dt.date(1985, 1, 21),   # Ất Sửu: a month earlier than Chinese New Year (1985-02-20)
    2000: dt.date(2000, 2, 5),
    2007: dt.date(2007, 2, 17),   # Đinh Hợi: a day before Chinese New Year (2007-02-18)
    2010: dt.date(2010, 2, 14),
    2012: dt.date(2012, 1, 23),
    2015: dt.date(2015, 2, 19),
    2016: dt.date(2016, 2, 8),
    2017: dt.date(2017, 1, 28),   # Đinh Dậu
    2018: dt.date(2018, 2, 16),
    2019: dt.date(2019, 2, 5),
    2020: dt.date(2020, 1, 25),
    2021: dt.date(2021, 2, 12),   # Tân Sửu
    2022: dt.date(2022, 2, 1),
    2023: dt.date(2023, 1, 22),   # Quý Mão
    2024: dt.date(2024, 2, 10),
    2025: dt.date(2025, 1, 29),   # Ất Tỵ
    2026: dt.date(2026, 2, 17),
}


@pytest.mark.parametrize("year,expected", sorted(KNOWN_TET.items()))
def test_tet_matches_published_dates(year, expected):
    assert tet(year) == expected


def test_days_after_tet():
    assert lunar_to_solar(2021, 1, 6) == dt.date(2021, 2, 17)      # mùng 6 Tết Tân Sửu
    assert lunar_to_solar(2017, 1, 6) == dt.date(2017, 2, 2)       # mùng 6 Tết Đinh Dậu
    assert lunar_to_solar(2023, 1, 6) == dt.date(2023, 1, 27)      # mùng 6 Tết Quý Mão
    assert lunar_to_solar(2025, 1, 6) == dt.date(2025, 2, 3)       # mùng 6 Tết Ất Tỵ (not 02-04)
    assert lunar_to_solar(2019, 1, 15) == dt.date(2019, 2, 19)     # rằm tháng Giêng Kỷ Hợi


def test_last_month_of_a_lunar_year_falls_in_the_next_solar_year():
    # 29 tháng Chạp Kỷ Hợi and mùng 5 tháng Giêng Canh Tý (BRIEF.md §2.3)
    assert lunar_to_solar(2019, 12, 29) == dt.date(2020, 1, 23)
    assert lunar_to_solar(2020, 1, 5) == dt.date(2020, 1, 29)


def test_leap_months():
    assert leap_month(2023) == 2
    assert leap_month(2020) == 4
    assert leap_month(2025) == 6
    assert leap_month(2017) == 6
    assert leap_month(2021) is None
    assert leap_month(2024) is None
    # Quý Mão has two second months: the leap one starts after the ordinary one and before month 3.
    assert lunar_to_solar(2023, 2, 1) == dt.date(2023, 2, 20)
    assert lunar_to_solar(2023, 2, 1, leap_month=True) == dt.date(2023, 3, 22)
    assert lunar_to_solar(2023, 3, 1) == dt.date(2023, 4, 20)
    assert lunar_to_solar(2020, 4, 1, leap_month=True) == dt.date(2020, 5, 23)
    assert solar_to_lunar(dt.date(2023, 3, 22)) == (2023, 2, 1, True)


def test_impossible_lunar_dates_raise():
    with pytest.raises(ValueError):
        lunar_to_solar(2021, 4, 1, leap_month=True)      # Tân Sửu has no leap month
    with pytest.raises(ValueError):
        lunar_to_solar(2023, 5, 1, leap_month=True)      # Quý Mão's leap month is the second
    with pytest.raises(ValueError):
        lunar_to_solar(2021, 13, 1)
    short_month = next(m for m in range(1, 13)
                       if lunar_to_solar(2024, m % 12 + 1, 1) - lunar_to_solar(2024, m, 1) == dt.timedelta(29)
                       and m < 12)
    with pytest.raises(ValueError):
        lunar_to_solar(2024, short_month, 30)


def test_solar_to_lunar_round_trips():
    day = dt.date(2015, 1, 1)
    while day < dt.date(2027, 1, 1):
        year, month, lunar_day, leap = solar_to_lunar(day)
        assert lunar_to_solar(year, month, lunar_day, leap) == day
        day += dt.timedelta(days=3)
    assert solar_to_lunar(dt.date(2023, 1, 27)) == (2023, 1, 6, False)
    assert solar_to_lunar(dt.date(2020, 1, 23)) == (2019, 12, 29, False)


def test_can_chi_year_picks_the_cycle_closest_to_near():
    assert can_chi_year("Đinh Dậu", near=2016) == 2017
    assert can_chi_year("Kỷ Hợi", near=2020) == 2019
    assert can_chi_year("Tân Sửu", near=2021) == 2021
    assert can_chi_year("Quý Mão", near=2030) == 2023
    assert can_chi_year("Giáp Tý", near=1990) == 1984
    assert can_chi_year("Canh Tý", near=1950) == 1960


def test_can_chi_year_is_tolerant_of_case_diacritics_and_variants():
    assert can_chi_year("đinh dậu", near=2017) == 2017
    assert can_chi_year("DINH DAU", near=2017) == 2017
    assert can_chi_year("ky hoi", near=2020) == 2019
    assert can_chi_year("Quí Mão", near=2023) == 2023
    assert can_chi_year("Ất Tị", near=2025) == 2025
    # Without marks "Ty" is Tý or Tỵ; stems and branches pair by parity, which settles it.
    assert can_chi_year("At Ty", near=2025) == 2025     # Ất Tỵ
    assert can_chi_year("Giap Ty", near=1990) == 1984   # Giáp Tý


def test_can_chi_year_rejects_non_names():
    for name in ("Quý Ngọ", "Đinh", "Hà Nội", "Giáp Tý Sửu"):
        with pytest.raises(ValueError):
            can_chi_year(name, near=2020)


def test_can_chi_name():
    assert can_chi_name(2021) == "Tân Sửu"
    assert can_chi_name(2017) == "Đinh Dậu"
    assert can_chi_name(2025) == "Ất Tỵ"
    assert all(can_chi_year(can_chi_name(y), near=y) == y for y in range(1900, 2100))


def test_lunar_month_words():
    assert lunar_month_number("Giêng") == 1
    assert lunar_month_number("chạp") == 12
    assert lunar_month_number("Bảy") == 7
    assert lunar_month_number("7") == 7
    assert lunar_month_number("13") is None
    assert lunar_month_number("Tết") is None


def test_find_lunar_phrases_forms():
    text = ("Ngày 17/2 (tức mùng 6 Tết Tân Sửu 2021); ngày 29 tháng Chạp năm Kỷ Hợi; rằm tháng Giêng; "
            "chiều 28 Tết; Giỗ Tổ (10/3 âm lịch); mồng 2 Tết")
    phrases = find_lunar_phrases(text)
    assert [(p.month, p.day, p.year, p.year_name) for p in phrases] == [
        (1, 6, 2021, "Tân Sửu"), (12, 29, None, "Kỷ Hợi"), (1, 15, None, None), (12, 28, None, None),
        (3, 10, None, None), (1, 2, None, None)]
    first = phrases[0]
    assert text[first.start:first.end] == "mùng 6 Tết Tân Sửu 2021"


def test_find_lunar_phrases_negatives():
    # A yearly feast, a historical date beyond the astronomy, and words that are no lunar date.
    assert find_lunar_phrases("mùng 10 tháng Giêng hàng năm, dân làng về hội") == []
    assert find_lunar_phrases("ngày 12 tháng giêng năm Đinh Tỵ (1077)") == []
    assert find_lunar_phrases("dịp Tết Nguyên đán, tháng 7 năm 2020, ngày 15/3") == []
