"""Routes of the housing service (see services/housing/README.md)."""

from __future__ import annotations


class HousingRoutes:
    """The public API of the housing service."""
