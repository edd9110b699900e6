"""outbox claim token: each claim stamps its rows, and outcomes are recorded only under it

`outbox.claim_token` (nullable): a random token per claimed batch. Renewals and outcomes
(sent, failed, released) match it, so a worker whose lease ran out (and whose rows another
worker claimed meanwhile) cannot record over the new holder.

Revision ID: 0005_claim_token
Revises: 0004_adapt
Create Date: 2026-12-07 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005_claim_token'
down_revision: str | None = '0004_adapt'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claim_token', sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('claim_token')
