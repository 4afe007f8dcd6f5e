"""Does a document report on inspection or checking at all, and is it only announcing one?

The rules count inspection vocabulary (thanh tra, kiểm tra, kết luận, phát hiện, vi phạm, kỷ luật …) per thousand
characters and look at the title; the trained relevance model (``classify.relevance_probability``) refines them.

``inspection_cue_density("Qua kiểm tra, Đoàn kiểm tra phát hiện nhiều sai phạm tại UBND xã.")`` → ``≈ 60.0``.
"""
from __future__ import annotations

import re

_INSPECTION_WORDS = re.compile(
    r"(?<!\w)(?:thanh tra|kiểm tra|kiểm toán|xác minh|kết luận|phát hiện|vi phạm|sai phạm|xử phạt|kỷ luật|"
    r"khởi tố|điều tra|truy tố|xét xử|tham nhũng|kiểm điểm|thu hồi|xuất toán|chấn chỉnh|công vụ|giám sát)(?!\w)",
    re.IGNORECASE)
_ANNOUNCEMENT_TITLE = re.compile(
    r"(?<!\w)(?:sẽ|kế hoạch|dự kiến|chuẩn bị|thành lập đoàn|công bố quyết định|vào cuộc|tập trung thanh tra)(?!\w)",
    re.IGNORECASE)


def inspection_cue_density(text: str) -> float:
    """Inspection words per 1,000 characters.

    ``inspection_cue_density("Thanh tra tỉnh kết luận UBND xã vi phạm.")`` → ``75.0``.
    """
    if not text:
        return 0.0
    return 1000.0 * len(_INSPECTION_WORDS.findall(text)) / len(text)


def rule_relevance(text: str) -> bool:
    """Rules-only relevance: enough inspection vocabulary, at least three mentions.

    ``rule_relevance("Thể thao: đội tuyển thắng 2-0.")`` → ``False``.
    """
    hits = len(_INSPECTION_WORDS.findall(text))
    return hits >= 3 and 1000.0 * hits / max(len(text), 1) >= 1.5


def announces_future_check(title: str) -> bool:
    """A title that announces a check instead of reporting one.

    ``announces_future_check("Sẽ kiểm tra thực hiện thư xin lỗi tại 4 sở")`` → ``True``.
    """
    return bool(_ANNOUNCEMENT_TITLE.search(title))
