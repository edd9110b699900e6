"""Pacer's domain: plans, logs, streaks, challenges and storage, free of any chat framework."""
