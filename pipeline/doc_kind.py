"""The kind of document, from its official header: the type line of a state document ("KẾT LUẬN", "QUYẾT ĐỊNH", …),
the type code of its own number ("Số: 12/KL-TTr" → conclusion), or the "V/v" subject line of an official letter;
anything without an official header is news.

A notice whose subject is a conclusion ("THÔNG BÁO / Về kết luận kiểm tra công vụ …", "THÔNG BÁO KẾT LUẬN …") is a
conclusion: it carries the findings, as a Kết luận does.

``guess_doc_kind("THANH TRA TỈNH NAM ĐỊNH\\nSố: 12/KL-TTr\\n…\\nKẾT LUẬN THANH TRA\\nVề việc …")`` → ``"conclusion"``.
"""
from __future__ import annotations

import re

_HEADER_LINES = 25
_TYPE_LINE = re.compile(
    r"^\s*(KẾT LUẬN|THÔNG BÁO KẾT LUẬN|QUYẾT ĐỊNH|KẾ HOẠCH|BÁO CÁO|LUẬT|NGHỊ ĐỊNH|THÔNG TƯ|NGHỊ QUYẾT|CHỈ THỊ|"
    r"TỜ TRÌNH|THÔNG BÁO|HƯỚNG DẪN|CHƯƠNG TRÌNH|BIÊN BẢN|CÔNG VĂN|CÔNG ĐIỆN)\b", re.MULTILINE)
_KIND = {"KẾT LUẬN": "conclusion", "THÔNG BÁO KẾT LUẬN": "conclusion", "QUYẾT ĐỊNH": "decision",
         "KẾ HOẠCH": "plan", "CHƯƠNG TRÌNH": "plan", "BÁO CÁO": "report", "BIÊN BẢN": "report",
         "TỜ TRÌNH": "report", "LUẬT": "law", "NGHỊ ĐỊNH": "law", "THÔNG TƯ": "law", "NGHỊ QUYẾT": "decision",
         "CHỈ THỊ": "decision", "THÔNG BÁO": "letter", "HƯỚNG DẪN": "letter", "CÔNG VĂN": "letter",
         "CÔNG ĐIỆN": "letter"}
# The type code inside the document's own number: "Số: 1873/TB-SNV", "Số: 95/QĐ-TTr", "Số: 86/2011/NĐ-CP".
_NUMBER_TYPE = re.compile(r"^\s*Số\s*[:.]?\s*\d+[\w.]*/(?:\d{4}/)?([A-ZĐ]{1,4})-", re.MULTILINE)
_CODE_KIND = {"KL": "conclusion", "QĐ": "decision", "KH": "plan", "CTr": "plan", "BC": "report", "TTr": "report",
              "BB": "report", "TB": "letter", "CV": "letter", "HD": "letter", "CĐ": "letter", "NQ": "decision",
              "CT": "decision", "NĐ": "law", "TT": "law", "QH": "law"}
# The national motto in capitals or on a line of its own: news text quoting the country's name is not a header.
_OFFICIAL = re.compile(r"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|^\s*(?:Độc lập\s*[-–—]\s*Tự do|Số\s*:|Kính gửi\s*:)",
                       re.MULTILINE)
_SUBJECT = re.compile(r"^\s*V/v\b", re.MULTILINE)
_CONCLUSION_SUBJECT = re.compile(r"^\s*(?:Về|V/v)\s+(?:việc\s+)?(?:thông báo\s+)?kết luận", re.MULTILINE | re.IGNORECASE)


def guess_doc_kind(text: str) -> str:
    """One of record.DOC_KINDS for a normalised text.

    ``guess_doc_kind("UBND HUYỆN X\\nSố: 1562/UBND-NV\\nV/v chấn chỉnh kỷ luật\\nKính gửi: …")`` → ``"letter"``.
    """
    head = "\n".join(text.split("\n", _HEADER_LINES)[:_HEADER_LINES])
    if not _OFFICIAL.search(head):
        return "news"
    m = _TYPE_LINE.search(head)
    if m:
        kind = _KIND[m.group(1)]
        if kind == "letter" and m.group(1) == "THÔNG BÁO" and _CONCLUSION_SUBJECT.search(head, m.end()):
            return "conclusion"
        return kind
    if _SUBJECT.search(head):
        return "letter"
    code = _NUMBER_TYPE.search(head)
    if code and code.group(1) in _CODE_KIND:
        return _CODE_KIND[code.group(1)]
    if code:
        return "letter"       # "Số: 1562/UBND-NV": an official letter has no type code
    return "other"
