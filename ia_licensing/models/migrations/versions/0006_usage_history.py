"""usage history (R33): per-key hourly peaks of Concurrent In Use, and refused logons

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 10:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('usage_hour',
    sa.Column('key', sa.String(length=128), nullable=False),
    sa.Column('hour', sa.DateTime(), nullable=False),
    sa.Column('peak_in_use', sa.Integer(), nullable=False),
    sa.Column('last_in_use', sa.Integer(), nullable=False),
    sa.Column('allowed', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', 'hour', name=op.f('pk_usage_hour'))
    )
    with op.batch_alter_table('usage_hour', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_usage_hour_hour'), ['hour'], unique=False)

    op.create_table('usage_denial',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user_name', sa.String(length=255), nullable=False),
    sa.Column('station', sa.String(length=255), nullable=True),
    sa.Column('remote_number', sa.String(length=64), nullable=True),
    sa.Column('rule', sa.String(length=8), nullable=False),
    sa.Column('key', sa.String(length=128), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_usage_denial'))
    )
    with op.batch_alter_table('usage_denial', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_usage_denial_at'), ['at'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('usage_denial', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_usage_denial_at'))

    op.drop_table('usage_denial')
    with op.batch_alter_table('usage_hour', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_usage_hour_hour'))

    op.drop_table('usage_hour')
