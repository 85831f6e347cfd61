"""FAQ entries written in the bot, and the monthly counts of what the FAQ answered.

Revision ID: 0014
Revises: 0013
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

def upgrade() -> None:
    op.create_table('faq_entry',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('question_nl', sa.Text(), nullable=False),
    sa.Column('answer_nl', sa.Text(), nullable=False),
    sa.Column('question_en', sa.Text(), nullable=False),
    sa.Column('answer_en', sa.Text(), nullable=False),
    sa.Column('question_ar', sa.Text(), nullable=False),
    sa.Column('answer_ar', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.BigInteger(), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('retired_by', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('faq_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_faq_entry_status'), ['status'], unique=False)
    op.create_table('faq_count',
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('entry', sa.String(length=40), nullable=False),
    sa.Column('outcome', sa.String(length=12), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('month', 'locale', 'entry', 'outcome')
    )

def downgrade() -> None:
    op.drop_table('faq_count')
    with op.batch_alter_table('faq_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_faq_entry_status'))
    op.drop_table('faq_entry')
