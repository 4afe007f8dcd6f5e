"""Turn a UTF-8 text (one paragraph per line) into real files: text PDF, scanned PDF, DOCX, news HTML, plain text.

Used to build the project's sample corpus (corpus/build.py) and by ingestion tests, which render texts and check that
ingestion gives the same text back. Every renderer is deterministic: fixed seeds and timestamps, reportlab's
invariant mode, zip entries with a fixed date.

Example: ``render_pdf("THANH TRA TỈNH NAM ĐỊNH\\nSố: 18/KL-TTr\\nKẾT LUẬN THANH TRA", "kl.pdf")`` writes a one-page A4
PDF whose text layer reads "THANH TRA TỈNH NAM ĐỊNH / Số: 18/KL-TTr / KẾT LUẬN THANH TRA" and returns ``1``.
"""
from __future__ import annotations

import datetime as dt
import functools
import html
import io
import os
import random
import re
import unicodedata
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO, Union
from xml.sax.saxutils import escape as xml_escape

PathLike = Union[str, os.PathLike, BinaryIO]

FONT_PACKAGE_HINT = "install the Debian package fonts-dejavu-core (apt-get install fonts-dejavu-core)"
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF",
             "/usr/local/share/fonts", "/usr/share/fonts", "~/.local/share/fonts", "~/.fonts")
# Serif reads like the Times New Roman of real Vietnamese documents; Sans is the fallback when only core fonts exist.
FONT_FILES = {"regular": ("DejaVuSerif.ttf", "DejaVuSans.ttf"), "bold": ("DejaVuSerif-Bold.ttf", "DejaVuSans-Bold.ttf"),
              "italic": ("DejaVuSerif-Italic.ttf", "DejaVuSans-Oblique.ttf")}
FIXED_TIMESTAMP = dt.datetime(2025, 1, 1, 8, 0, 0)
ZIP_DATE = (2025, 1, 1, 8, 0, 0)
CP1258_NAMES = {"cp1258", "windows-1258", "windows1258", "cp-1258"}
TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
WEEKDAYS_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")
HEADER_ZONE = 14  # lines at the top where national motto, number, date line and title live

_ROMAN_HEADING = re.compile(r"^(?:[IVXLC]+|[A-ZĐ])\.\s")
_DATE_LINE = re.compile(r"^[^\W\d][^,\n]{0,40},\s*ngày\s+\S{1,3}\s+tháng\s+\S{1,3}\s+năm\s+\d{4}\s*$")
_SUBJECT_LINE = re.compile(r"^(?:V/v|Về việc|Về)\s")
_DASH_LINE = re.compile(r"^\s*[-–—+•]\s")
_SIGNATURE_LINE = re.compile(r"^(?:KT|TM|TL|TUQ|Q)\.\s|^(?:CHÁNH|PHÓ|GIÁM ĐỐC|CHỦ TỊCH|TRƯỞNG)")
_LETTER = re.compile(r"[^\W\d_]")
_CLUSTER = re.compile(r"[^\x00-\x7f][\u0300-\u036f]*")


# ---------------------------------------------------------------- line layout shared by PDF and DOCX

def line_role(line: str, index: int) -> str:
    """How a line of an official document is laid out: title, heading, dateline, subject, item, signature or body.

    In the header zone upper-case lines are centred titles, even "CHÁNH THANH TRA TỈNH GIA LAI" (the issuing authority
    of a decision); further down upper-case lines are section headings or signature titles ("KT. CHÁNH THANH TRA").

    >>> line_role("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 1), line_role("Nam Định, ngày 14 tháng 11 năm 2024", 4)
    ('title', 'dateline')
    >>> line_role("II. KẾT QUẢ KIỂM TRA, XÁC MINH", 20), line_role("- Lưu: VT, TTr.", 60)
    ('heading', 'item')
    """
    s = line.strip()
    if not s:
        return "blank"
    upper = bool(_LETTER.search(s)) and s == s.upper() and len(s) <= 110
    top = index < HEADER_ZONE
    if top and s.startswith("Độc lập"):
        return "title"
    if top and _DATE_LINE.match(s):
        return "dateline"
    if top and _SUBJECT_LINE.match(s):
        return "subject"
    if _DASH_LINE.match(s):
        return "item"
    if upper and _ROMAN_HEADING.match(s):
        return "heading"
    if upper and not top and _SIGNATURE_LINE.match(s):
        return "signature"
    return "title" if upper else "body"


def _paragraph_roles(text: str) -> list[tuple[str, str]]:
    """Non-empty lines with their role, refined by context: dash lines after "Nơi nhận:" / "Kính gửi:" are the small
    recipient list; the line under a document-type title ("KẾ HOẠCH" → "Thanh tra năm 2026") is its centred subject;
    the name under a signature title is set with it."""
    out: list[tuple[str, str]] = []
    recipients = False
    for i, line in enumerate(text.split("\n")):
        s = line.strip()
        if not s:
            continue
        role = line_role(line, i)
        prev_line, prev_role = out[-1] if out else ("", "")
        if s.startswith(("Nơi nhận", "Kính gửi")):
            recipients = True
            role = "recipient" if s.startswith("Nơi nhận") else role
        elif role == "item":
            role = "recipient" if recipients else "item"
        else:
            recipients = False
        if role == "body" and prev_role in ("signature", "signer") and len(s.split()) <= 6:
            role = "signer"
        elif role == "body" and i < HEADER_ZONE and prev_role == "title" and len(prev_line.split()) <= 4 \
                and not s.startswith(("Số", "Kính gửi")):
            role = "subject"
        out.append((s, role))
    return out


def _table_index(paragraph_count: int, table_position: int | None) -> int:
    if table_position is not None:
        return max(0, min(paragraph_count, table_position))
    return max(1, paragraph_count // 3)


def _target(path: PathLike):
    """reportlab accepts a str filename or a binary file object, not a Path."""
    return path if hasattr(path, "write") else os.fspath(path)


def _write_bytes(path: PathLike, data: bytes) -> None:
    if hasattr(path, "write"):
        path.write(data)
    else:
        Path(path).write_bytes(data)


# ---------------------------------------------------------------- fonts

def find_font(*filenames: str) -> Path:
    """Locate the first of ``filenames`` installed on this machine, or say which Debian package provides them.

    >>> find_font("DejaVuSerif.ttf", "DejaVuSans.ttf").name
    'DejaVuSerif.ttf'
    """
    override = os.environ.get("THANHTRA_FONT_DIR")
    dirs = [Path(d).expanduser() for d in ([override] if override else []) + list(FONT_DIRS)]
    for name in filenames:
        direct = next((d / name for d in dirs if (d / name).is_file()), None)
        if direct:
            return direct
        nested = next((hit for d in dirs if d.is_dir() for hit in sorted(d.rglob(name))), None)
        if nested:
            return nested
    raise FileNotFoundError(f"font {' / '.join(filenames)} not found in {', '.join(map(str, dirs))}; "
                            f"{FONT_PACKAGE_HINT}")


@functools.cache
def _registered_fonts() -> dict[str, str]:
    """Register the DejaVu faces with reportlab once per process; return role -> reportlab font name."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    names = {}
    for role, candidates in FONT_FILES.items():
        path = find_font(*candidates)
        names[role] = "TT-" + path.stem
        pdfmetrics.registerFont(TTFont(names[role], str(path)))
    for bold, italic, role in ((0, 0, "regular"), (1, 0, "bold"), (0, 1, "italic"), (1, 1, "bold")):
        addMapping("TT-Family", bold, italic, names[role])
    return names


# ---------------------------------------------------------------- PDF

def _pdf_styles(size: float) -> dict:
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm

    fonts = _registered_fonts()
    body = ParagraphStyle("body", fontName=fonts["regular"], fontSize=size, leading=size * 1.35, alignment=TA_JUSTIFY,
                          firstLineIndent=1.0 * cm, spaceAfter=size * 0.45)

    def like(name, **kw):
        return ParagraphStyle(name, parent=body, **{"firstLineIndent": 0, **kw})

    small = dict(fontSize=size - 1, leading=(size - 1) * 1.25, spaceAfter=0)
    return {
        "body": body,
        "item": like("item", firstLineIndent=0.6 * cm),
        "title": like("title", fontName=fonts["bold"], alignment=TA_CENTER, spaceAfter=size * 0.2),
        "subject": like("subject", fontName=fonts["bold"], alignment=TA_CENTER),
        "heading": like("heading", fontName=fonts["bold"], alignment=TA_LEFT, spaceBefore=size * 0.4),
        "dateline": like("dateline", fontName=fonts["italic"], alignment=TA_RIGHT, spaceBefore=size * 0.3),
        "signature": like("signature", fontName=fonts["bold"], alignment=TA_RIGHT, rightIndent=1.5 * cm, spaceAfter=0),
        "signer": like("signer", fontName=fonts["bold"], alignment=TA_RIGHT, rightIndent=2 * cm,
                       spaceBefore=size * 2.5),
        "recipient": like("recipient", fontSize=size - 1.5, leading=(size - 1.5) * 1.3, alignment=TA_LEFT,
                          spaceAfter=0),
        "cell": like("cell", alignment=TA_LEFT, **small),
        "cell_head": like("cell_head", fontName=fonts["bold"], alignment=TA_CENTER, **small),
    }


def _pdf_table(table: list[list[str]], styles: dict, width: float):
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    cols = max(len(r) for r in table)
    padded = [list(r) + [""] * (cols - len(r)) for r in table]
    rows = [[Paragraph(xml_escape(c), styles["cell_head" if i == 0 else "cell"]) for c in r] for i, r in enumerate(padded)]
    # Column widths follow the longest cell, within bounds, so number columns stay narrow and text columns wrap.
    weights = [min(max(max(len(r[c]) for r in padded), 6), 60) for c in range(cols)]
    flow = Table(rows, colWidths=[width * w / sum(weights) for w in weights], repeatRows=1, hAlign="CENTER")
    flow.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.6, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
                              ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
    return flow


def render_pdf(text: str, path: PathLike, *, running_header: str | None = None, page_numbers: bool = True,
               font_size: float = 11, table: list[list[str]] | None = None, table_position: int | None = None,
               page_number_format: str = "Trang {n}", title: str | None = None) -> int:
    """Write ``text`` as an A4 PDF with a selectable text layer; return the number of pages.

    Lines are paragraphs, wrapped by reportlab at spaces (a long symbol such as "169/KH-UBND" stays whole or breaks
    after its own hyphen, never at an added one). ``table`` (first row = header) is drawn with grid lines after
    paragraph ``table_position`` (default: after the first third). ``page_number_format``: "Trang {n}", "{n}", ...

    >>> render_pdf("UBND TỈNH NAM ĐỊNH\\nSố: 169/KH-UBND\\nKẾ HOẠCH\\nKiểm tra công vụ năm 2025", "kh.pdf")
    1
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    fonts, styles = _registered_fonts(), _pdf_styles(font_size)
    page_w, page_h = A4
    left, right = 3.0 * cm, 2.0 * cm

    def decorate(canvas, doc):
        canvas.saveState()
        if running_header:
            canvas.setFont(fonts["italic"], font_size - 2)
            canvas.drawCentredString(page_w / 2 + 0.5 * cm, page_h - 1.3 * cm, running_header)
            canvas.setLineWidth(0.4)
            canvas.line(left, page_h - 1.3 * cm - 4, page_w - right, page_h - 1.3 * cm - 4)
        if page_numbers:
            canvas.setFont(fonts["regular"], font_size - 1.5)
            canvas.drawCentredString(page_w / 2 + 0.5 * cm, 1.2 * cm, page_number_format.format(n=doc.page))
        canvas.restoreState()

    paragraphs = _paragraph_roles(text)
    insert_at = _table_index(len(paragraphs), table_position) if table else -1
    story = []
    for k, (line, role) in enumerate(paragraphs + [("", "end")]):
        if k == insert_at:
            story += [Spacer(1, 4), _pdf_table(table, styles, page_w - left - right), Spacer(1, 8)]
        if role != "end":
            story.append(Paragraph(xml_escape(line), styles[role]))
    doc = SimpleDocTemplate(_target(path), pagesize=A4, invariant=1, leftMargin=left, rightMargin=right,
                            topMargin=2.2 * cm, bottomMargin=2.2 * cm, author="thanhtra", creator="thanhtra render",
                            title=title or (paragraphs[0][0] if paragraphs else ""))
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return doc.page


# ---------------------------------------------------------------- scanned PDF

def _scan_noise(img, rng: random.Random):
    """Gray paper, ink that is not quite black, grain, a few specks, a slight skew and a soft focus."""
    from PIL import Image, ImageChops, ImageDraw, ImageFilter

    paper, ink = 236 - rng.randint(0, 8), 22 + rng.randint(0, 14)
    img = img.point([ink + (paper - ink) * v // 255 for v in range(256)])
    # randbytes is seeded, unlike Image.effect_noise, so the grain is the same on every build.
    grain = Image.frombytes("L", img.size, rng.randbytes(img.size[0] * img.size[1]))
    grain = grain.point([v * 14 // 255 for v in range(256)])
    img = ImageChops.add(img, grain, 1.0, -7)
    draw = ImageDraw.Draw(img)
    for _ in range(120):
        x, y, r = rng.randrange(img.size[0]), rng.randrange(img.size[1]), rng.choice((1, 1, 1, 2))
        draw.ellipse((x, y, x + r, y + r), fill=rng.randint(90, 170))
    img = img.rotate(rng.uniform(-0.3, 0.3), resample=Image.BICUBIC, expand=False, fillcolor=paper)
    return img.filter(ImageFilter.GaussianBlur(0.55))


def render_scanned_pdf(text: str, path: PathLike, *, dpi: int = 200, seed: int = 1258, jpeg_quality: int = 55,
                       **pdf_kwargs) -> int:
    """Render ``text`` like :func:`render_pdf`, then rasterise and degrade each page; write a PDF of page images only.

    No text layer (ingestion must OCR it): grayscale JPEG pages at ``dpi``, skew ≤ 0.3°, gray paper, grain and blur,
    the same for a given ``seed``. Returns the page count.

    >>> render_scanned_pdf("SỞ Y TẾ TỈNH THÁI BÌNH\\nKẾT LUẬN THANH TRA\\nVề việc thanh tra tài chính", "scan.pdf")
    1
    """
    import pypdfium2 as pdfium
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    pages = render_pdf(text, buf, **pdf_kwargs)
    source = pdfium.PdfDocument(buf.getvalue())
    canvas = Canvas(_target(path), pagesize=A4, invariant=1)
    canvas.setCreator("thanhtra render (scan)")
    try:
        for i in range(len(source)):
            page = source[i]
            img = _scan_noise(page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L"),
                              random.Random(seed * 1000 + i))
            page.close()
            jpeg = io.BytesIO()
            img.save(jpeg, "JPEG", quality=jpeg_quality, optimize=True)
            jpeg.seek(0)
            # An ImageReader over JPEG bytes is embedded as-is (DCTDecode), which keeps scans small.
            canvas.drawImage(ImageReader(jpeg), 0, 0, width=A4[0], height=A4[1])
            canvas.showPage()
    finally:
        source.close()
    canvas.save()
    return pages


# ---------------------------------------------------------------- DOCX

def _deterministic_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed entry dates so the same document always gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            entry.compress_type, entry.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def _docx_table(doc, table: list[list[str]]) -> None:
    cols = max(len(r) for r in table)
    grid = doc.add_table(rows=len(table), cols=cols)
    grid.style = "Table Grid"
    for r, row in enumerate(table):
        for c in range(cols):
            cell = grid.cell(r, c)
            cell.text = row[c] if c < len(row) else ""
            for run in cell.paragraphs[0].runs:
                run.bold = r == 0
    doc.add_paragraph()


def render_docx(text: str, path: PathLike, *, header_text: str | None = None,
                table: list[list[str]] | None = None, table_position: int | None = None) -> None:
    """Write ``text`` as a Word document: one paragraph per line, official layout, optional table and page header.

    The table (first row bold) goes after paragraph ``table_position`` (default: after the first third).

    >>> render_docx("ỦY BAN NHÂN DÂN TỈNH HÀ NAM\\nSố: 18/KH-UBND\\nKẾ HOẠCH", "kh.docx", header_text="Số 18/KH-UBND")
    """
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH as ALIGN
    from docx.shared import Cm, Pt

    doc = Document()
    doc.styles["Normal"].font.name = "Times New Roman"
    doc.styles["Normal"].font.size = Pt(13)
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = Cm(2), Cm(2), Cm(3), Cm(2)
    if header_text:
        hp = section.header.paragraphs[0]
        run = hp.add_run(header_text)
        run.italic, run.font.size, hp.alignment = True, Pt(10), ALIGN.CENTER

    align = {"title": ALIGN.CENTER, "subject": ALIGN.CENTER, "dateline": ALIGN.RIGHT, "signature": ALIGN.RIGHT,
             "signer": ALIGN.RIGHT, "heading": ALIGN.LEFT, "recipient": ALIGN.LEFT}
    paragraphs = _paragraph_roles(text)
    insert_at = _table_index(len(paragraphs), table_position) if table else -1
    for k, (line, role) in enumerate(paragraphs + [("", "end")]):
        if k == insert_at:
            _docx_table(doc, table)
        if role == "end":
            break
        para = doc.add_paragraph()
        run = para.add_run(line)
        run.bold = role in ("title", "heading", "signature", "subject", "signer")
        run.italic = role == "dateline"
        if role == "recipient":
            run.font.size = Pt(11)
        para.alignment = align.get(role, ALIGN.JUSTIFY)
        para.paragraph_format.first_line_indent = Cm(1.0) if role == "body" else None
        para.paragraph_format.space_after = Pt(4)

    props = doc.core_properties
    props.title = paragraphs[0][0] if paragraphs else ""
    props.author = props.last_modified_by = "thanhtra"
    props.created = props.modified = FIXED_TIMESTAMP
    props.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    _write_bytes(path, _deterministic_zip(buf.getvalue()))


# ---------------------------------------------------------------- HTML

SITE = "Báo điện tử Nhịp Sống Công Vụ"
SITE_URL = "https://nhipsongcongvu.example.vn"
NAV_SECTIONS = ("Thời sự", "Chính trị", "Thanh tra", "Pháp luật", "Kinh tế", "Đầu tư", "Xã hội", "Giáo dục", "Y tế",
                "Đất đai", "Địa phương", "Bạn đọc", "Quốc tế", "Văn hóa", "Thể thao", "Video", "Podcast", "E-magazine")
BYLINES = ("Minh Khôi", "Thu Trang", "Hoàng Lâm", "Ngọc Diệp", "Quang Vinh", "Hà Phương")
RELATED_HEADLINES = ("Công khai kết luận thanh tra: người dân được biết những gì?",
                     "Siết kỷ cương công vụ sau hợp nhất tỉnh: nhiều cách làm mới",
                     "Hồ sơ trễ hạn phải có thư xin lỗi: chuyện nhỏ mà không nhỏ",
                     "Thanh tra chuyên đề đất công ích: những vướng mắc cần tháo gỡ",
                     "Cán bộ một cửa và áp lực từ dịch vụ công trực tuyến toàn trình",
                     "Khi kết luận thanh tra chậm được thực hiện")
ADS = ("Vay mua nhà lãi suất ưu đãi – đăng ký ngay hôm nay", "Khóa học kỹ năng hành chính công trực tuyến",
       "Căn hộ ven sông, bàn giao quý sau – xem nhà mẫu")


def _slugify(s: str) -> str:
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    return re.sub(r"[^a-z0-9]+", "-", "".join(c for c in s if not unicodedata.combining(c)).lower()).strip("-")[:80]


def render_html(text: str, path: PathLike, *, title: str, published: str | None = None, charset: str = "utf-8") -> None:
    """Write ``text`` as a realistic news page in ``charset``: head metadata, navigation, article, sidebar, footer.

    The first line of ``text`` is dropped when it equals ``title`` (it becomes the h1); the next line is the bold lead.
    ``published`` is an ISO date or datetime ("2025-02-03" or "2025-02-03T09:40"), shown as Vietnam time.

    >>> render_html("Kiểm tra công vụ đầu năm\\nSáng 3/2, Sở Nội vụ kiểm tra đột xuất.", "a.html",
    ...             title="Kiểm tra công vụ đầu năm", published="2025-02-03")
    """
    esc = html.escape
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    if lines and lines[0] == title.strip():
        lines = lines[1:]
    when = None
    if published:
        value = published.strip() + ("T07:30" if len(published.strip()) == 10 else "")
        when = dt.datetime.fromisoformat(value).replace(tzinfo=None)
    iso = f"{when:%Y-%m-%dT%H:%M:%S}+07:00" if when else ""
    url = f"{SITE_URL}/thanh-tra/{_slugify(title)}.html"
    dated = (f'<meta property="article:published_time" content="{iso}">\n<meta itemprop="datePublished" '
             f'content="{iso}">\n') if when else ""
    shown = (f' <time datetime="{iso}">{WEEKDAYS_VI[when.weekday()]}, {when:%d/%m/%Y} - {when:%H:%M}</time>'
             if when else "")
    byline = BYLINES[zlib.crc32(title.encode("utf-8")) % len(BYLINES)]
    nav = "".join(f'<li><a href="/{_slugify(s)}">{esc(s)}</a></li>' for s in NAV_SECTIONS)
    body = "\n".join(f'<p class="sapo"><strong>{esc(ln)}</strong></p>' if k == 0 else f"<p>{esc(ln)}</p>"
                     for k, ln in enumerate(lines))
    related = "".join(f'<li><a href="/thanh-tra/{_slugify(h)}.html">{esc(h)}</a></li>' for h in RELATED_HEADLINES)
    ads = "\n".join(f'<div class="ad-slot"><span class="ad-label">Quảng cáo</span> '
                    f'<a href="https://ads.example.vn/c?id={i}" rel="sponsored">{esc(a)}</a></div>'
                    for i, a in enumerate(ADS, 1))
    page = f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="{esc(charset)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} | {SITE}</title>
<meta name="description" content="{esc(lines[0][:180]) if lines else ""}">
<meta property="og:title" content="{esc(title)}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="{SITE}">
<meta property="og:url" content="{url}">
{dated}<link rel="canonical" href="{url}">
<link rel="stylesheet" href="/static/css/main.min.css?v=20250101">
<script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments);}}</script>
</head>
<body class="article-page">
<div id="cookie-notice" class="cookie-notice">Trang web sử dụng cookie để cải thiện trải nghiệm của bạn. Tiếp tục truy \
cập nghĩa là bạn đồng ý với chính sách cookie. <button type="button">Đồng ý</button></div>
<header class="site-header"><a class="logo" href="/">{SITE}</a>
<nav class="main-menu"><ul>{nav}</ul></nav>
<form class="search" action="/tim-kiem"><input name="q" placeholder="Tìm kiếm"><button>Tìm</button></form></header>
<main class="container">
<div class="breadcrumb"><a href="/">Trang chủ</a> › <a href="/thanh-tra">Thanh tra</a></div>
<article class="article-detail">
<h1 class="article-title">{esc(title)}</h1>
<div class="article-meta"><span class="byline">{esc(byline)}</span>{shown}</div>
<div class="article-body">
{body}
</div>
<div class="article-tags">Từ khóa: <a href="/tag/thanh-tra">thanh tra</a>, <a href="/tag/cong-vu">công vụ</a></div>
<div class="share">Chia sẻ: <a href="#">Facebook</a> <a href="#">Zalo</a> <a href="#">Sao chép liên kết</a></div>
</article>
<aside class="sidebar">
{ads}
<section class="related"><h3>Tin liên quan</h3><ul>{related}</ul></section>
<section class="most-read"><h3>Đọc nhiều</h3><ol>{related}</ol></section>
</aside>
</main>
<footer class="site-footer">
<p>© Bản quyền thuộc về {SITE}. Ghi rõ nguồn khi phát hành lại thông tin từ website này.</p>
<p>Tòa soạn: Tầng 5, tòa nhà số 18, đường Trần Hưng Đạo, Hà Nội. Điện thoại: 024 3999 8888. \
Email: toasoan@nhipsongcongvu.example.vn</p>
<p><a href="/lien-he">Liên hệ</a> | <a href="/quang-cao">Liên hệ quảng cáo</a> | \
<a href="/chinh-sach-bao-mat">Chính sách bảo mật</a></p>
</footer>
</body>
</html>
"""
    _write_bytes(path, encode_text(page, charset))


# ---------------------------------------------------------------- plain text and legacy encodings

@functools.lru_cache(maxsize=4096)
def _cp1258_cluster(cluster: str) -> str:
    try:
        cluster.encode("cp1258")
        return cluster
    except UnicodeEncodeError:
        decomposed = unicodedata.normalize("NFD", cluster)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
        return base + "".join(c for c in decomposed if c in TONE_MARKS)


def encode_cp1258(text: str) -> bytes:
    """Encode Vietnamese text in Windows-1258: letters it lacks are written as base letter + combining tone mark.

    >>> encode_cp1258("Kết luận")
    b'K\\xea\\xect lu\\xe2\\xf2n'
    """
    return _CLUSTER.sub(lambda m: _cp1258_cluster(m.group(0)), unicodedata.normalize("NFC", text)).encode("cp1258")


def encode_text(text: str, encoding: str) -> bytes:
    """Encode ``text`` for a file: Windows-1258 the way Windows writes it, other charsets with entities as fallback.

    >>> encode_text("Hà Nội", "utf-16")[:2]
    b'\\xff\\xfe'
    """
    if encoding.lower().replace("_", "-") in CP1258_NAMES:
        return encode_cp1258(text)
    return text.encode(encoding, errors="xmlcharrefreplace")


def render_text(text: str, path: PathLike, *, encoding: str = "utf-8", newline: str = "\n") -> None:
    """Write ``text`` as a plain-text file in ``encoding`` ("utf-8", "utf-16" with BOM, "cp1258") with ``newline``.

    >>> render_text("CÔNG VĂN\\nV/v chấn chỉnh kỷ cương", "cv.txt", encoding="cp1258", newline="\\r\\n")
    """
    _write_bytes(path, encode_text(text.replace("\n", newline), encoding))
