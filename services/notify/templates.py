"""Template decisions: which events become which messages, in both languages.

The files `templates/<source>.json` are where each service's team writes its decisions: event
type (`<entity>.<verb>`) → `null` when the event deserves no message, or a template naming the
event field that holds the recipient's person id, the message's category, whether it is
mandatory (it reaches the inbox whatever the person's preferences), and a title and body per
language with `{field}` placeholders filled from the event's data. Two optional keys:
`channels` (the external channels, `["email"]`, `["email", "sms"]` or `[]`; by default the
policy's `default_channels`, or `mandatory_channels` for a mandatory message) and `sms_template`
(the SMS provider's approved template code, when the message needs its own).

Every event type a service publishes must have a decision there (a consistency test checks it).
The files seed the database, where templates are versioned and an administrator edits them
(`seed_from_files`): a file's decision becomes a new version when it changed, unless an
administrator has written a newer version, which then stays in force.

An administrator writes a new version (`put`, in force at once) and previews a decision
(`preview`); placeholders and the recipient are checked against the event's data schema.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.actor import ADMIN as ADMIN_ROLE
from services.common.actor import Actor
from services.common.clock import utcnow
from services.common.errors import Conflict, InvalidInput, NotFound
from services.common.models import new_id

from . import catalogue, domain
from .domain import Template
from .messages import MESSAGES
from .models import TemplateVersion
from .repository import NotifyRepository

TEMPLATE_DIR = Path(__file__).parent / "templates"
#: where a version comes from: seeded from a file, or written by an administrator
FILE, ADMIN = "file", "admin"


class UnknownTemplate(LookupError):
    """An event type with no decision."""


def load_templates(folder: Path = TEMPLATE_DIR) -> dict[str, dict[str, Template | None]]:
    """source service → event type → template (None: no message)."""
    return {
        source: {event_type: template for event_type, (template, _) in entries.items()}
        for source, entries in _read_files(folder).items()
    }


def _read_files(folder: Path) -> dict[str, dict[str, tuple[Template | None, str]]]:
    decisions = {}
    for path in sorted(folder.glob("*.json")):
        entries = json.loads(path.read_text(encoding="utf-8"))
        decisions[path.stem] = {
            event_type: (
                None if entry is None else Template(**entry),
                hashlib.sha256(json.dumps(entry, sort_keys=True).encode()).hexdigest(),
            )
            for event_type, entry in entries.items()
        }
    return decisions


def decision_of(row: TemplateVersion) -> Template | None:
    if not row.sends:
        return None
    return Template(
        recipient=row.recipient,
        category=row.category,
        mandatory=row.mandatory,
        title={"zh-CN": row.title_zh, "en": row.title_en},
        body={"zh-CN": row.body_zh, "en": row.body_en},
        channels=None if row.channels is None else tuple(filter(None, row.channels.split(","))),
        sms_template=row.sms_template,
    )


def new_version(
    source: str,
    event_type: str,
    version: int,
    template: Template | None,
    origin: str,
    created_by: str | None = None,
    file_digest: str | None = None,
) -> TemplateVersion:
    row = TemplateVersion(
        id=new_id(),
        source=source,
        event_type=event_type,
        version=version,
        sends=template is not None,
        mandatory=bool(template and template.mandatory),
        origin=origin,
        file_digest=file_digest,
        created_at=utcnow(),
        created_by=created_by,
    )
    if template is not None:
        row.recipient, row.category = template.recipient, template.category
        row.title_zh, row.title_en = template.title["zh-CN"], template.title["en"]
        row.body_zh, row.body_en = template.body["zh-CN"], template.body["en"]
        row.channels = None if template.channels is None else ",".join(template.channels)
        row.sms_template = template.sms_template
    return row


def seed(repo: NotifyRepository, folder: Path = TEMPLATE_DIR) -> int:
    """Add a version for each file decision that is new or changed since it was last seeded;
    a decision an administrator edited since is left as it is. Returns the versions added."""
    current = repo.newest_templates()
    added = 0
    for source, entries in _read_files(folder).items():
        for event_type, (template, digest) in entries.items():
            latest = current.get((source, event_type))
            if latest is not None and (latest.origin == ADMIN or latest.file_digest == digest):
                continue
            version = 1 if latest is None else latest.version + 1
            repo.add(new_version(source, event_type, version, template, FILE, None, digest))
            added += 1
    return added


def seed_from_files(session: Session, folder: Path = TEMPLATE_DIR) -> int:
    """`seed` in a session of the caller's (the template tests write their own files)."""
    return seed(NotifyRepository(session), folder)


def decision_for(repo: NotifyRepository, source: str, event_type: str) -> TemplateVersion:
    """The version in force for an event type. An event type with none yet (added to its file
    after this process started) seeds the files first; one without a decision anywhere is an
    `UnknownTemplate`, which the consumer retries and then dead-letters."""
    row = repo.newest_template(source, event_type)
    if row is None and seed(repo):
        repo.flush()
        row = repo.newest_template(source, event_type)
    if row is None:
        raise UnknownTemplate(f"{source}: {event_type}")
    return row


def known_fields(source: str, event_type: str) -> set[str]:
    """The data fields of a catalogued event type (404 for a type no process publishes)."""
    data_fields = catalogue.data_fields(source, event_type)
    if data_fields is None:
        raise NotFound("event type")
    return set(data_fields)


def template_from(data: dict, known: set[str]) -> Template | None:
    """The decision a loaded `TemplateInput` describes (None: no message), refused (422, each
    problem named) when its texts or recipient do not fit the event's fields."""
    if not data["sends"]:
        return None
    template = Template(
        recipient=data["recipient"],
        category=data["category"],
        mandatory=data["mandatory"],
        title=data["title"],
        body=data["body"],
        channels=data.get("channels"),
        sms_template=data.get("sms_template"),
    )
    problems = domain.template_problems(template, known)
    if problems:
        raise InvalidInput(
            field=problems[0][0],
            errors=[
                {"field": field, "code": code, "messages": MESSAGES.render(code)}
                for field, code in problems
            ],
        )
    return template


def put(uow, actor: Actor, source: str, event_type: str, data: dict) -> TemplateVersion:
    """A new version of the decision (模板版本), written by an administrator; it is in force at
    once, and a file's later change no longer replaces it."""
    actor.require_role(ADMIN_ROLE)
    decision = template_from(data, known_fields(source, event_type))
    latest = uow.repo.newest_template(source, event_type)
    version = 1 if latest is None else latest.version + 1
    row = new_version(source, event_type, version, decision, ADMIN, created_by=actor.account_id)
    uow.repo.add(row)
    uow.audit(
        "template.changed",
        ("template", f"{source}:{event_type}"),
        details={"version": version, "sends": decision is not None},
    )
    try:
        uow.commit()
    except sa.exc.IntegrityError as exc:  # two administrators wrote the same version at once
        raise Conflict("conflict") from exc
    return row


def preview(
    repo: NotifyRepository, actor: Actor, source: str, event_type: str, request: dict
) -> dict:
    """A decision (the request's draft, or the version in force) rendered in both languages
    with the request's data, or example values of the event's fields; `missing` names the
    placeholders the data left unfilled."""
    actor.require_role(ADMIN_ROLE)
    known = known_fields(source, event_type)
    if "template" in request:
        template = template_from(request["template"], known)
    else:
        row = repo.newest_template(source, event_type)
        template = row and decision_of(row)
    if template is None:
        raise Conflict("template_no_message")
    data = request.get("data") or domain.example_data(catalogue.data_fields(source, event_type))
    title, body = template.render(data)
    return {
        "title": title,
        "body": body,
        "data": data,
        "missing": sorted(template.fields_used() - {template.recipient} - set(data)),
    }
