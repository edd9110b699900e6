"""console clubs: the user who opened a console club channel is its admin

`club_channels.admin_id` (nullable) names the platform user who administers a channel on a
platform without admin roles of its own: `pacer run --console --user NAME --club CLUB` records
NAME there when it opens the channel, so a second console with another user is a member.
Telegram and Discord channels leave it empty (their admins come from the platform).

Revision ID: 0004_console
Revises: 0004_activity
Create Date: 2026-12-07 01:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004_console'
down_revision: str | None = '0004_activity'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('club_channels', schema=None) as batch_op:
        batch_op.add_column(sa.Column('admin_id', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('club_channels', schema=None) as batch_op:
        batch_op.drop_column('admin_id')
