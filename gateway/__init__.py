"""The HTTP gateway: accounts, tokens, the public API under /api/v1, aggregated views."""
