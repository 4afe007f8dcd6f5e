"""Date mentions: surface forms, things that only look like dates, year inference, lunar dates, roles."""
import datetime as dt
import json
import re
from pathlib import Path

import pytest

from pipeline.extract.dates import extract_dates, find_issue_date, find_publication_date
from pipeline.record import DateMention

from pipeline.paths import SHARED
SCORED = re.compile(r"^\d{4}-(\d{2}(-\d{2})?|Q[1-4])$")


def values(text, **kwargs):
    return [d.value for d in extract_dates(text, **kwargs)]


def scored(text, **kwargs):
    return [v for v in values(text, **kwargs) if SCORED.match(v)]


# --- surface forms -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Quyết định ký ngày 28 tháng 01 năm 2021.",
    "Quyết định ký ngày 28/01/2021.",
    "Quyết định ký ngày 28-1-2021.",
    "Quyết định ký ngày 28.01.2021.",
    "Quyết định ký ngày 28 – 1 – 2021.",
    "Quyết định ký ngày 28/1 năm 2021.",
])
def test_full_day_forms(text):
    assert values(text) == ["2021-01-28"]


def test_mention_span_and_text():
    text = "Theo Quyết định số 4379/QĐ-UBND ngày 10-11-2022 của UBND thành phố"
    (mention,) = extract_dates(text)
    assert isinstance(mention, DateMention)
    assert (mention.text, mention.value, mention.precision) == ("ngày 10-11-2022", "2022-11-10", "day")
    assert text[mention.start:mention.end] == mention.text


@pytest.mark.parametrize("text,expected", [
    ("Kế hoạch thực hiện trong tháng 5-2022.", ["2022-05"]),
    ("Kế hoạch thực hiện trong tháng 5/2022.", ["2022-05"]),
    ("Kế hoạch thực hiện trong tháng 5 năm 2022.", ["2022-05"]),
    ("vào khoảng tháng 3.2017, cán bộ phường", ["2017-03"]),
    ("Tại thời điểm bổ nhiệm (9/2016), ông Quý còn thiếu chứng chỉ", ["2016-09"]),
    ("chuyên viên chính, 11/2016 đã được cấp chứng chỉ", ["2016-11"]),
    ("giai đoạn 2011 – 6/2022", ["2022-06"]),
])
def test_month_forms(text, expected):
    assert scored(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("Cụ thể, trong quý I/2023 sẽ kiểm tra", ["2023-Q1"]),
    ("Hội nghị tổ chức trong Quý IV-2019.", ["2019-Q4"]),
    ("hoàn thành trong quý 1 năm 2023", ["2023-Q1"]),
    ("trong quý I-2017, Phó Chủ tịch sẽ kiểm tra", ["2017-Q1"]),
    ("kết quả kinh doanh quý III và IV/2017", ["2017-Q3", "2017-Q4"]),
])
def test_quarter_forms(text, expected):
    assert scored(text) == expected


def test_year_only_mentions_have_year_precision():
    (mention,) = extract_dates("Thực hiện Năm kỷ cương hành chính năm 2017")
    assert (mention.value, mention.precision) == ("2017", "year")


def test_english_dates():
    assert values("The decision was signed on February 18, 2025 and took effect 1 March 2025.") == [
        "2025-02-18", "2025-03-01"]


# --- year-less days and their cues ---------------------------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("Ngày 7-2, UBND quận đã có văn bản.", "--02-07"),
    ("Người dân làm thủ tục sáng 8/2 tại bộ phận một cửa.", "--02-08"),
    ("Chiều 27.1, đoàn kiểm tra đã làm việc.", "--01-27"),
    ("Hôm qua (10.2), lãnh đạo Cục cho biết.", "--02-10"),
    ("Sáng nay, 6-2, Chủ tịch UBND TP chủ trì giao ban.", "--02-06"),
    ("Phiên tòa thứ Hai (20-6) đã bị hoãn.", "--06-20"),
    ("Hải quân Nga hôm 31-5 đã phóng tên lửa.", "--05-31"),
    ("tính tới 19/1, số lượng doanh nghiệp", "--01-19"),
])
def test_year_less_days_after_cues(text, expected):
    assert values(text) == [expected]


def test_year_less_day_lists_and_ranges():
    assert values("Đoàn làm việc các ngày 7/2, 8/2 và 10/2.") == ["--02-07", "--02-08", "--02-10"]
    assert values("Mưa lớn từ ngày 16 đến 18-6 trên sông Thao.") == ["--06-16", "--06-18"]
    assert values("Hội thi diễn ra ngày 29-31/5.") == ["--05-29", "--05-31"]


@pytest.mark.parametrize("text", [
    "Lúc 5:17 PM đoàn đến; 8h30 sáng mai họp.",                # times of day
    "Theo Quyết định 4379/QĐ-UBND và Nghị định 86/2011/NĐ-CP",  # references
    "Căn nhà số 47/54 đường Láng, ngõ 12/3",                    # addresses
    "Chỉ thị 11/2016 của Thủ tướng, Văn bản 2103/2009",        # number/year references
    "Có 3/5 đơn vị đạt, 1/2 số hộ chưa nộp",                   # fractions
    "Đội nhà thắng 2-1, tỷ số chung cuộc 3-2",                  # scores
    "thu hồi 1.409 triệu đồng, lãi suất 2.5%, tăng 2.5 lần",    # money and decimals
    "Liên hệ 0912.345.678 hoặc 024.3825.1234",                  # phone numbers
    "uống ngày 2-3 lần, mỗi đợt từ 3-5 ngày",                   # counts
    "Báo cáo trước ngày 31/2/2020.",                            # impossible date
    "năm học 2017-2018, giai đoạn 2021-2025, nhiệm kỳ 2021-2026",  # periods of years
    "Trong 6 tháng 12 ngày; 3 tháng 1 lần kiểm tra",            # durations and frequencies
    "Thông số trận đấu: 6-7(6), 6-4, 7-5",                      # tennis sets
    "giá chỉ bằng 1/2 đến 1/3 so với sản phẩm cùng loại",        # fractions joined by a range word
])
def test_things_that_are_not_dates(text):
    assert scored(text) == []
    assert not [v for v in values(text) if v.startswith("--")]


# --- ranges and lists ----------------------------------------------------------------------------------------

def test_range_takes_year_of_its_end():
    mentions = extract_dates("Đoàn thanh tra làm việc từ 1/3 đến 15/3/2023 tại Sở.")
    assert [(m.value, m.role) for m in mentions] == [("2023-03-01", "range_start"), ("2023-03-15", "range_end")]


def test_full_range():
    mentions = extract_dates("thanh tra tại tỉnh Lạng Sơn từ ngày 07/6/2019 đến ngày 19/7/2019.")
    assert [(m.text, m.value, m.role) for m in mentions] == [
        ("ngày 07/6/2019", "2019-06-07", "range_start"), ("ngày 19/7/2019", "2019-07-19", "range_end")]


def test_range_across_new_year():
    assert scored("kiểm tra từ ngày 15/12 đến ngày 10/1/2024") == ["2023-12-15", "2024-01-10"]


def test_month_range_and_list():
    assert scored("từ tháng 3 đến tháng 5/2022") == ["2022-03", "2022-05"]
    assert scored("Việc thanh tra diễn ra trong hai tháng 7 và 8/2017") == ["2017-07", "2017-08"]
    assert scored("Tháng 9 - 10/2016, thành phố đã kiểm tra") == ["2016-09", "2016-10"]


def test_dash_in_a_day_month_is_no_day_list():
    assert scored("xảy ra trong khoảng thời gian từ ngày 27-2 tới 11-3-2011") == ["2011-02-27", "2011-03-11"]


def test_day_list_shares_month_and_year():
    assert scored("ngày 7 và 8/2/2017") == ["2017-02-07", "2017-02-08"]
    assert scored("ngày 7, 8 và 9 tháng 3 năm 2020") == ["2020-03-07", "2020-03-08", "2020-03-09"]


# --- year inference ------------------------------------------------------------------------------------------

def test_year_from_dated_neighbour_in_same_sentence():
    assert scored("Ngày 27-1, đoàn kiểm tra đến Sở; kết luận được ký ngày 5/2/2023.") == ["2023-01-27", "2023-02-05"]


def test_year_from_neighbouring_sentence_in_one_line_article():
    text = ("Tiêu đề\nThời hạn 10 ngày tính từ ngày bàn giao quyết định (tức là ngày 5.6). Tuy nhiên, đến ngày "
            "17.6 chủ đầu tư vẫn chưa nộp phạt. Theo báo cáo vào khoảng tháng 3.2017, cán bộ phường đã kiểm tra.")
    assert scored(text) == ["2017-06-05", "2017-06-17", "2017-03"]


def test_latest_neighbouring_year_wins_over_an_older_event():
    text = ("Ngày 2/11/2016, Đoàn kiểm tra đã làm việc với tỉnh, như đã công bố tại cuộc họp báo ngày 27/6. "
            "Thực hiện chỉ đạo của Thủ tướng, tháng 4/2017, UBND tỉnh đã có báo cáo.")
    assert "2017-06-27" in scored(text)
    assert "2016-06-27" not in scored(text)


def test_year_not_lent_across_paragraphs():
    text = "Tiêu đề\nNgày 29-6, nguồn tin cho biết Phó Thủ tướng đã yêu cầu thanh tra.\nBáo cáo trước ngày 1-10-2017."
    assert values(text) == ["--06-29", "2017-10-01"]


def test_unfixed_year_is_never_guessed():
    assert values("Ngày 16-5, tại trụ sở UBND tỉnh, Thanh tra Chính phủ đã làm việc.") == ["--05-16"]
    # A bare month or quarter without a year says too little to report.
    assert values("Dự kiến trong tháng 12 và quý IV sẽ hoàn thành.") == []


def test_old_years_of_other_events_lend_nothing():
    text = ("Bị cáo Nguyễn Văn A (sinh năm 1989) bị bắt ngày 5/3/2017. Khoảng 4 giờ sáng 15-6, công an "
            "phường nhận tin báo. Ông Thảo dựng nhà gỗ từ năm 2010.")
    assert scored(text) == ["2017-03-05", "2017-06-15"]


def test_year_from_document_date_line():
    text = "UBND TỈNH BẮC NINH\nBắc Ninh, ngày 05 tháng 3 năm 2020\nKẾT LUẬN\nNgày 15/01, Đoàn thanh tra đã làm việc."
    assert scored(text) == ["2020-03-05", "2020-01-15"]


def test_late_december_in_a_january_document_is_last_year():
    text = "Hà Nội, ngày 05 tháng 01 năm 2021\nNgày 28/12, đoàn kiểm tra đã làm việc; ngày 4/1 kết thúc."
    assert scored(text) == ["2021-01-05", "2020-12-28", "2021-01-04"]


def test_year_from_byline_and_reference_date():
    assert scored("Thanh tra công vụ\nNgày đăng 01/03/2023 | 5:17 PM\nChiều 28/2, đoàn kiểm tra đến UBND phường.") == [
        "2023-03-01", "2023-02-28"]
    assert scored("Chiều 28/2, đoàn kiểm tra đến UBND phường.", reference_date=dt.date(2019, 3, 2)) == ["2019-02-28"]
    assert scored("Chiều 28/2, đoàn kiểm tra đến UBND phường.") == []
    # A reference date years after the text (a crawl date) does not override the text's own dated neighbours.
    text = "Ngày 5/3/2017, đoàn kiểm tra đến UBND phường. Chiều 6/3, đoàn làm việc với quận."
    assert scored(text, reference_date=dt.date(2025, 1, 1)) == ["2017-03-05", "2017-03-06"]


def test_relative_years_need_the_documents_own_date():
    text = "Hà Nội, ngày 10 tháng 6 năm 2022\nTrong tháng 3 năm nay và quý IV năm ngoái, Sở đã kiểm tra."
    assert scored(text) == ["2022-06-10", "2022-03", "2021-Q4"]
    assert scored("Trong tháng 3 năm nay, Sở đã kiểm tra 10 đơn vị; năm 2015 chỉ kiểm tra 5 đơn vị.") == []


def test_weekday_checks_an_inferred_year():
    # 11 June was a Sunday in 2017, a Saturday in 2016 and a Wednesday in 2014.
    assert scored("Trận chung kết diễn ra ngày chủ nhật 11/6 tại sân Suwon, sau trận 8/6/2017.") == [
        "2017-06-11", "2017-06-08"]
    assert scored("Trận chung kết diễn ra ngày chủ nhật 11/6 tại sân Suwon, sau trận 8/6/2016.") == [
        "2017-06-11", "2016-06-08"]
    assert scored("Trận chung kết diễn ra ngày chủ nhật 11/6 tại sân Suwon, sau trận 8/6/2014.") == ["2014-06-08"]


# --- lunar dates ---------------------------------------------------------------------------------------------

def test_lunar_with_year_name_is_converted():
    assert scored("Ngày làm việc đầu tiên là mùng 6 Tết Đinh Dậu.") == ["2017-02-02"]
    assert scored("trực đến ngày 29 tháng Chạp năm Kỷ Hợi") == ["2020-01-23"]
    assert scored("Lễ hội rằm tháng Giêng năm 2019 đông vui") == ["2019-02-19"]


def test_lunar_with_year_from_context():
    assert scored("Tết Nguyên đán 2023, đoàn kiểm tra đi làm từ mùng 8 Tết.") == ["2023-01-29"]


def test_lunar_beside_solar_counts_once_as_solar():
    mentions = extract_dates("Ngày 17/2 (tức mùng 6 Tết Tân Sửu 2021), Đoàn kiểm tra đã kiểm tra đột xuất.")
    assert [(m.text, m.value) for m in mentions] == [("Ngày 17/2", "2021-02-17")]
    assert scored("Ngày 3/1/2023, đơn vị nghỉ; mùng 6 Tết (tức ngày 27-1) đi làm.") == ["2023-01-03", "2023-01-27"]


def test_lunar_pair_fixes_its_own_year():
    # 3 February is mùng 7 Tết only in 1998, 2017 and 2036: the text's own era picks 2017.
    text = ("Tương tự, ngay sau Tết, ngày 3-2 (mùng 7 Tết), quận đã có văn bản. "
            "Việc kiểm tra kéo dài đến hết tháng 3-2017.")
    assert scored(text) == ["2017-02-03", "2017-03"]


def test_lunar_range_in_parentheses_counts_once():
    text = ("từ ngày 23/1/2020 đến hết ngày 29/1/2020 (tức từ ngày 29 tháng Chạp năm Kỷ Hợi đến hết ngày "
            "mùng 5 tháng Giêng năm Canh Tý)")
    mentions = extract_dates(text)
    assert [(m.value, m.role) for m in mentions] == [("2020-01-23", "range_start"), ("2020-01-29", "range_end")]


def test_range_through_a_lunar_aside():
    mentions = extract_dates("Từ ngày 2-2 (mùng 6 Tết) đến ngày 8-2-2017, Đoàn kiểm tra đã kiểm tra 16 đơn vị.")
    assert [(m.value, m.role) for m in mentions] == [("2017-02-02", "range_start"), ("2017-02-08", "range_end")]


# --- the document's own date and the byline ------------------------------------------------------------------

def test_issue_date_line():
    text = ("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI\nSố: 4379/QĐ-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "Độc lập - Tự do - Hạnh phúc\nHà Nội, ngày 10 tháng 11 năm 2022\nQUYẾT ĐỊNH\n"
            "Căn cứ Nghị định số 86/2011/NĐ-CP ngày 22/9/2011 của Chính phủ;")
    place, date = find_issue_date(text)
    assert place == "Hà Nội"
    assert (date.value, date.precision, date.role, date.text) == ("2022-11-10", "day", "issued",
                                                                  "ngày 10 tháng 11 năm 2022")
    mentions = extract_dates(text)
    assert [(m.value, m.role) for m in mentions] == [("2022-11-10", "issued"), ("2011-09-22", None)]


def test_issue_date_in_a_flattened_header():
    text = ("UBND TỈNH BẮC NINH SỐ: 12/KL-UBND CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc "
            "Bắc Ninh, ngày 05 tháng 3 năm 2020 KẾT LUẬN THANH TRA")
    assert find_issue_date(text)[0] == "Bắc Ninh"
    text = "Số: 143/SNV-TT                    TP. Hồ Chí Minh, ngày 27 tháng 01 năm 2023\nV/v báo cáo"
    place, date = find_issue_date(text)
    assert (place, date.value) == ("TP. Hồ Chí Minh", "2023-01-27")


def test_issue_date_with_blank_day_in_a_draft():
    place, date = find_issue_date("BỘ NỘI VỤ\nDỰ THẢO\nHà Nội, ngày      tháng 10 năm 2018\nKẾ HOẠCH")
    assert (place, date.value, date.precision) == ("Hà Nội", "2018-10", "month")


def test_no_issue_date_in_prose():
    assert find_issue_date("Tại Hà Nội, ngày 5 tháng 3 năm 2020, Bộ Nội vụ đã họp báo.") == (None, None)
    assert find_issue_date("Đoàn kiểm tra làm việc ngày 5/3/2020 tại Sở.") == (None, None)


@pytest.mark.parametrize("text,expected", [
    ("Thanh tra Bộ Nội vụ công bố kết luận\nThứ Tư, 08-07-2020, 03:52\nSáng 7/7, Thanh tra Bộ đã", "2020-07-08"),
    ("Kiểm tra công vụ\nNgày đăng 01/03/2023 | 5:17 PM\nChiều 28/2, đoàn kiểm tra", "2023-03-01"),
    ("Tin tức\n21:27 04/03/2018\nHôm qua (3/3) đoàn kiểm tra", "2018-03-04"),
    ("(24/09/2018) Chiều 23/9, Ban Thường vụ Tỉnh ủy", "2018-09-24"),
    ("Thứ sáu 20/06/2025 17:34\nSáng 19/6, đoàn công tác", "2025-06-20"),
    ("Kết luận thanh tra\n05/01/2020 - 22:24\nNgày 3/1, đoàn", "2020-01-05"),
])
def test_publication_bylines(text, expected):
    published = find_publication_date(text)
    assert (published.value, published.role) == (expected, "published")
    assert extract_dates(text)[0].role == "published"


def test_no_byline_in_prose():
    assert find_publication_date("Sách được ký quyết định xuất bản ngày 21-2-2017, số lượng in 500 cuốn.") is None
    assert find_publication_date("Đoàn kiểm tra làm việc lúc 10:30 ngày 5/3/2017 tại Sở.") is None


# --- over real texts -----------------------------------------------------------------------------------------

def _dev_pairs():
    texts = SHARED / "eval" / "dev" / "texts"
    return [(p, SHARED / "eval" / "dev" / "gold" / f"{p.stem}.json") for p in sorted(texts.glob("*.txt"))]


def test_dev_set_f1():
    tp = fp = fn = 0
    for text_path, gold_path in _dev_pairs():
        predicted = set(scored(text_path.read_text(encoding="utf-8")))
        gold = {v for v in json.loads(gold_path.read_text(encoding="utf-8"))["dates"] if SCORED.match(v)}
        tp, fp, fn = tp + len(predicted & gold), fp + len(predicted - gold), fn + len(gold - predicted)
    assert tp > 0
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= 0.93, (tp, fp, fn)


def _corpus(limit=None):
    paths = sorted((SHARED / "corpus" / "news2017").glob("*.txt"))
    return [p.read_text(encoding="utf-8") for p in paths[:limit]]


def test_mentions_are_well_formed_over_the_corpus():
    value = re.compile(r"^(\d{4}-(\d{2}(-\d{2})?|Q[1-4])|\d{4}|--\d{2}-\d{2})$")
    texts = _corpus(800)
    assert texts
    for text in texts:
        previous_start = -1
        for m in extract_dates(text):
            assert text[m.start:m.end] == m.text
            assert value.match(m.value), m
            assert m.start >= previous_start
            previous_start = m.start
            if m.precision == "day" and not m.value.startswith("--"):
                dt.date.fromisoformat(m.value)


def test_times_in_sentences_are_no_byline():
    assert find_publication_date("Giấy mời\nThời gian: 14:00 ngày 5/6/2023 tại hội trường UBND.") is None
    assert find_publication_date("Đoàn làm việc ngày 5/6/2023 lúc 14:00 tại trụ sở.") is None
