"""The project's sample corpus (corpus/) and the renderers that build it (pipeline/render.py).

Checks that the gold labels pass the referee's checker, that they agree with independent pattern readings of the texts
(every explicit reference, full date and money amount is labelled, nothing else), that every gold file has its shipped
document, that the shipped documents are what corpus/build.py makes from the sources, and that every source text
renders with every renderer into a file a standard reader opens.
"""
from __future__ import annotations

import importlib.util
import io
import json
import re
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import pdfplumber
import pypdfium2
import pytest
from docx import Document

from pipeline import render
from pipeline.paths import SHARED

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
SRC, GOLD, DOCS = CORPUS / "src", CORPUS / "gold", CORPUS / "docs"
CHECK_GOLD = SHARED / "eval" / "check_gold.py"
GOLD_KEYS = {"id", "references", "dates", "amounts", "units", "persons", "violation_types", "outcome", "remedies"}

SOURCES = sorted(SRC.glob("*.txt"))
SLUGS = [p.stem for p in SOURCES]


def load_build():
    spec = importlib.util.spec_from_file_location("corpus_build", CORPUS / "build.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is being built
    spec.loader.exec_module(module)
    return module


BUILD = load_build()


def squash(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", s))


def text_of(slug: str) -> str:
    return (SRC / f"{slug}.txt").read_text(encoding="utf-8")


def gold_of(slug: str) -> dict:
    return json.loads((GOLD / f"{slug}.json").read_text(encoding="utf-8"))


def pdf_text(data: bytes | Path) -> str:
    source = io.BytesIO(data) if isinstance(data, bytes) else data
    with pdfplumber.open(source) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


# ------------------------------------------------------------------ independent readings of the texts

ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}
REF = re.compile(r"(?<![\w/.])(\d{1,5}(?:/\d{4})?/[A-ZĐ][A-Za-zĐđ&]*\d{0,2}(?:-[A-ZĐ0-9][A-Za-zĐđ0-9&]*)*)")
DAY_WORDS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")
DAY_NUM = re.compile(r"(?<![\d/.,])(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?![\d/])")
MONTH = re.compile(r"(?:tháng\s+|(?<=\s))(\d{1,2})(?:/|\s+năm\s+)(\d{4})(?![\d/])", re.I)
QUARTER = re.compile(r"quý\s+(I{1,3}|IV|[1-4])(?:/|\s+năm\s+)(\d{4})", re.I)
MONEY = re.compile(r"(\d{1,3}(?:[.,]\d{3})+|\d+(?:,\d+)?)\s*(tỷ|tỉ|triệu|nghìn|ngàn)?(?:\s+(\d+)\s+triệu)?\s+đồng")
SCALE = {None: 1, "nghìn": 10**3, "ngàn": 10**3, "triệu": 10**6, "tỷ": 10**9, "tỉ": 10**9}


def references_in(text: str) -> set[str]:
    """Number/symbol ids outside the recipient and filing lines ("- Lưu: VT, TTr.")."""
    lines = [ln for ln in text.split("\n") if not re.match(r"^\s*-\s*Lưu", ln)]
    return {m.group(1) for m in REF.finditer("\n".join(lines))}


def dates_in(text: str) -> set[str]:
    found = set()
    for d, m, y in DAY_WORDS.findall(text) + DAY_NUM.findall(text):
        if 1 <= int(m) <= 12 and 1 <= int(d) <= 31:
            found.add(f"{y}-{int(m):02d}-{int(d):02d}")
    stripped = DAY_NUM.sub(" ", DAY_WORDS.sub(" ", text))
    for m, y in MONTH.findall(stripped):
        if 1 <= int(m) <= 12:
            found.add(f"{y}-{int(m):02d}")
    for q, y in QUARTER.findall(text):
        found.add(f"{y}-Q{ROMAN[q.upper()]}")
    return found


def money_value(number: str, scale: str | None, extra_millions: str | None) -> int:
    if scale:
        # With a scale word the Vietnamese convention holds: dots group thousands, a comma marks decimals.
        value = float(number.replace(".", "").replace(",", ".")) * SCALE[scale]
    elif number.count(",") >= 1 and "." not in number and re.fullmatch(r"\d{1,3}(,\d{3})+", number):
        value = float(number.replace(",", ""))
    else:
        value = float(number.replace(".", "").replace(",", "."))
    if extra_millions:
        value += int(extra_millions) * 10**6
    return int(round(value))


def amounts_in(text: str) -> set[int]:
    return {money_value(*m) for m in MONEY.findall(text)}


def test_readers_on_made_up_fragments():
    text = ("Quyết định số 95/QĐ-TTr ngày 02/7/2024; Luật số 84/2025/QH15; 02/04 công trình; thửa đất số 215\n"
            "- Lưu: VT, 12/TTr.\n quý III/2023, tháng 6/2021, 16/37 hồ sơ, 74 tỉ 980 triệu đồng, 1,2 tỷ đồng, "
            "345,600,000 đồng, 1.409 triệu đồng, 41,3 ha, 85,3%")
    assert references_in(text) == {"95/QĐ-TTr", "84/2025/QH15"}
    assert dates_in(text) == {"2024-07-02", "2023-Q3", "2021-06"}
    assert amounts_in(text) == {74980000000, 1200000000, 345600000, 1409000000}


# ------------------------------------------------------------------ gold files

def test_corpus_has_the_planned_size():
    assert len(SOURCES) == 14
    assert sorted(p.stem for p in GOLD.glob("*.json")) == SLUGS


def test_check_gold_reports_no_problems():
    assert CHECK_GOLD.is_file(), f"referee checker missing at {CHECK_GOLD}"
    result = subprocess.run([sys.executable, str(CHECK_GOLD), str(SRC), str(GOLD)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("0 problems")


@pytest.mark.parametrize("slug", SLUGS)
def test_gold_shape(slug):
    gold = gold_of(slug)
    assert set(gold) == GOLD_KEYS
    assert gold["id"] == slug
    for key in ("references", "dates", "amounts", "units", "persons", "violation_types", "remedies"):
        assert len(gold[key]) == len(set(gold[key])), f"{key} has duplicates"
    assert 2000 <= len(text_of(slug)) <= 6000


@pytest.mark.parametrize("slug", SLUGS)
def test_gold_references_are_exactly_the_written_ones(slug):
    text = text_of(slug)
    gold = set(gold_of(slug)["references"])
    assert gold == references_in(text)
    for ref in gold:
        assert ref in text


@pytest.mark.parametrize("slug", SLUGS)
def test_gold_dates_cover_every_explicit_date(slug):
    text = text_of(slug)
    gold = set(gold_of(slug)["dates"])
    explicit = dates_in(text)
    assert explicit <= gold, f"explicit dates missing from gold: {sorted(explicit - gold)}"
    implicit = gold - explicit
    # Dates fixed only by a lunar year name are the one kind the plain patterns cannot read.
    assert not implicit or "Tết" in text, f"gold dates with no written form: {sorted(implicit)}"


@pytest.mark.parametrize("slug", SLUGS)
def test_gold_amounts_are_exactly_the_written_ones(slug):
    assert set(gold_of(slug)["amounts"]) == amounts_in(text_of(slug))


@pytest.mark.parametrize("slug", SLUGS)
def test_gold_names_are_written_in_the_text(slug):
    flat = squash(text_of(slug))
    gold = gold_of(slug)
    for value in gold["units"] + gold["persons"]:
        assert squash(value) in flat
    for person in gold["persons"]:
        assert len(person.split()) >= 2 and not re.search(r"\b[A-ZĐ]\.", person), "abbreviated names do not count"


def test_plans_and_inspection_decisions_have_no_findings():
    def announces_future_work(text: str) -> bool:
        header = text.split("\n")[:12]
        if "KẾ HOẠCH" in header:
            return True
        return "QUYẾT ĐỊNH" in header and "thanh tra" in header[header.index("QUYẾT ĐỊNH") + 1]

    planned = [slug for slug in SLUGS if announces_future_work(text_of(slug))]
    assert len(planned) >= 3
    for slug in planned:
        gold = gold_of(slug)
        assert (gold["outcome"], gold["violation_types"], gold["remedies"]) == ("none", [], []), slug


def test_gold_does_not_label_look_alikes():
    every = {slug: gold_of(slug) for slug in SLUGS}
    all_refs = {r for g in every.values() for r in g["references"]}
    all_dates = {d for g in every.values() for d in g["dates"]}
    all_amounts = {a for g in every.values() for a in g["amounts"]}
    # Fractions of counts ("02/04 công trình", "16/37 hồ sơ"), plot numbers and account numbers are not labels.
    assert "2025-04-02" not in all_dates
    assert not any(r.startswith(("215/", "3949", "02/04", "16/37")) for r in all_refs)
    # Areas and percentages never count as money.
    assert 1236 not in all_amounts and 2315 not in all_amounts and 71 not in all_amounts


def test_corpus_covers_the_required_variety():
    texts = {slug: text_of(slug) for slug in SLUGS}
    golds = {slug: gold_of(slug) for slug in SLUGS}
    assert any(re.search(r"\d{1,3}(?:,\d{3}){2,} đồng", t) for t in texts.values()), "no comma-grouped amount"
    assert any(re.search(r"\d{1,3}(?:\.\d{3}){2,} đồng", t) for t in texts.values()), "no dot-grouped amount"
    assert any("mùng" in t and "Tết" in t for t in texts.values()), "no lunar date"
    issued = {slug: max(g["dates"]) for slug, g in golds.items() if g["dates"]}
    assert any(d >= "2025-07-01" for d in issued.values()) and any(d < "2025-07-01" for d in issued.values())
    assert any("UBND huyện" in t for t in texts.values()), "no pre-2025 district names"
    assert any("Thanh tra tỉnh" in t and "(cũ)" in t for t in texts.values()), "no post-merger wording"
    outcomes = {g["outcome"] for g in golds.values()}
    assert {"none", "violation", "serious"} <= outcomes


# ------------------------------------------------------------------ shipped documents

def test_every_gold_file_has_one_shipped_document():
    shipped = sorted(p for p in DOCS.iterdir() if p.is_file())
    assert sorted(p.stem for p in shipped) == SLUGS
    assert sum(p.stat().st_size for p in shipped) < 8 * 1024 * 1024


def test_build_spec_agrees_with_sources_and_gold(capsys):
    assert BUILD.main(["--check"]) == 0
    assert "agree" in capsys.readouterr().out


def test_shipped_formats_mix():
    kinds = {}
    for item in BUILD.DOCS_SPEC:
        kinds.setdefault(item.kind, []).append(item)
    assert len(kinds["pdf"]) >= 4 and len(kinds["docx"]) >= 3 and len(kinds["html"]) >= 3
    assert len(kinds["scan"]) >= 2 and len(kinds["txt"]) >= 2
    assert any(i.options.get("running_header") and i.table for i in kinds["pdf"])
    assert any(i.table for i in kinds["docx"])
    encodings = {i.options.get("encoding") for i in kinds["txt"]}
    assert {"utf-16", "cp1258"} <= encodings


@pytest.mark.parametrize("item", BUILD.DOCS_SPEC, ids=lambda i: i.slug)
def test_shipped_document_is_current_and_readable(item, tmp_path):
    # Re-render with the same spec into a temporary file and compare what a reader gets out of both files.
    text = text_of(item.slug)
    original = item.path
    assert original.is_file()
    fresh = tmp_path / original.name
    renderer_kwargs = dict(item.options)
    table = [list(r) for r in item.table] if item.table else None
    position = BUILD.table_position(text, item.table_after) if item.table_after else None
    first_line = text.split("\n", 1)[0].strip()
    if item.kind == "pdf":
        render.render_pdf(text, fresh, table=table, table_position=position, **renderer_kwargs)
        assert pdf_text(fresh) == pdf_text(original)
        assert squash(first_line) in squash(pdf_text(original))
    elif item.kind == "scan":
        with pypdfium2.PdfDocument(original) as pdf:
            pages = len(pdf)
            assert pdf[0].get_textpage().get_text_range().strip() == ""
        expected_pages = render.render_pdf(text, io.BytesIO(), table=table, table_position=position)
        assert pages == expected_pages
        assert pdf_text(original).strip() == ""
    elif item.kind == "docx":
        render.render_docx(text, fresh, table=table, table_position=position, **renderer_kwargs)
        assert fresh.read_bytes() == original.read_bytes()
        paragraphs = [p.text for p in Document(original).paragraphs if p.text.strip()]
        assert paragraphs[0] == first_line
    elif item.kind == "html":
        render.render_html(text, fresh, title=first_line, **renderer_kwargs)
        assert fresh.read_bytes() == original.read_bytes()
        page = original.read_text(encoding="utf-8")
        assert f'<h1 class="article-title">{first_line}</h1>' in page
    elif item.kind == "txt":
        render.render_text(text, fresh, **renderer_kwargs)
        assert fresh.read_bytes() == original.read_bytes()
        raw = original.read_bytes()
        decoded = raw.decode("utf-16") if renderer_kwargs["encoding"] == "utf-16" else raw.decode("cp1258")
        assert unicodedata.normalize("NFC", decoded).replace("\r\n", "\n") == text


# ------------------------------------------------------------------ renderers on every source text

@pytest.mark.parametrize("slug", SLUGS)
def test_every_text_renders_to_a_readable_pdf(slug, tmp_path):
    text = text_of(slug)
    path = tmp_path / "out.pdf"
    pages = render.render_pdf(text, path, running_header="Bản sao thử nghiệm", page_numbers=True)
    extracted = pdf_text(path)
    with pdfplumber.open(path) as pdf:
        assert pages >= 1 and pages == len(pdf.pages)
    assert squash(text.split("\n", 1)[0]) in squash(extracted)
    assert "Trang 1" in extracted and "Bản sao thử nghiệm" in extracted
    # Every line survives, apart from running headers and page numbers inserted where a paragraph crosses a page.
    body = squash(re.sub(r"Bản sao thử nghiệm|Trang \d+", "", extracted))
    for line in text.split("\n"):
        assert squash(line) in body


@pytest.mark.parametrize("slug", SLUGS)
def test_every_text_renders_to_a_scanned_pdf_without_text_layer(slug, tmp_path):
    text = text_of(slug)
    path = tmp_path / "scan.pdf"
    pages = render.render_scanned_pdf(text, path, dpi=72)
    with pypdfium2.PdfDocument(path) as pdf:
        assert len(pdf) == pages
        assert all(pdf[i].get_textpage().get_text_range().strip() == "" for i in range(len(pdf)))
        image = pdf[0].render(scale=1).to_pil().convert("L")
    darkest, lightest = image.getextrema()
    assert darkest < 80 and lightest > 200  # ink on paper, not a blank page


@pytest.mark.parametrize("slug", SLUGS)
def test_every_text_renders_to_a_readable_docx(slug, tmp_path):
    text = text_of(slug)
    path = tmp_path / "out.docx"
    table = [["Cột A", "Cột B"], ["1", "2"]]
    render.render_docx(text, path, header_text="Tiêu đề trang", table=table)
    doc = Document(path)
    paragraphs = [p.text for p in doc.paragraphs if p.text.strip()]
    assert paragraphs == [ln.strip() for ln in text.split("\n") if ln.strip()]
    assert [[c.text for c in row.cells] for row in doc.tables[0].rows] == table
    assert doc.sections[0].header.paragraphs[0].text == "Tiêu đề trang"


@pytest.mark.parametrize("slug", SLUGS)
def test_every_text_renders_to_a_news_page(slug, tmp_path):
    text = text_of(slug)
    title = text.split("\n", 1)[0].strip()
    path = tmp_path / "out.html"
    render.render_html(text, path, title=title, published="2025-07-01T08:00")
    page = path.read_text(encoding="utf-8")
    assert f"<title>{title} |" in page
    assert f'<meta property="og:title" content="{title}">' in page
    assert '<meta property="article:published_time" content="2025-07-01T08:00:00+07:00">' in page
    assert page.count("<li><a") >= 10 and "Tin liên quan" in page and "cookie" in page and "©" in page
    article = page[page.index("<article"):page.index("</article>")]
    for line in text.split("\n")[1:]:
        if line.strip():
            assert f">{line.strip()}<" in article.replace("&quot;", '"').replace("&amp;", "&")


@pytest.mark.parametrize("slug", SLUGS)
def test_every_text_round_trips_through_legacy_encodings(slug, tmp_path):
    text = text_of(slug)
    for encoding, decode in (("utf-16", "utf-16"), ("cp1258", "cp1258"), ("utf-8", "utf-8")):
        path = tmp_path / f"out-{encoding}.txt"
        render.render_text(text, path, encoding=encoding, newline="\r\n")
        back = unicodedata.normalize("NFC", path.read_bytes().decode(decode)).replace("\r\n", "\n")
        assert back == text


# ------------------------------------------------------------------ renderer details

def test_renderers_are_deterministic():
    text = text_of(SLUGS[0])
    a, b = io.BytesIO(), io.BytesIO()
    render.render_pdf(text, a, table=[["x", "y"], ["1", "2"]])
    render.render_pdf(text, b, table=[["x", "y"], ["1", "2"]])
    assert a.getvalue() == b.getvalue()
    c, d = io.BytesIO(), io.BytesIO()
    render.render_docx(text, c)
    render.render_docx(text, d)
    assert c.getvalue() == d.getvalue()
    with zipfile.ZipFile(io.BytesIO(c.getvalue())) as z:
        assert {i.date_time for i in z.infolist()} == {render.ZIP_DATE}


def test_pdf_keeps_markup_characters_and_long_symbols_literal(tmp_path):
    text = "Bộ VH-TT&DL <b>kiểm tra</b>\n" + " ".join(["Kế hoạch số 169/KH-UBND"] * 40)
    path = tmp_path / "x.pdf"
    render.render_pdf(text, path, page_numbers=False)
    extracted = pdf_text(path)
    assert "Bộ VH-TT&DL <b>kiểm tra</b>" in extracted
    assert "Trang" not in extracted
    assert "169/KH-UBND" in extracted and "169/KH-‐" not in extracted


def test_pdf_page_number_format_and_many_pages(tmp_path):
    text = "\n".join(f"Đoạn {i}: Thanh tra tỉnh kiểm tra việc thực hiện kết luận thanh tra tại các đơn vị." * 3
                     for i in range(120))
    path = tmp_path / "long.pdf"
    pages = render.render_pdf(text, path, page_number_format="- {n} -")
    assert pages >= 4
    with pdfplumber.open(path) as pdf:
        assert f"- {pages} -" in pdf.pages[-1].extract_text()


def test_html_in_windows_1258(tmp_path):
    path = tmp_path / "cp.html"
    render.render_html("Kiểm tra công vụ\nSáng 3/2, Sở Nội vụ kiểm tra đột xuất.", path, title="Kiểm tra công vụ",
                       charset="windows-1258")
    raw = path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    page = unicodedata.normalize("NFC", raw.decode("cp1258"))
    assert '<meta charset="windows-1258">' in page and "Sở Nội vụ kiểm tra đột xuất" in page
    assert "article:published_time" not in page


def test_cp1258_uses_combining_tone_marks_only_where_needed():
    assert render.encode_cp1258("à") == "à".encode("cp1258")
    assert render.encode_cp1258("Kết luận") == b"K\xea\xect lu\xe2\xf2n"


def test_missing_font_names_the_debian_package(monkeypatch, tmp_path):
    monkeypatch.setattr(render, "FONT_DIRS", (str(tmp_path),))
    monkeypatch.delenv("THANHTRA_FONT_DIR", raising=False)
    with pytest.raises(FileNotFoundError, match="fonts-dejavu-core"):
        render.find_font("DejaVuSerif.ttf")


def test_line_roles_of_an_official_header():
    lines = ["UBND TỈNH GIA LAI", "THANH TRA TỈNH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
             "Số: 305/QĐ-TTr", "Gia Lai, ngày 12 tháng 9 năm 2025", "QUYẾT ĐỊNH",
             "Về việc thanh tra tại Ban Quản lý dự án"]
    roles = [render.line_role(line, i) for i, line in enumerate(lines)]
    assert roles == ["title", "title", "title", "title", "body", "dateline", "title", "subject"]
    assert render.line_role("KT. CHÁNH THANH TRA", 40) == "signature"
    assert render.line_role("I. KẾT QUẢ KIỂM TRA", 20) == "heading"
    assert render.line_role("Thực hiện Quyết định số 95/QĐ-TTr ngày 02/7/2024", 9) == "body"
