"""The database: engines, migrations, loading (``load.py``) and the schema (``models.py``).

``upgrade("sqlite:///data/thanhtra.sqlite")`` creates or migrates the schema to the newest version;
``make_engine("postgresql+psycopg://postgres@127.0.0.1:5432/test")`` gives an engine tuned for concurrent loaders.
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _sqlite_begin(engine: Engine, mode: str) -> None:
    # pysqlite starts transactions lazily and as readers; a reader that later writes can fail with "database is
    # locked" without waiting. BEGIN IMMEDIATE takes the write lock up front, so concurrent loaders queue instead.
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str | Engine, *, read_only: bool = False) -> Engine:
    """An engine for ``url`` (an Engine is returned as it is): SQLite gets write-lock queuing and foreign keys;
    ``read_only`` engines (exports, reports) start deferred transactions so they never hold the write lock."""
    if isinstance(url, Engine):
        return url
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 60})
        _sqlite_begin(engine, "DEFERRED" if read_only else "IMMEDIATE")
        return engine
    return create_engine(url, pool_pre_ping=True)


def upgrade(url: str | Engine, revision: str = "head") -> None:
    """Bring the schema at ``url`` to ``revision`` with Alembic (no alembic.ini: the config is built here)."""
    from alembic import command
    from alembic.config import Config

    engine = make_engine(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    if not isinstance(url, Engine):
        engine.dispose()
