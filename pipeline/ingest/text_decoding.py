"""Bytes → Unicode for Vietnamese text files, including the pre-Unicode encodings analysts still receive.

Handles UTF-8 (± BOM), UTF-16 (± BOM, LE/BE told apart by where the NUL bytes sit), Windows-1258 (base letter +
combining tone, composed to NFC), and the font encodings TCVN3/ABC (".VnTime": one byte per letter) and VNI
(“VNI-Times”: base letter + one mark byte). Which one a file uses is decided by evidence: BOM, strict UTF-8, NUL
pattern, then how many words of each candidate decoding are well-formed Vietnamese syllables.
``decode_text_bytes(b"U\\xfb ban nh\\xa9n d\\xa9n")`` → ``("Ủy ban nhân dân", "tcvn3")``.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterable, Iterator

SAMPLE_BYTES = 64 * 1024
BINARY_MESSAGE = "binary content, not text"

# ---- the 134 Vietnamese vowel letters, built rather than typed so no table can miss one -------------------------
_TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")      # none, huyền, sắc, hỏi, ngã, nặng
_VOWELS = "aăâeêioôơuưy"
VOWEL_LETTERS = tuple(unicodedata.normalize("NFC", v + t) for v in _VOWELS for t in _TONES)   # 72 incl. plain
LOWER_LETTERS = tuple(sorted(set(VOWEL_LETTERS) - set("aeiouy"))) + ("đ",)        # 67 non-ASCII lower letters
UPPER_LETTERS = tuple(c.upper() for c in LOWER_LETTERS)


def _split_tone(letter: str) -> tuple[str, int]:
    """"ậ" → ("â", 5). The tone is searched, not taken last: NFD puts the dot below before the circumflex."""
    decomposed = unicodedata.normalize("NFD", letter)
    for tone in range(1, 6):
        if _TONES[tone] in decomposed:
            return unicodedata.normalize("NFC", decomposed.replace(_TONES[tone], "")), tone
    return letter, 0


# ---- TCVN3 (TCVN 5712:1993 VN3, ABC fonts): a byte per lowercase letter, per tone in _TONES order -----------------
_TCVN3_LOWER = {
    "a": (None, 0xB5, 0xB8, 0xB6, 0xB7, 0xB9), "ă": (0xA8, 0xBB, 0xBE, 0xBC, 0xBD, 0xC6),
    "â": (0xA9, 0xC7, 0xCA, 0xC8, 0xC9, 0xCB), "e": (None, 0xCC, 0xD0, 0xCE, 0xCF, 0xD1),
    "ê": (0xAA, 0xD2, 0xD5, 0xD3, 0xD4, 0xD6), "i": (None, 0xD7, 0xDD, 0xD8, 0xDC, 0xDE),
    "o": (None, 0xDF, 0xE3, 0xE1, 0xE2, 0xE4), "ô": (0xAB, 0xE5, 0xE8, 0xE6, 0xE7, 0xE9),
    "ơ": (0xAC, 0xEA, 0xED, 0xEB, 0xEC, 0xEE), "u": (None, 0xEF, 0xF3, 0xF1, 0xF2, 0xF4),
    "ư": (0xAD, 0xF5, 0xF8, 0xF6, 0xF7, 0xF9), "y": (None, 0xFA, 0xFD, 0xFB, 0xFC, 0xFE),
}
_TCVN3_OTHER = {0xAE: "đ", 0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ"}
# VN1 keeps sixteen toned capitals in free upper-half slots; VN3 fonts normally write capitals with the lowercase
# codes in a separate ".VnTimeH" font, so the rest are only recoverable from all-caps context (see _restore_caps).
_VN1_CAPITALS = {0xAF: "Ằ", 0xBA: "Ẳ", 0xBF: "Ẵ", 0xC0: "Ắ", 0xC1: "Ầ", 0xC2: "Ẩ", 0xC3: "Ẫ", 0xC4: "Ấ",
                 0xC5: "Ề", 0xCD: "Ể", 0xD9: "Ễ", 0xDA: "Ế", 0xDB: "Ồ", 0xE0: "Ổ", 0xF0: "Ỗ", 0xFF: "Ố"}
TCVN3_TO_UNICODE: dict[int, str] = {**_TCVN3_OTHER, **_VN1_CAPITALS, **{
    code: unicodedata.normalize("NFC", base + _TONES[tone])
    for base, codes in _TCVN3_LOWER.items() for tone, code in enumerate(codes) if code is not None}}

# ---- VNI Windows: base letter, then one mark byte (case of the mark follows the base) ---------------------------
_VNI_TONE = ("", "ø", "ù", "û", "õ", "ï")                    # after a e o u y ơ ư
_VNI_CIRCUMFLEX = ("â", "à", "á", "å", "ã", "ä")              # â ê ô, with tone
_VNI_BREVE = ("ê", "è", "é", "ú", "ü", "ë")                   # ă, with tone
_VNI_I = ("i", "ì", "í", "æ", "ó", "ò")                       # i carries its tone in one byte
_VNI_SINGLE = {"ơ": "ô", "ư": "ö", "đ": "ñ", "ỵ": "î"}
_COMBINING = {"\u0302": _VNI_CIRCUMFLEX, "\u0306": _VNI_BREVE}


def _vni_decoding() -> dict[int, str]:
    """Mark char → combining marks (NFC later composes them with the base letter); i-, ơ-, ư-, đ-bytes → letters."""
    table = {}
    for marks, lead in ((_VNI_TONE, ""), (_VNI_CIRCUMFLEX, "\u0302"), (_VNI_BREVE, "\u0306")):
        for tone, mark in enumerate(marks):
            if mark:
                table[ord(mark)] = table[ord(mark.upper())] = lead + _TONES[tone]
    for tone, mark in enumerate(_VNI_I[1:], 1):
        table[ord(mark)] = unicodedata.normalize("NFC", "i" + _TONES[tone])
        table[ord(mark.upper())] = table[ord(mark)].upper()
    for letter, mark in _VNI_SINGLE.items():
        table[ord(mark)], table[ord(mark.upper())] = letter, letter.upper()
    return table


_VNI_DECODE = _vni_decoding()


def _byte_table(codec: str, overrides: dict[int, str] | None = None) -> str:
    """256-char decoding table; bytes a Windows code page leaves undefined fall back to Latin-1."""
    chars = []
    for b in range(256):
        try:
            chars.append(bytes([b]).decode(codec))
        except UnicodeDecodeError:
            chars.append(chr(b))
    for b, ch in (overrides or {}).items():
        chars[b] = ch
    return "".join(chars)


_CP1252_TABLE = _byte_table("cp1252")
_CP1258_TABLE = _byte_table("cp1258")
_TCVN3_TABLE = _byte_table("cp1252", TCVN3_TO_UNICODE)
_TCVN3_STR_MAP = {ord(_CP1252_TABLE[b]): ch for b, ch in TCVN3_TO_UNICODE.items()}
_VNI_BYTES = {b: _VNI_DECODE.get(ord(ch), ch) for b, ch in enumerate(_CP1252_TABLE)}

# ---- what a Vietnamese syllable looks like ----------------------------------------------------------------------
_ONSETS = ("", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh", "nh", "p",
           "ph", "qu", "r", "s", "t", "th", "tr", "v", "x")
_RHYMES = """a ai ao au ay ac ach am an ang anh ap at ăc ăm ăn ăng ăp ăt âc âm ân âng âp ât âu ây
 e eo ec em en eng ep et ê êch êm ên ênh êp êt êu i ia iu ic ich im in inh ip it iêc iêm iên iêng iêp iêt iêu
 o oi oc om on ong op ot oong ooc oa oai oay oac oach oam oan oang oanh oap oat oao oăc oăm oăn oăng oăt
 oe oeo oen oet ô ôi ôc ôm ôn ông ôp ôt ơ ơi ơm ơn ơp ơt u ua ui uc um un ung up ut uân uâng uât uây uê uêch
 uênh uôc uôi uôm uôn uông uôt uơ uy uya uych uyn uynh uyp uyt uyu uyên uyêt ư ưa ưi ưu ưc ưm ưn ưng ưt ươc
 ươi ươm ươn ương ươp ươt ươu y yêm yên yêt yêu ynh yt""".split()


def _toned_forms(skeleton: str) -> Iterator[str]:
    """A toneless syllable with each tone on each of its vowels (old and new placements both count).

    Syllables closed by c, ch, p, t take only sắc or nặng ("tốc", "học"; never "tồc").
    """
    checked = skeleton.endswith(("c", "ch", "p", "t"))
    if not checked:
        yield skeleton
    for i, ch in enumerate(skeleton):
        if ch in _VOWELS and not (i and skeleton[i - 1] == "q"):
            for tone in (_TONES[2], _TONES[5]) if checked else _TONES[1:]:
                yield skeleton[:i] + unicodedata.normalize("NFC", ch + tone) + skeleton[i + 1:]


_SYLLABLES = frozenset(form for o in _ONSETS for r in _RHYMES for form in _toned_forms(o + r))
_COMMON_WORDS = frozenset("của và các được người không nhân dân những trong với cho này theo đã có là một để về "
                          "đến tại từ năm ngày tháng việc công ban tỉnh".split())
_EDGE_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~“”‘’–—…"
_JOINERS = re.compile(r"[-./']")


def _is_syllable(word: str) -> bool:
    """A well-formed syllable in lower, Title or UPPER case ("chÊn" is glyph soup, not "chên")."""
    return word.lower() in _SYLLABLES and (word.islower() or word.isupper() or word[1:].islower())


def _token_is_vietnamese(token: str) -> bool:
    """The word is made of well-formed Vietnamese syllables: "Nam", "(Điều", "kinh-tế," yes; "nh©n", "tồc" no."""
    if token.isalpha():
        return _is_syllable(token)
    core = token.strip(_EDGE_PUNCTUATION)
    if core.isalpha():
        return _is_syllable(core)
    return bool(core) and all(p.isalpha() and _is_syllable(p) for p in _JOINERS.split(core))


# ---- modern tone placement and TCVN3 capitals ------------------------------------------------------------------
_OLD_PLACEMENT = {  # "oà" → "òa", in every case combination
    f + unicodedata.normalize("NFC", s + tone): unicodedata.normalize("NFC", f + tone) + s
    for first, second in (("o", "a"), ("o", "e"), ("u", "y")) for tone in _TONES[1:]
    for f in (first, first.upper()) for s in (second, second.upper())}
# "qu" is an onset, so "quý" keeps its tone on y; a following letter makes it a closed syllable ("hoàng").
_OLD_PLACEMENT_RE = re.compile("(?:[oO][%s]|[uU][%s])(?![^\\W\\d_])" % (
    "".join({k[1] for k in _OLD_PLACEMENT if k[0] in "oO"}), "".join({k[1] for k in _OLD_PLACEMENT if k[0] in "uU"})))


def _modern_syllable(m: re.Match) -> str:
    return m.group() if m.start() and m.string[m.start() - 1] in "qQ" else _OLD_PLACEMENT[m.group()]


def modern_tone_placement(text: str) -> str:
    """Move the tone of open "oa", "oe", "uy" syllables to the first vowel, the project's canonical form.

    >>> modern_tone_placement("Uỷ ban nhân dân huyện Thuỷ Nguyên, CỘNG HOÀ, quý khoá")
    'Ủy ban nhân dân huyện Thủy Nguyên, CỘNG HÒA, quý khóa'
    """
    return _OLD_PLACEMENT_RE.sub(_modern_syllable, text)


_UPPER_CLASS = "A-Z" + "".join(UPPER_LETTERS)
_LOWER_VN_CLASS = "".join(LOWER_LETTERS)
# A word of capitals and lowercase-coded Vietnamese letters only: the shape ".VnTimeH" headings take.
_H_FONT_WORD = re.compile(f"(?<![^\\W\\d_])"
                          f"(?:[{_UPPER_CLASS}]+[{_LOWER_VN_CLASS}]|[{_LOWER_VN_CLASS}]+[{_UPPER_CLASS}])"
                          f"[{_UPPER_CLASS}{_LOWER_VN_CLASS}]*(?![^\\W\\d_])")
_ASCII_UPPER, _ASCII_LOWER = re.compile("[A-Z]"), re.compile("[a-z]")
# A toned capital typed in the H font keeps its lowercase code even where a sentence has to start with a capital;
# letters that have a capital code of their own (Đ, Â, Ơ, …) were typed with it.
_H_FONT_ONLY = "".join(c for c in LOWER_LETTERS if c.upper() not in TCVN3_TO_UNICODE.values())
_SENTENCE_START_LOWER = re.compile(f"(\\A|[.!?] |[.!?:;]\\n|\\n\\n)([{_H_FONT_ONLY}])")


def _in_caps_line(text: str, start: int, end: int) -> bool:
    """Whether the line around text[start:end] (at most 200 chars each side) has ASCII capitals and no small letter
    ("Uû BAN NH¢N D¢N" yes; "Sè: 143/SNV-TTr" no)."""
    before, after = text.rfind("\n", max(0, start - 200), start), text.find("\n", end, end + 200)
    line = text[before + 1 if before >= 0 else max(0, start - 200):after if after >= 0 else end + 200]
    return not _ASCII_LOWER.search(line) and len(_ASCII_UPPER.findall(line)) >= 3


def _restore_caps(text: str) -> str:
    """Upper-case words set in a ".VnTimeH" font: there capitals are stored with lowercase codes ("CéNG" = CỘNG)."""
    def capitalise(m: re.Match) -> str:
        word = m.group()
        if sum(c.isupper() for c in word) >= 2 or _in_caps_line(text, m.start(), m.end()):
            return word.upper()
        return word
    return _SENTENCE_START_LOWER.sub(lambda m: m.group(1) + m.group(2).upper(), _H_FONT_WORD.sub(capitalise, text))


# ---- byte-level decoders ------------------------------------------------------------------------------------------
def _decode_tcvn3(text: str) -> str:
    return modern_tone_placement(_nfc(_restore_caps(text)))


def _decode_vni(text: str) -> str:
    return modern_tone_placement(unicodedata.normalize("NFC", text.translate(_VNI_DECODE)))


def _nfc(text: str) -> str:
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


_PYTHON_CODECS = {"utf-8": "utf-8", "utf-8-sig": "utf-8-sig", "utf-16": "utf-16", "utf-16-le": "utf-16-le",
                  "utf-16-be": "utf-16-be"}
# VNI bytes decode straight to base letters + combining marks; NFC in _finish composes them.
_BYTE_TABLES = {"cp1258": _CP1258_TABLE, "tcvn3": _TCVN3_TABLE, "vni": _VNI_BYTES}


def _finish(text: str, encoding: str) -> str:
    """Everything after the byte → char step; works line by line, so streamed pieces must end at a newline."""
    if encoding == "tcvn3":
        return _decode_tcvn3(text)
    if encoding in ("vni", "cp1258"):
        return modern_tone_placement(unicodedata.normalize("NFC", text))
    return repair_legacy_font_text(_nfc(text.lstrip("\ufeff") if encoding.startswith("utf-16") else text))[0]


def decode_with(data: bytes, encoding: str, errors: str = "strict") -> str:
    """Decode bytes in a known encoding (a name from detect_encoding) to NFC text; 8-bit encodings never fail.

    >>> decode_with("Kiểm tra công vụ".encode("utf-8"), "utf-8")
    'Kiểm tra công vụ'
    >>> decode_with(b"Vie\\xe4t Nam", "vni")
    'Việt Nam'
    """
    if encoding in _BYTE_TABLES:
        return _finish(codecs.charmap_decode(data, "strict", _BYTE_TABLES[encoding])[0], encoding)
    if encoding not in _PYTHON_CODECS:
        raise ValueError(f"unknown encoding {encoding!r}")
    return _finish(data.decode(_PYTHON_CODECS[encoding], errors), encoding)


def iter_decode(chunks: Iterable[bytes], encoding: str) -> Iterator[str]:
    """Decode a stream of byte chunks; pieces end at line breaks so no letter, mark or heading is cut in two.

    >>> "".join(iter_decode([b"U\\xfb ban nh\\xa9", b"n d\\xa9n\\n"], "tcvn3"))
    'Ủy ban nhân dân\\n'
    """
    table = _BYTE_TABLES.get(encoding)
    decoder = None if table else codecs.getincrementaldecoder(_PYTHON_CODECS[encoding])()
    carry = ""
    for chunk in chunks:
        text = carry + (codecs.charmap_decode(chunk, "strict", table)[0] if table else decoder.decode(chunk))
        cut = text.rfind("\n") + 1 or (text.rfind(" ") + 1 if len(text) > 1 << 20 else 0)
        carry = text[cut:]
        if cut:
            yield _finish(text[:cut], encoding)
    tail = carry + ("" if table else decoder.decode(b"", final=True))
    if tail:
        yield _finish(tail, encoding)


# ---- detection --------------------------------------------------------------------------------------------------
_BINARY_MAGIC = (b"\x89PNG", b"PK\x03\x04", b"PK\x05\x06", b"%PDF-", b"GIF8", b"\xff\xd8\xff", b"\xd0\xcf\x11\xe0",
                 b"\x1f\x8b", b"Rar!\x1a", b"7z\xbc\xaf", b"\x7fELF", b"MZ\x90\x00", b"II*\x00", b"MM\x00*")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x19\x1c-\x1f\x7f]")      # 0x1A/0x1B: DOS EOF, ESC
_HIGH_BYTES = bytes(range(0x80, 0x100))
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x19\x1c-\x1f\x7f]")


def _utf16_order(sample: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" when NULs sit on one side of most 2-byte units (ASCII text in UTF-16), else None."""
    n = len(sample) // 2
    if n < 2:
        return None
    even, odd = sample[0:2 * n:2].count(0), sample[1:2 * n:2].count(0)
    for order, nul_side, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if nul_side >= 0.2 * n and other <= 0.02 * n:
            text = sample[:2 * n].decode(order, errors="replace")
            if text.count("\ufffd") <= 1 + len(text) // 500 and not _has_control_chars(text):
                return order
    return None


def _has_control_chars(text: str) -> bool:
    return len(_CONTROL_CHARS.findall(text)) > len(text) // 200


def _best_legacy(data: bytes) -> str:
    """Windows-1258 unless a font encoding reads clearly more like Vietnamese (it is also the neutral Latin choice)."""
    scores = _legacy_scores(data)
    best = max(scores, key=scores.get)
    return best if scores[best] > scores["cp1258"] + 0.05 else "cp1258"


def _legacy_scores(data: bytes) -> dict[str, float]:
    """How Vietnamese each 8-bit decoding of the non-ASCII words looks: well-formed syllables, plus common words."""
    first = _HIGH_BYTE.search(data)
    tokens = [t for t in data[first.start() if first else 0:][:SAMPLE_BYTES].split() if max(t) >= 0x80][:4000]
    scores = {}
    for encoding in ("cp1258", "tcvn3", "vni"):
        words = decode_with(b" ".join(tokens), encoding).split()
        valid = sum(_token_is_vietnamese(w) for w in words)
        common = sum(w.lower() in _COMMON_WORDS for w in words)
        scores[encoding] = (valid + 0.5 * common) / max(1, len(words))
    return scores


def detect_encoding(sample: bytes) -> str:
    """Name the encoding of a text sample (the first ~64 KB); raises ValueError for binary content.

    Returns a Python codec name ("utf-8", "utf-8-sig", "utf-16" with BOM, "utf-16-le"/"utf-16-be" without) or one
    of "cp1258", "tcvn3", "vni" — all accepted by decode_with.
    >>> detect_encoding("Thanh tra tỉnh Nam Định".encode("utf-16-le"))
    'utf-16-le'
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not sample.startswith(b"\xff\xfe\x00\x00"):
        return "utf-16"
    if sample.startswith(_BINARY_MAGIC):
        raise ValueError(BINARY_MESSAGE)
    if b"\x00" in sample:
        order = _utf16_order(sample)
        if order:
            return order
        raise ValueError(BINARY_MESSAGE)
    if len(_CONTROL_BYTES.findall(sample)) > len(sample) // 200:
        raise ValueError(BINARY_MESSAGE)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    # 8-bit Vietnamese is mostly ASCII (spaces, digits, unaccented letters); high-byte noise is not text.
    if len(sample) >= 64 and len(sample.translate(None, _HIGH_BYTES)) < 0.4 * len(sample):
        raise ValueError(BINARY_MESSAGE)
    return _best_legacy(sample)


_PUBLIC_NAMES = {"utf-16-le": "utf-16", "utf-16-be": "utf-16"}


def decode_text_bytes(data: bytes) -> tuple[str, str]:
    """Decode a whole text file by evidence → (NFC text, "utf-8"|"utf-8-sig"|"utf-16"|"cp1258"|"tcvn3"|"vni").

    TCVN3/VNI glyph soup found inside UTF-8 text is repaired and reported as "tcvn3"/"vni".
    >>> decode_text_bytes("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".encode("utf-8"))
    ('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'utf-8')
    >>> decode_text_bytes(b"U\\xfb ban nh\\xa9n d\\xa9n")
    ('Ủy ban nhân dân', 'tcvn3')
    """
    encoding = detect_encoding(data[:SAMPLE_BYTES])
    if encoding in ("utf-8", "utf-8-sig"):
        try:
            text = data.decode(encoding, "strict" if encoding == "utf-8" else "replace")
        except UnicodeDecodeError:           # a clean sample, legacy bytes further down
            encoding = _best_legacy(data)
        else:
            text, legacy = repair_legacy_font_text(_nfc(text))
            return text, legacy or encoding
    return decode_with(data, encoding, "replace"), _PUBLIC_NAMES.get(encoding, encoding)


# ---- glyph soup inside Unicode strings --------------------------------------------------------------------------
_VIETNAMESE_LATIN1 = set("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
_MARKS = {"tcvn3": "".join(chr(c) for c in _TCVN3_STR_MAP), "vni": "".join(chr(c) for c in _VNI_DECODE)}
# Marks that never occur in Unicode Vietnamese: cheap to look for, so normal text is left alone quickly.
_TELL_TALE = re.compile("[%s]" % re.escape("".join(set("".join(_MARKS.values())) - _VIETNAMESE_LATIN1)))
_ANY_MARK = {enc: re.compile("[%s]" % re.escape(marks)) for enc, marks in _MARKS.items()}
_BEYOND_LATIN1 = re.compile("[\u0100-\u024f\u1e00-\u1eff]")
_ASCII_LETTER, _NON_SPACE = re.compile("[A-Za-z]"), re.compile(r"\S+")
_CONVERTERS = {"tcvn3": lambda s: _decode_tcvn3(s.translate(_TCVN3_STR_MAP)), "vni": _decode_vni}
_SCORED_WORDS = 300
_SPAN = 5000


def _repair_paragraph(par: str, encodings: Iterable[str], known: bool = False) -> tuple[str, str | None]:
    """Convert one paragraph when a legacy reading makes clearly more of its changed words Vietnamese — or, in a
    document already known to be in that encoding, at least as many ("Sè:" and "Số:" are both words)."""
    words = par.split()
    best = (-1.0, None, par)
    for encoding in encodings:
        converted = _CONVERTERS[encoding](par)
        # Only words with a Latin letter are evidence: a lone "¥" or "×" reads as a one-vowel word ("Ơ", "ì").
        changed = [(a, b) for a, b in zip(words, converted.split()) if a != b and _ASCII_LETTER.search(a)]
        changed = changed[:_SCORED_WORDS]
        if not changed or (len(changed) == 1 and len(changed[0][0]) < 2):
            continue
        before = sum(_token_is_vietnamese(a) for a, _ in changed)
        after = sum(_token_is_vietnamese(b) for _, b in changed)
        gain_needed = 0 if known else max(1.0, 0.3 * len(changed))
        if after >= max(1.0, 0.6 * len(changed)) and after - before >= gain_needed:
            best = max(best, ((after - before) / len(changed), encoding, converted), key=lambda t: t[0])
    _, encoding, converted = best
    if encoding is None or not _BEYOND_LATIN1.search(par):
        return converted, encoding
    # Real Unicode Vietnamese in the same paragraph (runs in several fonts): convert only words that need it.
    convert = _CONVERTERS[encoding]
    fixed = _NON_SPACE.sub(lambda m: _fix_word(m.group(), convert), par)
    return fixed, encoding if fixed != par else None


def _fix_word(word: str, convert) -> str:
    if _BEYOND_LATIN1.search(word) or _token_is_vietnamese(word):
        return word
    converted = convert(word)
    return converted if _token_is_vietnamese(converted) else word


def _paragraph_around(s: str, start: int, end: int, floor: int) -> tuple[int, int]:
    """The line holding s[start:end], cut at spaces to about _SPAN chars each side when the text is one long line."""
    low = max(floor, start - _SPAN)
    newline = s.rfind("\n", low, start)
    if newline >= 0:
        begin = newline + 1
    else:
        begin = low if low == floor else s.find(" ", low, start) + 1 or low
    newline = s.find("\n", end, end + _SPAN)
    if newline >= 0:
        return begin, newline
    if end + _SPAN >= len(s):
        return begin, len(s)
    space = s.rfind(" ", end, end + _SPAN)
    return begin, space if space >= 0 else end + _SPAN


def _repair_pass(s: str, marker: re.Pattern, encodings: tuple[str, ...], counts: dict[str, int],
                 known: bool = False, done: list[tuple[int, int, str]] = ()) -> list[tuple[int, int, str]]:
    """(start, end, fixed) for each paragraph around a marker that converts; paragraphs in `done` are skipped."""
    spans: list[tuple[int, int, str]] = []
    k = scanned = 0
    match = marker.search(s)
    while match:
        start, scanned = _paragraph_around(s, match.start(), match.end(), scanned)
        while k < len(done) and done[k][1] <= start:
            k += 1
        overlaps_done = k < len(done) and done[k][0] < scanned
        # In the second pass a paragraph with real Unicode letters is already Unicode, converted or not.
        if not overlaps_done and not (known and _BEYOND_LATIN1.search(s, start, scanned)):
            leader = max(counts, key=counts.get)
            if counts[leader] >= 3 and min(counts.values()) == 0:
                encodings = (leader,)          # a document keeps to one legacy encoding
            fixed, encoding = _repair_paragraph(s[start:scanned], encodings, known)
            if encoding:
                spans.append((start, scanned, fixed))
                counts[encoding] += 1
        match = marker.search(s, max(scanned, match.end()))
    return spans


def repair_legacy_font_text(s: str) -> tuple[str, str | None]:
    """Fix paragraphs that are TCVN3/VNI glyph soup (text set in .VnTime/VNI-Times fonts) → (text, "tcvn3"|"vni"|None).

    Normal Unicode Vietnamese, English and French pass through unchanged.
    >>> repair_legacy_font_text("Uû ban nh©n d©n tØnh Nam §Þnh")
    ('Ủy ban nhân dân tỉnh Nam Định', 'tcvn3')
    >>> repair_legacy_font_text("Ủy ban nhân dân tỉnh Nam Định")
    ('Ủy ban nhân dân tỉnh Nam Định', None)
    """
    counts = {"tcvn3": 0, "vni": 0}
    spans = _repair_pass(s, _TELL_TALE, ("tcvn3", "vni"), counts)
    if not spans:
        return s, None
    # Once a text is known to hold glyph soup, short paragraphs without a tell-tale mark ("Caùc caáp") count too.
    encoding = max(counts, key=counts.get)
    spans = sorted(spans + _repair_pass(s, _ANY_MARK[encoding], (encoding,), counts, True, spans))
    pieces, done = [], 0
    for start, end, fixed in spans:
        pieces += [s[done:start], fixed]
        done = end
    return "".join(pieces) + s[done:], encoding


# ---- encoding back to legacy bytes (fixtures, round-trip tests) -------------------------------------------------
_TCVN3_SPELLING = {ch: _CP1252_TABLE[b] for b, ch in TCVN3_TO_UNICODE.items()}
_LOWER_SET = frozenset(LOWER_LETTERS)
# .VnTime typists wrote "Uỷ ban", "Hoà" with the tone on the small letter when the toned capital had no code.
_TYPED_OLD_STYLE = {new: old for old, new in _OLD_PLACEMENT.items()
                    if new[0].isupper() and new[0] not in _TCVN3_SPELLING and new[1].islower()}
_TYPED_OLD_STYLE_RE = re.compile("(?<![qQ])(?:%s)(?![^\\W\\d_])" % "|".join(_TYPED_OLD_STYLE))


def _legacy_spelling(letter: str, encoding: str) -> str:
    """One Unicode letter as the legacy text a font user typed (as cp1252 characters)."""
    low = letter.lower()
    base, tone = _split_tone(low)
    if encoding == "tcvn3":
        # Capitals without their own code are typed with the lowercase code in the ".VnTimeH" font.
        return _TCVN3_SPELLING.get(letter) or _TCVN3_SPELLING[low]
    if low in _VNI_SINGLE:
        out = _VNI_SINGLE[low]
    elif base == "i":
        out = _VNI_I[tone]
    elif base in "ơư":
        out = _VNI_SINGLE[base] + _VNI_TONE[tone]
    elif base in "âêôă":
        plain = unicodedata.normalize("NFD", base)
        out = plain[0] + _COMBINING[plain[1]][tone]
    else:
        out = base + _VNI_TONE[tone]
    return out.upper() if letter.isupper() else out


def encode_legacy(text: str, encoding: str) -> bytes:
    """Write Unicode text in a legacy encoding ("tcvn3", "vni" or "cp1258" with combining tones where needed).

    >>> encode_legacy("Ủy ban nhân dân", "tcvn3")
    b'U\\xfb ban nh\\xa9n d\\xa9n'
    """
    if encoding == "cp1258":
        out = []
        for ch in unicodedata.normalize("NFC", text):
            try:
                out.append(ch.encode("cp1258"))
            except UnicodeEncodeError:
                base, tone = _split_tone(ch)
                out.append(base.encode("cp1258") + _TONES[tone].encode("cp1258"))
        return b"".join(out)
    if encoding not in ("tcvn3", "vni"):
        raise ValueError(f"unknown legacy encoding {encoding!r}")
    text = unicodedata.normalize("NFC", text)
    if encoding == "tcvn3":
        text = _TYPED_OLD_STYLE_RE.sub(lambda m: _TYPED_OLD_STYLE[m.group()], text)
    spelled = "".join(_legacy_spelling(ch, encoding) if ch.lower() in _LOWER_SET else ch for ch in text)
    return spelled.encode("cp1252")
