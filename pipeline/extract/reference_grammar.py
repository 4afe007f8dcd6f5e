"""The number-and-symbol grammar of Vietnamese documents (BRIEF.md §1): code tables, the core pattern, and
the reading of one matched number/symbol into canonical parts.

`references.py` finds mentions in running text and decides from the words around them whether a match
counts; this module only knows what a number/symbol looks like on its own.

Example: `read_core(CORE_RE.match("4379/QĐ-UBND"))` → ``Core(number="4379", tail="/QĐ-UBND",
type="Quyết định", issuer="UBND", year=None, style="administrative", end=12, ...)``.
"""
from __future__ import annotations

import re
from typing import NamedTuple

# Type codes of the first symbol group (ND 30/2020 Annex III, older TT 01/2011 codes, and specialised codes
# seen in inspection practice). Keys are the canonical spelling.
TYPE_CODES: dict[str, str] = {
    "NQ": "Nghị quyết", "QĐ": "Quyết định", "CT": "Chỉ thị", "QC": "Quy chế", "QyĐ": "Quy định",
    "QĐi": "Quy định", "TC": "Thông cáo", "TB": "Thông báo", "HD": "Hướng dẫn", "CTr": "Chương trình",
    "KH": "Kế hoạch", "PA": "Phương án", "ĐA": "Đề án", "DA": "Dự án", "BC": "Báo cáo", "BB": "Biên bản",
    "TTr": "Tờ trình", "HĐ": "Hợp đồng", "CĐ": "Công điện", "BGN": "Bản ghi nhớ", "GN": "Bản ghi nhớ",
    "BTT": "Bản thỏa thuận", "TTh": "Bản thỏa thuận", "GUQ": "Giấy ủy quyền", "UQ": "Giấy ủy quyền",
    "GM": "Giấy mời", "GGT": "Giấy giới thiệu", "GT": "Giấy giới thiệu", "GNP": "Giấy nghỉ phép",
    "NP": "Giấy nghỉ phép", "PG": "Phiếu gửi", "PC": "Phiếu chuyển", "PB": "Phiếu báo", "SY": "Bản sao y",
    "TrS": "Bản trích sao", "SL": "Bản sao lục", "KL": "Kết luận", "BCTĐ": "Báo cáo thẩm định",
    "BCTT": "Báo cáo thẩm tra", "VBHN": "Văn bản hợp nhất", "TTLT": "Thông tư liên tịch",
    "NQLT": "Nghị quyết liên tịch", "NĐ": "Nghị định", "TT": "Thông tư", "GP": "Giấy phép", "PL": "Pháp lệnh",
    "CV": "Công văn", "GCN": "Giấy chứng nhận",
}
# Types a Party document (NUMBER-TYPE/ISSUER, HD 36-HD/VPTW) can carry.
PARTY_TYPE_CODES = frozenset({
    "NQ", "QĐ", "QĐi", "CT", "KL", "TB", "HD", "KH", "BC", "QC", "CTr", "ĐA", "TTr", "BB", "TC", "CV", "CĐ",
    "TTLT", "NQLT", "QyĐ",
})
# Joint documents name every issuer after the type: 04/2006/TTLT-BTP-BTNMT.
JOINT_TYPE_CODES = frozenset({"TTLT", "NQLT"})
# Issuing-body codes (BRIEF.md §1.6), before and after the 2025 reorganisation. Used to split fused symbols
# (KLUBND → KL-UBND) and to accept a lone symbol group (1234/UBND); never to reject a symbol.
ISSUER_CODES = frozenset({
    "CP", "TTg", "UBND", "HĐND", "QH", "UBTVQH", "VPQH", "TTCP", "VPCP", "TW", "TU", "HU", "ĐU", "VPTW", "NHNN",
    "KTNN", "BNV", "BTC", "BTP", "BCA", "BQP", "BNG", "BCT", "BXD", "BYT", "BGDĐT", "BKHĐT", "BTNMT", "BNNMT",
    "BNNPTNT", "BNN", "BLĐTBXH", "BGTVT", "BTTTT", "BKHCN", "BVHTTDL", "BDTTG", "UBDT", "SNV", "STC", "SXD",
    "SYT", "STP", "SCT", "SGDĐT", "SKHĐT", "STNMT", "SNNMT", "SNN", "SNNPTNT", "SGTVT", "STTTT", "SKHCN",
    "SVHTTDL", "SLĐTBXH", "SDTTG", "TTr", "TTT", "VPUBND", "TANDTC", "VKSNDTC", "MTTQ", "UBKT", "BHXH",
    # Standing committees (Thường trực) look like "TT" + issuer but are issuers themselves: never split them.
    "TTHĐND", "TTHU", "TTTU", "TTĐU",
})
# Mixed-case codes whose lower-case letter carries meaning (QyĐ ≠ QĐ); every other code is upper-cased.
MIXED_CASE_CODES = frozenset({"QyĐ", "TTr", "CTr", "TrS", "QĐi", "TTh"})

# Canonical spelling of every known code, looked up by its upper-case form.
_KNOWN_BY_UPPER: dict[str, str] = {c.upper(): c for c in (*TYPE_CODES, *ISSUER_CODES)}
_TYPE_BY_UPPER: dict[str, str] = {c.upper(): c for c in TYPE_CODES}
# ASCII transliterations (30/2020/ND-CP): QD → QĐ, ND → NĐ, unless the folded form is a code itself (HD, DA).
_TYPE_BY_FOLDED: dict[str, str] = {
    u.replace("Đ", "D"): c for u, c in _TYPE_BY_UPPER.items() if "Đ" in u and u.replace("Đ", "D") not in _TYPE_BY_UPPER
}
_ISSUER_UPPER = frozenset(c.upper() for c in ISSUER_CODES)
# Fused-symbol split candidates, longest type first so that "TTLT…" is not read as "TT" + "LT…".
_TYPE_PREFIXES = sorted(_TYPE_BY_UPPER, key=len, reverse=True)

DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_DASH_CLASS = "[" + re.escape(DASHES) + "]"
NUM = r"\d{1,5}[a-zA-Z]?"
SLASH = r"[ \t]*/[ \t]*"
YEAR = r"(?:19|20)\d\d(?!\d)"
# A symbol group starts with a letter; "&" joins unit names (CCHC&PC, NN&PTNT); ".X" covers T.Ư, C.I.
TOKEN = r"[^\W\d_][^\W_]*(?:&[^\W_]+)*(?:\.[A-ZĐƯ]{1,2}(?![^\W_]))?"
# Hyphen variants, underscore, or a space on one or both sides (validated later); "/" only before a letter.
SEP = rf"(?:[ \t]?(?:{_DASH_CLASS}|_)[ \t]?|/(?=[^\W\d_]))"
SYMBOL = rf"{TOKEN}(?:{SEP}{TOKEN}){{0,5}}"

# One number/symbol, either Party order (60-NQ/TW, 19-2017/NQ-CP) or state order (4379/QĐ-UBND,
# 86/2011/NĐ-CP, 11/2016). The look-behind keeps "47/54/…", "1.234/…", "01:2009/BYT" and "F-15/…" out.
# "số12/QĐ-UBND" (no space) occurs in sloppy text, hence the "số" look-behinds.
# The press sometimes drops the slash after the year ("10/2016 QĐ-UBND"): `yspace` marks that damage.
CORE_RE = re.compile(
    rf"(?:(?<![\w./\\-])(?<!\d:)|(?<=số)|(?<=Số)|(?<=SỐ))(?P<num>{NUM})(?:"
    rf"[ \t]?{_DASH_CLASS}[ \t]?(?:(?P<pyear>{YEAR}){SLASH}(?P<pysym>{SYMBOL})"
    rf"|(?P<ptype>{TOKEN}){SLASH}(?P<pissuer>{SYMBOL}))"
    rf"|{SLASH}(?:(?P<year>{YEAR})(?:(?:{SLASH}|(?P<yspace>[ \t]+)(?={TOKEN}{SEP}))(?P<ysym>{SYMBOL})"
    rf"|(?![ \t]*/[ \t]*\d))|(?P<sym>{SYMBOL})))"
)
_TOKEN_RE = re.compile(TOKEN)


class Core(NamedTuple):
    """One number/symbol read from a CORE_RE match; `tail` is everything after the number in the canonical id."""
    number: str
    tail: str
    type: str | None
    issuer: str | None
    year: int | None
    style: str
    end: int                 # offset just after the accepted part of the match
    needs_lead: bool         # counts only after a type word or "số" (N/YYYY, a lone unknown group, "qđ")

    @property
    def id(self) -> str:
        return self.number + self.tail


def _lower_count(token: str) -> int:
    return sum(1 for ch in token if ch.islower())


def canonical_token(token: str, strict: bool = False) -> str | None:
    """The canonical spelling of one symbol group, or None when it cannot be a code.

    "qđ" → "QĐ", "ttr" → "TTr", "TTr" → "TTr", "UBND" → "UBND", "HoREA" → "HOREA", "Điều" → None.
    `strict` (after a spaced dash) admits only upper-case groups, so "… - Hà Nội" is not read as a unit.
    """
    if len(token) > 16:
        return None
    known = _KNOWN_BY_UPPER.get(token.upper())
    lowers = _lower_count(token)
    if known is not None:
        if token.isupper() or token == known:
            return token
        return known if not strict or lowers == 0 else None
    if lowers == 0:
        return token if any(ch.isalpha() for ch in token) and (not strict or len(token) >= 2) else None
    uppers = sum(1 for ch in token if ch.isupper())
    # Unit codes with one or two lower-case letters (QLĐTh, SNgV, HoREA) exist; words have one capital.
    if not strict and token[0].isupper() and uppers >= 2 and lowers <= 2:
        return token.upper()
    return None


def _groups(raw: str, base: int) -> list[tuple[str, str, int, int]]:
    """(separator, token, start, end) for each group of a SYMBOL match; offsets are absolute."""
    out = []
    prev_end = 0
    for m in _TOKEN_RE.finditer(raw):
        out.append((raw[prev_end:m.start()], m.group(), base + m.start(), base + m.end()))
        prev_end = m.end()
    return out


def _split_fused(token: str) -> tuple[str, str] | None:
    """KLUBND → (KL, UBND) when exactly one known type code + known issuer code spells the token."""
    upper = token.upper()
    if upper in _KNOWN_BY_UPPER:
        return None
    found = []
    for prefix in _TYPE_PREFIXES:
        rest = upper[len(prefix):]
        if upper.startswith(prefix) and rest and rest.rstrip("0123456789") in _ISSUER_UPPER:
            found.append((_TYPE_BY_UPPER[prefix], _KNOWN_BY_UPPER.get(rest, rest)))
    return found[0] if len(found) == 1 else None


def read_symbol(raw: str, base: int, repair_fused: bool = True) -> tuple[list[str], list[str], int] | None:
    """Validate the groups of a symbol: (canonical groups, separators, end offset) up to the first bad group.

    "QĐ-UBND" → (["QĐ", "UBND"], ["-"], end); "TT- NHNN" → (["TT", "NHNN"], ["-"], end);
    "KLUBND" → (["KL", "UBND"], ["-"], end) when `repair_fused`; "Điều" → None.
    """
    groups: list[str] = []
    seps: list[str] = []
    end = base
    for i, (sep, token, _start, tok_end) in enumerate(_groups(raw, base)):
        if i == 0:
            canon = canonical_token(token)
        elif sep == "/":
            # "324/CV/HHLTVN": a slash inside the symbol only after a type code, before an upper-case group.
            canon = canonical_token(token, strict=True) if i == 1 and type_code(groups[0]) else None
        else:
            spaced_both = sep[:1] in " \t" and sep[-1:] in " \t"
            canon = canonical_token(token, strict=spaced_both)
        if canon is None:
            break
        if i > 0:
            seps.append("/" if sep == "/" else "-")
        groups.append(canon)
        end = tok_end
    if not groups:
        return None
    if repair_fused and len(groups) == 1:
        split = _split_fused(groups[0])
        if split is not None:
            return list(split), ["-"], end
    return groups, seps, end


def _join(groups: list[str], seps: list[str]) -> str:
    return groups[0] + "".join(s + g for s, g in zip(seps, groups[1:]))


def type_code(group: str) -> str | None:
    """The canonical type code a symbol group spells, whatever its case.

    "TTR" → "TTr", "qđ" → "QĐ", "ND" → "NĐ" (ASCII transliteration), "UBND" → None.
    """
    upper = group.upper()
    return _TYPE_BY_UPPER.get(upper) or _TYPE_BY_FOLDED.get(upper)


_UNIT_CODE_RE = re.compile(r"[A-ZĐ]{1,4}\d+")
# "UBND huyện …" after a slash is a body's name in a numbered item ("1/UBND huyện"), not a symbol.
_PLACE_AFTER_RE = re.compile(r"[ \t]+(?:tỉnh|huyện|quận|xã|phường|thành phố|thị xã|thị trấn|TP)(?!\w)")


def read_core(m: re.Match, repair_fused: bool = True) -> Core | None:
    """Read a CORE_RE match into canonical parts, or None when the symbol is not a document symbol.

    "86/2011/NĐ-CP" → Core(number="86", tail="/2011/NĐ-CP", type="Nghị định", issuer="CP", year=2011,
    style="normative"); "60-NQ/TW" → Core(tail="-NQ/TW", type="Nghị quyết", issuer="TW", style="party").
    """
    number = m.group("num")
    if m.group("ptype") is not None:
        return _read_party(m, number)
    if m.group("pyear") is not None:
        sym = read_symbol(m.group("pysym"), m.start("pysym"), repair_fused)
        if sym is None:
            return None
        groups, seps, end = sym
        year = m.group("pyear")
        return _normative(number, "-" + year, int(year), groups, seps, end)
    year = m.group("year")
    if year is not None:
        if m.group("ysym") is not None:
            sym = read_symbol(m.group("ysym"), m.start("ysym"), repair_fused)
            # Without the slash only a typed symbol continues the number: "10/2016 QĐ-UBND", not "11/2016 TP".
            typed = sym is not None and type_code(sym[0][0]) is not None and len(sym[0]) > 1
            if m.group("yspace") is not None and not typed:
                sym = None
            if sym is not None:
                groups, seps, end = sym
                return _normative(number, "/" + year, int(year), groups, seps, end)
        # "2017/2018" is a season or school year, not a document number.
        if len(number) == 4 and number.isdigit() and int(year) == int(number) + 1:
            return None
        return Core(number, "/" + year, None, None, int(year), "number_year", m.end("year"), True)
    sym = read_symbol(m.group("sym"), m.start("sym"), repair_fused)
    if sym is None:
        return None
    groups, seps, end = sym
    tail = "/" + _join(groups, seps)
    first = groups[0]
    code = type_code(first)
    lone = len(groups) == 1
    # "1/ UBND huyện …" opens a numbered item in a conclusion; "8314/UBND" is written tight.
    spaced = m.start("sym") - m.end("num") > 1
    names_place = _PLACE_AFTER_RE.match(m.string, end) is not None
    lone_unknown = lone and (first.upper() not in _KNOWN_BY_UPPER or spaced or names_place)
    lower_only = not any(ch.isupper() for ch in m.group("sym")[: end - m.start("sym")])
    needs_lead = lone_unknown or lower_only
    if code and not (code == "TTr" and len(groups) > 1 and _UNIT_CODE_RE.fullmatch(groups[1])):
        issuer = groups[1] if len(groups) > 1 else None
        return Core(number, tail, TYPE_CODES[code], issuer, None, "administrative", end, needs_lead)
    # A công văn has no type group: NUMBER/ISSUER-UNIT (143/SNV-TT, 410/TTr-NV1, 32/C46).
    return Core(number, tail, "Công văn", first, None, "letter", end, needs_lead)


def _normative(number: str, year_part: str, year: int, groups: list[str], seps: list[str], end: int) -> Core:
    tail = year_part + "/" + _join(groups, seps)
    code = type_code(groups[0])
    if code:
        rest = groups[1:]
        issuer = ("-".join(rest) if code in JOINT_TYPE_CODES else rest[0]) if rest else None
        return Core(number, tail, TYPE_CODES[code], issuer, year, "normative", end, False)
    # Laws and resolutions of the National Assembly carry no type group: 84/2025/QH15.
    return Core(number, tail, None, groups[0], year, "normative", end, False)


def _read_party(m: re.Match, number: str) -> Core | None:
    ptype = canonical_token(m.group("ptype"))
    code = type_code(ptype) if ptype else None
    if code not in PARTY_TYPE_CODES:
        return None
    sym = read_symbol(m.group("pissuer"), m.start("pissuer"), repair_fused=False)
    if sym is None:
        return None
    groups, seps, end = sym
    tail = f"-{ptype}/" + _join(groups, seps)
    return Core(number, tail, TYPE_CODES[code], groups[0], None, "party", end, False)
