"""The ``thanhtra`` command: a thin layer over the library (and, for ``run``, the flows).

``thanhtra extract corpus/docs -o out.jsonl --jobs 2`` → one record per document in out.jsonl, a summary on stderr.
Exit codes: 0 every document succeeded, 1 some failed (all others are still written), 2 usage error.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from .ingest import DEFAULT_MAX_BYTES


def _date(s: str) -> dt.date:
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {s!r}") from None


def _positive(s: str) -> int:
    try:
        v = int(s)
    except ValueError:
        v = 0
    if v < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer: {s!r}")
    return v


def _add_extract_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (searched recursively)")
    p.add_argument("--jobs", "-j", type=_positive, default=1, help="worker processes (default 1)")
    p.add_argument("--reference-date", type=_date, help="date used to infer missing years (YYYY-MM-DD)")
    p.add_argument("--password", help="password for encrypted PDFs")
    p.add_argument("--max-bytes", type=_positive, default=DEFAULT_MAX_BYTES,
                   help=f"refuse files larger than this (default {DEFAULT_MAX_BYTES})")
    p.add_argument("--max-chars", type=_positive, default=5_000_000,
                   help="refuse documents whose text is longer than this (default 5,000,000)")
    p.add_argument("--no-ocr", action="store_true", help="do not OCR pages without a text layer")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")


def _options(args):
    from .document import ExtractOptions
    return ExtractOptions(password=args.password, max_bytes=args.max_bytes, max_chars=args.max_chars,
                          reference_date=args.reference_date,
                          ocr=not args.no_ocr, with_text=getattr(args, "with_text", False))


def cmd_extract(args) -> int:
    from .batch import run_batch

    missing = [p for p in args.paths if not Path(p).exists()]
    if missing and len(missing) == len(args.paths):
        print(f"thanhtra: error: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")
    try:
        summary = run_batch(args.paths, out, _options(args), jobs=args.jobs, progress=not args.no_progress)
    finally:
        if out is not sys.stdout:
            out.close()
    print(f"thanhtra: {summary.line()}" + ("" if args.output == "-" else f" → {args.output}"), file=sys.stderr)
    return 1 if summary.failures else 0


def _runner(args):
    if args.runner == "dask":
        from prefect_dask import DaskTaskRunner

        if args.dask_address:
            return DaskTaskRunner(address=args.dask_address)
        return DaskTaskRunner(cluster_kwargs={"n_workers": args.jobs, "threads_per_worker": 1, "processes": True})
    from prefect.task_runners import ProcessPoolTaskRunner

    return ProcessPoolTaskRunner(max_workers=args.jobs)


def cmd_run(args) -> int:
    """The Prefect flow over PATHs into the database; the flow and Prefect are imported only here."""
    from .store import db_url

    from flows.runtime import embedded_prefect

    url = db_url(args.db)
    with embedded_prefect(Path(args.data_dir)):
        from flows.extract_batch import extract_batch

        summary = extract_batch.with_options(task_runner=_runner(args))(
            [str(Path(p).resolve()) for p in args.paths], url, _options(args), chunk_size=args.chunk_size or 0,
            workers=args.jobs)
    for f in summary["failed"]:
        print(f"thanhtra: {f['path']}: {f['kind']}: {f['message']}", file=sys.stderr)
    print(f"thanhtra: {summary['documents']} documents ({summary['extracted']} extracted, {summary['skipped']} unchanged "
          f"and skipped), {summary['pages']} pages, {summary['ocr_pages']} OCR'd pages, {summary['failures']} failures, "
          f"{summary['seconds']} s", file=sys.stderr)
    print(f"database: {url}")
    print("query it: thanhtra export --format csv|parquet|xlsx|jsonl -o exports/   ·   thanhtra report -o report.html")
    return 1 if summary["failures"] else 0


def cmd_export(args) -> int:
    from .export import export
    from .store import db_url

    files = export(db_url(args.db), Path(args.output), args.format, with_text=args.with_text)
    for f in files:
        print(f)
    return 0


def cmd_report(args) -> int:
    from .report import build_report
    from .store import db_url

    print(build_report(db_url(args.db), Path(args.output)))
    return 0


def cmd_deploy(args) -> int:
    """Hand the arguments to flows.deploy (PATH... --db URL [--cron "0 2 * * *"] [--inbox DIR] [--interval 60])."""
    from flows.deploy import main as deploy_main

    return deploy_main(args.rest)


def cmd_eval(args) -> int:
    """Score records against a folder of gold files; without --pred, extract the texts next to the gold first."""
    import tempfile

    from .batch import run_batch
    from .evaluate import evaluate, format_report, load_predictions

    gold = Path(args.gold)
    if not gold.is_dir():
        print(f"thanhtra: error: no gold folder {gold}", file=sys.stderr)
        return 2
    pred = args.pred
    if pred is None:
        texts = Path(args.texts) if args.texts else gold.parent / "texts"
        if not texts.is_dir():
            print(f"thanhtra: error: no texts folder {texts} (give --texts or --pred)", file=sys.stderr)
            return 2
        pred = str(Path(tempfile.mkdtemp(prefix="thanhtra-eval-")) / "pred.jsonl")
        with open(pred, "w", encoding="utf-8") as out:
            run_batch([str(texts)], out, _options(args), jobs=args.jobs, progress=not args.no_progress)
    print(format_report(evaluate(load_predictions(pred), gold)))
    return 0


def cmd_train(args) -> int:
    """Retrain the models into models/ with their recipes (fixed seeds), and rewrite the model cards."""
    import runpy

    from .paths import ROOT

    recipes = ROOT / "models" / "recipes"
    sys.path.insert(0, str(recipes))
    if args.only in (None, "ner"):
        ner = runpy.run_path(str(recipes / "train_ner.py"))
        info = ner["train"](args.docs, args.epochs)
        (ROOT / "models" / "ner" / "training.json").write_text(__import__("json").dumps(info, indent=1), encoding="utf-8")
        runpy.run_path(str(recipes / "evaluate_ner.py"))["main"]()
    if args.only in (None, "classifiers"):
        clf = runpy.run_path(str(recipes / "train_classifiers.py"))
        if args.from_reviews:
            from .retrain import retrain_from_reviews
            print(retrain_from_reviews(Path(args.from_reviews), clf["train_all"], docs=args.docs))
        else:
            summary = clf["train_all"](args.docs)
            print(f"classifiers: {summary.get('version')} → models/classifiers/MODEL_CARD.md")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="thanhtra", description="Vietnamese inspection documents → structured records")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("extract", help="extract records from files and folders into JSONL")
    _add_extract_options(p)
    p.add_argument("-o", "--output", required=True, help="output JSONL file ('-' for stdout)")
    p.add_argument("--with-text", action="store_true", help="include the normalised text in each record")
    p.set_defaults(func=cmd_extract)
    p = sub.add_parser("run", help="run the batch flow into the database (default: SQLite under data/)")
    _add_extract_options(p)
    p.set_defaults(jobs=os.cpu_count() or 1)
    p.add_argument("--db", help="database file or SQLAlchemy URL (default data/thanhtra.sqlite)")
    p.add_argument("--runner", choices=["process", "dask"], default="process",
                   help="process pool on this machine, or a Dask cluster")
    p.add_argument("--dask-address", help="scheduler address of a running Dask cluster, e.g. tcp://10.0.0.5:8786")
    p.add_argument("--chunk-size", type=_positive, help="documents per task (default: about 8 tasks per worker, "
                   "at least 8 documents each)")
    p.add_argument("--data-dir", default="data", help="folder for the embedded Prefect home (default data/)")
    p.set_defaults(func=cmd_run)
    p = sub.add_parser("export", help="export the database, one table per entity")
    p.add_argument("--format", choices=["csv", "parquet", "xlsx", "jsonl"], required=True)
    p.add_argument("-o", "--output", default="exports", help="output folder (default exports/)")
    p.add_argument("--db", help="database file or SQLAlchemy URL (default data/thanhtra.sqlite)")
    p.add_argument("--with-text", action="store_true", help="jsonl: include each document's text")
    p.set_defaults(func=cmd_export)
    p = sub.add_parser("report", help="a static HTML report with charts")
    p.add_argument("-o", "--output", default="report.html")
    p.add_argument("--db", help="database file or SQLAlchemy URL (default data/thanhtra.sqlite)")
    p.set_defaults(func=cmd_report)
    p = sub.add_parser("eval", help="P/R/F1 per field and label, outcome confusion matrix, against gold files")
    p.add_argument("--gold", required=True, help="folder of gold NNNN.json files (GUIDE.md §3)")
    p.add_argument("--pred", help="records JSONL; default: extract the texts folder next to the gold first")
    p.add_argument("--texts", help="texts to extract when --pred is not given (default: GOLD/../texts)")
    p.add_argument("--jobs", "-j", type=_positive, default=os.cpu_count() or 1)
    p.add_argument("--reference-date", type=_date)
    p.add_argument("--no-progress", action="store_true")
    p.set_defaults(func=cmd_eval, password=None, max_bytes=DEFAULT_MAX_BYTES, max_chars=5_000_000, no_ocr=False)
    p = sub.add_parser("train", help="retrain the models in models/ (NER and classifiers), reproducibly")
    p.add_argument("--only", choices=["ner", "classifiers"], help="retrain only these models")
    p.add_argument("--from-reviews", help="folder of reviewed documents (texts/ and gold/, from `thanhtra gold export`)")
    p.add_argument("--docs", type=_positive, default=1200, help="news2017 articles for weak/silver labels")
    p.add_argument("--epochs", type=_positive, default=6, help="NER training epochs")
    p.set_defaults(func=cmd_train)
    p = sub.add_parser("deploy", help="serve the batch flow on a Prefect server: a schedule and/or a watched inbox",
                       add_help=False)
    p.set_defaults(func=cmd_deploy)
    from .review.commands import register_commands       # review, users, labelstudio, gold
    register_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["deploy"]:                  # flows.deploy owns its options (and --help)
        return cmd_deploy(argparse.Namespace(rest=argv[1:]))
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("thanhtra: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
