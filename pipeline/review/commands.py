"""The review commands for ``thanhtra``'s argument parser: ``register_commands(subparsers)`` adds

    thanhtra review [--db URL] [--host 127.0.0.1] [--port 8000]
    thanhtra users add NAME [--db URL]                 (password asked twice, or from THANHTRA_PASSWORD)
    thanhtra labelstudio export -o DIR [--db URL]
    thanhtra labelstudio import FILE --reviewer NAME [--db URL]
    thanhtra gold export -o DIR [--db URL] [--include-unfinished]

Heavy imports (FastAPI, uvicorn) happen only when a command runs. The session-cookie secret comes from
THANHTRA_REVIEW_SECRET when set (sessions then survive a restart), else it is drawn at start.
"""
from __future__ import annotations

import getpass
import os
import sys


def _url(args) -> str:
    from pipeline.store import db_url

    return db_url(args.db)


def cmd_review(args) -> int:
    """``thanhtra review --db data/thanhtra.sqlite --port 8000`` → serves http://127.0.0.1:8000/ until Ctrl-C."""
    from .app import serve

    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"thanhtra: warning: serving on {args.host}, reachable from other machines", file=sys.stderr)
    serve(_url(args), host=args.host, port=args.port, secret=os.environ.get("THANHTRA_REVIEW_SECRET"))
    return 0


def cmd_users_add(args) -> int:
    """``thanhtra users add nguyen.lan`` → asks for the password, prints ``user nguyen.lan added (id 1)``."""
    from .auth import add_user

    password = os.environ.get("THANHTRA_PASSWORD")
    if password is None:
        password = getpass.getpass("password: ")
        if getpass.getpass("again: ") != password:
            print("thanhtra: error: the passwords differ", file=sys.stderr)
            return 2
    try:
        user_id = add_user(_url(args), args.name, password)
    except ValueError as exc:
        print(f"thanhtra: error: {exc}", file=sys.stderr)
        return 2
    print(f"user {args.name} added (id {user_id})")
    return 0


def cmd_labelstudio_export(args) -> int:
    """``thanhtra labelstudio export -o ls/`` → prints ls/tasks.json and ls/config.xml."""
    from .labelstudio import export_tasks

    for path in export_tasks(_url(args), args.output):
        print(path)
    return 0


def cmd_labelstudio_import(args) -> int:
    """``thanhtra labelstudio import export.json --reviewer lan`` → prints the counts of applied actions."""
    from .labelstudio import import_annotations

    try:
        stats = import_annotations(_url(args), args.file, default_reviewer=args.reviewer)
    except ValueError as exc:
        print(f"thanhtra: error: {exc}", file=sys.stderr)
        return 2
    for problem in stats.skipped:
        print(f"thanhtra: skipped: {problem}", file=sys.stderr)
    print(f"{stats.annotations} annotations: {stats.accepted} accepted, {stats.rejected} rejected, "
          f"{stats.relabelled} relabelled, {stats.added} added, {stats.findings_edited} findings edited")
    return 0


def cmd_gold_export(args) -> int:
    """``thanhtra gold export -o reviews/`` → ``12 reviewed documents → reviews/ (texts/, gold/, manifest.jsonl)``."""
    from .gold import export_gold

    result = export_gold(_url(args), args.output, include_unfinished=args.include_unfinished)
    print(f"{result.documents} reviewed documents → {result.folder}/ (texts/, gold/, manifest.jsonl)")
    return 0


def register_commands(sub) -> None:
    """Add review, users, labelstudio and gold to the ``thanhtra`` subparsers."""
    db_help = "database file or SQLAlchemy URL (default data/thanhtra.sqlite)"
    p = sub.add_parser("review", help="the steward review web app")
    p.add_argument("--db", help=db_help)
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(func=cmd_review)

    users = sub.add_parser("users", help="steward accounts").add_subparsers(dest="users_command", required=True)
    p = users.add_parser("add", help="add a steward")
    p.add_argument("name")
    p.add_argument("--db", help=db_help)
    p.set_defaults(func=cmd_users_add)

    ls = sub.add_parser("labelstudio", help="Label Studio tasks and annotations").add_subparsers(
        dest="labelstudio_command", required=True)
    p = ls.add_parser("export", help="write tasks.json and config.xml")
    p.add_argument("-o", "--output", default="labelstudio")
    p.add_argument("--db", help=db_help)
    p.set_defaults(func=cmd_labelstudio_export)
    p = ls.add_parser("import", help="apply a Label Studio JSON export as reviews")
    p.add_argument("file")
    p.add_argument("--reviewer", required=True, help="steward credited where the annotator is not a known user")
    p.add_argument("--db", help=db_help)
    p.set_defaults(func=cmd_labelstudio_import)

    gold = sub.add_parser("gold", help="gold files from reviewed documents").add_subparsers(
        dest="gold_command", required=True)
    p = gold.add_parser("export", help="texts/ and gold/ of every reviewed document (GUIDE §3)")
    p.add_argument("-o", "--output", default="reviews")
    p.add_argument("--db", help=db_help)
    p.add_argument("--include-unfinished", action="store_true", help="also documents not marked reviewed")
    p.set_defaults(func=cmd_gold_export)
