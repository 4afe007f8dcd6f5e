"""The command line: exit codes, summary, records, and the embedded store that `make run` fills."""
import json
import sqlite3
import subprocess
from pathlib import Path

from conftest import ROOT, THANHTRA, run_env


def _run(*args, cwd=None):
    return subprocess.run([THANHTRA, *args], capture_output=True, text=True, env=run_env(), cwd=cwd)


def test_usage_errors_exit_2(tmp_path):
    assert _run().returncode == 2
    assert _run("extract", str(tmp_path)).returncode == 2                      # no -o
    assert _run("extract", str(tmp_path), "-o", "x.jsonl", "--jobs", "0").returncode == 2
    assert _run("extract", "--reference-date", "hôm qua", str(tmp_path), "-o", "x.jsonl").returncode == 2
    proc = _run("extract", str(tmp_path / "nowhere"), "-o", str(tmp_path / "x.jsonl"))
    assert proc.returncode == 2 and "nowhere" in proc.stderr


def test_extract_corpus_writes_records_and_summary(tmp_path):
    out = tmp_path / "corpus.jsonl"
    proc = _run("extract", str(ROOT / "corpus" / "docs"), "-o", str(out), "--jobs", "2", "--with-text")
    assert proc.returncode == 0, proc.stderr
    recs = [json.loads(l) for l in out.read_text(encoding="utf-8").splitlines()]
    docs = sorted((ROOT / "corpus" / "docs").iterdir())
    assert len(recs) == len(docs)
    assert all(r["schema"] == "thanhtra.record/1" and r["text"] and r["source"]["sha256"] for r in recs)
    formats = {r["source"]["format"] for r in recs}
    assert formats >= {"pdf", "docx", "html", "text"}
    assert any(r["source"].get("ocr_pages") for r in recs)
    summary = proc.stderr.strip().splitlines()[-1]
    assert f"{len(docs)} documents" in summary and "0 failures" in summary and "OCR'd pages" in summary
    for r in recs:                                    # offsets point into the normalised text
        for key in ("references", "dates", "amounts", "units", "persons"):
            for item in r[key]:
                assert r["text"][item["start"]:item["end"]] == item["text"]


def test_run_flow_fills_the_database_and_a_rerun_skips_unchanged_documents(tmp_path):
    """`make run` in small: the Prefect flow with no Prefect server, into SQLite; the second run skips everything."""
    db = tmp_path / "store.sqlite"
    args = ("run", str(ROOT / "corpus" / "docs"), "--db", str(db), "--data-dir", str(tmp_path / "data"), "--jobs", "2")
    proc = _run(*args, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert str(db) in proc.stdout
    assert "Traceback" not in proc.stderr and "ERROR" not in proc.stderr
    n_docs = len(list((ROOT / "corpus" / "docs").iterdir()))
    with sqlite3.connect(db) as con:
        assert con.execute("select count(*) from documents").fetchone()[0] == n_docs
        assert con.execute("select count(*) from mentions where kind = 'reference'").fetchone()[0] > 20
    again = _run(*args, cwd=tmp_path)
    assert again.returncode == 0
    assert f"{n_docs} unchanged and skipped" in again.stderr
    with sqlite3.connect(db) as con:
        assert con.execute("select count(*) from documents").fetchone()[0] == n_docs
        assert con.execute("select count(*) from runs").fetchone()[0] == 2
