"""Legacy Vietnamese encodings: detection, decoding, glyph-soup repair, round trips, speed.

All sample sentences are written for these tests; real news texts are only read from ../shared at run time.
"""
import random
import unicodedata
import zlib
from pathlib import Path

import pytest

from pipeline.paths import SHARED
from pipeline.ingest.text_decoding import (
    BINARY_MESSAGE, LOWER_LETTERS, TCVN3_TO_UNICODE, UPPER_LETTERS, decode_text_bytes, decode_with,
    detect_encoding, encode_legacy, iter_decode, modern_tone_placement, repair_legacy_font_text,
)

NEWS = SHARED / "corpus" / "news2017"

HEADER = ("ỦY BAN NHÂN DÂN TỈNH NAM ĐỊNH\nSỞ NỘI VỤ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
          "Độc lập - Tự do - Hạnh phúc\nSố: 143/SNV-TTr\nNam Định, ngày 15 tháng 3 năm 2024\n")
# Old tone placement ("Uỷ ban", "hoà"), as typists wrote it in the .VnTime era; decoders return the modern one.
BODY = ("Thực hiện Kế hoạch số 12/KH-SNV ngày 05/01/2024 của Sở Nội vụ, Đoàn kiểm tra công vụ đã kiểm tra việc "
        "chấp hành kỷ luật, kỷ cương hành chính tại Uỷ ban nhân dân huyện Hải Hậu. Qua kiểm tra, một số công chức "
        "đi muộn, về sớm; có 27 hồ sơ giải quyết quá hạn, chưa hoà giải xong 3 vụ việc. Đoàn kiến nghị Chủ tịch "
        "Uỷ ban nhân dân huyện chỉ đạo chấn chỉnh, kiểm điểm trách nhiệm tập thể, cá nhân có liên quan.\n"
        "Ủy viên Thường trực được giao theo dõi, báo cáo kết quả khắc phục trước ngày 30/6/2024.\n")
LETTER = HEADER + "Kính gửi: Uỷ ban nhân dân các huyện, thành phố\n" + BODY
MODERN = modern_tone_placement(LETTER)


def soup(text: str, encoding: str) -> str:
    """Text as a Word run set in a .VnTime / VNI-Times font shows it when read as Unicode."""
    return encode_legacy(text, encoding).decode("cp1252")


# ---- tables and round trips -----------------------------------------------------------------------------------
def test_letter_inventory_is_complete():
    assert len(LOWER_LETTERS) == 67 and len(UPPER_LETTERS) == 67
    assert len(set(LOWER_LETTERS) | set(UPPER_LETTERS)) == 134
    assert {"ậ", "ặ", "ệ", "ộ", "ợ", "ự", "ỵ", "đ"} <= set(LOWER_LETTERS)


def test_tcvn3_table_spot_values():
    # TCVN 5712 VN3 codes for a few letters every Vietnamese text uses.
    assert TCVN3_TO_UNICODE[0xA9] == "â" and TCVN3_TO_UNICODE[0xAE] == "đ" and TCVN3_TO_UNICODE[0xA7] == "Đ"
    assert TCVN3_TO_UNICODE[0xAD] == "ư" and TCVN3_TO_UNICODE[0xFB] == "ỷ" and TCVN3_TO_UNICODE[0xB5] == "à"
    assert TCVN3_TO_UNICODE[0xD6] == "ệ" and TCVN3_TO_UNICODE[0xE9] == "ộ" and TCVN3_TO_UNICODE[0xFE] == "ỵ"
    assert len(set(TCVN3_TO_UNICODE.values())) == len(TCVN3_TO_UNICODE)


@pytest.mark.parametrize("encoding", ["tcvn3", "vni", "cp1258"])
@pytest.mark.parametrize("letter", LOWER_LETTERS)
def test_lowercase_letter_round_trip(encoding, letter):
    word = "x" + letter + "m"
    assert decode_with(encode_legacy(word, encoding), encoding) == word


@pytest.mark.parametrize("encoding", ["tcvn3", "vni", "cp1258"])
@pytest.mark.parametrize("letter", UPPER_LETTERS)
def test_uppercase_letter_round_trip(encoding, letter):
    # TCVN3 writes most toned capitals with lowercase codes in the ".VnTimeH" font: they come back in capitals
    # from an all-caps context, which is how headings are set.
    word = "BAN " + "X" + letter + "M" + " TỈNH"
    assert decode_with(encode_legacy(word, encoding), encoding) == word


def test_vni_byte_spelling():
    assert encode_legacy("Việt Nam", "vni") == b"Vie\xe4t Nam"
    assert encode_legacy("người được", "vni") == b"ng\xf6\xf4\xf8i \xf1\xf6\xf4\xefc"
    assert encode_legacy("Ủy ban", "vni") == b"U\xdby ban"


def test_cp1258_uses_combining_tones_where_no_precomposed_byte_exists():
    data = encode_legacy("Việt", "cp1258")
    assert data == b"Vi\xea\xf2t"               # ê + combining dot below
    assert decode_with(data, "cp1258") == "Việt"


# ---- whole files in every encoding ------------------------------------------------------------------------------
@pytest.mark.parametrize("encoding, expected_name", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("utf-16-le", "utf-16"),
    ("utf-16-be", "utf-16")])
def test_unicode_files_decode_exactly(encoding, expected_name):
    text, name = decode_text_bytes(LETTER.encode(encoding))
    assert (text, name) == (LETTER, expected_name)


@pytest.mark.parametrize("encoding", ["cp1258", "tcvn3", "vni"])
def test_legacy_files_decode_to_modern_unicode(encoding):
    text, name = decode_text_bytes(encode_legacy(LETTER, encoding))
    assert name == encoding
    assert text == MODERN
    assert "ỦY BAN NHÂN DÂN TỈNH NAM ĐỊNH" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "tại Ủy ban nhân dân huyện Hải Hậu" in text and "hòa giải" in text
    assert unicodedata.is_normalized("NFC", text)


def test_the_docplayer_tcvn3_example():
    assert decode_text_bytes("Uû ban nh©n d©n".encode("cp1252")) == ("Ủy ban nhân dân", "tcvn3")
    assert repair_legacy_font_text("Uû ban nh©n d©n") == ("Ủy ban nhân dân", "tcvn3")


def test_vnitimes_examples():
    assert decode_text_bytes("UÛy ban nhaân daân tænh".encode("cp1252")) == ("Ủy ban nhân dân tỉnh", "vni")
    assert repair_legacy_font_text("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam") == (
        "Cộng hòa xã hội chủ nghĩa Việt Nam", "vni")


def test_tcvn3_heading_set_in_vntimeh_font():
    heading = "Uû BAN NH¢N D¢N TØNH NAM §ÞNH\nCéNG HßA X· HéI CHñ NGHÜA VIÖT NAM\n§éc lËp - Tù do - H¹nh phóc"
    assert decode_with(heading.encode("cp1252"), "tcvn3") == (
        "ỦY BAN NHÂN DÂN TỈNH NAM ĐỊNH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc")


def test_tcvn3_title_case_words_stay_title_case():
    line = "§Õn dù häp cã «ng Uû viªn Ban Th­êng vô vµ §oµn kiÓm tra UBND tØnh."
    assert decode_with(line.encode("cp1252"), "tcvn3") == (
        "Đến dự họp có ông Ủy viên Ban Thường vụ và Đoàn kiểm tra UBND tỉnh.")


def test_plain_english_ascii_is_utf8():
    text = "Inspection report for the Department of Home Affairs, 2024.\nAll dossiers were processed on time.\n"
    assert decode_text_bytes(text.encode("ascii")) == (text, "utf-8")
    assert detect_encoding(text.encode("ascii")) == "utf-8"


def test_utf16_without_bom_both_byte_orders():
    text = "Thanh tra tỉnh Nam Định kiểm tra công vụ tại Sở Nội vụ năm 2025."
    assert detect_encoding(text.encode("utf-16-le")) == "utf-16-le"
    assert detect_encoding(text.encode("utf-16-be")) == "utf-16-be"
    assert decode_text_bytes(text.encode("utf-16-be")) == (text, "utf-16")
    assert decode_with(text.encode("utf-16-le"), "utf-16-le") == text


def test_utf16_with_bom_is_reported_as_python_codec():
    data = "Kết luận thanh tra".encode("utf-16")
    assert detect_encoding(data) == "utf-16"
    assert decode_with(data, "utf-16") == "Kết luận thanh tra"


def test_cp1258_latin_text_without_vietnamese_stays_latin():
    data = "Le café de l'hôtel est très bon.".encode("cp1252")
    assert decode_text_bytes(data) == ("Le café de l'hôtel est très bon.", "cp1258")


def test_short_legacy_strings_are_told_apart():
    phrase = "Quyết định xử phạt vi phạm hành chính"
    for encoding in ("cp1258", "tcvn3", "vni"):
        assert detect_encoding(encode_legacy(phrase, encoding)) == encoding


def test_detection_uses_only_the_sample_and_decode_with_follows_it():
    data = encode_legacy(LETTER * 200, "vni")
    assert len(data) > 2 * 64 * 1024
    encoding = detect_encoding(data[:64 * 1024])
    assert encoding == "vni"
    assert decode_with(data, encoding) == MODERN * 200


def test_legacy_bytes_after_an_ascii_head_are_still_found():
    data = b"Report 2024\n" * 7000 + encode_legacy(BODY, "tcvn3")
    text, name = decode_text_bytes(data)
    assert name == "tcvn3" and text.endswith(modern_tone_placement(BODY))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le", "cp1258", "tcvn3", "vni"])
def test_iter_decode_matches_whole_decoding_at_any_chunk_size(encoding):
    text = LETTER * 5
    data = text.encode(encoding) if encoding.startswith("utf") else encode_legacy(text, encoding)
    whole = decode_with(data, encoding)
    for size in (1, 7, 64, 1000):
        chunks = [data[i:i + size] for i in range(0, len(data), size)]
        assert "".join(iter_decode(chunks, encoding)) == whole


def test_unknown_encoding_name_is_refused():
    with pytest.raises(ValueError, match="unknown encoding"):
        decode_with(b"abc", "koi8-r")


# ---- binary junk --------------------------------------------------------------------------------------------------
def _junk():
    rng = random.Random(7)
    return {
        "random bytes": bytes(rng.randrange(256) for _ in range(4000)),
        "random bytes without NUL": bytes(rng.randrange(1, 256) for _ in range(4000)),
        "high-byte noise": bytes(rng.randrange(128, 256) for _ in range(4000)),
        "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rng.randrange(256) for _ in range(500)),
        "zip renamed .txt": b"PK\x03\x04\x14\x00\x06\x00" + zlib.compress(LETTER.encode() * 3),
        "zlib stream": zlib.compress(LETTER.encode() * 3),
        "old .doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512),
    }


@pytest.mark.parametrize("name", list(_junk()))
def test_binary_junk_is_refused(name):
    data = _junk()[name]
    with pytest.raises(ValueError, match=BINARY_MESSAGE):
        decode_text_bytes(data)
    with pytest.raises(ValueError, match=BINARY_MESSAGE):
        detect_encoding(data)


# ---- glyph soup inside Unicode strings ----------------------------------------------------------------------------
@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_repair_whole_document_of_glyph_soup(encoding):
    fixed, found = repair_legacy_font_text(soup(LETTER, encoding))
    assert found == encoding
    assert fixed == MODERN


def test_repair_vni_paragraph_without_tell_tale_marks_once_document_is_known_vni():
    short = "Caùc caáp"                        # only marks that are also Vietnamese letters
    assert repair_legacy_font_text(short) == (short, None)
    document = soup(BODY, "vni") + "\n" + short
    fixed, found = repair_legacy_font_text(document)
    assert found == "vni" and fixed.endswith("\nCác cấp")


def test_repair_mixed_paragraph_converts_only_the_soup_run():
    paragraph = "Kết luận của Thanh tra tỉnh: " + soup("Uỷ ban nhân dân huyện đã chấn chỉnh kịp thời.", "tcvn3")
    fixed, found = repair_legacy_font_text(paragraph)
    assert found == "tcvn3"
    assert fixed == "Kết luận của Thanh tra tỉnh: Ủy ban nhân dân huyện đã chấn chỉnh kịp thời."


def test_repair_touches_only_soup_lines():
    text = "Kết luận thanh tra số 09/KL-TTr\n" + soup("Uỷ ban nhân dân tỉnh Nam Định", "tcvn3") + "\nHết."
    assert repair_legacy_font_text(text) == (
        "Kết luận thanh tra số 09/KL-TTr\nỦy ban nhân dân tỉnh Nam Định\nHết.", "tcvn3")


@pytest.mark.parametrize("text", [
    LETTER,
    "Đoàn kiểm tra công vụ của Sở Nội vụ làm việc với Ủy ban nhân dân phường Bách Khoa.",
    "Copyright © 2024 Báo Nhân Dân. Mọi quyền được bảo lưu.",
    "Ông François Mitterrand, bà Müller và José Muñoz gặp nhau ở Zürich.",
    "Hôtel de Ville, Noël, Zoé, Chloé, Björk, Señor Peña, Ærø, Øresund, Brännström.",
    "The quick brown fox — a naïve café résumé.",
    "Giá 1.000 € / 100 ¥ / 50 £ — «Le Monde» ± 2 °C × 3 ÷ 4 · § 5 ¼",
    "Tỷ lệ 50% ở TP.HCM; Mr. O'Neil®; Coca-Cola™",
    "",
])
def test_repair_leaves_real_unicode_alone(text):
    fixed, found = repair_legacy_font_text(text)
    assert found is None and fixed is text


def test_modern_tone_placement_forms():
    assert modern_tone_placement("hoà, khoẻ, thuỷ, Uỷ ban, CỘNG HOÀ, toạ đàm") == (
        "hòa, khỏe, thủy, Ủy ban, CỘNG HÒA, tọa đàm")
    unchanged = "quý, quỳnh, hoàng, khuỷu tay, thuyền, hòa, xoáy, ngoài"
    assert modern_tone_placement(unchanged) == unchanged


# ---- many real texts (read from ../shared, never copied) -------------------------------------------------------
def _news(limit: int) -> list[str]:
    paths = sorted(NEWS.glob("*.txt"))[:limit]
    assert paths, "../shared/corpus/news2017 is missing"
    return [unicodedata.normalize("NFC", p.read_text(encoding="utf-8")) for p in paths]


def test_real_news_texts_survive_every_encoding():
    collide = set("äöüëïñøåæçß®©¼½¾¹²³°±·×÷")   # Latin-1 signs that TCVN3/VNI use as letters or marks
    checked = 0
    for text in _news(150):
        try:
            legacy = {enc: encode_legacy(text, enc) for enc in ("cp1258", "tcvn3", "vni")}
        except UnicodeEncodeError:
            continue                       # characters outside cp1252 (e.g. CJK) have no legacy spelling
        modern = modern_tone_placement(text)
        assert decode_text_bytes(text.encode("utf-16-le")) == (text, "utf-16")
        assert decode_text_bytes(legacy["cp1258"]) == (modern, "cp1258")
        decoded_vni, vni = decode_text_bytes(legacy["vni"])
        decoded_tcvn3, tcvn3 = decode_text_bytes(legacy["tcvn3"])
        assert (vni, tcvn3) == ("vni", "tcvn3")
        if not collide & set(text):
            assert decoded_vni == modern
            # Toned capitals such as "Á", "Ý" have no TCVN3 code outside headings: compare without case.
            assert decoded_tcvn3.lower() == modern.lower()
        checked += 1
    assert checked >= 100


def test_repair_never_changes_real_news_texts():
    for text in _news(600):
        fixed, found = repair_legacy_font_text(text)
        assert found is None and fixed is text


# ---- speed ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("encoding", ["utf-8", "cp1258", "tcvn3", "vni"])
def test_large_input_round_trip(encoding):
    text = LETTER * 2000                           # ≈ 2 MB of text
    data = text.encode() if encoding == "utf-8" else encode_legacy(text, encoding)
    decoded, _ = decode_text_bytes(data)
    assert decoded == (text if encoding == "utf-8" else MODERN * 2000)


def test_sample_cut_inside_a_utf8_letter_is_still_utf8():
    data = ("Kiểm tra công vụ " * 5000).encode("utf-8")
    cut = next(i for i in range(64 * 1024, 64 * 1024 + 4) if data[i] & 0xC0 == 0x80)
    assert detect_encoding(data[:cut]) == "utf-8"


def test_iter_decode_utf16_with_bom_in_first_chunk_only():
    data = LETTER.encode("utf-16")
    assert "".join(iter_decode([data[:101], data[101:]], "utf-16")) == LETTER


def test_tcvn3_vn1_capital_slots_decode_to_capitals():
    # VN1 keeps a few toned capitals in the upper half (0xC4 = Ấ, 0xDA = Ế); TCVN3 files may carry them.
    assert decode_with(b"\xc4N \xdaCH", "tcvn3") == "ẤN ẾCH"
