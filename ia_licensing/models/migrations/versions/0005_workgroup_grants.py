"""workgroup grants (R32): licenses granted to a workgroup, held by its members

Revision ID: 0005
Revises: 0002
Create Date: 2026-12-02 10:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('workgroup_license',
    sa.Column('workgroup_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=128), nullable=False),
    sa.ForeignKeyConstraint(['workgroup_id'], ['workgroup.id'], name=op.f('fk_workgroup_license_workgroup_id_workgroup'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('workgroup_id', 'key', name=op.f('pk_workgroup_license'))
    )
    with op.batch_alter_table('workgroup_license', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workgroup_license_key'), ['key'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('workgroup_license', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workgroup_license_key'))

    op.drop_table('workgroup_license')
