"""Steward review: users, login sessions, the audit trail and per-document review state.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

# The review tables live on the shared metadata once their module is imported; importing it here keeps a
# migrated database and ``Base.metadata`` in step for autogenerate comparisons (env.py imports only db.models).
import pipeline.review.models  # noqa: F401

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_NOW = sa.func.current_timestamp()


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=_NOW, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "review_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_review_sessions_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_review_sessions")),
    )
    op.create_index(op.f("ix_review_sessions_user_id"), "review_sessions", ["user_id"], unique=False)
    op.create_table(
        "review_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("target", sa.String(length=16), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=True),
        sa.Column("start", sa.Integer(), nullable=True),
        sa.Column("end", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name=op.f("fk_review_audit_document_id_documents"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_review_audit_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_audit")),
    )
    op.create_index("ix_review_audit_document_id_at", "review_audit", ["document_id", "at"], unique=False)
    op.create_index(op.f("ix_review_audit_user_id"), "review_audit", ["user_id"], unique=False)
    op.create_table(
        "document_reviews",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("done", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"],
                                name=op.f("fk_document_reviews_document_id_documents"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["reviewer_id"], ["users.id"], name=op.f("fk_document_reviews_reviewer_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_document_reviews")),
    )
    op.create_index(op.f("ix_document_reviews_status"), "document_reviews", ["status"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_document_reviews_status"), table_name="document_reviews")
    op.drop_table("document_reviews")
    op.drop_index(op.f("ix_review_audit_user_id"), table_name="review_audit")
    op.drop_index("ix_review_audit_document_id_at", table_name="review_audit")
    op.drop_table("review_audit")
    op.drop_index(op.f("ix_review_sessions_user_id"), table_name="review_sessions")
    op.drop_table("review_sessions")
    op.drop_table("users")
