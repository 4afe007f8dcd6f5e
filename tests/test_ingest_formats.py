"""Ingestion gives back the text of real documents rendered into every format analysts receive.

The seed article and a handful of dev texts (read from ../shared, never copied) are rendered here into a text-layer
PDF (running header, page numbers, a table), DOCX, an HTML news page and a scanned PDF; ingestion must return the same
characters: similarity ≥ 0.98, ≥ 0.90 for scans.
"""
import difflib
import re

import pytest

from pipeline import render
from pipeline.document import record_for_file
from pipeline.normalize import normalize_text

from conftest import DEV_TEXTS, SEED

DEV_SAMPLE = ["0002", "0010", "0038", "0041", "0219"]
TABLE = [["Đơn vị", "Hồ sơ tiếp nhận", "Hồ sơ trễ hạn"], ["UBND phường Trung Hòa", "1.245", "12"], ["Sở Xây dựng", "310", "0"]]


def _squash(s: str) -> str:
    return re.sub(r"\s+", " ", normalize_text(s)).strip()


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, _squash(a), _squash(b), autojunk=False).ratio()


def _texts():
    yield "seed", (SEED / "kiem-tra-cong-vu-ha-noi-2023.txt").read_text(encoding="utf-8")
    for key in DEV_SAMPLE:
        yield key, (DEV_TEXTS / f"{key}.txt").read_text(encoding="utf-8")


TEXTS = dict(_texts())


def _ingested(path) -> str:
    rec = record_for_file(str(path))
    assert rec.error is None, rec.error
    return rec.text


@pytest.mark.parametrize("key", list(TEXTS))
def test_pdf_text_layer(tmp_path, key):
    text = TEXTS[key]
    path = tmp_path / f"{key}.pdf"
    pages = render.render_pdf(text, path, running_header="THANH TRA THÀNH PHỐ - BÁO CÁO NỘI BỘ", page_numbers=True)
    rec = record_for_file(str(path))
    assert rec.error is None
    assert rec.source.format == "pdf" and rec.source.pages == pages
    assert similarity(text, rec.text) >= 0.98
    if pages > 1:       # on a single page a running header cannot be told from a heading
        assert "BÁO CÁO NỘI BỘ" not in rec.text, "running header must be dropped"
        assert rec.page_offsets and len(rec.page_offsets) == pages


def test_pdf_table_kept_as_rows(tmp_path):
    path = tmp_path / "table.pdf"
    render.render_pdf(TEXTS["seed"], path, table=TABLE)
    rec = record_for_file(str(path))
    assert rec.tables and ["UBND phường Trung Hòa", "1.245", "12"] in rec.tables[0]
    assert "UBND phường Trung Hòa | 1.245 | 12" in rec.text


def test_pdf_wrapped_reference_comes_out_whole(tmp_path):
    # A long line forces "169/KH-UBND" to wrap at the hyphen or right before it somewhere along the sweep.
    found = 0
    for pad in range(0, 60, 3):
        text = ("Thực hiện " + "nhiệm vụ " * (pad // 3) + "theo Kế hoạch số 169/KH-UBND ngày 12/01/2024 của UBND tỉnh "
                "về kiểm tra công vụ năm 2024 trên địa bàn toàn tỉnh. " * 3)
        path = tmp_path / f"wrap{pad}.pdf"
        render.render_pdf(text, path, page_numbers=False)
        rec = record_for_file(str(path))
        assert "169/KH-UBND" in rec.text, rec.text[:300]
        found += any(r.id == "169/KH-UBND" for r in rec.references)
    assert found == 20


@pytest.mark.parametrize("key", list(TEXTS))
def test_docx(tmp_path, key):
    text = TEXTS[key]
    path = tmp_path / f"{key}.docx"
    render.render_docx(text, path)
    rec = record_for_file(str(path))
    assert rec.source.format == "docx"
    assert similarity(text, rec.text) >= 0.98


def test_docx_table_and_header(tmp_path):
    path = tmp_path / "t.docx"
    render.render_docx(TEXTS["seed"], path, header_text="SỞ NỘI VỤ HÀ NỘI", table=TABLE)
    rec = record_for_file(str(path))
    assert rec.text.startswith("SỞ NỘI VỤ HÀ NỘI")
    assert rec.tables == [TABLE]


@pytest.mark.parametrize("key", list(TEXTS))
def test_html_news_page(tmp_path, key):
    text = TEXTS[key]
    title, body = text.split("\n", 1)
    path = tmp_path / f"{key}.html"
    render.render_html(body, path, title=title, published="2023-03-01")
    rec = record_for_file(str(path))
    assert rec.source.format == "html"
    assert rec.meta.title == normalize_text(title)
    assert similarity(text, rec.text) >= 0.98
    for junk in ("Tin liên quan", "Bản quyền", "cookie"):
        assert rec.text.casefold().count(junk.casefold()) == text.casefold().count(junk.casefold())


def test_html_publication_date_from_metadata(tmp_path):
    title, body = TEXTS["seed"].split("\n", 1)
    render.render_html(body, tmp_path / "p.html", title=title, published="2023-03-01")
    assert record_for_file(str(tmp_path / "p.html")).meta.published_at == "2023-03-01"


@pytest.mark.parametrize("key", ["seed", "0041"])
def test_scanned_pdf(tmp_path, key):
    text = TEXTS[key]
    path = tmp_path / f"{key}-scan.pdf"
    pages = render.render_scanned_pdf(text, path, dpi=200)
    rec = record_for_file(str(path))
    assert rec.error is None
    assert rec.source.ocr_pages == list(range(1, pages + 1))
    assert rec.source.ocr_confidence and rec.source.ocr_confidence > 60
    assert similarity(text, rec.text) >= 0.90


def test_extension_is_not_trusted(tmp_path):
    path = tmp_path / "report.txt"           # really a PDF
    render.render_pdf(TEXTS["seed"], path)
    rec = record_for_file(str(path))
    assert rec.source.format == "pdf" and similarity(TEXTS["seed"], rec.text) >= 0.98


def to_cp1258(s: str) -> bytes:
    """Windows-1258 stores a base letter plus a combining tone mark where no precomposed byte exists."""
    import unicodedata
    out = bytearray()
    for ch in s:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in d if c in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(c for c in d if c not in tones))
            out += base.encode("cp1258") + tones.encode("cp1258")
    return bytes(out)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1258"])
def test_plain_text_encodings(tmp_path, encoding):
    path = tmp_path / f"seed-{encoding}.txt"
    text = TEXTS["seed"]
    path.write_bytes(to_cp1258(text) if encoding == "cp1258" else text.encode(encoding))
    rec = record_for_file(str(path))
    assert rec.error is None
    assert _squash(rec.text) == _squash(TEXTS["seed"])
