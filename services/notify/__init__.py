"""Notify: templates, inboxes, channels, preferences, webhooks and the event catalogue."""
