"""PDF page images beside the text: rendered on demand with pypdfium2, cached, served only to stewards."""
from __future__ import annotations

import hashlib
import re

from fastapi.testclient import TestClient

from conftest import ROOT
from pipeline.review.app import create_app
from pipeline.review.pages import page_png
from test_review_fixtures import make_database, make_record

PDF = sorted((ROOT / "corpus" / "docs").glob("*.pdf"))[0]


def test_page_png_renders_once_and_refuses_missing_pages(tmp_path):
    sha = hashlib.sha256(PDF.read_bytes()).hexdigest()
    first = page_png(PDF, sha, 0, tmp_path)
    assert first is not None and first.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    stamp = first.stat().st_mtime_ns
    assert page_png(PDF, sha, 0, tmp_path).stat().st_mtime_ns == stamp          # served from the cache
    assert page_png(PDF, sha, 999, tmp_path) is None
    assert page_png(tmp_path / "missing.pdf", "00", 0, tmp_path) is None
    assert page_png(PDF, "../../etc/passwd", 0, tmp_path).parent == tmp_path  # the key cannot leave the cache


def test_document_view_shows_page_images_for_pdfs(tmp_path):
    rec = make_record(str(PDF), "Kết luận thanh tra số 27/KL-TTr", [("reference", "27/KL-TTr", "27/KL-TTr")])
    rec["source"] |= {"format": "pdf", "pages": 1}
    url = f"sqlite:///{tmp_path}/pdf.sqlite"
    make_database(url, [rec]).dispose()
    with TestClient(create_app(url, secret="s", cache_dir=tmp_path / "cache")) as client:
        assert client.get("/documents/1/pages/0.png", follow_redirects=False).status_code == 303   # log in first
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
        client.post("/login", data={"username": "lan", "password": "mat-khau-lan-1", "csrf_token": token})
        html = client.get("/documents/1").text
        assert '<img src="/documents/1/pages/0.png"' in html
        image = client.get("/documents/1/pages/0.png")
        assert image.status_code == 200 and image.headers["content-type"] == "image/png"
        assert client.get("/documents/1/pages/5.png").status_code == 404
