"""activity summaries: what Pacer keeps of a GPX, FIT or TCX file (issue 18)

`activity_summaries` holds, per logged activity file or imported activity, the start time,
distance, elapsed and moving time, elevation gain, average heart rate, the splits and the best
efforts — never the GPS track or the file. `run_log_id` is the run it was logged as; a file that
matched a hand-logged run waits with `matched_log_id` until the runner chooses. One activity per
runner and start time (re-sending or re-importing a file adds nothing).

Revision ID: 0004_activity
Revises: 0005_claim_token
Create Date: 2026-12-07 01:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004_activity'
down_revision: str | None = '0005_claim_token'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table(
        'activity_summaries',
        sa.Column('id', _ID, nullable=False),
        sa.Column('runner_id', _ID, nullable=False),
        sa.Column('run_log_id', _ID, nullable=True),
        sa.Column('matched_log_id', _ID, nullable=True),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('local_date', sa.Date(), nullable=False),
        sa.Column('file_format', sa.String(length=8), nullable=False),
        sa.Column('distance_m', sa.Float(), nullable=False),
        sa.Column('elapsed_s', sa.Float(), nullable=False),
        sa.Column('moving_s', sa.Float(), nullable=False),
        sa.Column('elevation_gain_m', sa.Float(), nullable=True),
        sa.Column('avg_heart_rate', sa.Integer(), nullable=True),
        sa.Column('split_unit', sa.String(length=2), nullable=False),
        sa.Column('splits', sa.JSON(), nullable=False),
        sa.Column('best_efforts', sa.JSON(), nullable=False),
        sa.Column('source', sa.String(length=16), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['matched_log_id'], ['run_logs.id'],
                                name=op.f('fk_activity_summaries_matched_log_id_run_logs'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['run_log_id'], ['run_logs.id'],
                                name=op.f('fk_activity_summaries_run_log_id_run_logs'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['runner_id'], ['runners.id'],
                                name=op.f('fk_activity_summaries_runner_id_runners'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_summaries')),
        sa.UniqueConstraint('runner_id', 'started_at',
                            name=op.f('uq_activity_summaries_runner_id_started_at')),
    )
    with op.batch_alter_table('activity_summaries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_summaries_run_log_id'), ['run_log_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_activity_summaries_matched_log_id'),
                              ['matched_log_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('activity_summaries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_summaries_matched_log_id'))
        batch_op.drop_index(batch_op.f('ix_activity_summaries_run_log_id'))
    op.drop_table('activity_summaries')
