"""End to end in a real headless Chromium: log in, open the queue, correct a label, add a span by selecting text,
see it persisted and audited, export gold; and a hostile document whose markup must show as text and run nothing.

Needs the Debian package ``chromium`` (/usr/bin/chromium) and the PyPI package ``playwright`` (no downloaded browser).
"""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from playwright.sync_api import sync_playwright
from sqlalchemy import select

from conftest import ROOT
from pipeline.db.load import MENTIONS
from pipeline.review.gold import export_gold
from pipeline.review.models import AUDIT
from test_review_fixtures import KET_LUAN, KET_LUAN_SPANS, hostile_record, make_database, make_record

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("review-e2e")
    url = f"sqlite:///{folder}/review.sqlite"
    # The machine called the signatory a unit: the steward's correction is to make her a person.
    spans = [s for s in KET_LUAN_SPANS if s[1] != "Nguyễn Thị Hồng Nhung"]
    spans.append(("unit", "Nguyễn Thị Hồng Nhung", "Nguyễn Thị Hồng Nhung"))
    ket_luan = make_record("kl/ket-luan-y-yen.txt", KET_LUAN, spans, findings=[
        ("Qua thanh tra phát hiện đơn vị chi sai quy định số tiền 1,25 tỷ đồng.", "violation", ["budget_finance"],
         ["recover_funds"], 0.41)])
    engine = make_database(url, [ket_luan, hostile_record()])
    port = _free_port()
    code = ("import sys; from pipeline.review.app import serve; "
            "serve(sys.argv[1], host='127.0.0.1', port=int(sys.argv[2]), secret='e2e-secret')")
    process = subprocess.Popen([sys.executable, "-c", code, url, str(port)], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/login", timeout=2).read()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("the review app did not start")
            time.sleep(0.2)
    yield {"base": base, "engine": engine, "url": url, "folder": folder}
    process.terminate()
    process.wait(timeout=10)
    engine.dispose()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def _login(page, base: str, user: str = "lan", password: str = "mat-khau-lan-1") -> None:
    page.goto(base + "/queue")
    assert "/login" in page.url
    page.fill("#username", user)
    page.fill("#password", password)
    page.click("#login-submit")
    page.wait_for_url("**/queue")


def test_login_queue_correct_add_audit_and_export(server, browser):
    base, engine = server["base"], server["engine"]
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    _login(page, base)
    cookie = next(c for c in context.cookies() if c["name"] == "thanhtra_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"

    rows = page.locator("#queue tbody tr")
    assert rows.count() == 2
    page.click("text=ket-luan-y-yen.txt")
    page.wait_for_selector("#doc-text")
    assert page.locator("#doc-text mark.hl-person").count() >= 1

    # Relabel: click the span in the text, choose the new label (two actions).
    page.click("#doc-text mark.hl-unit >> text=Nguyễn Thị Hồng Nhung")
    row = page.locator("#mentions li.current")
    assert "Nguyễn Thị Hồng Nhung" in row.inner_text()
    with page.expect_navigation():
        row.locator("select.relabel").select_option("person")
    fixed = page.locator("#mentions li.st-corrected", has_text="Nguyễn Thị Hồng Nhung")
    assert fixed.locator(".badge").inner_text() == "person"

    # The common path: the first span is focused on open; "a" accepts it and moves on.
    page.keyboard.press("a")
    page.wait_for_selector("#mentions li.st-accepted")

    # Add a missing unit by selecting its words in the text and pressing 4.
    page.evaluate("""() => {
        const pre = document.getElementById('doc-text');
        const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
        let node; while ((node = walker.nextNode())) {
            const i = node.data.indexOf('Chánh Thanh tra tỉnh');
            if (i >= 0) { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 20);
                          const s = window.getSelection(); s.removeAllRanges(); s.addRange(r); return; }
        }
        throw new Error('text not found');
    }""")
    page.wait_for_function("() => !document.getElementById('add-button').disabled")
    with page.expect_navigation():
        page.keyboard.press("4")
    added = page.locator("#mentions li.st-added")
    assert "Chánh Thanh tra tỉnh" in added.inner_text()

    # Persisted in the database, with the right offsets, and in the audit trail shown on the page.
    with engine.connect() as conn:
        person = conn.execute(select(MENTIONS).where(MENTIONS.c.text == "Nguyễn Thị Hồng Nhung",
                                                     MENTIONS.c.kind == "person")).one()
        machine = conn.execute(select(MENTIONS).where(MENTIONS.c.text == "Nguyễn Thị Hồng Nhung",
                                                      MENTIONS.c.kind == "unit")).one()
        new = conn.execute(select(MENTIONS).where(MENTIONS.c.review_status == "added")).one()
        actions = [a for (a,) in conn.execute(select(AUDIT.c.action).order_by(AUDIT.c.id))]
    assert (person.review_status, person.reviewed) == ("corrected", True)
    assert (machine.review_status, machine.reviewed) == ("rejected", True)
    assert KET_LUAN[new.start:new.end] == "Chánh Thanh tra tỉnh" and new.kind == "unit"
    assert actions == ["relabel", "accept", "add"]
    audit = page.locator("#audit").inner_text()
    assert "relabel" in audit and "add" in audit and "lan" in audit

    # Finish the document and export the stewards' truth.
    with page.expect_navigation():
        page.click("#done")
    result = export_gold(server["url"], server["folder"] / "gold-export")
    assert result.documents == 1
    gold = json.loads(next((server["folder"] / "gold-export" / "gold").glob("*.json")).read_text(encoding="utf-8"))
    assert "Nguyễn Thị Hồng Nhung" in gold["persons"] and "Chánh Thanh tra tỉnh" in gold["units"]
    assert "Nguyễn Thị Hồng Nhung" not in gold["units"]
    assert errors == []
    context.close()


def test_hostile_document_shows_its_markup_as_text_and_runs_nothing(server, browser):
    base = server["base"]
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    _login(page, base)
    response = page.goto(base + "/queue")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    page.click("text=hostile.txt")
    page.wait_for_selector("#doc-text")
    text = page.locator("#doc-text").inner_text()
    assert "<script>window.__pwned=1</script>" in text
    assert 'onerror="window.__pwned=2"' in text and "javascript:window.__pwned=3" in text
    assert page.locator("#doc-text script, #doc-text img, #doc-text a, #mentions script, #mentions img").count() == 0
    # Clicking where the link would be must not run it either.
    page.click("#doc-text >> text=tại đây")
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.__pwned === undefined")
    assert page.evaluate("() => document.querySelectorAll('script:not([src])').length") == 0
    assert dialogs == []
    context.close()
