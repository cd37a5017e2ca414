from services.common.migrations import run_migrations

run_migrations()
