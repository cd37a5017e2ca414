"""Routes of the startup service (see services/startup/README.md)."""

from __future__ import annotations


class StartupRoutes:
    """The public API of the startup service."""
