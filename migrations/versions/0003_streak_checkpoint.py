"""streak checkpoint: the streak as of a settled day, so /done judges only the days since

`streak_states.checkpoint` (JSON, nullable) holds the run and best streak at the end of a day
that can no longer change, with what they were computed from (see core/logbook.py). It starts
empty: the next log, undo, skip or /streak of each runner writes it.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 10:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('streak_states', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checkpoint', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('streak_states', schema=None) as batch_op:
        batch_op.drop_column('checkpoint')
