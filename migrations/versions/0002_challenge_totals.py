"""challenge totals: each member's figures per challenge, maintained as they change

Every challenge board reads this table instead of aggregating run_logs and plans
(see core/challenge_totals.py). It starts empty: the app fills in the rows of challenges that
are already running the first time their board is read (members without a row are computed
then), so no counting rules are repeated here.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 08:24:29.830341
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table(
        'challenge_totals',
        sa.Column('challenge_id', Id, nullable=False),
        sa.Column('runner_id', Id, nullable=False),
        sa.Column('distance_m', sa.Float(), nullable=False),
        sa.Column('minutes', sa.Float(), nullable=False),
        sa.Column('sessions', sa.Integer(), nullable=False),
        sa.Column('runs', sa.Integer(), nullable=False),
        sa.Column('last_counted_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('adherence_done', sa.Integer(), nullable=False),
        sa.Column('adherence_due', sa.Integer(), nullable=False),
        sa.Column('adherence', sa.Float(), nullable=True),
        sa.Column('streak', sa.Integer(), nullable=False),
        sa.Column('figures_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['challenge_id'], ['challenges.id'],
                                name=op.f('fk_challenge_totals_challenge_id_challenges'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['runner_id'], ['runners.id'],
                                name=op.f('fk_challenge_totals_runner_id_runners'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('challenge_id', 'runner_id', name=op.f('pk_challenge_totals')),
    )
    with op.batch_alter_table('challenge_totals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_challenge_totals_runner_id'), ['runner_id'],
                              unique=False)
        for name, column in (('distance', 'distance_m'), ('minutes', 'minutes'),
                             ('sessions', 'sessions'), ('streak', 'streak'),
                             ('adherence', 'adherence'), ('figures_at', 'figures_at')):
            batch_op.create_index(f'ix_challenge_totals_{name}', ['challenge_id', column],
                                  unique=False)


def downgrade() -> None:
    with op.batch_alter_table('challenge_totals', schema=None) as batch_op:
        for name in ('figures_at', 'adherence', 'streak', 'sessions', 'minutes', 'distance'):
            batch_op.drop_index(f'ix_challenge_totals_{name}')
        batch_op.drop_index(batch_op.f('ix_challenge_totals_runner_id'))
    op.drop_table('challenge_totals')
