"""Startup (一.4): one-stop business registration, guaranteed loans, incubator spaces, training."""
