"""Keyword rules for findings: the rules-only baseline of the classifiers and the weak labeller of their training data.

Every cue is matched on the lower-cased sentence, as a whole-syllable phrase; the cue lists follow GUIDE.md §2 and the
domain brief §5 (taxonomy, outcome scale, remedy phrases). The rules see one sentence at a time.

``rule_labels("Qua kiểm tra phát hiện UBND xã chi sai chế độ 120 triệu đồng, kiến nghị thu hồi nộp ngân sách.")`` →
``RuleLabels(violation_types={"budget_finance"}, outcome="violation", remedies={"recover_funds"})``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..record import OUTCOMES


def _phrases(*alternatives: str) -> re.Pattern:
    """One compiled alternation of phrases (regex syntax allowed) bounded by non-word characters."""
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")


# Areas of a finding (GUIDE.md §2 violation_types). The cues say what the finding is ABOUT; whether it is a breach is
# decided separately by the outcome cues.
VIOLATION_CUES: dict[str, re.Pattern] = {
    "land": _phrases(
        r"giao đất", r"cho thuê đất", r"thuê đất", r"chuyển mục đích( sử dụng)?( đất)?", r"thu hồi đất", r"bồi thường",
        r"giải phóng mặt bằng", r"gpmb", r"đấu giá quyền sử dụng đất", r"quyền sử dụng đất", r"qsdđ", r"lấn chiếm",
        r"đất công( ích)?", r"giấy chứng nhận quyền", r"sổ đỏ", r"tái định cư", r"đất đai", r"sử dụng đất",
        r"đất nông nghiệp", r"đất ở", r"đất rừng", r"đất (quốc phòng|nông trường|lâm trường)", r"chiếm đất",
        r"cấp đất", r"diện tích đất", r"\d[\d.,]* ?(ha|m2|m²) đất", r"thửa đất", r"hạn mức đất", r"đền bù"),
    "construction_planning": _phrases(
        r"giấy phép xây dựng", r"không phép", r"sai phép", r"xây dựng trái phép", r"công trình trái phép",
        r"trật tự xây dựng", r"quy hoạch xây dựng", r"quy hoạch chi tiết", r"quy hoạch phân khu", r"đồ án quy hoạch",
        r"điều chỉnh quy hoạch", r"sai quy hoạch", r"phá vỡ quy hoạch", r"tháo dỡ", r"xây dựng (nhà|công trình) ",
        r"cấp phép xây dựng", r"chỉ giới", r"mật độ xây dựng", r"số tầng", r"công trình vi phạm", r"xây dựng sai",
        r"cơi nới", r"quản lý quy hoạch", r"thanh tra xây dựng", r"quy hoạch đô thị"),
    "investment_project": _phrases(
        r"dự án đầu tư", r"dự toán (công trình|gói thầu|xây dựng)", r"nghiệm thu", r"khối lượng", r"quyết toán (dự án|công trình|vốn)", r"chậm tiến độ", r"xây dựng cơ bản",
        r"xdcb", r"đầu tư công", r"vốn đầu tư", r"tổng mức đầu tư", r"ban quản lý dự án", r"bqlda", r"định mức",
        r"đầu tư xây dựng", r"hạng mục", r"tư vấn giám sát", r"giá trị quyết toán"),
    "procurement": _phrases(
        r"đấu thầu", r"chỉ định thầu", r"gói thầu", r"nhà thầu", r"mời thầu", r"mua sắm", r"thông thầu",
        r"lựa chọn nhà thầu", r"trúng thầu", r"chia nhỏ", r"dự thầu", r"giá trúng thầu", r"mua (thuốc|vật tư|thiết bị)",
        r"chênh giá", r"nâng giá", r"giá cao hơn", r"báo giá"),
    "budget_finance": _phrases(
        r"ngân sách", r"chi sai", r"chi không đúng", r"chi vượt", r"chứng từ", r"kế toán", r"kinh phí",
         r"thu sai", r"xuất toán", r"chế độ chi", r"thất thu", r"tạm ứng", r"công nợ", r"lệ phí",
        r"hóa đơn", r"thu chi", r"thu, chi", r"quyết toán", r"tiền hỗ trợ", r"chiếm đoạt",
        r"thu hồi nộp", r"nộp ngân sách", r"chi trả", r"tiền ăn", r"ngân quỹ", r"vốn nhà nước",
        r"trợ cấp", r"thất thoát", r"sổ sách", r"chi tiêu", r"ghi chép", r"dự toán"),
    "public_asset": _phrases(
        r"tài sản công", r"tài sản nhà nước", r"xe công", r"ô tô công", r"nhà công vụ",
        r"cho thuê tài sản", r"thanh lý tài sản", r"đắp chiếu", r"nhà đất công",
        r"cơ sở nhà đất", r"xe biển xanh", r"tài sản cố định", r"sử dụng xe", r"bỏ hoang", r"không khai thác",
        r"chưa (được )?(đưa vào )?sử dụng", r"thanh lý", r"xe ô tô", r"mua sắm tài sản"),
    "admin_procedure": _phrases(
        r"thủ tục hành chính", r"tthc", r"trễ hạn", r"quá hạn", r"trễ hẹn", r"chậm tiếp nhận", r"thư xin lỗi",
        r"niêm yết", r"một cửa", r"dịch vụ công", r"giải quyết hồ sơ", r"hồ sơ (hành chính|của (người dân|công dân|tổ chức))",
        r"cấp giấy chứng nhận", r"bộ phận tiếp nhận"),
    "service_discipline": _phrases(
        r"giờ giấc", r"giờ làm việc", r"đi muộn", r"về sớm", r"vắng mặt", r"không lý do", r"đeo thẻ",
        r"thẻ (công chức|cán bộ)", r"văn hóa công (sở|vụ)", r"thái độ", r"kỷ cương", r"kỷ luật lao động",
        r"sách nhiễu", r"gây phiền hà", r"nhũng nhiễu", r"tác phong", r"uống rượu", r"rượu bia",
        r"trong giờ hành chính", r"bỏ vị trí", r"rời (vị trí|trụ sở|nhiệm sở)", r"chơi game",
        r"thực thi công vụ", r"quan hệ bất chính", r"không gương mẫu", r"vô cảm",
        r"tắc trách", r"quà tết", r"tặng quà", r"lễ hội", r"đi lễ"),
    "citizen_complaints": _phrases(
        r"tiếp công dân", r"khiếu nại", r"tố cáo", r"đơn thư", r"giải quyết đơn", r"người tố cáo", r"khiếu kiện", r"đơn (khiếu|tố|kiến nghị)", r"tiếp dân", r"trả lời đơn"),
    "personnel": _phrases(
        r"tuyển dụng", r"bổ nhiệm", r"biên chế", r"định biên", r"cấp phó", r"hợp đồng lao động", r"nâng lương",
        r"nâng ngạch", r"công tác cán bộ", r"bằng cấp", r"văn bằng", r"bằng giả",
        r"quy hoạch cán bộ", r"thi tuyển", r"xét tuyển", r"tái bổ nhiệm", r"đề bạt", r"tổ chức bộ máy",
        r"thi công chức", r"đề thi", r"tiếp nhận (cán bộ|công chức|viên chức)", r"chạy việc", r"chạy chức",
        r"xếp lương", r"cả nhà làm quan",
        r"vị trí việc làm", r"lý lịch", r"tiêu chuẩn (chức danh|bổ nhiệm)"),
    "anti_corruption": _phrases(
        r"kê khai tài sản", r"tài sản, thu nhập", r"tài sản thu nhập", r"kê khai", r"minh bạch",
        r"chuyển đổi vị trí công tác", r"xung đột lợi ích", r"tham nhũng", r"hoa hồng", r"lợi ích nhóm", r"hối lộ",
        r"nhận tiền", r"tham ô", r"lợi dụng chức vụ", r"lạm dụng chức vụ", r"vụ lợi", r"nhận hối lộ", r"đưa hối lộ",
        r"mãi lộ", r"lừa đảo", r"chiếm đoạt", r"nguồn gốc tài sản", r"giấu tài sản", r"biến động tài sản",
        r"cố ý làm trái", r"lợi dụng", r"bao che", r"chạy chức", r"chạy việc", r"tư lợi", r"nhận quà",
        r"lạm quyền", r"lợi dụng chức vụ, quyền hạn"),
    "environment_resources": _phrases(
        r"môi trường", r"xả thải", r"chất thải", r"ô nhiễm", r"quy chuẩn", r"đtm", r"đánh giá tác động",
        r"khoáng sản", r"khai thác cát", r"cát sỏi", r"rừng", r"phá rừng", r"tài nguyên nước", r"nước thải",
        r"khí thải", r"rác thải", r"kiểm lâm", r"lâm sản", r"gỗ", r"khai thác (đá|than|quặng|cát)", r"bãi thải",
        r"san lấp"),
    "sector_edu_health": _phrases(
        r"lạm thu", r"dạy thêm", r"học thêm", r"học phí", r"trường (học|mầm non|tiểu học|thcs|thpt)", r"học sinh",
        r"giáo viên", r"hiệu trưởng", r"bhyt", r"bảo hiểm y tế", r"thuốc", r"thiết bị y tế",
        r"người có công", r"bảo hiểm xã hội", r"bhxh", r"hộ nghèo", r"bảo trợ xã hội", r"phòng khám", r"khám chữa bệnh", r"điều dưỡng", r"bác sĩ", r"sản phụ", r"vật tư y tế",
        r"bán trú", r"suất ăn", r"chính sách xã hội", r"trạm y tế", r"dược", r"tiêm chủng", r"vắc xin",
        r"khám bệnh", r"chữa bệnh", r"sinh viên", r"nhà trường", r"phụ huynh"),
    "ops_infra_it": _phrases(
        r"phần mềm", r"gián đoạn", r"máy lấy số", r"số hóa", r"chữ ký số", r"đồng bộ dữ liệu", r"chế độ báo cáo", r"quy chế (làm việc|hoạt động)", r"hệ thống (thông tin|phần mềm|mạng)",
        r"công nghệ thông tin", r"cntt", r"trục trặc", r"bị lỗi", r"sổ theo dõi", r"hồ sơ lưu", r"lịch công tác",
        r"sắp xếp (tài liệu|hồ sơ)", r"cổng thông tin"),
    "other": _phrases(
        r"thuế", r"hải quan", r"ngân hàng", r"tín dụng", r"cổ phần hóa", r"thoái vốn", r"xăng dầu",
        r"doanh nghiệp nhà nước", r"an toàn thực phẩm", r"vệ sinh thực phẩm", r"hàng giả", r"buôn lậu",
        r"chứng khoán", r"đa cấp", r"giá cả", r"niêm yết giá", r"chợ", r"tiểu thương",
        r"vận tải", r"điện lực", r"nợ xấu",
        r"tiền gửi", r"oceanbank", r"tài sản ngân hàng", r"cổ phiếu", r"sở hữu trí tuệ", r"đất quốc phòng", r"dầu khí", r"đăng kiểm", r"bảo vệ thực vật",
        r"thú y", r"phân bón", r"giống cây", r"thủy sản", r"nuôi trồng"),
}

# Outcome cues, strongest first (GUIDE.md §2 outcome; brief §5.3). Negated forms are removed before matching.
# "Serious" is loss to the state, signs of crime, referral or prosecution: "vi phạm nghiêm trọng" alone is a
# violation (the party-discipline scale calls most breaches "nghiêm trọng").
SERIOUS_CUES = _phrases(
    r"(gây|làm) thất thoát", r"thất thoát (hơn |gần |trên )?\d", r"(gây|làm) thiệt hại", r"thiệt hại (cho )?(nhà nước|ngân sách)",
    r"dấu hiệu (tội phạm|hình sự|vi phạm pháp luật hình sự)",
    r"(chuyển|chuyển hồ sơ|chuyển vụ việc|đề nghị|kiến nghị)( \w+){0,4} (cơ quan (cảnh sát )?điều tra|cqđt|công an)",
    r"khởi tố", r"bắt tạm giam", r"tạm giam", r"truy tố", r"xét xử", r"lợi ích nhóm", r"tham ô", r"nhận hối lộ",
    r"lừa đảo chiếm đoạt", r"chiếm đoạt", r"án (tù|chung thân|tử hình)", r"bắt giam", r"thụt két",
    r"lợi dụng chức vụ", r"cố ý làm trái", r"thiếu trách nhiệm gây hậu quả")
VIOLATION_OUTCOME_CUES = _phrases(
    r"vi phạm", r"sai phạm", r"không đúng (quy định|quy trình|đối tượng|thẩm quyền|mục đích|chế độ|tiêu chuẩn|định mức)",
    r"sai quy định", r"trái quy định", r"trái thẩm quyền", r"vượt thẩm quyền", r"trái phép", r"không phép", r"sai phép",
    r"sai mục đích", r"chi sai", r"thu sai", r"lạm thu", r"sai (chế độ|đối tượng|quy trình|tiêu chuẩn)",
    r"không đủ (điều kiện|tiêu chuẩn)", r"chưa đủ (điều kiện|tiêu chuẩn)", r"bị (xử phạt|phạt|kỷ luật|cách chức|khiển trách|cảnh cáo)",
    r"xử phạt", r"phạt tiền", r"(bị|xử lý|thi hành|hình thức) kỷ luật", r"cách chức", r"cảnh cáo", r"khiển trách", r"khai trừ", r"buộc thôi việc",
    r"giả (mạo|chữ ký)", r"làm giả", r"gian lận", r"không có giấy phép", r"vượt (quy chuẩn|định mức|khối lượng)",
    r"sai sót", r"sai lệch", r"tiêu cực", r"không hợp lệ", r"không thực hiện",
    r"xuất toán", r"đình chỉ", r"tước giấy phép", r"vi phạm hành chính", r"nhận tiền")
SHORTCOMING_CUES = _phrases(
    r"tồn tại", r"hạn chế", r"thiếu sót", r"chưa kịp thời", r"chưa đầy đủ", r"chưa chặt chẽ", r"còn chậm", r"chậm",
    r"chưa nghiêm", r"chưa (đeo|niêm yết|công khai|ban hành|cập nhật|thực hiện|xây dựng|bố trí)", r"yếu kém",
    r"buông lỏng", r"lỏng lẻo", r"trễ hạn", r"quá hạn", r"trễ hẹn", r"đi muộn", r"về sớm", r"vắng mặt",
    r"chưa (tốt|cao|đúng|hiệu quả|quyết liệt)", r"không (đeo|niêm yết|công khai)", r"còn (nhiều|một số|có)",
    r"thiếu (trách nhiệm|kiểm tra|chặt chẽ)", r"bất cập", r"chưa được", r"thiếu", r"chậm trễ", r"khuyết điểm",
    r"sơ hở", r"bất thường", r"chưa phù hợp", r"không kịp thời", r"không đầy đủ", r"chưa giải quyết",
    r"bị (gián đoạn|hỏng|lỗi)", r"hư hỏng", r"trục trặc", r"chưa (bảo đảm|đảm bảo|đáp ứng)", r"không (bảo đảm|đảm bảo|đáp ứng)",
    r"chưa (được )?(đưa vào )?sử dụng", r"lãng phí")
COMPLIANT_CUES = _phrases(
    r"chấp hành (nghiêm|tốt|đúng|đầy đủ)", r"đúng quy định", r"không phát hiện (vi phạm|sai phạm|trường hợp)",
    r"chưa phát hiện (vi phạm|sai phạm|trường hợp)", r"không có (vi phạm|sai phạm|trường hợp)", r"ưu điểm",
    r"có mặt đầy đủ", r"nghiêm túc", r"đầy đủ, kịp thời", r"đúng giờ", r"vắng có lý do", r"không có dấu hiệu",
    r"thực hiện tốt", r"cơ bản đúng", r"đảm bảo (theo )?quy định", r"đúng thẩm quyền", r"không vi phạm")
# Negation of a breach: "không phát hiện vi phạm", "chưa có sai phạm" must not count as a violation.
_NEGATED_BREACH = re.compile(
    r"(?<!\w)(?:không|chưa)( (phát hiện|thấy|có|xảy ra|để xảy ra|có dấu hiệu|để))+ "
    r"(?:\w+ ){0,4}(?:vi phạm|sai phạm|tiêu cực|lợi ích nhóm|sai sót|dấu hiệu)(?!\w)")
_NEGATIVE_BEFORE_COMPLIANT = re.compile(r"(?<!\w)(?:không|chưa|chưa thực sự|không còn)( \w+)? $")

REMEDY_CUES: dict[str, re.Pattern] = {
    "recover_funds": _phrases(
        r"thu hồi( nộp)?( vào)? (ngân sách|ngân quỹ|số tiền|tiền|kinh phí|(hơn |gần |trên )?\d)", r"thu hồi nộp",
        r"hoàn trả", r"nộp trả", r"truy thu", r"trả lại (tiền|cho|số tiền|phụ huynh)", r"nộp lại", r"bồi hoàn",
        r"thu hồi (các khoản|khoản)", r"khắc phục hậu quả (số tiền|\d)", r"nộp (vào )?ngân sách", r"hoàn lại",
        r"thu hồi (hơn|gần|trên|khoảng) \d", r"thu hồi về (ngân sách|cho)", r"truy hoàn", r"bồi thường (thiệt hại|số tiền)"),
    "recover_land_asset": _phrases(
        r"thu hồi (toàn bộ |lại |phần |các |)(diện tích|khu )?(đất|\d[\d.,]* ?(ha|m2|m²|hecta))",
        r"thu hồi (lại )?(tài sản|nhà|xe|trụ sở|mặt bằng|giấy chứng nhận|sổ đỏ|dự án)", r"xử lý tài sản",
        r"thu hồi quyền sử dụng", r"trả lại đất", r"thu hồi \d[\d.,]* ?(ha|m2|m²)"),
    "adjust_accounts": _phrases(
        r"xuất toán", r"loại khỏi giá trị", r"giảm trừ", r"giảm (giá trị )?(quyết toán|thanh toán)",
        r"điều chỉnh (dự toán|quyết toán|giá trị)", r"không (thanh toán|quyết toán)", r"loại (ra )?khỏi quyết toán"),
    "admin_fine": _phrases(
        r"xử phạt", r"phạt tiền", r"phạt hành chính", r"buộc tháo dỡ", r"đình chỉ (hoạt động|thi công|kinh doanh)",
        r"buộc khắc phục", r"tước (quyền sử dụng )?giấy phép", r"phạt \d", r"bị phạt", r"tịch thu", r"cưỡng chế",
        r"quyết định xử phạt", r"tạm đình chỉ hoạt động", r"mức phạt", r"nộp phạt", r"phạt (vi phạm )?(hơn|gần|trên) \d",
        r"tiêu hủy", r"buộc (nộp|thu hồi|phá dỡ|di dời|dừng)"),
    "review_responsibility": _phrases(
        r"kiểm điểm", r"làm rõ trách nhiệm", r"rút kinh nghiệm", r"phê bình", r"nhắc nhở", r"xem xét trách nhiệm",
        r"xử lý trách nhiệm", r"truy trách nhiệm", r"trách nhiệm (của )?(tập thể|cá nhân|người đứng đầu)",
        r"làm rõ (trách nhiệm|sai phạm|vi phạm)", r"xác định trách nhiệm", r"chịu trách nhiệm", r"kiểm tra trách nhiệm"),
    "discipline": _phrases(
        r"xử lý kỷ luật", r"hình thức kỷ luật", r"thi hành kỷ luật", r"khiển trách", r"cảnh cáo", r"cách chức",
        r"buộc thôi việc", r"giáng chức", r"hạ bậc lương", r"đình chỉ công tác", r"tạm đình chỉ công tác",
        r"bãi nhiệm", r"miễn nhiệm", r"kỷ luật (\w+ ){0,4}(cán bộ|công chức|viên chức|đảng viên|cá nhân|ông|bà)",
        r"bị kỷ luật", r"kỷ luật (khiển trách|cảnh cáo|cách chức|buộc thôi việc)", r"xem xét kỷ luật", r"đề nghị kỷ luật",
        r"thôi (giữ )?chức", r"cho thôi", r"điều chuyển (công tác|khỏi)", r"tạm đình chỉ"),
    "party_action": _phrases(
        r"xử lý (kỷ luật )?về đảng", r"kỷ luật (về )?đảng", r"ủy ban kiểm tra", r"ubkt", r"khai trừ",
        r"cách (tất cả |hết )?(các )?chức vụ trong đảng", r"đảng ủy (\w+ ){0,3}xem xét", r"tỉnh ủy (\w+ ){0,3}(xem xét|kỷ luật)",
        r"bộ chính trị", r"ban bí thư", r"kỷ luật (\w+ ){0,3}đảng viên", r"ra khỏi đảng", r"sinh hoạt đảng",
        r"ban thường vụ (\w+ ){0,3}(kỷ luật|xem xét)", r"khai trừ đảng"),
    "criminal_referral": _phrases(
        r"cơ quan (cảnh sát )?điều tra", r"cqđt", r"khởi tố", r"chuyển (hồ sơ )?(vụ việc )?(sang |cho |đến )?công an",
        r"bắt tạm giam", r"truy tố", r"xét xử", r"điều tra (làm rõ|xử lý)", r"viện kiểm sát", r"cảnh sát điều tra",
        r"bị bắt", r"bắt giữ", r"bắt khẩn cấp", r"án (tù|chung thân|tử hình)", r"tòa án", r"xử lý hình sự",
        r"trách nhiệm hình sự", r"dấu hiệu tội phạm"),
    "correct_practice": _phrases(
        r"chấn chỉnh", r"khắc phục", r"bổ sung hồ sơ", r"hoàn thiện hồ sơ", r"rà soát", r"xử lý dứt điểm",
        r"thư xin lỗi", r"điều chỉnh", r"sửa chữa", r"tháo gỡ", r"chỉnh sửa", r"hoàn chỉnh hồ sơ", r"thu hồi quyết định",
        r"hủy (bỏ )?(quyết định|kết quả)", r"giải quyết dứt điểm", r"chỉ đạo (\w+ ){0,4}(thực hiện|xử lý|khắc phục)",
        r"yêu cầu (\w+ ){0,6}(thực hiện|dừng|ngừng|chấm dứt)", r"chấm dứt", r"dừng (thu|việc)", r"kịp thời xử lý",
        r"trả lại", r"tăng cường (công tác )?(quản lý|kiểm tra)", r"nâng cao", r"thực hiện đúng", r"thực hiện nghiêm"),
    "policy_fix": _phrases(
        r"sửa đổi", r"bổ sung (quy định|văn bản|quy chế|cơ chế|chính sách)", r"ban hành (văn bản|quy định|quy chế|hướng dẫn|thông tư|nghị định|quy trình)",
        r"hoàn thiện (cơ chế|chính sách|thể chế|quy định|pháp luật|văn bản|quy trình)", r"kiến nghị sửa",
        r"sửa đổi, bổ sung", r"xây dựng (quy định|quy chế|cơ chế|văn bản)", r"hướng dẫn (thực hiện|cụ thể)"),
    "verify_monitor": _phrases(
        r"kiểm tra lại", r"thanh tra lại", r"đôn đốc", r"theo dõi", r"báo cáo kết quả", r"xác minh (lại|làm rõ|tài sản)",
        r"giám sát (việc )?thực hiện", r"tiếp tục (kiểm tra|thanh tra|xác minh|làm rõ|theo dõi)", r"hậu kiểm",
        r"báo cáo (\w+ ){0,4}(trước ngày|trong tháng|về kết quả)", r"kiểm tra việc thực hiện", r"thanh tra (toàn diện|đột xuất)",
        r"báo cáo (thủ tướng|chủ tịch|bộ trưởng|ubnd|ủy ban)", r"kiểm tra, xác minh", r"phúc tra"),
}


# Words like "theo dõi", "rà soát", "giám sát", "sửa đổi" also describe ordinary work; as remedies they are directed
# ("kiến nghị … rà soát", "yêu cầu … chấn chỉnh", "giao … theo dõi") or open a recommendation item.
WEAK_REMEDIES = frozenset({"verify_monitor", "correct_practice", "policy_fix"})
_DIRECTIVE = re.compile(
    r"(?<!\w)(?:kiến nghị|đề nghị|yêu cầu|giao|chỉ đạo|buộc|phải|cần|tổ chức|đã|quyết định|sẽ|tiếp tục|"
    r"chịu trách nhiệm|có trách nhiệm|thực hiện|tiến hành|đề xuất|khẩn trương|kịp thời)(?!\w)")
_DIRECTIVE_WINDOW = 80


@dataclass(slots=True)
class RuleLabels:
    violation_types: set[str] = field(default_factory=set)
    outcome: str = "none"
    remedies: set[str] = field(default_factory=set)


AREA_WINDOW = 100
OUTCOME_RANK = {name: rank for rank, name in enumerate(OUTCOMES)}


def _without_negated_breach(low: str) -> str:
    return _NEGATED_BREACH.sub(" ", low)


def rule_outcome(sentence: str) -> str:
    """The strongest outcome cue of one sentence.

    ``rule_outcome("Qua kiểm tra, không phát hiện sai phạm trong việc chi trả.")`` → ``"compliant"``;
    ``rule_outcome("Việc giao đất là trái thẩm quyền.")`` → ``"violation"``.
    """
    low = sentence.lower()
    cleaned = _without_negated_breach(low)
    if SERIOUS_CUES.search(cleaned):
        return "serious"
    if VIOLATION_OUTCOME_CUES.search(cleaned):
        return "violation"
    if SHORTCOMING_CUES.search(cleaned):
        return "shortcoming"
    if cleaned != low:
        return "compliant"
    for m in COMPLIANT_CUES.finditer(low):
        if not _NEGATIVE_BEFORE_COMPLIANT.search(low[max(0, m.start() - 20):m.start()]):
            return "compliant"
    return "none"


def rule_violation_types(sentence: str) -> set[str]:
    """Areas named in one sentence.

    ``rule_violation_types("Tuyển dụng 8 viên chức không đúng quy trình.")`` → ``{"personnel"}``.
    """
    low = sentence.lower()
    breaches = [m.start() for rx in (SERIOUS_CUES, VIOLATION_OUTCOME_CUES, SHORTCOMING_CUES)
                for m in rx.finditer(_without_negated_breach(low))]
    out = set()
    for label, rx in VIOLATION_CUES.items():
        for m in rx.finditer(low):
            # Long news sentences list several topics; the area is the one talked about near the breach wording.
            if not breaches or any(abs(b - m.start()) <= AREA_WINDOW for b in breaches):
                out.add(label)
                break
    return out


def _directed(low: str, start: int) -> bool:
    """A weak remedy cue counts when something directs it: a directive verb shortly before, or it opens the item."""
    if not low[:start].strip(" -–—•+*.:;)(0123456789abcdđ"):
        return True
    return bool(_DIRECTIVE.search(low, max(0, start - _DIRECTIVE_WINDOW), start))


def rule_remedies(sentence: str, directed: bool = False) -> set[str]:
    """Remedies named in one sentence; `directed` when the sentence stands in a recommendation section.

    ``rule_remedies("Kiến nghị kiểm điểm, rút kinh nghiệm đối với Chủ tịch UBND xã.")`` → ``{"review_responsibility"}``.
    """
    low = sentence.lower()
    out = set()
    for label, rx in REMEDY_CUES.items():
        if label in WEAK_REMEDIES and not directed:
            if any(_directed(low, m.start()) for m in rx.finditer(low)):
                out.add(label)
        elif rx.search(low):
            out.add(label)
    return out


def rule_labels(sentence: str, *, masked: str | None = None, directed: bool = False) -> RuleLabels:
    """Violation areas, outcome and remedies of one sentence by keyword rules alone.

    `masked` is the sentence with unit names blanked: areas are read from it ("Sở Tài nguyên và Môi trường" is who,
    not what), outcome and remedies from the sentence itself ("Cơ quan Cảnh sát điều tra", "Ủy ban Kiểm tra" are
    remedies). `directed`: the sentence stands in a recommendation section.

    ``rule_labels("Chi sai chế độ 120 triệu đồng, kiến nghị thu hồi nộp ngân sách.")`` →
    ``RuleLabels(violation_types={"budget_finance"}, outcome="violation", remedies={"recover_funds"})``.
    """
    return RuleLabels(rule_violation_types(sentence if masked is None else masked), rule_outcome(sentence),
                      rule_remedies(sentence, directed))
