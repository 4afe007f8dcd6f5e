"""Finding segmentation, keyword rules, roll-up, document kind and relevance (pipeline/findings, pipeline/doc_kind)."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from pipeline.doc_kind import guess_doc_kind
from pipeline.extract import Facts
from pipeline.findings import classify_document, roll_up
from pipeline.findings.cues import rule_labels, rule_outcome, rule_remedies, rule_violation_types
from pipeline.findings.segment import find_findings, is_finding_sentence, sentences_with_sections, split_sentences
from pipeline.record import OUTCOMES, REMEDIES, VIOLATION_TYPES, Amount, Finding, Unit

NEWS2017 = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "news2017"

CONCLUSION = """THANH TRA TỈNH BẮC GIANG
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 07/KL-TTr
Bắc Giang, ngày 12 tháng 3 năm 2024
KẾT LUẬN THANH TRA
Về việc quản lý tài chính tại UBND xã Tân Mỹ
Thực hiện Quyết định số 15/QĐ-TTr ngày 02/01/2024, Đoàn thanh tra đã thanh tra tại UBND xã Tân Mỹ.
I. KHÁI QUÁT CHUNG
Xã có 5 thôn; UBND xã được giao dự toán chi ngân sách năm 2023 là 9.200.000.000 đồng, vi phạm không có.
II. KẾT QUẢ KIỂM TRA, XÁC MINH
UBND xã Tân Mỹ chi sai chế độ phụ cấp 86.500.000 đồng, không có chứng từ hợp lệ.
Việc niêm yết thủ tục hành chính tại bộ phận một cửa được thực hiện đúng quy định.
III. KIẾN NGHỊ
Thu hồi nộp ngân sách nhà nước số tiền 86.500.000 đồng.
Kiến nghị Chủ tịch UBND huyện tổ chức kiểm điểm, rút kinh nghiệm đối với tập thể UBND xã.
"""


def _facts_for(text: str, units: list[str], amounts: dict[str, int]) -> Facts:
    """Facts with the given unit names and amounts located at every occurrence (no extractor needed)."""
    facts = Facts()
    for name in units:
        start = text.find(name)
        while start >= 0:
            facts.units.append(Unit(text=name, start=start, end=start + len(name), name=name))
            start = text.find(name, start + 1)
    for surface, value in amounts.items():
        start = text.find(surface)
        while start >= 0:
            facts.amounts.append(Amount(text=surface, start=start, end=start + len(surface), value=value))
            start = text.find(surface, start + 1)
    return facts


# --- sentences and sections -------------------------------------------------------------------------------------

def test_split_sentences_keeps_abbreviations_and_breaks_lines():
    text = "Qua kiểm tra phát hiện sai phạm. UBND TP. Hà Nội chỉ đạo xử lý.\nDòng thứ hai"
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == [
        "Qua kiểm tra phát hiện sai phạm.", "UBND TP. Hà Nội chỉ đạo xử lý.", "Dòng thứ hai"]


def test_split_sentences_cuts_run_on_text_at_semicolons():
    text = "; ".join(["Xã giao đất trái thẩm quyền cho hộ gia đình ông A tại thôn " + str(i) for i in range(40)])
    spans = split_sentences(text)
    assert len(spans) > 1
    assert all(b - a <= 1200 for a, b in spans)
    assert all(text[a:b].strip() == text[a:b] for a, b in spans)


def test_sections_follow_headings():
    sentences = sentences_with_sections(CONCLUSION)
    by_text = {CONCLUSION[s.start:s.end]: s.section for s in sentences}
    assert by_text["I. KHÁI QUÁT CHUNG"] == "background"
    assert by_text["UBND xã Tân Mỹ chi sai chế độ phụ cấp 86.500.000 đồng, không có chứng từ hợp lệ."] == "result"
    assert by_text["Thu hồi nộp ngân sách nhà nước số tiền 86.500.000 đồng."] == "remedy"


# --- finding segmentation -------------------------------------------------------------------------------------

def test_conclusion_findings_with_unit_and_amounts():
    facts = _facts_for(CONCLUSION, ["UBND xã Tân Mỹ", "UBND huyện"], {"86.500.000 đồng": 86_500_000,
                                                                      "9.200.000.000 đồng": 9_200_000_000})
    findings = find_findings(CONCLUSION, facts)
    texts = [f.text for f in findings]
    assert "UBND xã Tân Mỹ chi sai chế độ phụ cấp 86.500.000 đồng, không có chứng từ hợp lệ." in texts
    # Background is not a finding even though it contains an evaluative word.
    assert not any("Xã có 5 thôn" in t for t in texts)
    first = next(f for f in findings if f.text.startswith("UBND xã Tân Mỹ chi sai"))
    assert first.unit == "UBND xã Tân Mỹ"
    assert first.amounts == [86_500_000]
    for f in findings:
        assert CONCLUSION[f.start:f.end] == f.text


@pytest.mark.parametrize("sentence", [
    "Qua kiểm tra, Đoàn kiểm tra công vụ phát hiện 5 công chức đi muộn, không đeo thẻ.",
    "Kết luận thanh tra chỉ rõ UBND huyện giao đất trái thẩm quyền cho 12 hộ.",
    "Qua kiểm tra, các đơn vị đều chấp hành nghiêm thời giờ làm việc.",
    "Thanh tra tỉnh kiến nghị thu hồi nộp ngân sách 1,2 tỷ đồng.",
])
def test_news_finding_sentences(sentence):
    assert is_finding_sentence(sentence, "other", inspection_document=True)


@pytest.mark.parametrize("sentence", [
    "Thanh tra tỉnh sẽ thanh tra việc giao đất tại xã Tân Mỹ trong quý II.",           # announcement
    "Nếu phát hiện sai phạm sẽ xử lý nghiêm theo quy định.",                            # conditional
    "Ông A bị tố nhận tiền của nhiều hộ dân để làm sổ đỏ.",                             # unverified allegation
    "Vậy đơn vị nào sẽ chịu trách nhiệm về những vi phạm này?",                          # question
    "Đội tuyển Việt Nam thắng Thái Lan 2-0 tối qua.",                                    # nothing evaluative
])
def test_not_finding_sentences(sentence):
    assert not is_finding_sentence(sentence, "other", inspection_document=True)


def test_background_section_is_never_a_finding():
    assert not is_finding_sentence("Đơn vị vi phạm quy định về chi tiêu.", "background", inspection_document=True)


# --- keyword rules --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, outcome", [
    ("Qua kiểm tra, không phát hiện sai phạm trong việc chi trả chế độ.", "compliant"),
    ("Các đơn vị chấp hành nghiêm thời giờ làm việc.", "compliant"),
    ("Việc niêm yết thủ tục hành chính chưa đúng quy định, còn chậm cập nhật.", "shortcoming"),
    ("Việc UBND xã giao đất ở là trái thẩm quyền.", "violation"),
    ("Chi sai chế độ 300 triệu đồng là không đúng quy định.", "violation"),
    ("Sai phạm gây thất thoát ngân sách hơn 5 tỷ đồng, chuyển hồ sơ sang cơ quan điều tra.", "serious"),
    ("Xã có 5 thôn với 9.412 nhân khẩu.", "none"),
])
def test_rule_outcome(sentence, outcome):
    assert rule_outcome(sentence) == outcome


def test_rule_violation_types():
    assert rule_violation_types("Tuyển dụng 8 viên chức không đúng quy trình.") == {"personnel"}
    assert "land" in rule_violation_types("Cho thuê 12,6 ha đất công ích không qua đấu giá.")
    assert "service_discipline" in rule_violation_types("Có 3 công chức đi muộn, không đeo thẻ.")
    assert "sector_edu_health" in rule_violation_types("Trường thu sai học phí của phụ huynh.")
    assert rule_violation_types("Trời hôm nay nắng đẹp.") == set()


def test_rule_remedies():
    assert rule_remedies("Kiến nghị thu hồi nộp ngân sách nhà nước 574.150.000 đồng.") == {"recover_funds"}
    assert "recover_land_asset" in rule_remedies("Thu hồi 12,6 ha đất công ích đã cho thuê.")
    assert "recover_funds" not in rule_remedies("Thu hồi 12,6 ha đất công ích đã cho thuê.")
    assert {"review_responsibility", "discipline"} <= rule_remedies(
        "Tổ chức kiểm điểm, xem xét xử lý kỷ luật đối với cá nhân vi phạm.")
    assert "criminal_referral" in rule_remedies("Chuyển hồ sơ sang Cơ quan Cảnh sát điều tra Công an tỉnh.")
    assert "party_action" in rule_remedies("Đề nghị Ủy ban Kiểm tra Huyện ủy xem xét trách nhiệm.")
    assert rule_remedies("Xã có 5 thôn.") == set()


def test_rule_labels_only_known_ids():
    r = rule_labels("Qua thanh tra phát hiện chi sai 120 triệu đồng, kiến nghị thu hồi nộp ngân sách.")
    assert r.violation_types <= set(VIOLATION_TYPES)
    assert r.remedies <= set(REMEDIES)
    assert r.outcome in OUTCOMES
    assert "budget_finance" in r.violation_types and "recover_funds" in r.remedies


# --- roll-up and the document API -----------------------------------------------------------------------------

def test_roll_up_ignores_compliant_areas_and_takes_strongest_outcome():
    findings = [
        Finding("a", 0, 1, violation_types=["admin_procedure"], outcome="compliant"),
        Finding("b", 2, 3, violation_types=["land"], outcome="violation", remedies=["recover_land_asset"]),
        Finding("c", 4, 5, violation_types=["service_discipline"], outcome="shortcoming", remedies=["correct_practice"]),
    ]
    violation, outcome, remedies = roll_up(findings)
    assert violation == ["land", "service_discipline"]
    assert outcome == "violation"
    assert remedies == ["recover_land_asset", "correct_practice"]
    assert roll_up([]) == ([], "none", [])


def test_classify_conclusion():
    facts = _facts_for(CONCLUSION, ["UBND xã Tân Mỹ"], {"86.500.000 đồng": 86_500_000})
    result = classify_document(CONCLUSION, facts)
    assert result.doc_kind == "conclusion"
    assert result.relevant
    assert result.outcome == "violation"
    assert "budget_finance" in result.violation_types
    assert "admin_procedure" not in result.violation_types      # found compliant
    assert {"recover_funds", "review_responsibility"} <= set(result.remedies)
    assert result.model_version
    assert all(0.0 <= f.score <= 1.0 for f in result.findings)


def test_plan_has_no_findings():
    plan = ("UBND TỈNH HÀ NAM\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nSố: 12/KH-UBND\n"
            "KẾ HOẠCH\nKiểm tra công vụ năm 2025\nI. MỤC ĐÍCH, YÊU CẦU\nPhát hiện, chấn chỉnh kịp thời các vi phạm, "
            "xử lý nghiêm cán bộ vi phạm kỷ luật, kỷ cương hành chính.\nII. NỘI DUNG KIỂM TRA\nViệc chấp hành giờ giấc.")
    result = classify_document(plan, Facts())
    assert result.doc_kind == "plan"
    assert result.findings == [] and result.outcome == "none" and result.violation_types == [] and result.remedies == []


def test_unrelated_news_is_not_relevant():
    text = ("Đội tuyển Việt Nam thắng Thái Lan\nTối qua, đội tuyển bóng đá Việt Nam đã thắng Thái Lan 2-0 trên sân "
            "Mỹ Đình trước 40.000 khán giả. Huấn luyện viên cho biết các cầu thủ thi đấu rất nỗ lực và hy vọng sẽ "
            "giành chức vô địch. Người hâm mộ đổ ra đường ăn mừng đến khuya.")
    result = classify_document(text, Facts())
    assert not result.relevant
    assert result.outcome == "none" and result.findings == []


def test_compliant_check_in_news():
    text = ("Kiểm tra công vụ đầu năm tại các phường\nNgày 2-2, Đoàn kiểm tra công vụ của Sở Nội vụ thành phố đã kiểm "
            "tra đột xuất việc chấp hành kỷ luật, kỷ cương hành chính tại UBND phường Bách Khoa và UBND phường "
            "Phương Liên. Qua kiểm tra, cán bộ, công chức các đơn vị đều chấp hành nghiêm thời giờ làm việc, có mặt "
            "đầy đủ, đeo thẻ công chức đúng quy định. Đoàn kiểm tra công vụ sẽ tiếp tục kiểm tra đột xuất đến hết "
            "tháng 3, kiểm tra việc thực hiện kết luận thanh tra và kỷ luật công vụ.")
    result = classify_document(text, Facts())
    assert result.relevant
    assert result.outcome == "compliant"
    assert result.violation_types == []


# --- document kind --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("header, kind", [
    ("THANH TRA TỈNH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 18/KL-TTr\nKẾT LUẬN THANH TRA\nVề việc …", "conclusion"),
    ("SỞ NỘI VỤ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 1873/TB-SNV\nTHÔNG BÁO\nVề kết luận kiểm tra công vụ", "conclusion"),
    ("SỞ NỘI VỤ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 1874/TB-SNV\nTHÔNG BÁO\nVề lịch tiếp công dân", "letter"),
    ("UBND HUYỆN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 95/QĐ-UBND\nQUYẾT ĐỊNH\nVề việc xử phạt", "decision"),
    ("UBND TỈNH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 12/KH-UBND\nKẾ HOẠCH\nKiểm tra công vụ", "plan"),
    ("UBND HUYỆN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 1562/UBND-NV\nV/v chấn chỉnh kỷ luật", "letter"),
    ("UBND HUYỆN\nSố: 1563/UBND-NV\nKính gửi: các xã", "letter"),
    ("THANH TRA TỈNH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 41/BC-TTr\nBÁO CÁO\nKết quả công tác quý III", "report"),
    ("Xét xử bị cáo tội chống Nhà nước Cộng hòa xã hội chủ nghĩa Việt Nam\nNgày 29/6, tòa án …", "news"),
    ("Hà Nội kiểm tra công vụ sau Tết\nSáng 2-2, Đoàn kiểm tra …", "news"),
])
def test_doc_kind(header, kind):
    assert guess_doc_kind(header) == kind


# --- many real texts ------------------------------------------------------------------------------------------

def test_segmentation_over_real_news_is_consistent_and_fast():
    paths = sorted(NEWS2017.glob("*.txt"))[:300]
    assert len(paths) == 300
    texts = [p.read_text(encoding="utf-8") for p in paths]
    t0 = time.perf_counter()
    found = 0
    for text in texts:
        for f in find_findings(text, Facts()):
            assert text[f.start:f.end] == f.text and f.text.strip() == f.text
            found += 1
    elapsed = time.perf_counter() - t0
    chars = sum(map(len, texts))
    assert found > 100
    assert chars / elapsed > 200_000, f"segmentation at {chars / elapsed:,.0f} chars/s"
