"""The family's own voice (issue 16): Positieve Gezondheid ratings and words before the
meeting, the experience after it, the ratings again at the evaluation - sealed.

Revision ID: 0012
Revises: 0011
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'family_voice',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('registration_id', sa.String(length=36), nullable=False),
        sa.Column('meeting_id', sa.String(length=36), nullable=False),
        sa.Column('contact_id', sa.String(length=36), nullable=True),
        sa.Column('moment', sa.String(length=12), nullable=False),
        sa.Column('by', sa.String(length=12), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('offers', sa.SmallInteger(), nullable=False),
        sa.Column('answers_sealed', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['contact_id'], ['family_contact.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('family_voice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_family_voice_registration_id'),
                              ['registration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_family_voice_meeting_id'), ['meeting_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_family_voice_contact_id'), ['contact_id'],
                              unique=False)


def downgrade() -> None:
    op.drop_table('family_voice')
