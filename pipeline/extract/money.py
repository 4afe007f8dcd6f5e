"""Money mentions in Vietnamese text (BRIEF.md §6, GUIDE.md §2 "amounts").

`extract_amounts` finds every amount in text order; `parse_vnd` reads one amount string such as a table cell.

Conventions callers rely on:
- `Amount.value` is an int in the currency's own units (VND for Vietnamese amounts); only a fractional foreign
  amount ("12,5 USD") stays a float, because rounding it would change the amount.
- `Amount.text` covers the number and its unit words only ("2,2 nghìn tỷ đồng"); the qualifier word ("hơn",
  "gần", …) is never inside the span and is reported in `Amount.qualifier`.
- The low end of a range takes the scale and currency of the high end: "từ 2 đến 3 triệu đồng" gives
  Amount(text="2", value=2000000) and Amount(text="3 triệu đồng", value=3000000).
- A scale amount without a currency word ("thu hồi 1,2 tỷ") counts as VND only when its clause talks about money
  and the word after it is not a counted noun ("3 triệu dân", "10 tỷ m3 khí" are not money).
- Vague amounts ("hàng tỷ đồng", "vài trăm triệu đồng") have no value and are skipped.

Example: "thu hồi hơn 1,2 tỷ đồng" → [Amount(text="1,2 tỷ đồng", start=12, end=23, value=1200000000,
currency="VND", qualifier="more_than")].
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import NamedTuple

from pipeline.record import Amount

_SCALES = {"nghìn tỷ": 10**12, "ngàn tỷ": 10**12, "nghìn tỉ": 10**12, "ngàn tỉ": 10**12,
           "tỷ": 10**9, "tỉ": 10**9, "triệu": 10**6, "nghìn": 10**3, "ngàn": 10**3}
# A scale word glued to another word means something else: "tỷ lệ" (ratio), "tỷ giá" (rate), "triệu tập".
# "tr" abbreviates triệu only right before the currency: "1.200 tr.đ", "15 trđ".
_SCALE = (r"(?:(?i:(?:nghìn|ngàn)\s(?:tỷ|tỉ)|tỷ|tỉ|triệu|nghìn|ngàn)"
          r"(?!\w)(?!\s(?i:lệ|giá|số|trọng|chứng|tập|hồi|phú)(?!\w))"
          r"|(?i:tr)\.?(?=\s?(?i:đ|đồng)(?!\w)))")
# "41, 75 tỷ" (a stray space after the decimal comma) occurs in crawled news.
_NUMBER = r"\d+(?:[.,]\d+)*(?:,\s\d{1,2}(?=\s?" + _SCALE + r"))?"
# Thousands grouped by spaces ("12 345 678 đồng") only directly before a dong word.
_SPACED_NUMBER = r"\d{1,3}(?:\s\d{3})+(?=\s?(?:đồng|đ|VNĐ|VND)(?!\w))"

# Ambiguous foreign words ("bảng" = pound or board, "đô", "tệ", "yên") count only after a scale word.
_CURRENCY_WORDS = (
    ("VND", r"(?i:vnđ|vnd)|₫|đồng|Đồng|ĐỒNG|đ(?!\w)(?!/c(?!\w))"),  # "2 đ/c" is "2 đồng chí"
    ("AUD", r"AUD|đô\sla\sÚc"), ("SGD", r"SGD|đô\sla\sSingapore"),  # before the plain "đô la" of USD
    ("USD", r"USD|usd|US\$|\$|(?i:đô\s?la|đô-la)(?:\s(?i:Mỹ))?|đôla|Đôla"),
    ("EUR", r"EUR|(?i:euro)|€"),
    ("GBP", r"GBP|bảng\sAnh|£"),
    ("CNY", r"NDT|CNY|RMB|(?i:nhân\sdân\stệ)"),
    ("JPY", r"JPY|yen|Yen|yên\sNhật"),
    ("KRW", r"KRW|won|Won"),
    ("THB", r"THB|baht|bạt"), ("LAK", r"LAK|kíp|Kíp"), ("RUB", r"RUB|rúp|ruble"),
    ("OTHER", r"CAD|CHF|HKD|TWD|INR|peso|rupee|ringgit|riel"),
)
_SCALED_ONLY_CURRENCY = (("GBP", r"bảng"), ("USD", r"đô"), ("CNY", r"tệ"), ("JPY", r"yên|Yên"))
_CURRENCY = "|".join(f"(?P<c_{code}{i}>{rx})" for i, (code, rx) in enumerate(_CURRENCY_WORDS))
_SCALED_CURRENCY = "|".join(f"(?P<s_{code}{i}>{rx})" for i, (code, rx) in enumerate(_SCALED_ONLY_CURRENCY))
# After a scale word "đồng" is the currency unless a person noun follows ("2 triệu đồng bào").
_NOT_DONG_AFTER_SCALE = r"(?!\s(?:bào|chí|phạm|nghiệp|hương|môn|đội)(?!\w))"
_UNIT_TAIL = (rf"(?:(?P<cur>{_CURRENCY}){_NOT_DONG_AFTER_SCALE}(?![\w$€£₫])"
              rf"|(?P<scur>{_SCALED_CURRENCY})(?!\w))")
# After bare digits "đồng" starts many compounds: "năm 2016 đồng thời", "2 đồng phạm", "6 đồng tiền chủ chốt".
_DONG_COMPOUND_RE = re.compile(
    r"\s(?:thời|chí|chiều|phạm|đội|ý|hành|bộ|bằng|hồ|nghiệp|loạt|tình|thuận|phục|nhất|minh|lòng|bào|hương|"
    r"môn|tác|sở|cấp|ca|đẳng|dạng|điệu|cỏ|ruộng|lúa|muối|quê|niên|khởi|chủ|trình|diễn|hao|thanh|tâm|hóa|"
    r"vọng|đều|tử|dao|đỏ|đen|xu|tiền|bạc)(?!\w)")

# Range or alternative: "từ 2 đến 3 triệu đồng", "2-3 tỷ", "219 hay 217 tỉ đồng".
_RANGE_SEP = r"\s*(?:-|–|—|~|\s(?:đến|tới)\s)\s*"
_ALTERNATIVE_SEP = r"\s(?:hay|hoặc|và)\s"
_AMOUNT_RE = re.compile(
    rf"(?:(?<![\w/.,])|(?<=đồng/))"
    rf"(?:(?P<lo>\d+(?:[.,]\d+)*)(?:\s?(?P<lo_scale>{_SCALE}))?(?:(?P<range>{_RANGE_SEP})|{_ALTERNATIVE_SEP}))?"
    rf"(?P<body>{_SPACED_NUMBER}|{_NUMBER}(?:\s?(?P<scale>{_SCALE})(?:\s\d{{1,3}}\s?{_SCALE})*)?)"
    rf"(?:\s?{_UNIT_TAIL})?"
)
# Inside an already matched body the scale words need no context checks.
_PIECE_RE = re.compile(rf"({_NUMBER})\s?((?i:(?:nghìn|ngàn)\s(?:tỷ|tỉ)|tỷ|tỉ|triệu|nghìn|ngàn|tr\.?))?")
_TABLE_CELL_RE = re.compile(rf"\s*(?P<sign>[-−])?\s*(?P<body>{_NUMBER}(?:\s?{_SCALE}(?:\s\d{{1,3}}\s?{_SCALE})*)?)"
                            rf"(?:\s?{_UNIT_TAIL})?\s*")

_QUALIFIER_RE = re.compile(
    r"(?:^|[\s(])(nhỏ hơn|ít hơn|thấp hơn|kém hơn|chưa đến|chưa tới|không quá|dưới|lên tới|lên đến|ước tính|"
    r"xấp xỉ|trên dưới|hơn|trên|gần|ngót|khoảng|chừng|ước|tới)\s+$",
    re.IGNORECASE)
_QUALIFIERS = {"hơn": "more_than", "trên": "more_than", "gần": "almost", "ngót": "almost",
               "khoảng": "about", "ước": "about", "ước tính": "about", "xấp xỉ": "about", "chừng": "about",
               "trên dưới": "about", "lên tới": "up_to", "lên đến": "up_to", "tới": "up_to"}
# Not among the four qualifiers of the record contract, but "nhỏ hơn 5 tỷ" must not read as "more than".
_QUALIFIERS.update(dict.fromkeys(("nhỏ hơn", "ít hơn", "thấp hơn", "kém hơn", "chưa đến", "chưa tới", "không quá",
                                  "dưới"), "less_than"))
# A bare number right after these is an index, a year or a count, not an amount: "khoản 2 và 3 triệu đồng".
_INDEX_BEFORE_RE = re.compile(r"(?<!\w)(?:năm|tháng|ngày|số|điều|khoản|điểm|mục|lần|quý|phần|chương)\s+$",
                              re.IGNORECASE)
_PLACE_AFTER_RE = re.compile(r"\s[A-ZĐ]")

# A clause talks about money when one of these comes before the amount.
_MONEY_CUE_RE = re.compile(
    r"(?<!\w)(?:tiền|giá|chi|phí|vốn|ngân sách|thu|nộp|trả|vay|nợ|phạt|bồi thường|đền bù|thiệt hại|thất thoát|"
    r"sai phạm|lỗ|lãi|doanh số|lợi nhuận|lương|thưởng|hối lộ|chiếm đoạt|lừa|mua|bán|đầu tư|quyết toán|"
    r"thanh toán|xuất toán|giảm trừ|tài sản|ủng hộ|hỗ trợ|tài trợ|quỹ|cổ tức|ngân hàng|dư nợ|tiết kiệm|"
    r"gửi|rút|biếu|đưa|nhận|quyên góp|cước|thuế|tốn|kiếm|giải ngân|trợ cấp|số dư|định giá|mệnh giá|dự toán|"
    r"hoa hồng|tài khoản|ròng|cấp phát|bù|đóng|chênh lệch|trị giá|bỏ ra|thất thu|tạm ứng|hoàn ứng)(?!\w)",
    re.IGNORECASE)
# Words that may follow a money amount; any other word after a bare scale is taken as a counted noun.
# A money noun right after it ("334 tỷ doanh thu", "500 ngàn tiền bãi") makes it money by itself.
_MONEY_NOUN = r"(?:tiền|doanh thu|lợi nhuận|vốn|lãi|nợ|kinh phí|ngân sách|cổ tức|lương|thuế|phí)(?!\w)"
_AFTER_MONEY_RE = re.compile(
    rf"[^\S\n]*(?:$|\n|[.,;:)(!?…\"'”’/\]\-–—]|(?:và|hoặc|hay|để|của|cho|đến|tới|trong|từ|so|có|thì|nữa|tại|trở|mỗi|"
    r"nhờ|nhưng|mà|là|rồi|với|vào|ra|sau|trước|khi|thuộc|do|bị|được|đã|sẽ|cũng|còn|chỉ|nên|vì|vẫn|theo|lên|"
    r"xuống|nếu|này|đó|ấy|mua|bán|trả|nộp|chi|vay|gửi|một|kèm|cùng|tương|tức|thay|hơn|thu|đối|"
    rf"trên|dưới|ngoài|gồm|bao|chưa|không|đi|về|qua|lại|(?:năm|tháng|ngày|quý)\s\d)(?!\w)|(?P<noun>{_MONEY_NOUN}))",
    re.IGNORECASE)
_CLAUSE_END_RE = re.compile(r"[.!?;]\s|\n")
_LIST_TAIL_RE = re.compile(
    rf"(?:\s*(?:,|và|hoặc|hay|[-–—]|đến|tới)\s*(?:(?:hơn|gần|khoảng|trên)\s+)?\d+(?:[.,]\d+)*\s?{_SCALE}){{1,8}}")
_CURRENCY_AFTER_RE = re.compile(rf"\s?{_UNIT_TAIL}")
# A dot- or comma-grouped figure of a million or more is money without a unit only after a word that names a sum
# ("số tiền 162.000.000, trong đó"); share counts and populations look the same. A leading zero marks a phone.
_MILLIONS_RE = re.compile(r"[1-9]\d{0,2}(?:\.\d{3}){2,}|[1-9]\d{0,2}(?:,\d{3}){2,}")
_SUM_CUE_RE = re.compile(
    r"(?<!\w)(?:tiền|kinh phí|ngân sách|trị giá|giá trị|thu hồi|nộp|phạt|thanh toán|quyết toán|xuất toán|"
    r"hoàn trả|bồi thường|chi phí|lệ phí|giá|lương|thưởng|tổng cộng|thành tiền|dự toán|số dư)(?!\w)", re.IGNORECASE)
_PREFIX_CURRENCY = {"$": "USD", "€": "EUR", "£": "GBP"}
_CUE_WINDOW = 90
_LIST_WINDOW = 150

# Document-level separator vote (BRIEF §6.1 rule 4): grouped millions decide; short decimals only break a tie.
_DOT_MILLIONS_RE = re.compile(r"\d\.\d{3}\.\d{3}(?!\d)")
_COMMA_MILLIONS_RE = re.compile(r"\d,\d{3},\d{3}(?!\d)")
_COMMA_DECIMAL_RE = re.compile(r"\d,\d{1,2}\s?(?:%|tỷ|tỉ|triệu)")
_DOT_DECIMAL_RE = re.compile(r"\d\.\d{1,2}\s?(?:%|tỷ|tỉ|triệu)")

# Amounts in words: "(Bằng chữ: Một tỷ hai trăm triệu đồng)", "phạt từ một triệu đồng đến mười triệu đồng",
# "gần nửa tỷ đồng". The longest spelled amount has about 25 words; the bound keeps runs of number words linear.
_DIGIT_WORDS = {"không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5,
                "nhăm": 5, "sáu": 6, "bảy": 7, "bẩy": 7, "tám": 8, "chín": 9}
_WORD = (r"(?:không|một|mốt|hai|ba|bốn|tư|năm|lăm|nhăm|sáu|bảy|bẩy|tám|chín|mười|mươi|linh|lẻ|trăm|nghìn|ngàn|"
         r"triệu|tỷ|tỉ)(?!\w)")
# "Một tỷ, hai trăm triệu": a comma may follow a scale word; elsewhere it separates alternatives ("hai, ba trăm").
_AFTER_SCALE_COMMA = r"(?:(?:(?<=tỷ)|(?<=tỉ)|(?<=triệu)|(?<=nghìn)|(?<=ngàn)),)?"
_WORDS_RE = re.compile(
    rf"(?<!\w)(?P<words>(?i:(?:một|hai|ba|bốn|năm|sáu|bảy|bẩy|tám|chín|mười|nửa)(?!\w)"
    rf"(?:{_AFTER_SCALE_COMMA}\s{_WORD}){{1,30}}))\s(?P<cur>{_CURRENCY}){_NOT_DONG_AFTER_SCALE}(?![\w$€£₫])")
_WORD_SCALE_RE = re.compile(r"(?i:tỷ|tỉ|triệu|nghìn|ngàn)(?!\w)")
_VAGUE_BEFORE_RE = re.compile(
    r"(?<!\w)(?:hàng|vài|mấy|dăm|cả|những|các|bao|mỗi|hằng|trong|nhiều|của|này|đó|sau|trước|qua|"
    r"một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười),?\s+$",
    re.IGNORECASE)


def _currency_of(m: re.Match) -> str | None:
    for name, val in m.groupdict().items():
        if val is not None and name[:2] in ("c_", "s_"):
            return name[2:].rstrip("0123456789")
    return None


def _international(text: str) -> bool:
    """True when the document writes numbers the English way (1,234.5). One stray "0.2%" in a Vietnamese text
    must not flip "36,240 triệu" (36.24 million) into 36 billion, so decimals need two votes and a majority."""
    comma_millions, dot_millions = len(_COMMA_MILLIONS_RE.findall(text)), len(_DOT_MILLIONS_RE.findall(text))
    if comma_millions or dot_millions:
        return comma_millions > dot_millions
    dot_decimals = len(_DOT_DECIMAL_RE.findall(text))
    return dot_decimals >= 2 and dot_decimals > len(_COMMA_DECIMAL_RE.findall(text))


def _number(s: str, scaled: bool, international: bool) -> Decimal | None:
    """Reads '1.409' / '3.515,19' / '734,246' / '1.1' under BRIEF §6.1; None for malformed digit groups."""
    s = s.replace(" ", "")
    has_dot, has_comma = "." in s, "," in s
    if has_dot and has_comma:
        decimal_sep = "." if s.rfind(".") > s.rfind(",") else ","
        group_sep = "," if decimal_sep == "." else "."
    elif has_dot or has_comma:
        sep = "." if has_dot else ","
        head, _, tail = s.partition(sep)
        if s.count(sep) > 1:
            decimal_sep, group_sep = None, sep
        elif len(tail) != 3 or len(head) > 3:
            decimal_sep, group_sep = sep, None
        elif not scaled or (sep == ",") == international:
            # "1.100 đồng", "223,406 USD": an amount without a scale word never has three decimals.
            decimal_sep, group_sep = None, sep
        else:
            decimal_sep, group_sep = sep, None
    else:
        decimal_sep = group_sep = None
    int_part, _, frac = s.partition(decimal_sep) if decimal_sep else (s, "", "")
    if group_sep:
        groups = int_part.split(group_sep)
        if len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:]):
            return None
        int_part = "".join(groups)
    if not int_part.isdigit() or (decimal_sep and not frac.isdigit()):
        return None
    return Decimal(int_part + ("." + frac if frac else ""))


def _scale(word: str | None) -> int:
    if not word:
        return 1
    word = " ".join(word.lower().split())
    return _SCALES.get(word, 10**6)  # the only other scale word is "tr"


def _body_value(body: str, international: bool, outer_scale: int = 1) -> Decimal | None:
    """'74 tỉ 979 triệu' → 74979000000; scales of a compound must descend, otherwise it is not one amount."""
    pieces = _PIECE_RE.findall(body)
    if not any(scale_word for _, scale_word in pieces):
        return _number(body, outer_scale > 1, international)
    total, last_scale = Decimal(0), None
    for num, scale_word in pieces:
        scale = _scale(scale_word)
        value = _number(num, scale > 1 or outer_scale > 1, international)
        if value is None or (last_scale is not None and scale >= last_scale):
            return None
        total += value * scale
        last_scale = scale
    return total


def _as_value(value: Decimal, currency: str) -> int | float:
    if currency == "VND" or value == value.to_integral_value():
        return int(value.to_integral_value())
    return float(value)


def _qualifier(text: str, start: int) -> str | None:
    m = _QUALIFIER_RE.search(text, max(0, start - 18), start)
    return _QUALIFIERS[m.group(1).lower()] if m else None


def _clause_start(text: str, pos: int, window: int) -> int:
    window_start = max(0, pos - window)
    ends = [m.end() for m in _CLAUSE_END_RE.finditer(text, window_start, pos)]
    return ends[-1] if ends else window_start


def _low_end(text: str, m: re.Match, high: Decimal, currency: str, international: bool) -> Amount | None:
    """The first amount of "từ 2 đến 3 triệu đồng" or "219 hay 217 tỉ đồng", borrowing the scale it lacks."""
    if _INDEX_BEFORE_RE.search(text, max(0, m.start() - 10), m.start()):
        return None
    scale = _scale(m.group("lo_scale") or m.group("scale"))
    low = _number(m.group("lo"), scale > 1, international)
    if low is None or low == 0:
        return None
    low *= scale
    if not (low < high if m.group("range") else high / 10 <= low <= high * 10):
        return None
    end = m.end("lo_scale") if m.group("lo_scale") else m.end("lo")
    return Amount(text=text[m.start():end], start=m.start(), end=end, value=_as_value(low, currency),
                  currency=currency, qualifier=_qualifier(text, m.start()))


class _Candidate(NamedTuple):
    amount: Amount
    low: Amount | None      # the low end of its range, if any
    explicit: bool          # a currency word follows
    self_evident: bool      # money by its own words: "334 tỷ doanh thu", "số tiền 162.000.000"


def _digit_candidates(text: str) -> list[_Candidate]:
    """Every number with a scale or currency word, and every bare millions figure ("162.000.000")."""
    candidates = []
    international: bool | None = None
    for m in _AMOUNT_RE.finditer(text):
        currency = _currency_of(m)
        scale_word = m.group("scale")
        start = m.start("body")
        prefixed = currency is None and start > 0 and text[start - 1] in _PREFIX_CURRENCY and not m.group("lo")
        if prefixed:
            currency = _PREFIX_CURRENCY[text[start - 1]]  # "$13,301,307"
            start -= 1
        elif scale_word is None:
            if currency is None and not (_MILLIONS_RE.fullmatch(m.group("body")) and _SUM_CUE_RE.search(
                    text, _clause_start(text, start, _CUE_WINDOW), start)):
                continue  # a plain number
            if m.group("scur"):
                continue  # "3 bảng" is three boards, "3 triệu bảng" is pounds
            if currency == "VND" and _DONG_COMPOUND_RE.match(text, m.end()):
                continue
            if _INDEX_BEFORE_RE.search(text, max(0, start - 10), start):
                continue  # "năm 2016 đ…", "số 15 đồng": a year or a number
            if currency == "VND" and m.group("cur")[0] == "Đ" and _PLACE_AFTER_RE.match(text, m.end()):
                continue  # "5 Đồng Nai": a place
        after = None if currency else _AFTER_MONEY_RE.match(text, m.end())
        if currency is None and after is None:
            continue  # "3 triệu dân", "10 tỷ m3 khí"
        if international is None and ("," in m.group(0) or "." in m.group("body")):
            international = _international(text)
        value = _body_value(m.group("body"), bool(international))
        if not value:
            continue
        end = m.end() if currency else m.end("body")
        low = _low_end(text, m, value, currency or "VND", bool(international)) if m.group("lo") else None
        amount = Amount(text=text[start:end], start=start, end=end, value=_as_value(value, currency or "VND"),
                        currency=currency or "VND", qualifier=None if low else _qualifier(text, start))
        self_evident = bool(after and after.group("noun")) or scale_word is None
        candidates.append(_Candidate(amount, low, currency is not None, self_evident))
    return candidates


def _counted_list_follows(text: str, end: int) -> bool:
    """'lần lượt là 7,7 triệu, 4,7 triệu và 4,2 triệu người': the list ends in a counted noun."""
    tail = _LIST_TAIL_RE.match(text, end)
    if tail is None:
        return False
    return not (_CURRENCY_AFTER_RE.match(text, tail.end()) or _AFTER_MONEY_RE.match(text, tail.end()))


def _near(text: str, left: Amount, right: Amount) -> bool:
    return _clause_start(text, right.start, _LIST_WINDOW) <= left.end


def _digit_amounts(text: str) -> list[Amount]:
    """Candidates with a currency word, plus bare ones that a cue word, a money noun or a neighbouring amount in
    the same clause makes money ("sai phạm khoảng 22 tỷ đối với dự án A và 24 tỷ đối với dự án B"). A bare
    amount next to a foreign amount of the same size takes its currency ("đòi 80 triệu (70 triệu bảng)")."""
    candidates = _digit_candidates(text)
    amounts: list[Amount] = []
    for i, candidate in enumerate(candidates):
        amount, low = candidate.amount, candidate.low
        if not candidate.explicit:
            first = low or amount
            before = amounts[-1] if amounts and _near(text, amounts[-1], first) else None
            after = candidates[i + 1].amount if i + 1 < len(candidates) and candidates[i + 1].explicit else None
            after = after if after and _near(text, amount, after) else None
            cue = _MONEY_CUE_RE.search(text, _clause_start(text, first.start, _CUE_WINDOW), first.start)
            if not (candidate.self_evident or cue or before or after) or _counted_list_follows(text, amount.end):
                continue
            neighbour = before or after
            if neighbour and neighbour.currency != "VND" and 0.02 <= amount.value / neighbour.value <= 50:
                for part in filter(None, (low, amount)):
                    part.currency = neighbour.currency
        if low:
            amounts.append(low)
        amounts.append(amount)
    return amounts


def _words_value(words: str) -> int | None:
    """'sáu mươi triệu ba trăm linh năm nghìn' → 60305000 (CLDR spell-out: 'linh'/'lẻ', 'mốt', 'lăm', 'tư');
    None for 'hai ba trăm nghìn' (two or three hundred thousand: an estimate, not a sum)."""
    total, group, digit, last_scale = 0, 0, None, None
    for word in words.lower().replace(",", " ").split():
        if word in _DIGIT_WORDS:
            if digit is not None:
                return None
            digit = _DIGIT_WORDS[word]
        elif word == "nửa":
            digit = Decimal("0.5")  # "nửa tỷ đồng": half a billion
        elif word == "mười":
            group += 10
        elif word == "mươi":
            group, digit = group + (1 if digit is None else digit) * 10, None
        elif word == "trăm":
            group, digit = group + (1 if digit is None else digit) * 100, None
        elif word in _SCALES:
            chunk = group + (digit or 0) if group or digit is not None or total else 1
            scale = _SCALES[word]
            total = (total + chunk) * scale if last_scale is None or scale > last_scale else total + chunk * scale
            group, digit, last_scale = 0, None, scale
    return int(total + group + (digit or 0))


def _word_amounts(text: str) -> list[Amount]:
    amounts = []
    for m in _WORDS_RE.finditer(text):
        if not _WORD_SCALE_RE.search(m.group("words")):
            continue  # "hai đồng", "năm đồng": too small to be a sum anyone writes out
        if _VAGUE_BEFORE_RE.search(text, max(0, m.start() - 12), m.start()):
            continue  # "trong năm triệu đồng …" is "within the year", "mỗi năm" is "each year"
        value = _words_value(m.group("words"))
        if value:
            amounts.append(Amount(text=m.group(0), start=m.start(), end=m.end(), value=value,
                                  currency=_currency_of(m) or "VND", qualifier=_qualifier(text, m.start())))
    return amounts


def extract_amounts(text: str) -> list[Amount]:
    """Every money mention in text order, foreign currencies kept with their own code.

    Example: "thất thoát 74 tỉ 979 triệu đồng, phạt từ 2 đến 3 triệu đồng và 223.406 USD" →
    [Amount(text="74 tỉ 979 triệu đồng", value=74979000000, currency="VND"),
     Amount(text="2", value=2000000, currency="VND"), Amount(text="3 triệu đồng", value=3000000, currency="VND"),
     Amount(text="223.406 USD", value=223406, currency="USD")].
    """
    amounts = _digit_amounts(text)
    word_amounts = _word_amounts(text)
    if word_amounts:
        amounts = sorted(amounts + word_amounts, key=lambda a: a.start)
    return amounts


def parse_vnd(s: str, *, scale: int = 1) -> int | None:
    """One amount string in VND; `scale` is the table's unit ("Đơn vị tính: triệu đồng" → 10**6).

    A scale word in the string itself wins over `scale`. Example: parse_vnd("3.515,19", scale=10**6) →
    3515190000; parse_vnd("1,2 tỷ đồng") → 1200000000; parse_vnd("223.406 USD") → None; parse_vnd("-") → None.
    """
    m = _TABLE_CELL_RE.fullmatch(s)
    if not m or _currency_of(m) not in (None, "VND"):
        return None
    explicit_scale = _PIECE_RE.match(m.group("body")).group(2) is not None
    outer = 1 if explicit_scale else scale
    value = _body_value(m.group("body"), international=False, outer_scale=outer)
    if value is None:
        return None
    value = int((value * outer).to_integral_value())
    return -value if m.group("sign") else value
