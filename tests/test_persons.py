"""Persons (GUIDE §2 "persons"): full names with the position written next to them; no short forms or credits."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from pipeline.extract.persons import extract_persons
from pipeline.extract.tokens import make_doc
from pipeline.extract.units import extract_units

from pipeline.paths import SHARED
NEWS = sorted((SHARED / "corpus" / "news2017").glob("*.txt"))


def names(text: str) -> list[str]:
    return [p.name for p in extract_persons(text)]


def person(text: str, name: str):
    found = [p for p in extract_persons(text) if p.name == name]
    assert found, f"{name!r} not in {names(text)}"
    return found[0]


@pytest.mark.parametrize("text, name, position, unit", [
    ("Phó Giám đốc Sở Nội vụ Đinh Mạnh Hùng cho biết", "Đinh Mạnh Hùng", "Phó Giám đốc Sở Nội vụ", "Sở Nội vụ"),
    ("Chủ tịch UBND TP Hà Nội Nguyễn Đức Chung đã ký", "Nguyễn Đức Chung", "Chủ tịch UBND TP Hà Nội",
     "UBND TP Hà Nội"),
    ("Chánh Thanh tra tỉnh Lê Văn Bình kết luận", "Lê Văn Bình", "Chánh Thanh tra tỉnh", "Thanh tra tỉnh"),
    ("Thứ trưởng Bộ Tài chính Trần Xuân Hà nhấn mạnh", "Trần Xuân Hà", "Thứ trưởng Bộ Tài chính", "Bộ Tài chính"),
    ("Trưởng đoàn Phạm Quang Huy cho hay", "Phạm Quang Huy", "Trưởng đoàn", None),
    ("Bí thư Tỉnh ủy Hoàng Trung Dũng phát biểu", "Hoàng Trung Dũng", "Bí thư Tỉnh ủy", "Tỉnh ủy"),
    ("Theo ông Võ Thành Công, Giám đốc Sở Xây dựng tỉnh Bến Tre, việc này", "Võ Thành Công",
     "Giám đốc Sở Xây dựng tỉnh Bến Tre", "Sở Xây dựng tỉnh Bến Tre"),
    ("bà Trương Thị Mai Hoa cho rằng", "Trương Thị Mai Hoa", None, None),
    ("đồng chí Ngô Xuân Lịch đề nghị", "Ngô Xuân Lịch", None, None),
    ("nguyên Phó Chủ tịch UBND tỉnh Đỗ Văn Chiến bị kỷ luật", "Đỗ Văn Chiến", "nguyên Phó Chủ tịch UBND tỉnh",
     "UBND tỉnh"),
])
def test_names_and_positions(text, name, position, unit):
    found = person(text, name)
    assert (found.position, found.unit) == (position, unit)
    assert text[found.start:found.end] == found.text == name


def test_names_without_a_title_and_several_in_a_list():
    text = "Các bị cáo gồm: Lý Văn Tâm (nguyên Đội trưởng), Hồ Thị Lan và Đặng Quốc Việt đều nhận tội."
    assert names(text) == ["Lý Văn Tâm", "Hồ Thị Lan", "Đặng Quốc Việt"]
    assert person(text, "Lý Văn Tâm").position == "nguyên Đội trưởng"


def test_minority_and_short_full_names():
    assert names("ông Y Huân và bà Lò Thị Phương") == ["Y Huân", "Lò Thị Phương"]
    assert names("đối với đồng chí Nguyễn Luyện") == ["Nguyễn Luyện"]


def test_the_signatory_of_an_official_document():
    text = ("Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. CHÁNH THANH TRA\nPHÓ CHÁNH THANH TRA\n\n\n\nTrần Văn Hùng\n")
    found = person(text, "Trần Văn Hùng")
    assert found.position == "Phó chánh thanh tra"
    assert names("GIÁM ĐỐC\n(Đã ký)\n\nNGUYỄN VĂN THẮNG\n") == ["Nguyễn Văn Thắng"]


def test_members_listed_in_a_decision_and_its_signatory():
    text = ("QUYẾT ĐỊNH\nCHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH GIA LAI\nĐiều 1. Thành lập Đoàn kiểm tra gồm:\n"
            "1. Ông Lê Văn Minh, Phó Giám đốc Sở Nội vụ - Trưởng đoàn;\n"
            "2. Bà Đặng Thị Hà, chuyên viên Văn phòng UBND tỉnh - thành viên.\n"
            "Nơi nhận:\n- Như Điều 3;\n- Lưu: VT.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\n\nNguyễn Tuấn Thanh\n")
    found = {p.name: p for p in extract_persons(text)}
    assert list(found) == ["Lê Văn Minh", "Đặng Thị Hà", "Nguyễn Tuấn Thanh"]
    assert (found["Lê Văn Minh"].position, found["Lê Văn Minh"].unit) == ("Phó Giám đốc Sở Nội vụ", "Sở Nội vụ")
    assert found["Đặng Thị Hà"].unit == "Văn phòng UBND tỉnh"
    assert found["Nguyễn Tuấn Thanh"].position == "Phó chủ tịch"


def test_foreign_names_after_a_title_or_ong_ba():
    assert names("Tổng thống Donald Trump và ông Robert Macke") == ["Donald Trump", "Robert Macke"]
    assert names("Thủ tướng Anh Theresa May đã đến") == ["Theresa May"]
    assert names("Giám đốc điều hành Coin Center nói") == []


def test_a_short_form_after_the_full_name_is_not_another_person():
    assert names("Bị cáo Võ Hoàng Anh khai rằng tiền đưa cho Hoàng Anh") == ["Võ Hoàng Anh"]


@pytest.mark.parametrize("text", [
    "ông Chung cho biết, bà H. không đồng ý",
    "Nguyễn Văn A. và Trần Thị H. là người làm chứng; N.V.T. vắng mặt",
    "Hướng dẫn người dân làm thủ tục. Ảnh: Nhật Nam",
    "Theo Lê Minh (TTXVN)",
    "Phóng viên Thanh Hà/TTXVN ghi nhận",
    "nhà số 15 Lê Duẩn, đường Nguyễn Trãi, phố Lý Thường Kiệt",
    "Trường THCS Nguyễn Du và Bệnh viện Đa khoa Trần Văn Thời",
    "UBND thành phố Hà Nội và quận Hoàng Mai, huyện Lâm Hà",
    "dịp Tết Đinh Dậu, Đoàn Thanh tra làm việc",
    "Cao Bằng, Lâm Đồng, Hà Tĩnh và Trung Quốc",
])
def test_not_persons(text):
    assert names(text) == []


def test_the_closing_byline_of_a_news_article_is_not_a_person():
    article = "Ông Phạm Văn Đức cho biết sẽ xử lý nghiêm.\nHoàng Lan"
    assert names(article) == ["Phạm Văn Đức"]
    assert names("Sở đã kiểm tra 10 đơn vị. Hoàng Trang (theo RT)") == []
    assert names("Đây là thông tin mới. Vân Anh - Nguyễn Quang") == []


def test_a_sentence_running_on_without_its_full_stop():
    assert names("hỏi ý kiến ông Võ Kim Cự Theo đó, việc này") == ["Võ Kim Cự"]


def test_units_given_by_the_caller_are_used():
    text = "Giám đốc Sở Y tế Nguyễn Văn Khánh"
    doc = make_doc(text)
    units = extract_units(text, doc=doc)
    assert extract_persons(text, doc=doc, units=units)[0].unit == "Sở Y tế"
    assert extract_persons(text, doc=doc, units=[])[0].unit is None


@pytest.mark.skipif(not NEWS, reason="needs ../shared/corpus/news2017")
def test_spans_are_exact_on_real_news():
    for path in NEWS[:150]:
        text = path.read_text(encoding="utf-8")
        for p in extract_persons(text, doc=make_doc(text)):
            assert text[p.start:p.end] == p.text, (path.name, p)
            assert 2 <= len(p.name.split()) <= 4, (path.name, p)


DEV = SHARED / "eval" / "dev"


@pytest.mark.skipif(not (DEV / "gold").exists(), reason="needs ../shared/eval/dev")
def test_dev_set_score_does_not_regress():
    sys.path.insert(0, str(SHARED / "eval"))
    import score
    tp = fp = fn = 0
    for gold_path in sorted((DEV / "gold").glob("*.json")):
        text = (DEV / "texts" / (gold_path.stem + ".txt")).read_text(encoding="utf-8")
        pred = {score.norm_text(p.name) for p in extract_persons(text)}
        gold = {score.norm_text(g) for g in json.loads(gold_path.read_text(encoding="utf-8"))["persons"]}
        tp, fp, fn = tp + len(pred & gold), fp + len(pred - gold), fn + len(gold - pred)
    assert score.prf(tp, fp, fn)[2] >= 0.95
