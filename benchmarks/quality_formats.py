"""Do the extraction scores hold when the dev texts arrive as PDF, DOCX, HTML or scans?

    python benchmarks/quality_formats.py --out /tmp/formats [--formats txt,pdf,docx,html,scan] [--jobs 2]

Renders every dev text (read from ../shared, never copied) into each format with pipeline.render, runs
``thanhtra extract`` over each folder and scores it with the referee. Targets: within 0.02 of the plain-text scores
for PDF, DOCX and HTML; within 0.10 for scans.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from pipeline import render
from pipeline.paths import SHARED

ROOT = Path(__file__).resolve().parents[1]
DEV = SHARED / "eval" / "dev"
SCORE = SHARED / "eval" / "score.py"
FIELDS = ["references", "dates", "amounts", "units", "units_lenient", "persons", "violation_types", "remedies"]


def render_all(fmt: str, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for src in sorted((DEV / "texts").glob("*.txt")):
        text = src.read_text(encoding="utf-8")
        if fmt == "txt":
            (folder / src.name).write_text(text, encoding="utf-8")
        elif fmt == "pdf":
            render.render_pdf(text, folder / f"{src.stem}.pdf", running_header="Báo điện tử - Thời sự", page_numbers=True)
        elif fmt == "docx":
            render.render_docx(text, folder / f"{src.stem}.docx")
        elif fmt == "html":
            title, body = (text.split("\n", 1) + [""])[:2]
            render.render_html(body, folder / f"{src.stem}.html", title=title)
        elif fmt == "scan":
            render.render_scanned_pdf(text, folder / f"{src.stem}.pdf", dpi=200)


def score(pred: Path) -> dict:
    out = subprocess.run([sys.executable, str(SCORE), "--pred", str(pred), "--gold", str(DEV / "gold"), "--json"],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=Path("/tmp/formats"))
    ap.add_argument("--formats", default="txt,pdf,docx,html,scan")
    ap.add_argument("--jobs", default="2")
    args = ap.parse_args()
    thanhtra = str(Path(sys.executable).with_name("thanhtra"))
    rows = {}
    for fmt in args.formats.split(","):
        folder = args.out / fmt
        if not folder.exists():
            render_all(fmt, folder)
        pred = args.out / f"{fmt}.jsonl"
        subprocess.run([thanhtra, "extract", str(folder), "-o", str(pred), "--jobs", args.jobs, "--no-progress"], check=False)
        rows[fmt] = score(pred)
    print(f"{'format':<8}" + "".join(f"{f[:12]:>13}" for f in FIELDS) + f"{'outcome':>9}")
    for fmt, r in rows.items():
        print(f"{fmt:<8}" + "".join(f"{r[f]['f1']:>13.3f}" for f in FIELDS) + f"{r['outcome']['accuracy']:>9.3f}")
    (args.out / "scores.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
