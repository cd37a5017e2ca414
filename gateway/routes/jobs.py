"""Routes of the jobs service (see services/jobs/README.md)."""

from __future__ import annotations


class JobsRoutes:
    """The public API of the jobs service."""
