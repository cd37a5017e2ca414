"""The public API, one module of routes per area; `gateway/service.py` composes them."""
