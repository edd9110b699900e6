"""Pacer's domain: training plans, logs, streaks, challenges and storage, free of any chat framework."""
