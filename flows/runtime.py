"""Prefect without a Prefect server: its own home under the data folder, analytics off, a generous start-up timeout,
quiet logs, and ONE temporary API server for the whole run that every worker process shares.

Without that last point each process-pool worker would start a temporary server of its own (tens of seconds each on
a fresh machine). ``with embedded_prefect(Path("data")): extract_batch(...)`` runs a flow with no server installed.
"""
from __future__ import annotations

import contextlib
import os
from pathlib import Path

QUIET = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "300",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
    "PREFECT_LOGGING_LOG_PRINTS": "false",
    "PREFECT_UI_ENABLED": "false",
    "PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY": "false",
    "PREFECT_RESULTS_PERSIST_BY_DEFAULT": "false",
}


def configure(data_dir: Path) -> None:
    """Set Prefect's environment before Prefect is imported (it reads settings at import time)."""
    home = Path(os.environ.setdefault("PREFECT_HOME", str((data_dir / "prefect").resolve())))
    home.mkdir(parents=True, exist_ok=True)       # Prefect's SQLite database cannot create its own folder
    for key, value in QUIET.items():
        os.environ.setdefault(key, value)


@contextlib.contextmanager
def embedded_prefect(data_dir: Path):
    """Use the Prefect server named by PREFECT_API_URL when there is one, else start one temporary server."""
    configure(data_dir)
    if os.environ.get("PREFECT_API_URL"):
        yield os.environ["PREFECT_API_URL"]
        return
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()
    server.start(timeout=int(os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"]))
    os.environ["PREFECT_API_URL"] = server.api_url
    try:
        yield server.api_url
    finally:
        os.environ.pop("PREFECT_API_URL", None)
        server.stop()
