"""The small kit every service shares: configuration, logs, database, messaging, errors, checks.

Nothing domain-specific lives here.
"""
