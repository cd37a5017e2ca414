"""`youthcity`: run the platform, one process of it, its migrations, and its operator tools.

youthcity up                      every service and the gateway (what `make run` calls)
youthcity run <process>           one process: gateway, jobs, housing, startup, events, notify
youthcity migrate [all|<process>...] [--revision R] [--lock-timeout S]
                                  apply migrations (all processes by default), a line a revision
youthcity migrate current [<process>...]   each database's revision and whether this code runs
youthcity downgrade <process> --revision R [--lock-timeout S]
youthcity makemigration <process> -m "why"
youthcity settings                every environment variable, its default and meaning (Markdown)
youthcity deadletters list <service> [--limit N] [--offset N]
youthcity deadletters replay <service> (--id <message id>... | --all)
youthcity broker accounts --write-dir DIR   an account per process; DIR/<process>/amqp_uri each
"""

# eventlet must patch the standard library before anything creates a lock or a socket
import os
import sys
import warnings

# Only notify looks up other systems' host names while it serves (webhooks, SMTP, SMS), where a
# lookup must not stop every green thread; the other processes look up their infrastructure's
# names once per connection. Eventlet's green resolver (dnspython) costs ~11 MB a process, so
# only notify loads it (eventlet reads the variable once, so it is not handed down to the
# processes `youthcity up` starts).
_WITHOUT_GREEN_DNS = sys.argv[1:3] != ["run", "notify"] and "EVENTLET_NO_GREENDNS" not in os.environ
if _WITHOUT_GREEN_DNS:
    os.environ["EVENTLET_NO_GREENDNS"] = "yes"
warnings.filterwarnings("ignore", message="\nEventlet is deprecated")
import eventlet  # noqa: E402

eventlet.monkey_patch()
if _WITHOUT_GREEN_DNS:
    del os.environ["EVENTLET_NO_GREENDNS"]

import argparse  # noqa: E402


def _settings(name: str):
    from services.common.registry import PROCESSES

    return PROCESSES[name].settings()


def cmd_run(args) -> int:
    from services.common.registry import PROCESSES
    from services.common.runner import run_service

    settings = _settings(args.process)
    extra = {}
    if args.process == "gateway":
        from gateway.auth import jwt_secret_problem

        problem = jwt_secret_problem(settings.jwt_secret)
        if problem:  # one line, not a traceback: the operator's next step is in it
            print(f"youthcity: gateway not started: {problem}", file=sys.stderr)
            return 2
        extra["WEB_SERVER_ADDRESS"] = settings.web_server_address
    run_service(PROCESSES[args.process].load(), settings, extra)
    return 0


#: seconds `migrate` waits for another migration of the same database: longer than a first
#: migration of every table takes here, shorter than an init container's patience
DEFAULT_LOCK_TIMEOUT = 300.0


def _processes(names: list[str]) -> list[str] | None:
    """The processes named (`all` or none: every one); None, with a message, for an unknown."""
    from services.common.registry import PROCESSES

    names = [name for name in names if name != "all"] or list(PROCESSES)
    unknown = set(names) - set(PROCESSES)
    if unknown:
        print(
            f"unknown process: {', '.join(sorted(unknown))} (one of: all, {', '.join(PROCESSES)})",
            file=sys.stderr,
        )
        return None
    return names


def _progress(name: str):
    return lambda line: print(f"{name}: {line}", file=sys.stderr, flush=True)


def cmd_migrate(args) -> int:
    from services.common.migrations import MigrationLockTimeout, upgrade
    from services.common.registry import PROCESSES

    if args.processes[:1] == ["current"]:
        return cmd_current(args.processes[1:])
    names = _processes(args.processes)
    if names is None:
        return 2
    if args.revision and len(names) != 1:
        print(
            "--revision names a revision of one process's history: name one process",
            file=sys.stderr,
        )
        return 2
    for name in names:
        report = _progress(name)
        report(f"migrating to {args.revision or 'head'}")
        try:
            upgrade(
                PROCESSES[name].package,
                _settings(name).database_url,
                args.revision or "head",
                lock_timeout=args.lock_timeout,
                progress=report,
            )
        except MigrationLockTimeout as exc:
            print(str(exc), file=sys.stderr)
            return 1
        print(f"migrated {name}", file=sys.stderr)
    return 0


def cmd_current(processes: list[str]) -> int:
    """A line per process: its database's revision, and whether this code can run against it."""
    import sqlalchemy as sa

    from services.common.db import create_engine_for
    from services.common.migrations import schema_is_supported
    from services.common.registry import PROCESSES

    names = _processes(processes)
    if names is None:
        return 2
    for name in names:
        engine = create_engine_for(_settings(name).database_url, pool_size=1)
        try:
            verdict = schema_is_supported(engine, PROCESSES[name].package)
            state = "runs" if verdict.supported else "does not run"
            print(f"{name}: {verdict.detail} (this code {state} against it)")
        except sa.exc.SQLAlchemyError as exc:
            print(f"{name}: database unreachable ({type(exc).__name__})")
        finally:
            engine.dispose()
    return 0


def cmd_downgrade(args) -> int:
    from services.common.migrations import MigrationLockTimeout, downgrade
    from services.common.registry import PROCESSES

    report = _progress(args.process)
    report(f"downgrading to {args.revision}")
    try:
        downgrade(
            PROCESSES[args.process].package,
            _settings(args.process).database_url,
            args.revision,
            lock_timeout=args.lock_timeout,
            progress=report,
        )
    except MigrationLockTimeout as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"downgraded {args.process}", file=sys.stderr)
    return 0


def cmd_makemigration(args) -> int:
    from services.common.migrations import autogenerate
    from services.common.registry import PROCESSES

    autogenerate(
        PROCESSES[args.process].package, _settings(args.process).database_url, args.message
    )
    return 0


def _known_service(amqp_uri: str, service: str) -> bool:
    """A platform process, or any consumer whose inbox queue the broker has."""
    from services.common.amqp import inbox_queue
    from services.common.deadletters import queue_exists
    from services.common.registry import PROCESSES

    return service in PROCESSES or queue_exists(amqp_uri, inbox_queue(service))


def cmd_deadletters(args) -> int:
    from services.common.amqp import dead_letter_queue
    from services.common.config import Settings
    from services.common.deadletters import (
        count_messages,
        list_dead_letters,
        print_table,
        replay_dead_letters,
    )
    from services.common.registry import PROCESSES

    amqp_uri = Settings.from_env(args.service).amqp_uri
    if not _known_service(amqp_uri, args.service):
        print(
            f"unknown service {args.service!r}: not a platform process ({', '.join(PROCESSES)}) "
            "and no consumer of that name on the broker",
            file=sys.stderr,
        )
        return 2
    waiting = count_messages(amqp_uri, dead_letter_queue(args.service)) or 0
    if args.action == "list":
        letters = list_dead_letters(amqp_uri, args.service, args.limit, args.offset)
        print_table(letters)
        shown = f"{args.offset + 1}-{args.offset + len(letters)}" if letters else "none"
        print(f"{len(letters)} dead letter(s) listed ({shown} of {waiting})", file=sys.stderr)
        if args.offset + len(letters) < waiting:
            print(f"next page: --offset {args.offset + len(letters)}", file=sys.stderr)
        return 0
    if bool(args.id) == args.all:
        print(
            f"{waiting} dead letter(s) waiting: name the ones to replay with --id, or replay "
            "every one with --all (not both)",
            file=sys.stderr,
        )
        return 2
    if args.all:
        print(f"replaying {waiting} dead letter(s) of {args.service}", file=sys.stderr, flush=True)
    letters = replay_dead_letters(amqp_uri, args.service, None if args.all else set(args.id))
    print_table(letters)
    print(f"{len(letters)} dead letter(s) replayed", file=sys.stderr)
    return 0


def cmd_broker(args) -> int:
    from services.common.config import Settings

    from .broker import BrokerAdmin, write_platform_accounts

    amqp_uri = Settings.from_env("gateway").amqp_uri
    if not BrokerAdmin(amqp_uri).available():
        print(
            "youthcity: cannot create broker accounts: set RABBITMQ_MANAGEMENT_URL "
            "(http://<admin>:<password>@<host>:15672) or run where rabbitmqctl is",
            file=sys.stderr,
        )
        return 2
    for process, path in write_platform_accounts(amqp_uri, args.write_dir).items():
        print(f"{process}: {path}", file=sys.stderr)
    return 0


def cmd_settings(args) -> int:
    from services.common.config import reference_markdown
    from services.common.registry import settings_classes

    print(reference_markdown(settings_classes()), end="")
    return 0


def cmd_up(args) -> int:
    from .supervisor import run_platform

    return run_platform()


def _lock_timeout(parser) -> None:
    parser.add_argument(
        "--lock-timeout",
        type=float,
        default=DEFAULT_LOCK_TIMEOUT,
        metavar="SECONDS",
        help="how long to wait for another migration of the same database "
        f"(default {DEFAULT_LOCK_TIMEOUT:g})",
    )


def main(argv: list[str] | None = None) -> None:
    from services.common.registry import PROCESSES

    parser = argparse.ArgumentParser(prog="youthcity", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    commands.add_parser("up", help="run every service and the gateway").set_defaults(func=cmd_up)

    run = commands.add_parser("run", help="run one process")
    run.add_argument("process", choices=list(PROCESSES))
    run.set_defaults(func=cmd_run)

    migrate = commands.add_parser("migrate", help="apply migrations, or show them (`current`)")
    migrate.add_argument(
        "processes",
        nargs="*",
        metavar="process",
        help=f"all (the default), current, or some of: {', '.join(PROCESSES)}",
    )
    migrate.add_argument("--revision", help="stop at this revision (one process only)")
    _lock_timeout(migrate)
    migrate.set_defaults(func=cmd_migrate)

    down = commands.add_parser("downgrade", help="migrate one process's database down")
    down.add_argument("process", choices=list(PROCESSES))
    down.add_argument("--revision", required=True, help="the revision to go down to")
    _lock_timeout(down)
    down.set_defaults(func=cmd_downgrade)

    make = commands.add_parser("makemigration", help="autogenerate a migration")
    make.add_argument("process", choices=list(PROCESSES))
    make.add_argument("-m", "--message", required=True)
    make.set_defaults(func=cmd_makemigration)

    commands.add_parser(
        "settings", help="the configuration reference: every variable, its default, its meaning"
    ).set_defaults(func=cmd_settings)

    dead = commands.add_parser("deadletters", help="list or replay a service's dead letters")
    dead.add_argument("action", choices=["list", "replay"])
    dead.add_argument("service", help="the consuming service, e.g. notify")
    dead.add_argument("--id", action="append", help="replay only this message id (repeatable)")
    dead.add_argument("--all", action="store_true", help="replay every dead letter")
    dead.add_argument("--limit", type=int, default=1000, help="letters a page lists")
    dead.add_argument("--offset", type=int, default=0, help="letters to skip before the page")
    dead.set_defaults(func=cmd_deadletters)

    broker = commands.add_parser("broker", help="the platform's accounts on the broker")
    broker.add_argument("action", choices=["accounts"])
    broker.add_argument(
        "--write-dir",
        required=True,
        help="where each process's AMQP URI is written, as <dir>/<process>/amqp_uri (mode 0400)",
    )
    broker.set_defaults(func=cmd_broker)

    args = parser.parse_args(argv)
    sys.exit(args.func(args))
