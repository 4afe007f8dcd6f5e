"""Units (GUIDE §2 "units"), the segmentation they stand on (tokens.make_doc) and the gazetteer behind them."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from pipeline.extract import gazetteer as gz
from pipeline.extract.tokens import make_doc, segment
from pipeline.extract.units import document_province, extract_units
from pipeline.record import UNIT_KINDS

from pipeline.paths import SHARED
NEWS = sorted((SHARED / "corpus" / "news2017").glob("*.txt"))


def texts(sentence: str, **kwargs) -> list[str]:
    return [u.text for u in extract_units(sentence, **kwargs)]


def unit(sentence: str, surface: str, **kwargs):
    found = [u for u in extract_units(sentence, **kwargs) if u.text == surface]
    assert found, f"{surface!r} not in {texts(sentence, **kwargs)}"
    return found[0]


# -- make_doc ----------------------------------------------------------------------------------------------------

def test_make_doc_keeps_the_text_and_its_offsets():
    text = "Phó Giám đốc Sở Nội vụ  Hà Nội\nĐinh Mạnh Hùng cho biết,\n\n  UBND TP.HCM đã ban hành."
    doc = make_doc(text)
    assert doc.text == text
    for token in doc:
        assert text[token.idx:token.idx + len(token.text)] == token.text
    words = [t.text for t in doc if not t.is_space]
    assert "Giám đốc" in words and "Đinh Mạnh Hùng" in words


def test_make_doc_uses_one_vocabulary_and_handles_empty_text():
    assert make_doc("").text == ""
    assert make_doc("   \n ").text == "   \n "
    assert make_doc("Sở Y tế").vocab is make_doc("Bộ Y tế").vocab


def test_segment_gives_word_offsets_line_by_line():
    text = "Sở Nội vụ\nHà Nội"
    assert [text[s:e] for s, e in segment(text)] == ["Sở", "Nội vụ", "Hà Nội"]


@pytest.mark.skipif(not NEWS, reason="needs ../shared/corpus/news2017")
def test_make_doc_is_exact_on_real_news():
    for path in NEWS[:40]:
        text = path.read_text(encoding="utf-8")
        assert make_doc(text).text == text, path.name


# -- the forms of GUIDE §2 and of the task ----------------------------------------------------------------------

@pytest.mark.parametrize("sentence, surface, name, kind, locality", [
    ("Sở Kế hoạch và Đầu tư TP Hà Nội đã", "Sở Kế hoạch và Đầu tư TP Hà Nội", "Sở Kế hoạch và Đầu tư", "department",
     "Hà Nội"),
    ("làm việc với UBND phường Bách Khoa.", "UBND phường Bách Khoa", "Ủy ban nhân dân", "peoples_committee",
     "phường Bách Khoa, Hà Nội"),
    ("theo kết luận của Thanh tra Chính phủ.", "Thanh tra Chính phủ", "Thanh tra Chính phủ", "inspectorate", None),
    ("Đoàn kiểm tra công vụ thành phố Hà Nội đã", "Đoàn kiểm tra công vụ thành phố Hà Nội", "Đoàn kiểm tra công vụ",
     "inspection_team", "Hà Nội"),
    ("tại Chi nhánh Văn phòng Đăng ký quyền sử dụng đất huyện Gia Lâm, cán bộ",
     "Chi nhánh Văn phòng Đăng ký quyền sử dụng đất huyện Gia Lâm", "Chi nhánh Văn phòng đăng ký đất đai",
     "public_service_unit", "huyện Gia Lâm, Hà Nội"),
    ("vốn của Tổng công ty Chè Việt Nam.", "Tổng công ty Chè Việt Nam", "Tổng công ty Chè Việt Nam", "enterprise",
     None),
    ("Bộ GD&ĐT yêu cầu", "Bộ GD&ĐT", "Bộ Giáo dục và Đào tạo", "ministry", None),
    ("Bộ TN&MT và Bộ NN&PTNT", "Bộ NN&PTNT", "Bộ Nông nghiệp và Phát triển nông thôn", "ministry", None),
    ("Sở LĐTB&XH tỉnh Nghệ An cho biết", "Sở LĐTB&XH tỉnh Nghệ An", "Sở Lao động - Thương binh và Xã hội",
     "department", "Nghệ An"),
    ("Sở GD-ĐT Đà Nẵng đã", "Sở GD-ĐT Đà Nẵng", "Sở Giáo dục và Đào tạo", "department", "Đà Nẵng"),
    ("Ủy ban nhân dân thị xã Sơn Tây ban hành", "Ủy ban nhân dân thị xã Sơn Tây", "Ủy ban nhân dân",
     "peoples_committee", "thị xã Sơn Tây, Hà Nội"),
    ("Thường trực HĐND tỉnh Lạng Sơn họp", "Thường trực HĐND tỉnh Lạng Sơn", "Thường trực Hội đồng nhân dân",
     "office", "Lạng Sơn"),
    ("Thanh tra huyện Sóc Sơn kết luận", "Thanh tra huyện Sóc Sơn", "Thanh tra", "inspectorate",
     "huyện Sóc Sơn, Hà Nội"),
    ("Phòng Tài chính - Kế hoạch huyện Mê Linh chưa", "Phòng Tài chính - Kế hoạch huyện Mê Linh",
     "Phòng Tài chính - Kế hoạch", "division", "huyện Mê Linh, Hà Nội"),
    ("Chi cục Kiểm lâm tỉnh Gia Lai báo cáo", "Chi cục Kiểm lâm tỉnh Gia Lai", "Chi cục Kiểm lâm", "division",
     "Gia Lai"),
    ("Ban quản lý dự án đầu tư xây dựng huyện Ba Vì làm chủ đầu tư",
     "Ban quản lý dự án đầu tư xây dựng huyện Ba Vì", "Ban quản lý dự án đầu tư xây dựng", "public_service_unit",
     "huyện Ba Vì, Hà Nội"),
    ("Trung tâm Phục vụ hành chính công tỉnh Bắc Ninh tiếp nhận", "Trung tâm Phục vụ hành chính công tỉnh Bắc Ninh",
     "Trung tâm Phục vụ hành chính công", "public_service_unit", "Bắc Ninh"),
    ("Bệnh viện Đa khoa tỉnh Phú Thọ đã", "Bệnh viện Đa khoa tỉnh Phú Thọ", "Bệnh viện Đa khoa",
     "public_service_unit", "Phú Thọ"),
    ("Trường THCS Lê Quý Đôn thu sai", "Trường THCS Lê Quý Đôn", "Trường Trung học cơ sở Lê Quý Đôn",
     "public_service_unit", None),
    ("Công an tỉnh Thanh Hóa khởi tố", "Công an tỉnh Thanh Hóa", "Công an", "police", "Thanh Hóa"),
    ("VKSND huyện Đông Anh phê chuẩn", "VKSND huyện Đông Anh", "Viện Kiểm sát nhân dân", "court_procuracy",
     "huyện Đông Anh, Hà Nội"),
    ("TAND TP Hải Phòng xét xử", "TAND TP Hải Phòng", "Tòa án nhân dân", "court_procuracy", "Hải Phòng"),
    ("Cơ quan CSĐT Công an tỉnh Bình Dương", "Cơ quan CSĐT Công an tỉnh Bình Dương",
     "Cơ quan Cảnh sát điều tra Công an", "police", "Bình Dương"),
    ("Ban Thường vụ Tỉnh ủy Nam Định quyết định", "Ban Thường vụ Tỉnh ủy Nam Định", "Ban Thường vụ Tỉnh ủy",
     "party", "Nam Định"),
    ("Ủy ban Kiểm tra Trung ương đề nghị", "Ủy ban Kiểm tra Trung ương", "Ủy ban Kiểm tra Trung ương", "party", None),
    ("Công ty TNHH MTV Môi trường đô thị Hà Nội đã", "Công ty TNHH MTV Môi trường đô thị Hà Nội",
     "Công ty TNHH MTV Môi trường đô thị", "enterprise", "Hà Nội"),
    ("Công ty CP Đầu tư Xây dựng Thành Nam vi phạm", "Công ty CP Đầu tư Xây dựng Thành Nam",
     "Công ty CP Đầu tư Xây dựng Thành Nam", "enterprise", None),
    ("Tập đoàn Điện lực Việt Nam cho biết", "Tập đoàn Điện lực Việt Nam", "Tập đoàn Điện lực Việt Nam",
     "enterprise", None),
    ("Ngân hàng Nhà nước đã", "Ngân hàng Nhà nước", "Ngân hàng Nhà nước", "ministry", None),
    ("Kiểm toán Nhà nước phát hiện", "Kiểm toán Nhà nước", "Kiểm toán Nhà nước", "other", None),
    ("Văn phòng Chính phủ thông báo", "Văn phòng Chính phủ", "Văn phòng Chính phủ", "office", None),
    ("Quốc hội thông qua", "Quốc hội", "Quốc hội", "legislature", None),
    ("Cục Quản lý thị trường tỉnh Hà Giang", "Cục Quản lý thị trường tỉnh Hà Giang", "Cục Quản lý thị trường",
     "division", "Hà Giang"),
    ("Vụ Pháp chế đã", "Vụ Pháp chế", "Vụ Pháp chế", "division", None),
    ("Tổng cục Thuế hướng dẫn", "Tổng cục Thuế", "Tổng cục Thuế", "division", None),
    ("Văn phòng đăng ký đất đai Hà Nội chậm trả hồ sơ", "Văn phòng đăng ký đất đai Hà Nội",
     "Văn phòng đăng ký đất đai", "public_service_unit", "Hà Nội"),
])
def test_unit_forms(sentence, surface, name, kind, locality):
    found = unit(sentence, surface)
    assert (found.name, found.kind, found.locality) == (name, kind, locality)
    assert found.kind in UNIT_KINDS
    assert sentence[found.start:found.end] == found.text


def test_a_chain_reports_every_unit_it_names():
    sentence = "Đoàn kiểm tra công vụ của Sở Nội vụ Hà Nội đã kiểm tra đột xuất."
    assert texts(sentence) == ["Đoàn kiểm tra công vụ của Sở Nội vụ Hà Nội", "Sở Nội vụ Hà Nội"]
    sentence = "Thanh tra Sở Xây dựng tỉnh Thái Nguyên lập biên bản"
    assert texts(sentence) == ["Thanh tra Sở Xây dựng tỉnh Thái Nguyên", "Sở Xây dựng tỉnh Thái Nguyên"]
    assert unit(sentence, "Thanh tra Sở Xây dựng tỉnh Thái Nguyên").name == "Thanh tra Sở Xây dựng"


def test_a_team_takes_its_subject_and_owner():
    sentence = "Đoàn kiểm tra hoạt động bán hàng đa cấp của Công ty TNHH Hoàng Long gồm 5 người"
    assert texts(sentence)[0] == "Đoàn kiểm tra hoạt động bán hàng đa cấp của Công ty TNHH Hoàng Long"
    assert "Đoàn thanh tra liên ngành" in texts("Đoàn thanh tra liên ngành đã làm việc")


def test_a_position_contributes_its_unit_and_names_stop_at_the_person():
    assert texts("Phó Giám đốc Sở Nội vụ Ngô Anh Tuấn cho biết") == ["Sở Nội vụ"]
    assert texts("Chủ tịch UBND huyện Quốc Oai Nguyễn Văn Hùng ký") == ["UBND huyện Quốc Oai"]
    assert texts("Giám đốc Công ty TNHH Thành Đạt Nguyễn Văn Hải khai") == ["Công ty TNHH Thành Đạt"]


@pytest.mark.parametrize("sentence, surface", [
    ("Sở Tài chính đã có văn bản", "Sở Tài chính"),
    ("Sở Xây dựng về việc cấp phép", "Sở Xây dựng"),
    ("UBND huyện Thanh Trì, UBND quận Hoàng Mai", "UBND huyện Thanh Trì"),
    ("Cục Xúc tiến thương mại tổ chức hội chợ", "Cục Xúc tiến thương mại"),
    ("Công ty Minh Phát kinh doanh vận tải", "Công ty Minh Phát"),
    ("Trường Mầm non Hoa Sen và Trường Tiểu học Kim Liên", "Trường Mầm non Hoa Sen"),
    ("Sở Nông nghiệp và Phát triển nông thôn (NN&PTNT) tỉnh Quảng Ninh",
     "Sở Nông nghiệp và Phát triển nông thôn (NN&PTNT) tỉnh Quảng Ninh"),
])
def test_names_stop_at_sensible_boundaries(sentence, surface):
    assert surface in texts(sentence)


@pytest.mark.parametrize("sentence", [
    "Đoàn đã kiểm tra 7 sở, 9 UBND phường và các đơn vị sự nghiệp.",
    "Yêu cầu các sở, ngành và cơ quan chức năng phối hợp.",
    "Bộ phận một cửa tiếp nhận hồ sơ của người dân.",
    "Người dân Hà Nội và quận Đống Đa, huyện Gia Lâm.",
    "Theo Luật Thanh tra năm 2010 và Quyết định số 4379/QĐ-UBND.",
    "UBND cấp xã phải niêm yết công khai; UBND các quận, huyện báo cáo.",
    "Bộ trưởng đã ký. Hội nghị diễn ra tại trung tâm Hà Nội.",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Đội tuyển Tây Ban Nha thắng; bộ phận kế toán và ban hành chính sách.",
    "đoàn kiểm tra đã lập biên bản; mỗi đoàn thanh tra có 5 người",
    "đề nghị tiến hành thanh tra huyện này",
    "Kính gửi Sở Nội vụ các tỉnh, thành phố trực thuộc Trung ương.",
    "ông Nguyễn Văn Toàn ở phường 12 và phòng 510 của khách sạn",
])
def test_not_units(sentence):
    assert texts(sentence) == []


def test_bare_names_take_the_documents_province():
    assert unit("UBND tỉnh giao Sở Tài chính", "UBND tỉnh", locality_hint="Quảng Ninh").locality == "Quảng Ninh"
    text = "UBND tỉnh Yên Bái chỉ đạo. Sau đó UBND tỉnh giao Sở TN&MT tỉnh Yên Bái và Thanh tra tỉnh."
    assert unit(text, "UBND tỉnh").locality == "Yên Bái"
    assert unit(text, "Thanh tra tỉnh").locality == "Yên Bái"
    assert document_province("Sở Y tế Hà Nội, UBND TP Hà Nội và tỉnh Bắc Ninh").name == "Hà Nội"
    assert unit("Bộ Nội vụ và UBND tỉnh Hòa Bình", "Bộ Nội vụ").locality is None


def test_official_header_in_capitals():
    header = "UBND TỈNH QUẢNG NINH          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTHANH TRA TỈNH\nSố: 25/KL-TTr"
    assert texts(header) == ["UBND TỈNH QUẢNG NINH", "THANH TRA TỈNH"]
    assert unit(header, "THANH TRA TỈNH").locality == "Quảng Ninh"


def test_official_header_on_two_lines():
    header = "ỦY BAN NHÂN DÂN\nTỈNH GIA LAI\n-------\nQUYẾT ĐỊNH\nCHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH GIA LAI"
    found = extract_units(header)
    assert [u.text for u in found] == ["ỦY BAN NHÂN DÂN\nTỈNH GIA LAI", "ỦY BAN NHÂN DÂN TỈNH GIA LAI"]
    assert {u.locality for u in found} == {"Gia Lai"}


# -- successors after the 2025 reorganisation (BRIEF §3.3–3.6) ------------------------------------------------------

@pytest.mark.parametrize("sentence, surface, successor", [
    ("Sở TN&MT tỉnh Yên Bái đã", "Sở TN&MT tỉnh Yên Bái", "Sở Nông nghiệp và Môi trường tỉnh Lào Cai"),
    ("Bộ Kế hoạch và Đầu tư đã", "Bộ Kế hoạch và Đầu tư", "Bộ Tài chính"),
    ("Bộ GTVT đã", "Bộ GTVT", "Bộ Xây dựng"),
    ("UBND huyện Gia Lâm đã", "UBND huyện Gia Lâm", "Ủy ban nhân dân thành phố Hà Nội"),
    ("UBND tỉnh Bình Dương đã", "UBND tỉnh Bình Dương", "Ủy ban nhân dân thành phố Hồ Chí Minh"),
    ("Thanh tra Sở Y tế tỉnh Hà Nam đã", "Thanh tra Sở Y tế tỉnh Hà Nam", "Thanh tra tỉnh Ninh Bình"),
    ("Thanh tra Bộ Nội vụ đã", "Thanh tra Bộ Nội vụ", "Thanh tra Chính phủ"),
    ("UBND phường Bách Khoa đã", "UBND phường Bách Khoa", "Ủy ban nhân dân phường Bạch Mai"),
    ("Tỉnh ủy Hà Giang đã", "Tỉnh ủy Hà Giang", "Tỉnh ủy Tuyên Quang"),
])
def test_successors(sentence, surface, successor):
    assert unit(sentence, surface).successor == successor


@pytest.mark.parametrize("sentence, surface", [
    ("Sở Nội vụ Hà Nội đã", "Sở Nội vụ Hà Nội"),
    ("Bộ Y tế đã", "Bộ Y tế"),
    ("Thanh tra Bộ Công an đã", "Thanh tra Bộ Công an"),
    ("UBND tỉnh Nghệ An đã", "UBND tỉnh Nghệ An"),
])
def test_unchanged_bodies_have_no_successor(sentence, surface):
    assert unit(sentence, surface).successor is None


def test_gazetteer_lookups():
    assert gz.province("TP.HCM").name == "Hồ Chí Minh"
    assert gz.province("Thừa Thiên - Huế").name == "Huế"
    assert gz.province("tỉnh Hà Giang").successor == "Tuyên Quang"
    assert gz.sector("LĐ-TB&XH").name == "Lao động - Thương binh và Xã hội"
    assert gz.sector("tài nguyên môi trường").successor == "Nông nghiệp và Môi trường"
    assert gz.is_place_name("Hoàng Mai") and not gz.is_place_name("Đinh Mạnh Hùng")
    assert gz.expand_abbreviations("UBND phường X") == "Ủy ban nhân dân phường X"
    assert gz.fold("Đắk G’Long") == "dakglong"


# -- over many real texts ----------------------------------------------------------------------------------------

@pytest.mark.skipif(not NEWS, reason="needs ../shared/corpus/news2017")
def test_spans_are_exact_and_kinds_valid_on_real_news():
    for path in NEWS[:150]:
        text = path.read_text(encoding="utf-8")
        for u in extract_units(text, doc=make_doc(text)):
            assert text[u.start:u.end] == u.text and u.text.strip() == u.text, (path.name, u)
            assert u.kind in UNIT_KINDS and u.name


DEV = SHARED / "eval" / "dev"


@pytest.mark.skipif(not (DEV / "gold").exists(), reason="needs ../shared/eval/dev")
def test_dev_set_lenient_score_does_not_regress():
    sys.path.insert(0, str(SHARED / "eval"))
    import score
    tp = fp = fn = 0
    for gold_path in sorted((DEV / "gold").glob("*.json")):
        text = (DEV / "texts" / (gold_path.stem + ".txt")).read_text(encoding="utf-8")
        pred = {score.norm_text(u.text) for u in extract_units(text)}
        gold = {score.norm_text(g) for g in json.loads(gold_path.read_text(encoding="utf-8"))["units"]}
        counts = score.lenient_counts(pred, gold)
        tp, fp, fn = tp + counts[0], fp + counts[1], fn + counts[2]
    assert score.prf(tp, fp, fn)[2] >= 0.90
