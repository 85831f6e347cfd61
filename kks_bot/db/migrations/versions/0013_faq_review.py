"""The FAQ's review list: questions it could not answer, or answered unhelpfully.

Revision ID: 0013
Revises: 0012
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

def upgrade() -> None:
    op.create_table('faq_review',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('reason', sa.String(length=12), nullable=False),
    sa.Column('answered', sa.String(length=40), nullable=True),
    sa.Column('text_sealed', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('entry', sa.String(length=40), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('faq_review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_faq_review_status'), ['status'], unique=False)

def downgrade() -> None:
    with op.batch_alter_table('faq_review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_faq_review_status'))
    op.drop_table('faq_review')
