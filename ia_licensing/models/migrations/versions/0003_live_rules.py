"""live rules: the Remote Login right and the chosen ACD interaction types

Revision ID: 0003
Revises: 0002

The user's Client Right "User-defined Telephone Number on Remote Login" (R24, on by
default, so every existing user keeps it) and, for users and stations, the ACD interaction
types chosen for a Media 1 or Media 2 level (R18; "" = none chosen, the level's default).
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: Union[str, Sequence[str], None] = "0002"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(
            sa.Column("remote_login", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch.add_column(
            sa.Column("acd_types", sa.String(length=64), nullable=False, server_default="")
        )
    with op.batch_alter_table("station") as batch:
        batch.add_column(
            sa.Column("acd_types", sa.String(length=64), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("station") as batch:
        batch.drop_column("acd_types")
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("acd_types")
        batch.drop_column("remote_login")
