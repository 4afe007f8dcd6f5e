"""The kind of document, from its official header: the type line of a state document ("KẾT LUẬN", "QUYẾT ĐỊNH", …)
or the "V/v" subject line of an official letter; anything without an official header is news.

``guess_doc_kind("THANH TRA TỈNH NAM ĐỊNH\\nSố: 12/KL-TTr\\n…\\nKẾT LUẬN THANH TRA\\nVề việc …")`` → ``"conclusion"``.
"""
from __future__ import annotations

import re

_HEADER_LINES = 25
_TYPE_LINE = re.compile(
    r"^\s*(KẾT LUẬN|THÔNG BÁO KẾT LUẬN|QUYẾT ĐỊNH|KẾ HOẠCH|BÁO CÁO|LUẬT|NGHỊ ĐỊNH|THÔNG TƯ|NGHỊ QUYẾT|CHỈ THỊ|"
    r"TỜ TRÌNH|THÔNG BÁO|HƯỚNG DẪN|CHƯƠNG TRÌNH|BIÊN BẢN)\b", re.MULTILINE)
_KIND = {"KẾT LUẬN": "conclusion", "THÔNG BÁO KẾT LUẬN": "conclusion", "QUYẾT ĐỊNH": "decision",
         "KẾ HOẠCH": "plan", "CHƯƠNG TRÌNH": "plan", "BÁO CÁO": "report", "BIÊN BẢN": "report",
         "TỜ TRÌNH": "report", "LUẬT": "law", "NGHỊ ĐỊNH": "law", "THÔNG TƯ": "law", "NGHỊ QUYẾT": "decision",
         "CHỈ THỊ": "decision", "THÔNG BÁO": "letter", "HƯỚNG DẪN": "letter"}
_OFFICIAL = re.compile(r"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|Độc lập\s*[-–—]\s*Tự do|^\s*Số\s*:", re.MULTILINE | re.IGNORECASE)
_SUBJECT = re.compile(r"^\s*V/v\b", re.MULTILINE)


def guess_doc_kind(text: str) -> str:
    head = "\n".join(text.split("\n", _HEADER_LINES)[:_HEADER_LINES])
    if not _OFFICIAL.search(head):
        return "news"
    m = _TYPE_LINE.search(head)
    if m:
        return _KIND[m.group(1)]
    if _SUBJECT.search(head):
        return "letter"
    return "other"
