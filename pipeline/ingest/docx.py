"""Word documents: DOCX with python-docx (paragraphs and tables in body order, page headers), legacy .doc through
LibreOffice when it is installed.

Runs set in the old ".VnTime"/"VNI-Times" fonts store TCVN3/VNI bytes as Latin letters; they are repaired here:
a paragraph ``"Uû ban nh©n d©n tØnh Nam §Þnh"`` comes out as ``"Ủy ban nhân dân tỉnh Nam Định"``.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from .base import IngestedDocument, IngestError
from .text_decoding import repair_legacy_font_text

MAX_UNCOMPRESSED = 300 * 1024 * 1024     # a real DOCX of a few hundred pages unpacks to tens of MB
MAX_RATIO = 200                          # deflate rarely beats 1:20 on XML; 1:200 is a bomb


def _check_zip(path: str) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            if "word/document.xml" not in names:
                kind = "an ODF/XLSX/other zip" if "mimetype" in names or "xl/workbook.xml" in names else "a zip"
                raise IngestError("unsupported", f"file is {kind} archive, not a Word document (no word/document.xml)")
            total = sum(i.file_size for i in infos)
            packed = sum(i.compress_size for i in infos) or 1
            if total > MAX_UNCOMPRESSED or total / packed > MAX_RATIO:
                raise IngestError("zip_bomb", f"DOCX would unpack to {total // 1_000_000} MB "
                                              f"(ratio {total // packed}:1); refused as a zip bomb")
    except zipfile.BadZipFile as exc:
        raise IngestError("corrupt", f"DOCX is not a valid zip archive ({exc})") from None


def _cell_text(cell) -> str:
    return " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())


def read_docx(path: str) -> IngestedDocument:
    """Paragraphs and tables in document order; the first section's header text goes first."""
    _check_zip(path)
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(path)
    except Exception as exc:  # python-docx raises KeyError/ValueError/XML errors on damaged parts
        raise IngestError("corrupt", f"DOCX cannot be parsed ({type(exc).__name__}: {exc})") from None
    lines: list[str] = []
    tables: list[list[list[str]]] = []
    legacy: set[str] = set()

    def add(text: str) -> None:
        text = text.strip()
        if text:
            fixed, enc = repair_legacy_font_text(text)
            if enc:
                legacy.add(enc)
            lines.append(fixed)

    for section in document.sections[:1]:
        for p in section.header.paragraphs:
            add(p.text)
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            add(Paragraph(child, document).text)
        elif tag == "tbl":
            rows = []
            for row in Table(child, document).rows:
                cells = []
                for cell in row.cells:
                    text = _cell_text(cell)
                    if not cells or text != cells[-1]:       # merged cells repeat their text
                        cells.append(text)
                rows.append([repair_legacy_font_text(c)[0] for c in cells])
            rows = [r for r in rows if any(r)]
            if rows:
                tables.append(rows)
                lines.extend(" | ".join(r) for r in rows)
    return IngestedDocument(format="docx", pages=["\n".join(lines)], tables=tables,
                            encoding="/".join(sorted(legacy)) or None)


def read_doc(path: str) -> IngestedDocument:
    """Legacy binary .doc: convert to DOCX with LibreOffice headless, then read that."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise IngestError("unsupported", "legacy .doc needs LibreOffice: apt-get install libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory(prefix="thanhtra-doc-") as tmp:
        src = Path(tmp) / "input.doc"
        shutil.copyfile(path, src)
        try:
            subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp}/profile",
                            "--convert-to", "docx", "--outdir", tmp, str(src)],
                           check=True, capture_output=True, timeout=180)
        except subprocess.TimeoutExpired:
            raise IngestError("timeout", "LibreOffice took more than 180 s to convert the .doc") from None
        except subprocess.CalledProcessError as exc:
            raise IngestError("corrupt", f"LibreOffice could not convert the .doc: {exc.stderr.decode()[-200:]}") from None
        out = Path(tmp) / "input.docx"
        if not out.exists():
            raise IngestError("corrupt", "LibreOffice produced no DOCX from the .doc (damaged file?)")
        doc = read_docx(str(out))
    doc.format = "doc"
    return doc
