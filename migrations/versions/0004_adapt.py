"""personal bests and fitness changes: results a runner logged, and what they changed

`personal_bests` holds one row per best ever set (mile, 5 km, ...): the distance, time, the
runner's local date, the kind of effort (race, time_trial, best_effort), where it came from and
the run log it belongs to (deleting the log deletes the best). `fitness_changes` records the
mile time (and goal) a result replaced, so /undo of that log restores them. See core/results.py.

Revision ID: 0004_adapt
Revises: 0003
Create Date: 2026-12-07 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004_adapt'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'personal_bests',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('runner_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                  nullable=False),
        sa.Column('distance', sa.String(length=16), nullable=False),
        sa.Column('distance_m', sa.Float(), nullable=False),
        sa.Column('seconds', sa.Float(), nullable=False),
        sa.Column('local_date', sa.Date(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('source', sa.String(length=32), nullable=False),
        sa.Column('run_log_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                  nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['run_log_id'], ['run_logs.id'],
                                name=op.f('fk_personal_bests_run_log_id_run_logs'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['runner_id'], ['runners.id'],
                                name=op.f('fk_personal_bests_runner_id_runners'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_personal_bests')),
    )
    with op.batch_alter_table('personal_bests', schema=None) as batch_op:
        batch_op.create_index('ix_personal_bests_runner_distance', ['runner_id', 'distance'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_personal_bests_run_log_id'), ['run_log_id'],
                              unique=False)


    op.create_table(
        'fitness_changes',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('runner_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                  nullable=False),
        sa.Column('run_log_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                  nullable=True),
        sa.Column('mile_before', sa.Float(), nullable=True),
        sa.Column('mile_after', sa.Float(), nullable=False),
        sa.Column('goal_before', sa.Float(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['run_log_id'], ['run_logs.id'],
                                name=op.f('fk_fitness_changes_run_log_id_run_logs'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['runner_id'], ['runners.id'],
                                name=op.f('fk_fitness_changes_runner_id_runners'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_fitness_changes')),
    )
    with op.batch_alter_table('fitness_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fitness_changes_run_log_id'), ['run_log_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_fitness_changes_runner_id'), ['runner_id'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('fitness_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fitness_changes_runner_id'))
        batch_op.drop_index(batch_op.f('ix_fitness_changes_run_log_id'))
    op.drop_table('fitness_changes')
    with op.batch_alter_table('personal_bests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_personal_bests_run_log_id'))
        batch_op.drop_index('ix_personal_bests_runner_distance')
    op.drop_table('personal_bests')
