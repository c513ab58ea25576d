"""trust: trusted keys per database, a hash-chained audit trail, counters that cannot go
negative, 64-bit serials, name keys long enough for case folding, and (SQLite) our
application id.

Revision ID: 0004
Revises: 0003
"""
import hashlib
import json
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

SQLITE_APPLICATION_ID = 0x49414C43  # "IALC" (models/schema.py)
NAME_KEY_LENGTH = 1020


def _digest(previous, seq, at, os_user, action, subject, before, after):
    """The chain digest as services/audit.py computes it (frozen here: never change it)."""
    fields = [previous, seq, at.isoformat(timespec="microseconds"), os_user, action,
              subject, before, after]
    text = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def upgrade() -> None:
    bind = op.get_bind()
    op.create_table('trusted_key',
    sa.Column('key_id', sa.String(length=64), nullable=False),
    sa.Column('public_key', sa.String(length=64), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.Column('source', sa.String(length=255), nullable=False),
    sa.PrimaryKeyConstraint('key_id', name=op.f('pk_trusted_key'))
    )

    # The audit trail's chain: number and digest the entries already there, in id order.
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('digest', sa.String(length=64), nullable=True))
    audit = sa.table('audit_event', sa.column('id', sa.Integer), sa.column('at', sa.DateTime),
                     sa.column('os_user', sa.String), sa.column('action', sa.String),
                     sa.column('subject', sa.String), sa.column('before', sa.Text),
                     sa.column('after', sa.Text), sa.column('seq', sa.Integer),
                     sa.column('digest', sa.String))
    rows = bind.execute(sa.select(audit.c.id, audit.c.at, audit.c.os_user, audit.c.action,
                                  audit.c.subject, audit.c.before, audit.c.after)
                        .order_by(audit.c.id)).all()
    previous, updates = "", []
    for seq, row in enumerate(rows, 1):
        previous = _digest(previous, seq, row.at, row.os_user, row.action, row.subject,
                           row.before, row.after)
        updates.append({"row_id": row.id, "seq": seq, "digest": previous})
    if updates:
        bind.execute(audit.update().where(audit.c.id == sa.bindparam("row_id"))
                     .values(seq=sa.bindparam("seq"), digest=sa.bindparam("digest")), updates)
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.alter_column('seq', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('digest', existing_type=sa.String(length=64), nullable=False)

    # No negative counts (R30): a counter edited below zero is reset, then recounted at start.
    for table, columns in (('key_usage', ('assignable_configured', 'concurrent_configured',
                                          'concurrent_in_use')),
                           ('entitlement', ('assigned', 'pooled'))):
        for column in columns:
            op.execute(f"UPDATE {table} SET {column} = 0 WHERE {column} < 0")
    with op.batch_alter_table('key_usage', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f('ck_key_usage_assignable_not_negative'),
                                         'assignable_configured >= 0')
        batch_op.create_check_constraint(op.f('ck_key_usage_concurrent_not_negative'),
                                         'concurrent_configured >= 0')
        batch_op.create_check_constraint(op.f('ck_key_usage_in_use_not_negative'),
                                         'concurrent_in_use >= 0')
    with op.batch_alter_table('entitlement', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f('ck_entitlement_assigned_not_negative'),
                                         'assigned >= 0')
        batch_op.create_check_constraint(op.f('ck_entitlement_pooled_not_negative'),
                                         'pooled >= 0')

    with op.batch_alter_table('license_file', schema=None) as batch_op:
        batch_op.alter_column('serial', existing_type=sa.Integer(), type_=sa.BigInteger(),
                              existing_nullable=False)

    for table, columns in (('station', ('name_key', 'machine_name_key')),
                           ('user_account', ('name_key',)), ('workgroup', ('name_key',))):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.alter_column(column, existing_type=sa.String(length=255),
                                      type_=sa.String(length=NAME_KEY_LENGTH),
                                      existing_nullable=column == 'machine_name_key')

    if bind.dialect.name == 'sqlite':
        op.execute(f"PRAGMA application_id = {SQLITE_APPLICATION_ID}")


def downgrade() -> None:
    for table, columns in (('station', ('name_key', 'machine_name_key')),
                           ('user_account', ('name_key',)), ('workgroup', ('name_key',))):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.alter_column(column, existing_type=sa.String(length=NAME_KEY_LENGTH),
                                      type_=sa.String(length=255),
                                      existing_nullable=column == 'machine_name_key')
    with op.batch_alter_table('license_file', schema=None) as batch_op:
        batch_op.alter_column('serial', existing_type=sa.BigInteger(), type_=sa.Integer(),
                              existing_nullable=False)
    with op.batch_alter_table('entitlement', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_entitlement_pooled_not_negative'), type_='check')
        batch_op.drop_constraint(op.f('ck_entitlement_assigned_not_negative'), type_='check')
    with op.batch_alter_table('key_usage', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_key_usage_in_use_not_negative'), type_='check')
        batch_op.drop_constraint(op.f('ck_key_usage_concurrent_not_negative'), type_='check')
        batch_op.drop_constraint(op.f('ck_key_usage_assignable_not_negative'), type_='check')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_column('digest')
        batch_op.drop_column('seq')
    op.drop_table('trusted_key')
