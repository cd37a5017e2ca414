"""`youthcity`: run the platform, one process of it, its migrations, and its operator tools.

youthcity up                      every service and the gateway (what `make run` calls)
youthcity run <process>           one process: gateway, jobs, housing, startup, events, notify
youthcity migrate [<process>...]  apply migrations (all processes by default)
youthcity makemigration <process> -m "why"
youthcity settings                every environment variable, its default and meaning (Markdown)
youthcity deadletters list|replay <service> [--id <message id>]
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


def cmd_migrate(args) -> int:
    from services.common.migrations import upgrade
    from services.common.registry import PROCESSES

    unknown = set(args.processes) - set(PROCESSES)
    if unknown:
        print(f"unknown process: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    for name in args.processes or list(PROCESSES):
        upgrade(PROCESSES[name].package, _settings(name).database_url)
        print(f"migrated {name}", file=sys.stderr)
    return 0


def cmd_makemigration(args) -> int:
    from services.common.migrations import autogenerate
    from services.common.registry import PROCESSES

    autogenerate(
        PROCESSES[args.process].package, _settings(args.process).database_url, args.message
    )
    return 0


def cmd_deadletters(args) -> int:
    from services.common.config import Settings
    from services.common.deadletters import list_dead_letters, print_table, replay_dead_letters

    amqp_uri = Settings.from_env(args.service).amqp_uri
    if args.action == "list":
        letters = list_dead_letters(amqp_uri, args.service)
    else:
        letters = replay_dead_letters(amqp_uri, args.service, set(args.id) if args.id else None)
    print_table(letters)
    print(
        f"{len(letters)} dead letter(s) {'listed' if args.action == 'list' else 'replayed'}",
        file=sys.stderr,
    )
    return 0


def cmd_settings(args) -> int:
    from services.common.config import reference_markdown
    from services.common.registry import settings_classes

    print(reference_markdown(settings_classes()), end="")
    return 0


def cmd_up(args) -> int:
    from .supervisor import run_platform

    return run_platform()


def main(argv: list[str] | None = None) -> None:
    from services.common.registry import PROCESSES

    parser = argparse.ArgumentParser(prog="youthcity", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    commands.add_parser("up", help="run every service and the gateway").set_defaults(func=cmd_up)

    run = commands.add_parser("run", help="run one process")
    run.add_argument("process", choices=list(PROCESSES))
    run.set_defaults(func=cmd_run)

    migrate = commands.add_parser("migrate", help="apply migrations")
    migrate.add_argument("processes", nargs="*", metavar="process", help=", ".join(PROCESSES))
    migrate.set_defaults(func=cmd_migrate)

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
    dead.set_defaults(func=cmd_deadletters)

    args = parser.parse_args(argv)
    sys.exit(args.func(args))
