"""The batch flow with its real moving parts: a Dask cluster, PostgreSQL (also restarted mid-run), ``kill -9`` of the
whole process tree and a rerun, and the served deployment on a real Prefect server. No mocks.

Documents are built at run time from the unlabeled news in ../shared/corpus/news2017 (never copied into the repo).
Every subprocess runs in its own session so a test can kill its whole tree and leave nothing behind.
"""
from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
import uuid
from html import escape
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from pipeline.paths import ROOT, SHARED

from conftest import THANHTRA, run_env

NEWS = SHARED / "corpus" / "news2017"
CORPUS_DOCS = ROOT / "corpus" / "docs"
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BIN = Path(sys.executable).parent
PG_VERSION = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1] if Path("/etc/postgresql").is_dir() else "15"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(condition, timeout: float, interval: float = 0.2, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            value = condition()
            if value:
                return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def start(args: list[str], env: dict, log: Path, cwd: Path | None = None) -> subprocess.Popen:
    """A subprocess in a session of its own, stdout and stderr to ``log``."""
    return subprocess.Popen(args, env=env, cwd=cwd or ROOT, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def kill_tree(proc: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=30)


def quiet_env(prefect_home: Path, **extra: str) -> dict:
    env = run_env()
    env.pop("PREFECT_API_URL", None)
    env.update(PREFECT_HOME=str(prefect_home), PREFECT_SERVER_ANALYTICS_ENABLED="false", PREFECT_UI_ENABLED="false",
               PREFECT_LOGGING_LEVEL="WARNING", PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="300", **extra)
    return env


def write_news_documents(folder: Path, count: int, articles_per_document: int, html_every: int = 3) -> list[Path]:
    """``count`` documents, each ``articles_per_document`` consecutive news articles; every ``html_every``-th as HTML."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = sorted(NEWS.glob("*.txt"))[: count * articles_per_document]
    assert len(sources) == count * articles_per_document, "../shared/corpus/news2017 is missing or too small"
    written = []
    for i in range(count):
        body = "\n\n".join(p.read_text(encoding="utf-8")
                           for p in sources[i * articles_per_document:(i + 1) * articles_per_document])
        if i % html_every == 0:
            paragraphs = "".join(f"<p>{escape(line)}</p>\n" for line in body.splitlines() if line.strip())
            path = folder / f"tin-{i:03d}.html"
            path.write_text(f"<!doctype html><html><head><meta charset='utf-8'><title>Tin {i}</title></head>"
                            f"<body><article>{paragraphs}</article></body></html>", encoding="utf-8")
        else:
            path = folder / f"tin-{i:03d}.txt"
            path.write_text(body, encoding="utf-8")
        written.append(path)
    return written


def paths_stored(url: str) -> dict[str, int]:
    """How many ``documents`` rows each path has."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return dict(conn.execute(text("SELECT path, count(*) FROM documents GROUP BY path")).all())
    finally:
        engine.dispose()


def runs_of(url: str) -> list[tuple]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT id, documents, failures, finished_at FROM runs ORDER BY id")).all()
    finally:
        engine.dispose()


def assert_each_once(url: str, files: list[Path]) -> None:
    stored = paths_stored(url)
    expected = {str(p.resolve()) for p in files}
    assert set(stored) == expected, (sorted(expected - set(stored))[:5], sorted(set(stored) - expected)[:5])
    assert all(n == 1 for n in stored.values()), {p: n for p, n in stored.items() if n != 1}


def run_thanhtra(args: list[str], env: dict, timeout: float) -> subprocess.CompletedProcess:
    proc = subprocess.run([THANHTRA, "run", *args], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)
    return proc


@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory):
    """A real ``prefect server start`` on a free port with its own home; yields its API URL."""
    home = tmp_path_factory.mktemp("prefect-server")
    port = free_port()
    proc = start([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                 quiet_env(home / "home"), home / "server.log")
    api = f"http://127.0.0.1:{port}/api"
    try:
        wait_until(lambda: urllib.request.urlopen(f"{api}/health", timeout=2).status == 200, 120,
                   what="the Prefect server")
        yield api
    finally:
        kill_tree(proc, signal.SIGTERM)
        kill_tree(proc)


@pytest.fixture
def pg_url():
    """A fresh PostgreSQL schema (dropped afterwards), reached through ``search_path`` in the URL."""
    schema = f"flow_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_SERVER}?options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _summary_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if " documents (" in line]
    assert lines, stderr[-3000:]
    return lines[-1]


# --------------------------------------------------------------------------------------------------------- Dask

def test_dask_cluster_stores_every_document_once(prefect_server, tmp_path):
    env = quiet_env(tmp_path / "prefect", PREFECT_API_URL=prefect_server)
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    cluster = [start([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                     env, tmp_path / "scheduler.log")]
    try:
        for i in range(2):
            cluster.append(start([str(BIN / "dask"), "worker", address, "--nthreads", "1", "--nworkers", "1",
                                  "--no-dashboard", "--host", "127.0.0.1", "--name", f"w{i}"],
                                 env, tmp_path / f"worker{i}.log"))
        from distributed import Client

        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=90)
            url = f"sqlite:///{tmp_path / 'dask.sqlite'}"
            proc = run_thanhtra([str(CORPUS_DOCS), "--db", url, "--runner", "dask", "--dask-address", address,
                                 "--chunk-size", "2", "--no-ocr", "--data-dir", str(tmp_path / "data")], env, 240)
            executed = client.run(lambda dask_worker: dask_worker.state.executed_count)
        files = sorted(p for p in CORPUS_DOCS.iterdir() if p.is_file() and not p.name.startswith("."))
        assert f"{len(files)} documents ({len(files)} extracted, 0 unchanged" in _summary_line(proc.stderr)
        assert_each_once(url, files)
        # 7 chunks on two single-threaded workers: both took part.
        assert len(executed) == 2 and all(n >= 1 for n in executed.values()), executed
        assert sum(executed.values()) >= -(-len(files) // 2), executed
    finally:
        for proc in reversed(cluster):
            kill_tree(proc, signal.SIGTERM)
            kill_tree(proc)


# --------------------------------------------------------------------------------------------------- PostgreSQL

def test_postgres_with_schema_in_url_stores_once_and_rerun_skips(prefect_server, pg_url, tmp_path):
    env = quiet_env(tmp_path / "prefect", PREFECT_API_URL=prefect_server)
    files = write_news_documents(tmp_path / "docs", 12, 1)
    args = [str(tmp_path / "docs"), "--db", pg_url, "--jobs", "2", "--chunk-size", "3",
            "--data-dir", str(tmp_path / "data")]
    first = run_thanhtra(args, env, 180)
    assert first.returncode == 0, first.stderr[-3000:]
    assert "12 documents (12 extracted, 0 unchanged" in _summary_line(first.stderr)
    assert_each_once(pg_url, files)
    # The tables live in the test's schema only, not in public.
    schema = pg_url.rsplit("%3D", 1)[1]
    engine = create_engine(PG_SERVER)
    with engine.connect() as conn:
        where = dict(conn.execute(text("SELECT table_schema, count(*) FROM information_schema.tables "
                                       "WHERE table_name = 'documents' AND table_schema = :s GROUP BY 1"),
                                  {"s": schema}).all())
    engine.dispose()
    assert where == {schema: 1}
    again = run_thanhtra(args, env, 180)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "12 documents (0 extracted, 12 unchanged" in _summary_line(again.stderr)
    assert_each_once(pg_url, files)
    assert [(docs, fails) for _, docs, fails, _ in runs_of(pg_url)] == [(12, 0), (12, 0)]


def pg_cluster(action: str) -> None:
    done = subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, "main", action],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_postgres_restart_mid_run_completes_with_every_document_once(prefect_server, pg_url, tmp_path):
    env = quiet_env(tmp_path / "prefect", PREFECT_API_URL=prefect_server)
    env["PREFECT_LOGGING_LEVEL"] = "INFO"                   # Prefect logs task retries at INFO
    files = write_news_documents(tmp_path / "docs", 24, 4)
    log = tmp_path / "run.log"
    proc = start([THANHTRA, "run", str(tmp_path / "docs"), "--db", pg_url, "--jobs", "2", "--chunk-size", "2",
                  "--data-dir", str(tmp_path / "data")], env, log)
    retried = "Retry 1/3 will start"
    try:
        wait_until(lambda: len(paths_stored(pg_url)) >= 2, 150, 0.2, "the first stored documents")
        stored_before = len(paths_stored(pg_url))
        # A restart with an outage that lasts until some chunk has failed on it, so the retry path is exercised
        # for sure (a bare `restart` is often over between two chunks' database calls).
        pg_cluster("stop")
        try:
            wait_until(lambda: retried in log.read_text(errors="replace"), 30, 0.2, "a chunk to fail and retry")
        finally:
            pg_cluster("start")
        proc.wait(timeout=240)
    finally:
        kill_tree(proc)
    output = log.read_text(encoding="utf-8", errors="replace")
    assert stored_before < len(files), "the run finished before PostgreSQL restarted; nothing was tested"
    assert proc.returncode == 0, output[-3000:]
    assert f"{len(files)} documents ({len(files)} extracted, 0 unchanged" in _summary_line(output)
    assert_each_once(pg_url, files)
    [(_, documents, failures, finished_at)] = runs_of(pg_url)
    assert (documents, failures) == (len(files), 0) and finished_at is not None


# ------------------------------------------------------------------------------------------------------ kill -9

def test_kill_9_mid_run_then_rerun_stores_every_document_exactly_once(tmp_path):
    env = quiet_env(tmp_path / "data" / "prefect")
    files = write_news_documents(tmp_path / "docs", 60, 3)
    # The same bytes under another path, in another chunk: a document of its own, not "already done".
    copy = tmp_path / "docs" / "tin-zz-copy.txt"
    copy.write_bytes(files[1].read_bytes())
    files.append(copy)
    url = f"sqlite:///{tmp_path / 'kill.sqlite'}"
    args = [THANHTRA, "run", str(tmp_path / "docs"), "--db", url, "--jobs", "2", "--chunk-size", "2",
            "--data-dir", str(tmp_path / "data")]
    proc = start(args, env, tmp_path / "first.log")
    try:
        wait_until(lambda: len(paths_stored(url)) >= 4, 180, 0.1, "the first stored documents")
    finally:
        kill_tree(proc)                                    # SIGKILL to the whole group: CLI, workers, Prefect server
    # Orphans are reaped by init a moment later; none may stay alive (no Prefect server or worker left behind).
    wait_until(lambda: not subprocess.run(["pgrep", "-g", str(proc.pid)], capture_output=True).stdout, 15,
               what="every process of the killed run to be gone")
    stored_before = len(paths_stored(url))
    assert 4 <= stored_before < len(files), stored_before

    rerun = subprocess.run(args, env=env, cwd=ROOT,
                           capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert_each_once(url, files)
    summary = _summary_line(rerun.stderr)
    # Everything stored before the kill was committed whole and is skipped; the rest is extracted now.
    assert f"{len(files)} documents ({len(files) - stored_before} extracted, {stored_before} unchanged" in summary
    runs = runs_of(url)
    assert len(runs) == 2
    assert runs[0][3] is None                              # the killed run never finished
    assert runs[1][1:3] == (len(files), 0) and runs[1][3] is not None


# ------------------------------------------------------------------------------------------------------- deploy

TRIGGER = textwrap.dedent("""
    import sys, time
    from prefect.deployments import run_deployment
    deadline = time.monotonic() + 90
    while True:
        try:
            run = run_deployment(sys.argv[1], parameters={"paths": [sys.argv[2]]}, timeout=180, poll_interval=1)
            break
        except Exception as exc:          # the deployment is not registered yet
            if time.monotonic() > deadline:
                raise
            time.sleep(1)
    print(run.state.type.value)
""")

SCHEDULES = textwrap.dedent("""
    import asyncio, json, sys
    from prefect.client.orchestration import get_client
    async def main():
        async with get_client() as client:
            deployment = await client.read_deployment_by_name(sys.argv[1])
            print(json.dumps(sorted([s.slug or "", (s.parameters or {}).get("paths")] for s in deployment.schedules)))
    asyncio.run(main())
""")


def test_served_deployment_runs_on_demand_into_the_database(prefect_server, tmp_path):
    env = quiet_env(tmp_path / "prefect", PREFECT_API_URL=prefect_server)
    inbox = tmp_path / "inbox"
    files = write_news_documents(inbox, 4, 1)
    url = f"sqlite:///{tmp_path / 'served.sqlite'}"
    name = f"test-{uuid.uuid4().hex[:8]}"
    server = start([sys.executable, "-m", "flows.deploy", "--db", url, "--inbox", str(inbox), "--interval", "86400",
                    "--cron", "0 3 * * *", "--name", name], env, tmp_path / "serve.log")
    try:
        trigger = subprocess.run([sys.executable, "-c", TRIGGER, f"extract_batch/{name}", str(inbox.resolve())],
                                 env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
        serve_log = (tmp_path / "serve.log").read_text(errors="replace")
        assert trigger.returncode == 0, trigger.stderr[-3000:] + serve_log[-3000:]
        assert trigger.stdout.strip().endswith("COMPLETED"), trigger.stdout + serve_log[-3000:]
        assert_each_once(url, files)
        schedules = subprocess.run([sys.executable, "-c", SCHEDULES, f"extract_batch/{name}"], env=env,
                                   capture_output=True, text=True, timeout=60)
        assert schedules.returncode == 0, schedules.stderr[-2000:]
        assert schedules.stdout.strip() == f'[["cron", null], ["inbox", ["{inbox.resolve()}"]]]'
    finally:
        kill_tree(server, signal.SIGTERM)
        kill_tree(server)


def test_serving_without_a_prefect_server_is_a_clear_error(tmp_path):
    env = quiet_env(tmp_path / "prefect")
    proc = subprocess.run([sys.executable, "-m", "flows.deploy", str(CORPUS_DOCS), "--db", str(tmp_path / "x.sqlite")],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "PREFECT_API_URL" in proc.stderr and "prefect server start" in proc.stderr
    assert not (tmp_path / "x.sqlite").exists()
