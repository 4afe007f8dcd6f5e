"""Alembic environment, driven programmatically by ``pipeline.db.upgrade`` which passes an open connection."""
from __future__ import annotations

from alembic import context
from sqlalchemy import text

from pipeline.db.models import Base

# Concurrent workers may all call upgrade() at start-up; one advisory lock makes them migrate one after another.
_PG_LOCK_KEY = 0x7468616E68  # "thanh"

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=connection.dialect.name == "sqlite")
if connection.dialect.name == "postgresql":
    connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
with context.begin_transaction():
    context.run_migrations()
