"""Families' Telegram ids: a keyed hash to find them, a sealed copy to message them.

The existing ids are moved at the next start (runtime.build: it needs the key).

Revision ID: 0011
Revises: 0010
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('family_contact', schema=None) as batch_op:
        batch_op.add_column(sa.Column('user_hash', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('chat_sealed', sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f('ix_family_contact_user_hash'), ['user_hash'],
                              unique=False)
    with op.batch_alter_table('scheduled_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_id', sa.String(length=36), nullable=True))
        batch_op.create_index(batch_op.f('ix_scheduled_message_contact_id'), ['contact_id'],
                              unique=False)
        batch_op.create_foreign_key('fk_scheduled_message_contact_id', 'family_contact',
                                    ['contact_id'], ['id'], ondelete='CASCADE')


def downgrade() -> None:
    with op.batch_alter_table('scheduled_message', schema=None) as batch_op:
        batch_op.drop_constraint('fk_scheduled_message_contact_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_scheduled_message_contact_id'))
        batch_op.drop_column('contact_id')
    with op.batch_alter_table('family_contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_family_contact_user_hash'))
        batch_op.drop_column('chat_sealed')
        batch_op.drop_column('user_hash')
