"""Serve the batch flow from a long-running process against a real Prefect server: on a cron schedule, by watching
an inbox folder, or only when triggered from the UI / API.

``PREFECT_API_URL=http://127.0.0.1:4200/api python -m flows.deploy corpus/docs --db data/thanhtra.sqlite
--cron "0 2 * * *" --inbox inbox/`` serves the deployment ``extract_batch/thanhtra`` until interrupted.

The inbox is "watched" by an interval schedule over the folder rather than by file-system events: each scheduled run
re-discovers the folder and skips every file whose content was already extracted by the same versions (the
content-hash cache in the ``documents`` table), so a scan of an unchanged inbox costs a hash per file and nothing
more, and it survives restarts, network file systems and files that arrive while the server is down.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

DEFAULT_INBOX_SECONDS = 60


class PrefectServerMissing(RuntimeError):
    """Serving needs a Prefect server that outlives this process; the embedded temporary one would vanish with it."""


def deployment_schedules(*, cron: str | None = None, interval: float | None = None, inbox: str | None = None) -> list:
    """The schedules of the deployment: the cron runs over the deployment's default paths, the inbox scan over the
    inbox folder every ``interval`` seconds (60 when not given); an ``interval`` without an inbox repeats the run
    over the default paths.

    ``deployment_schedules(cron="0 2 * * *", inbox="/srv/inbox")`` →
    ``[Schedule(cron="0 2 * * *"), Schedule(interval=60 s, parameters={"paths": ["/srv/inbox"]})]``
    """
    from prefect.schedules import Cron, Interval

    schedules = []
    if cron:
        schedules.append(Cron(cron, slug="cron"))
    if inbox:
        seconds = interval or DEFAULT_INBOX_SECONDS
        schedules.append(Interval(dt.timedelta(seconds=seconds), slug="inbox",
                                  parameters={"paths": [str(Path(inbox).resolve())]}))
    elif interval:
        schedules.append(Interval(dt.timedelta(seconds=interval), slug="interval"))
    return schedules


def serve_batch(paths: list[str], db: str, *, cron: str | None = None, interval: float | None = None,
                inbox: str | None = None, name: str = "thanhtra", chunk_size: int = 8) -> None:
    """Serve ``extract_batch`` as the deployment ``extract_batch/<name>`` until interrupted (blocks).

    ``serve_batch(["/srv/ket-luan"], "postgresql+psycopg://etl@db/thanhtra", cron="0 2 * * *", inbox="/srv/inbox")``
    → the deployment ``extract_batch/thanhtra`` runs nightly over /srv/ket-luan, every minute over /srv/inbox, and
    on demand (``run_deployment("extract_batch/thanhtra")``); each run's documents land in the database.
    """
    if not paths and not inbox:
        raise ValueError("serve_batch needs paths, an inbox, or both")
    if not os.environ.get("PREFECT_API_URL"):
        raise PrefectServerMissing(
            "serving needs a Prefect server: start one (`prefect server start`) and set PREFECT_API_URL, "
            "e.g. PREFECT_API_URL=http://127.0.0.1:4200/api")
    from pipeline.store import db_url

    from flows.runtime import QUIET

    # The quiet defaults only: PREFECT_HOME stays the operator's, a served process is not a throw-away run.
    for key, value in QUIET.items():
        os.environ.setdefault(key, value)
    from prefect.deployments.runner import EntrypointType

    from flows.extract_batch import extract_batch

    resolved = [str(Path(p).resolve()) for p in paths]
    if inbox:
        Path(inbox).mkdir(parents=True, exist_ok=True)
    default_paths = resolved or [str(Path(inbox).resolve())]    # an inbox-only deployment runs over its inbox
    extract_batch.serve(
        name=name,
        schedules=deployment_schedules(cron=cron, interval=interval, inbox=inbox),
        parameters={"paths": default_paths, "db": db_url(db), "chunk_size": chunk_size},
        description="thanhtra: Vietnamese inspection documents → structured records in the database",
        tags=["thanhtra"],
        print_starting_message=False,
        # Runs load the flow by module (the installed package), not by a file path relative to this process's cwd.
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="thanhtra deploy", description=serve_batch.__doc__.split("\n")[0])
    ap.add_argument("paths", nargs="*", metavar="PATH")
    ap.add_argument("--db", required=True, help="database file or SQLAlchemy URL")
    ap.add_argument("--cron", help='cron schedule over PATHs, e.g. "0 2 * * *"')
    ap.add_argument("--interval", type=float, help="seconds between inbox scans (default 60)")
    ap.add_argument("--inbox", help="folder scanned every --interval seconds")
    ap.add_argument("--name", default="thanhtra", help="deployment name (default thanhtra)")
    ap.add_argument("--chunk-size", type=int, default=8)
    args = ap.parse_args(argv)
    if not args.paths and not args.inbox:
        ap.error("give PATHs, an --inbox, or both")
    try:
        serve_batch(args.paths, args.db, cron=args.cron, interval=args.interval, inbox=args.inbox, name=args.name,
                    chunk_size=args.chunk_size)
    except PrefectServerMissing as exc:
        print(f"thanhtra: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
