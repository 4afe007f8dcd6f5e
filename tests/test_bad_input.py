"""Every kind of bad input gives an error record naming the file and the problem; the batch goes on."""
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pipeline.batch import run_batch
from pipeline.document import ExtractOptions, record_for_file
from pipeline.ingest import IngestError, ingest_file

from conftest import THANHTRA, run_env

GOOD_TEXT = ("THANH TRA TỈNH NAM ĐỊNH\nSố: 15/KL-TTr\nNam Định, ngày 12 tháng 3 năm 2024\n"
             "KẾT LUẬN THANH TRA\nVề việc chấp hành pháp luật tại UBND xã Hải Minh.\n"
             "Thực hiện Quyết định số 120/QĐ-TTr ngày 05/01/2024, Đoàn thanh tra đã tiến hành thanh tra.\n")


def _pdf(path: Path, text: str = "Kết luận thanh tra số 15/KL-TTr về việc kiểm tra công vụ", **kw) -> Path:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("TestSans", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
    c = canvas.Canvas(str(path), **kw)
    c.setFont("TestSans", 11)
    c.drawString(72, 760, text)
    c.save()
    return path


def _error(path, **kw) -> tuple[str, str]:
    rec = record_for_file(str(path), ExtractOptions(**kw))
    assert rec.error is not None, f"{path} should have failed"
    assert rec.source.path == str(path)
    return rec.error.kind, rec.error.message


def test_empty_file(tmp_path):
    (tmp_path / "empty.pdf").write_bytes(b"")
    assert _error(tmp_path / "empty.pdf")[0] == "empty"


def test_whitespace_only_text(tmp_path):
    (tmp_path / "blank.txt").write_text("   \n\n  ", encoding="utf-8")
    assert _error(tmp_path / "blank.txt")[0] == "empty"


def test_truncated_pdf(tmp_path):
    good = _pdf(tmp_path / "good.pdf").read_bytes()
    (tmp_path / "cut.pdf").write_bytes(good[: len(good) // 3])
    kind, msg = _error(tmp_path / "cut.pdf")
    assert kind == "corrupt" and "PDF" in msg


def test_corrupt_pdf_junk_after_header(tmp_path):
    (tmp_path / "junk.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(5000))
    assert _error(tmp_path / "junk.pdf")[0] == "corrupt"


def test_encrypted_pdf_without_and_with_password(tmp_path):
    from reportlab.lib import pdfencrypt

    path = _pdf(tmp_path / "secret.pdf", encrypt=pdfencrypt.StandardEncryption("mat-khau", canPrint=1))
    kind, msg = _error(path)
    assert kind == "encrypted" and "--password" in msg
    assert _error(path, password="sai")[0] == "encrypted"
    rec = record_for_file(str(path), ExtractOptions(password="mat-khau"))
    assert rec.error is None
    assert "15/KL-TTr" in rec.text
    assert [r.id for r in rec.references] == ["15/KL-TTr"]


def test_docx_that_is_not_a_zip(tmp_path):
    (tmp_path / "fake.docx").write_bytes(b"PK\x03\x04" + b"this is not really a zip archive" * 20)
    assert _error(tmp_path / "fake.docx")[0] == "corrupt"


def test_zip_that_is_not_a_word_document(tmp_path):
    with zipfile.ZipFile(tmp_path / "other.docx", "w") as zf:
        zf.writestr("hello.txt", "xin chào")
    assert _error(tmp_path / "other.docx")[0] == "unsupported"


def test_docx_zip_bomb(tmp_path):
    with zipfile.ZipFile(tmp_path / "bomb.docx", "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"<w:document>" + b" " * (400 * 1024 * 1024) + b"</w:document>")
    assert (tmp_path / "bomb.docx").stat().st_size < 2_000_000
    kind, msg = _error(tmp_path / "bomb.docx")
    assert kind == "zip_bomb" and "MB" in msg


def test_html_declaring_the_wrong_charset(tmp_path):
    body = "<p>Đoàn kiểm tra công vụ của Sở Nội vụ đã kiểm tra đột xuất UBND phường Bách Khoa và phát hiện nhiều thiếu sót.</p>" * 3
    page = f'<html><head><meta charset="iso-8859-1"><title>Kiểm tra công vụ</title></head><body><article>{body}</article></body></html>'
    (tmp_path / "page.html").write_bytes(page.encode("utf-8"))
    rec = record_for_file(str(tmp_path / "page.html"))
    assert rec.error is None
    assert "Đoàn kiểm tra công vụ của Sở Nội vụ" in rec.text


def test_binary_junk_named_txt(tmp_path):
    (tmp_path / "junk.txt").write_bytes(os.urandom(20000))
    kind, msg = _error(tmp_path / "junk.txt")
    assert kind == "binary"


def test_image_renamed_txt_is_read_by_content(tmp_path):
    (tmp_path / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(300))
    kind, _ = _error(tmp_path / "photo.txt")
    assert kind == "corrupt"            # sniffed as an image, not decoded as text


def test_large_text_file_refused_under_the_limit(tmp_path):
    big = tmp_path / "huge.txt"
    line = ("Đoàn kiểm tra công vụ đã kiểm tra UBND phường và phát hiện thiếu sót trong giải quyết hồ sơ. " * 10 + "\n").encode()
    with big.open("wb") as fh:
        for _ in range(200 * 1024 * 1024 // len(line) + 1):
            fh.write(line)
    assert big.stat().st_size >= 200 * 1024 * 1024
    kind, msg = _error(big)
    assert kind == "too_large" and "--max-bytes" in msg


def test_large_text_file_processed_in_bounded_memory(tmp_path):
    """Under a raised limit a 60 MB text is read in chunks: peak memory stays far below a few copies of the file."""
    big = tmp_path / "big.txt"
    para = GOOD_TEXT.encode() * 40 + b"\n"
    with big.open("wb") as fh:
        for _ in range(60 * 1024 * 1024 // len(para) + 1):
            fh.write(para)
    # VmHWM, not ru_maxrss: the latter survives exec and would include the forking pytest process.
    code = ("import re,sys; from pipeline.ingest import ingest_file; d=ingest_file(sys.argv[1], max_bytes=10**9);"
            "print(len(d.pages[0]), re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))")
    out = subprocess.run([sys.executable, "-c", code, str(big)], capture_output=True, text=True, check=True).stdout.split()
    chars, peak_kb = int(out[0]), int(out[1])
    assert chars > 50_000_000
    # The decoded str of 60 MB of mostly-ASCII-width-2 text is ~120 MB; reading it in chunks adds one chunk at a time.
    assert peak_kb < 700 * 1024, f"peak RSS {peak_kb} KB"


def test_file_that_disappears_mid_batch(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(GOOD_TEXT, encoding="utf-8")
    b.write_text(GOOD_TEXT, encoding="utf-8")
    from pipeline import batch

    files = list(batch.discover([str(tmp_path)]))
    b.unlink()                                            # gone after discovery, before it is read
    out = io.StringIO()
    recs = [json.loads(json.dumps(r)) for r in batch.iter_records(files, ExtractOptions())]
    assert recs[0].get("error") is None
    assert recs[1]["error"]["kind"] == "not_found"
    assert recs[1]["source"]["path"] == str(b)


def test_file_without_read_permission(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(GOOD_TEXT, encoding="utf-8")
    secret.chmod(0)
    tmp_path.chmod(0o777)
    out = tmp_path / "out.jsonl"
    cmd = [THANHTRA, "extract", str(secret), "-o", str(out), "--no-progress"]
    if os.geteuid() == 0:
        # root reads anything: take away the capabilities that bypass file permissions (util-linux setpriv)
        cmd = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"] + cmd
    proc = subprocess.run(cmd, capture_output=True, text=True, env=run_env(), cwd=str(tmp_path))
    assert proc.returncode == 1, proc.stderr
    rec = json.loads(out.read_text(encoding="utf-8"))
    assert rec["error"]["kind"] == "permission"
    assert str(secret) in proc.stderr and "permission" in proc.stderr


def test_batch_goes_on_and_reports_each_failure(tmp_path):
    (tmp_path / "1-good.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (tmp_path / "2-empty.docx").write_bytes(b"")
    (tmp_path / "3-junk.txt").write_bytes(os.urandom(4000))
    (tmp_path / "4-broken.pdf").write_bytes(b"%PDF-1.5\n" + os.urandom(3000))
    (tmp_path / "5-good.txt").write_text(GOOD_TEXT.replace("15/KL-TTr", "16/KL-TTr"), encoding="utf-8")
    out = tmp_path / "out.jsonl"          # inside the input folder: the batch must not read its own output
    proc = subprocess.run([THANHTRA, "extract", str(tmp_path), "-o", str(out), "--jobs", "2", "--no-progress"],
                          capture_output=True, text=True, env=run_env())
    assert proc.returncode == 1
    recs = [json.loads(l) for l in out.read_text(encoding="utf-8").splitlines()]
    assert len(recs) == 5
    by_name = {Path(r["source"]["path"]).name: r for r in recs}
    assert by_name["1-good.txt"]["meta"]["number"] == "15/KL-TTr"
    assert by_name["5-good.txt"]["meta"]["number"] == "16/KL-TTr"
    assert {by_name[n]["error"]["kind"] for n in ("2-empty.docx", "3-junk.txt", "4-broken.pdf")} == {"empty", "binary", "corrupt"}
    error_lines = [l for l in proc.stderr.splitlines() if l.startswith("thanhtra: ") and ": " in l and "documents" not in l]
    assert len(error_lines) == 3
    assert "5 documents" in proc.stderr and "3 failures" in proc.stderr


def test_legacy_doc_needs_libreoffice_or_is_converted(tmp_path):
    import shutil

    from pipeline import render

    path = tmp_path / "cong-van.doc"
    if shutil.which("soffice") or shutil.which("libreoffice"):
        render.render_docx(GOOD_TEXT, tmp_path / "src.docx")
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        subprocess.run([soffice, "--headless", "--convert-to", "doc", "--outdir", str(tmp_path), str(tmp_path / "src.docx")],
                       check=True, capture_output=True, timeout=180)
        (tmp_path / "src.doc").rename(path)
        rec = record_for_file(str(path))
        assert rec.error is None and rec.meta.number == "15/KL-TTr"
    else:
        # An OLE2 compound file header: what every legacy Word file starts with.
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000)
        kind, msg = _error(path)
        assert kind == "unsupported" and "LibreOffice" in msg
