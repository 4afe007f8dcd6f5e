"""Initial schema: documents, mentions, findings, finding_labels, document_labels, runs.

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_NOW = sa.func.current_timestamp()


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), server_default=_NOW, nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("documents", sa.Integer(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("pipeline_version", sa.String(length=32), nullable=True),
        sa.Column("model_version", sa.String(length=64), nullable=True),
        sa.Column("params", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_runs")),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=2048), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=True),
        sa.Column("pages", sa.Integer(), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("encoding", sa.String(length=16), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("doc_kind", sa.String(length=16), nullable=True),
        sa.Column("number", sa.String(length=128), nullable=True),
        sa.Column("issued_at", sa.String(length=10), nullable=True),
        sa.Column("place", sa.String(length=128), nullable=True),
        sa.Column("published_at", sa.String(length=10), nullable=True),
        sa.Column("relevant", sa.Boolean(), nullable=True),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("error_kind", sa.String(length=32), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("pipeline_version", sa.String(length=32), nullable=True),
        sa.Column("model_version", sa.String(length=64), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=_NOW, nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=_NOW, nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=op.f("fk_documents_run_id_runs"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sa.UniqueConstraint("sha256", "path", name="uq_documents_sha256_path"),
    )
    op.create_index(op.f("ix_documents_doc_kind"), "documents", ["doc_kind"])
    op.create_index(op.f("ix_documents_issued_at"), "documents", ["issued_at"])
    op.create_index(op.f("ix_documents_path"), "documents", ["path"])

    op.create_table(
        "mentions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("value", sa.String(length=512), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=True),
        sa.Column("reviewed", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("review_status", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name=op.f("fk_mentions_document_id_documents"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentions")),
    )
    op.create_index("ix_mentions_document_id_kind", "mentions", ["document_id", "kind"])
    op.create_index("ix_mentions_kind_value", "mentions", ["kind", "value"])

    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("unit", sa.String(length=512), nullable=True),
        sa.Column("amounts", sa.JSON(), nullable=True),
        sa.Column("model_version", sa.String(length=64), nullable=True),
        sa.Column("reviewed", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("review_status", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name=op.f("fk_findings_document_id_documents"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_findings")),
    )
    op.create_index(op.f("ix_findings_document_id"), "findings", ["document_id"])
    op.create_index(op.f("ix_findings_outcome"), "findings", ["outcome"])
    op.create_index(op.f("ix_findings_unit"), "findings", ["unit"])

    op.create_table(
        "finding_labels",
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("label_kind", sa.String(length=16), nullable=False),
        sa.Column("label", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["finding_id"], ["findings.id"], name=op.f("fk_finding_labels_finding_id_findings"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("finding_id", "label_kind", "label", name=op.f("pk_finding_labels")),
    )
    op.create_index("ix_finding_labels_kind_label", "finding_labels", ["label_kind", "label"])

    op.create_table(
        "document_labels",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("label", sa.String(length=32), nullable=False),
        sa.Column("reviewed", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"],
                                name=op.f("fk_document_labels_document_id_documents"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("document_id", "kind", "label", name=op.f("pk_document_labels")),
    )
    op.create_index("ix_document_labels_kind_label", "document_labels", ["kind", "label"])


def downgrade() -> None:
    for table in ("document_labels", "finding_labels", "findings", "mentions", "documents", "runs"):
        op.drop_table(table)
