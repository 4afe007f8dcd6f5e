"""Document-reference extractor: grammar forms, context rules, exclusions, header number, speed.

Examples are illustrative (built from the patterns in ../shared/domain/BRIEF.md §1), not copied from the dev set.
"""
from __future__ import annotations

import json
import re

import pytest

from conftest import DEV_GOLD, DEV_TEXTS, SHARED
from pipeline.extract.references import extract_references, find_document_number, parse_reference

CORPUS = SHARED / "corpus" / "news2017"


def ids(text: str, **kw) -> list[str]:
    return [r.id for r in extract_references(text, **kw)]


def only(text: str):
    refs = extract_references(text)
    assert len(refs) == 1, [r.id for r in refs]
    return refs[0]


# --- grammar: the forms of BRIEF.md §1 -------------------------------------------------------------------

@pytest.mark.parametrize("text, expected_id, expected_type, style", [
    ("theo Quyết định số 4379/QĐ-UBND của UBND thành phố", "4379/QĐ-UBND", "Quyết định", "administrative"),
    ("Sở đã ban hành Công văn số 143/SNV-TT về kiểm tra", "143/SNV-TT", "Công văn", "letter"),
    ("gửi kèm văn bản 2231/SNV-CCHC&PC hôm qua", "2231/SNV-CCHC&PC", "Công văn", "letter"),
    ("căn cứ Nghị định 86/2011/NĐ-CP của Chính phủ", "86/2011/NĐ-CP", "Nghị định", "normative"),
    ("Luật số 84/2025/QH15 có hiệu lực", "84/2025/QH15", "Luật", "normative"),
    ("Thông tư liên tịch số 04/2006/TTLT-BTP-BTNMT quy định", "04/2006/TTLT-BTP-BTNMT", "Thông tư liên tịch",
     "normative"),
    ("theo Nghị quyết 76/2025/UBTVQH15 về sắp xếp", "76/2025/UBTVQH15", "Nghị quyết", "normative"),
    ("thực hiện Nghị quyết số 60-NQ/TW của Bộ Chính trị", "60-NQ/TW", "Nghị quyết", "party"),
    ("theo Kết luận 127-KL/TW của Bộ Chính trị", "127-KL/TW", "Kết luận", "party"),
    ("Quy định số 08-QĐi/TW của Ban Chấp hành", "08-QĐi/TW", "Quy định", "party"),
    ("Chính phủ ban hành Nghị quyết 30c/NQ-CP về cải cách", "30c/NQ-CP", "Nghị quyết", "administrative"),
    ("Quyết định số 585/QĐ-UBND-HC của tỉnh", "585/QĐ-UBND-HC", "Quyết định", "administrative"),
    ("Quyết định số 1551/QĐ-SNNMT-VP ngày", "1551/QĐ-SNNMT-VP", "Quyết định", "administrative"),
    ("Thanh tra tỉnh có văn bản 410/TTr-NV1 đề nghị", "410/TTr-NV1", "Công văn", "letter"),
    ("theo Kết luận số 3136/KL-TTCP của Thanh tra Chính phủ", "3136/KL-TTCP", "Kết luận", "administrative"),
])
def test_grammar_forms(text, expected_id, expected_type, style):
    ref = only(text)
    assert (ref.id, ref.type, ref.style) == (expected_id, expected_type, style)


def test_issuer_and_year():
    ref = only("theo Thông tư số 08/2024/TT-TTCP của Thanh tra Chính phủ")
    assert (ref.issuer, ref.year) == ("TTCP", 2024)
    ref = only("thực hiện Kế hoạch số 23/KH-UBND của UBND quận")
    assert (ref.issuer, ref.year, ref.type) == ("UBND", None, "Kế hoạch")
    joint = only("theo Thông tư liên tịch 55/2005/TTLT-BNV-VPCP")
    assert joint.issuer == "BNV-VPCP"


def test_symbol_alone_gives_type_and_ttr_position_decides():
    # No type word: the first group after the number (or year) is the type.
    assert only("đã có 473/TTr-UBND trình HĐND").type == "Tờ trình"
    assert only("đã có 06/KL-TTr của Thanh tra tỉnh").type == "Kết luận"
    assert only("áp dụng 01/2011/TT-BNV trong công tác văn thư").type == "Thông tư"
    assert only("đã có 12/CT-UBND về chấn chỉnh").type == "Chỉ thị"


def test_type_word_wins_over_symbol_code():
    ref = only("Văn phòng Chính phủ có Công văn 5333/BC-VPCP gửi các bộ")
    assert (ref.id, ref.type) == ("5333/BC-VPCP", "Công văn")
    # "Văn bản" is generic: a type code in the symbol says more.
    assert only("Bộ có văn bản số 5278/KL-BNN-TTr kết luận").type == "Kết luận"
    assert only("Văn bản số 4836/SNV-TCBC hướng dẫn").type == "Công văn"


@pytest.mark.parametrize("text, expected_type", [
    ("Kết luận thanh tra số 15/KL-TTr của", "Kết luận"),
    ("Thông báo kết luận số 1919/TB-TTCP", "Thông báo"),
    ("Chỉ thị số 26/CT-TTg", "Chỉ thị"),
    ("Kế hoạch số 169/KH-UBND", "Kế hoạch"),
    ("Tờ trình số 45/TTr-SNV", "Tờ trình"),
    ("Quyết định hành chính 166/QĐ-UBND", "Quyết định"),
    ("QĐ 704/QĐ-SNNMT", "Quyết định"),
    ("CV 143/SNV-TT", "Công văn"),
    ("TT 85/2025/TT-BNNMT", "Thông tư"),
    ("Biên bản vi phạm hành chính số 12/BB-VPHC", "Biên bản"),
    ("QUYẾT ĐỊNH SỐ 12/QĐ-UBND", "Quyết định"),
    ("Kết luận Số/Ký hiệu: 15/KL-TTr", "Kết luận"),
])
def test_type_words(text, expected_type):
    ref = only(text)
    assert ref.type == expected_type
    assert ref.start == 0, "the span starts at the type word"


# --- several numbers, joined references, number/year -----------------------------------------------------

def test_numbers_sharing_one_symbol():
    refs = extract_references("Kết luận thanh tra số: 09, 10, 11, 12/KL-TTr ngày 20/6/2024 của Thanh tra tỉnh")
    assert [r.id for r in refs] == ["09/KL-TTr", "10/KL-TTr", "11/KL-TTr", "12/KL-TTr"]
    assert all(r.type == "Kết luận" and r.issued_at == "2024-06-20" for r in refs)
    assert ids("các Kết luận 09, 10 và 11/KL-TTr đã công khai") == ["09/KL-TTr", "10/KL-TTr", "11/KL-TTr"]
    assert ids("Thủ tướng ký các quyết định 106, 107/QĐ-TTg") == ["106/QĐ-TTg", "107/QĐ-TTg"]


def test_number_list_needs_a_type_word_or_so():
    # "2015, 12/KL-TTr": the first number is a year in running text, not a document number.
    assert ids("trong năm 2015, 12/KL-TTr đã nêu") == ["12/KL-TTr"]


def test_references_joined_without_type_word():
    refs = extract_references("thực hiện Nghị quyết số 73/NQ-CP và 116/NQ-CP của Chính phủ")
    assert [(r.id, r.type) for r in refs] == [("73/NQ-CP", "Nghị quyết"), ("116/NQ-CP", "Nghị quyết")]
    assert ids("(QĐ 704/QĐ-SNNMT & 595/QĐ-SNNMT)") == ["704/QĐ-SNNMT", "595/QĐ-SNNMT"]
    refs = extract_references("theo Chỉ thị 11/2016 và 12/2017 của Thủ tướng")
    assert [(r.id, r.type) for r in refs] == [("11/2016", "Chỉ thị"), ("12/2017", "Chỉ thị")]


def test_number_year_after_type_word():
    refs = extract_references("theo Chỉ thị 11/2016 của Thủ tướng và Văn bản 2103/2009 của Chính phủ")
    assert [(r.id, r.type, r.style, r.year) for r in refs] == [
        ("11/2016", "Chỉ thị", "number_year", 2016), ("2103/2009", "Công văn", "number_year", 2009)]
    assert ids("vi phạm Nghị định 38/2015 về chất thải") == ["38/2015"]
    assert ids("Quyết định số 1667/2017 về việc thành lập") == ["1667/2017"]


# --- damaged and variant forms ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected_id", [
    ("Quyết định số 44 /2005/QĐ-UBND ngày", "44/2005/QĐ-UBND"),
    ("Tờ trình số 473/TTr -NN&PTNT của Sở", "473/TTr-NN&PTNT"),
    ("Thông tư số 36/2016/TT- NHNN của", "36/2016/TT-NHNN"),
    ("Quyết định 89/2016/QĐ - UBND quy định", "89/2016/QĐ-UBND"),
    ("Nghị định số 121/2013/NĐ–CP ngày", "121/2013/NĐ-CP"),
    ("Công văn số 12/UBND—KT ngày", "12/UBND-KT"),
    ("Quyết định 77/QĐ_UBND của", "77/QĐ-UBND"),
    ("quyết định số 12/qđ-ubnd của", "12/QĐ-UBND"),
    ("kết luận số 5/kl-ttr của", "5/KL-TTr"),
    ("Kết luận số 2096/KLUBND ngày", "2096/KL-UBND"),
    ("Nghị định 30/2020/ND-CP quy định", "30/2020/ND-CP"),
    ("Quyết định số12/QĐ-UBND", "12/QĐ-UBND"),
    ("quyết định số 10/2016 QĐ-UBND của UBND tỉnh", "10/2016/QĐ-UBND"),
    ("theo Chỉ thị 42 -CT/TW của", "42-CT/TW"),
    ("Công điện số 18/CĐ-T.Ư của", "18/CĐ-T.Ư"),
    ("Nghị quyết 19-2017/NQ-CP về cải thiện", "19-2017/NQ-CP"),
    ("Công văn số 324/CV/HHLTVN của Hiệp hội", "324/CV/HHLTVN"),
    ("Quyết định khởi tố vụ án hình sự số 32/C46-P12 ngày", "32/C46-P12"),
])
def test_damaged_and_variant_forms(text, expected_id):
    assert ids(text) == [expected_id]


def test_fused_symbol_repair_can_be_turned_off():
    assert ids("Nghị định số 121/2003/NĐCP của Chính phủ", repair_fused=False) == ["121/2003/NĐCP"]
    assert ids("Nghị định số 121/2003/NĐCP của Chính phủ") == ["121/2003/NĐ-CP"]
    # A code that is an issuer itself is never split, even when it starts like a type code.
    assert ids("Công văn số 12/TTHĐND ngày") == ["12/TTHĐND"]
    assert ids("Văn bản số 45/TTCP ngày") == ["45/TTCP"]


def test_lone_group_needs_context():
    assert ids("Cơ quan điều tra ra quyết định số 32/C46 khởi tố") == ["32/C46"]
    assert ids("có trụ sở tại 37/M2 khu đô thị") == []
    assert ids("miễn phí cước 3G/GPRS khi sử dụng") == []
    assert ids("UBND thành phố có Công văn 8314/UBND ngày 10/10/2016") == ["8314/UBND"]


# --- spans and dates -------------------------------------------------------------------------------------

def test_span_covers_type_word_number_and_date():
    text = "UBND thành phố đã ban hành Quyết định số 4379/QĐ-UBND ngày 10-11-2022 phê duyệt Đề án."
    ref = only(text)
    assert ref.text == "Quyết định số 4379/QĐ-UBND ngày 10-11-2022"
    assert text[ref.start:ref.end] == ref.text
    assert ref.issued_at == "2022-11-10"


@pytest.mark.parametrize("tail, iso", [
    (" ngày 10-11-2022", "2022-11-10"),
    (" ngày 10/11/2022", "2022-11-10"),
    (" ngày 10.11.2022", "2022-11-10"),
    (" ngày 10 tháng 11 năm 2022", "2022-11-10"),
    (", ngày 5-2-2020", "2020-02-05"),
    (" Ngày 02/6/2017", "2017-06-02"),
    (" ngày 06 / 7 /2005", "2005-07-06"),
    (" ngày 10/11", None),
    (" ngày 10/11/22", None),
    (" ngày 31/02/2022", None),
])
def test_issued_at(tail, iso):
    ref = only("Căn cứ Quyết định số 12/QĐ-UBND" + tail + " của UBND")
    assert ref.issued_at == iso
    assert ref.text.endswith(tail.strip(" ,"))


def test_issued_at_needs_the_date_right_after():
    assert only("Quyết định số 12/QĐ-UBND của UBND tỉnh ngày 10/11/2022").issued_at is None


# --- things that must not be extracted -------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Theo Mẫu số 03/BC-TT ban hành kèm theo",
    "biểu mẫu số 02/BC-TT",
    "hộ gia đình tại số 47/54 đường Nguyễn Trãi",
    "thửa 12 tờ 5, bản đồ địa chính",
    "ngày 28/01/2021 đoàn làm việc",
    "sáng 10/11 đoàn kiểm tra",
    "có 3/5 đơn vị chưa niêm yết",
    "đạt tỷ lệ 2/3 số phiếu",
    "liên hệ 0243.3825.123 hoặc 1900/1234",
    "lúc 14:30 ngày 10/11",
    "thực hiện Đề án 125 của thành phố",
    "theo Luật Thanh tra năm 2010",
    "năm học 2017/2018 nhà trường",
    "Kế hoạch năm học 2017/2018",
    "từ tháng 11/2016 đến nay",
    "quý 2/2017 doanh thu tăng",
    "QCVN 01:2009/BYT về nước uống",
    "giá 399k/suất, tốc độ 15m/s, 2 lần/tháng",
    "theo khoản 2/Điều 3",
    "trong 11/2016 đã có",
    "theo Tạp chí Thanh tra số 5/2017",
    "Bản tin nội bộ số 3/2016 đăng",
])
def test_negatives(text):
    assert ids(text) == []


def test_recipient_block_and_filing_line_are_skipped():
    text = (
        "Căn cứ Quyết định số 45/QĐ-TTr ngày 02/3/2024 của Chánh Thanh tra tỉnh.\n"
        "Nơi nhận:\n"
        "- Thanh tra Chính phủ (để b/c);\n"
        "- UBND tỉnh (Quyết định số 99/QĐ-UBND);\n"
        "- Như Điều 3;\n"
        "- Lưu: VT, TT(03).\n"
        "KT. CHÁNH THANH TRA\n"
        "\n"
        "Phụ lục kèm theo Kết luận số 12/KL-TTr.\n"
    )
    assert ids(text) == ["45/QĐ-TTr", "12/KL-TTr"]
    assert ids("Lưu: VT, 12/KL-TTr.\nTheo Kết luận số 13/KL-TTr") == ["13/KL-TTr"]
    # "Lưu ý" is body text, not a filing line.
    assert ids("Lưu ý: thực hiện Quyết định số 7/QĐ-UBND") == ["7/QĐ-UBND"]


def test_recipient_block_without_blank_lines_ends_with_its_bullets():
    # PDF text: signature column interleaved, no blank line before the annex.
    text = (
        "Căn cứ Quyết định số 45/QĐ-TTr.\n"
        "Nơi nhận:                                 KT. CHÁNH THANH TRA\n"
        "- Thanh tra Chính phủ (để                 PHÓ CHÁNH THANH TRA\n"
        "báo cáo theo Quyết định số 98/QĐ-UBND);\n"
        "- UBND tỉnh (Quyết định số 99/QĐ-UBND);\n"
        "- Lưu: VT, TT(03).\n"
        "Nguyễn Văn An\n"
        "PHỤ LỤC\n"
        "Kèm theo Kết luận số 12/KL-TTr\n"
        "1. Quyết định số 13/QĐ-UBND\n"
    )
    assert ids(text) == ["45/QĐ-TTr", "12/KL-TTr", "13/QĐ-UBND"]


def test_numbered_items_naming_a_body_are_not_letters():
    assert ids("Kiến nghị: 1/ UBND huyện Châu Thành chỉ đạo; 2/UBND xã Thanh Điền rà soát; 3/ KẾT LUẬN") == []


# --- the document's own number ---------------------------------------------------------------------------

def test_find_document_number_in_header():
    text = ("UBND TỈNH TÂY NINH\nTHANH TRA TỈNH\nSố: 12/KL-TTr\nTây Ninh, ngày 20 tháng 6 năm 2024\n\n"
            "KẾT LUẬN THANH TRA\nCăn cứ Nghị định số 43/2023/NĐ-CP ngày 30/6/2023;\n")
    ref = find_document_number(text)
    assert (ref.id, ref.type, ref.text) == ("12/KL-TTr", "Kết luận", "Số: 12/KL-TTr")
    assert text[ref.start:ref.end] == ref.text


def test_find_document_number_joined_columns_and_letter():
    text = ("SỞ NỘI VỤ      CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "Số: 143/SNV-TT      Hà Nội, ngày 27 tháng 01 năm 2023\nV/v kiểm tra công vụ\n")
    ref = find_document_number(text)
    assert (ref.id, ref.style, ref.issuer) == ("143/SNV-TT", "letter", "SNV")
    party = find_document_number("ĐẢNG CỘNG SẢN VIỆT NAM\n*\nSố 60-NQ/TW\nHà Nội, ngày 12 tháng 4 năm 2025\n")
    assert party.id == "60-NQ/TW"
    portal = find_document_number("Văn bản pháp luật\nSố/Ký hiệu: 1919/TB-TTCP\nNgày ban hành: 10/5/2023\n")
    assert (portal.id, portal.type) == ("1919/TB-TTCP", "Thông báo")


@pytest.mark.parametrize("text", [
    "THANH TRA CHÍNH PHỦ\nSố:      /TTr-TTCP\n(Dự thảo)\nTỜ TRÌNH\n",
    "ĐOÀN THANH TRA\nSố: ......./BC-ĐTT\nBÁO CÁO\n",
    "Thanh tra tỉnh công bố kết luận\nTheo Kết luận số 12/KL-TTr, nhiều sai phạm được chỉ ra.",
    "",
])
def test_find_document_number_none(text):
    assert find_document_number(text) is None


def test_find_document_number_ignores_body():
    text = "SỞ XÂY DỰNG\nKính gửi: UBND quận\n" + "x " * 50 + "\nSố: 55/SXD-TTr\n"
    assert find_document_number(text) is None


# --- parse_reference -------------------------------------------------------------------------------------

@pytest.mark.parametrize("s, expected_id, expected_type, style", [
    ("4379/QĐ-UBND", "4379/QĐ-UBND", "Quyết định", "administrative"),
    ("86/2011/NĐ-CP", "86/2011/NĐ-CP", "Nghị định", "normative"),
    ("60-NQ/TW", "60-NQ/TW", "Nghị quyết", "party"),
    ("2096/KLUBND", "2096/KL-UBND", "Kết luận", "administrative"),
    ("143/SNV-TT", "143/SNV-TT", "Công văn", "letter"),
    ("11/2016", "11/2016", None, "number_year"),
    (" Số: 1234/qđ-ubnd ", "1234/QĐ-UBND", "Quyết định", "administrative"),
    ("12/TTR-UBND", "12/TTR-UBND", "Tờ trình", "administrative"),
])
def test_parse_reference(s, expected_id, expected_type, style):
    ref = parse_reference(s)
    assert (ref.id, ref.type, ref.style) == (expected_id, expected_type, style)


@pytest.mark.parametrize("s", ["28/01/2021", "3/5", "Đề án 125", "", "4379/QĐ-UBND ngày 10/11/2022 của UBND"])
def test_parse_reference_rejects(s):
    assert parse_reference(s) is None


# --- real texts ------------------------------------------------------------------------------------------

_ID_SHAPE = re.compile(r"^\d{1,5}[a-zA-Z]?(?:[-/](?:19|20)\d\d)?(?:[-/][^\W_][\w&.]*(?:[-/][^\W_][\w&.]*)*)?$")


def test_corpus_spans_and_ids():
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    assert len(texts) > 1000
    found = [(t, extract_references(t)) for t in texts]
    n = 0
    for text, refs in found:
        assert [r.start for r in refs] == sorted(r.start for r in refs)
        for r in refs:
            n += 1
            assert text[r.start:r.end] == r.text
            assert _ID_SHAPE.match(r.id), r.id
            assert " " not in r.id and "–" not in r.id
    assert n > 200


def test_dev_set_references():
    """Measured against the validation gold with fused symbols kept as written (the gold's convention)."""
    tp = fp = fn = 0
    for gold_path in sorted(DEV_GOLD.glob("*.json")):
        gold = {g.upper() for g in json.loads(gold_path.read_text(encoding="utf-8"))["references"]}
        text = (DEV_TEXTS / f"{gold_path.stem}.txt").read_text(encoding="utf-8")
        pred = {i.upper() for i in ids(text, repair_fused=False)}
        tp, fp, fn = tp + len(pred & gold), fp + len(pred - gold), fn + len(gold - pred)
    assert tp + fn > 30
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= 0.95, (tp, fp, fn)
