"""Coordinator approval, send-time gate on outbox rows, PINs and access sessions.

Revision ID: 0007
Revises: 0006
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('gate', sa.String(length=24), nullable=True))
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('identity_sealed', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('decided_by', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('approved', sa.Boolean(), nullable=True))
    # Invitations redeemed before approval existed were effectively approved.
    op.execute("UPDATE invitation SET approved = TRUE, decided_at = used_at "
               "WHERE used_at IS NOT NULL")
    with op.batch_alter_table('family_contact', schema=None) as batch_op:
        batch_op.add_column(sa.Column('spent_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE family_contact SET spent_at = created_at WHERE user_id IS NOT NULL")
    op.create_table('pin',
    sa.Column('user_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('pin_hash', sa.String(length=200), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('locked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('user_id')
    )
    op.create_table('access_session',
    sa.Column('id_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('pin_ok_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id_hash')
    )
    with op.batch_alter_table('access_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_access_session_user_id'), ['user_id'],
                              unique=False)


def downgrade() -> None:
    op.drop_table('access_session')
    op.drop_table('pin')
    with op.batch_alter_table('family_contact', schema=None) as batch_op:
        batch_op.drop_column('spent_at')
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_column('approved')
        batch_op.drop_column('decided_by')
        batch_op.drop_column('decided_at')
        batch_op.drop_column('identity_sealed')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('gate')
