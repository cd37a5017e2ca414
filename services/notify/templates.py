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
"""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.common.clock import utcnow

from .domain import Template
from .models import TemplateVersion

TEMPLATE_DIR = Path(__file__).parent / "templates"
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


def current_version(session: Session, source: str, event_type: str) -> TemplateVersion | None:
    return session.execute(
        sa.select(TemplateVersion)
        .where(TemplateVersion.source == source, TemplateVersion.event_type == event_type)
        .order_by(TemplateVersion.version.desc())
        .limit(1)
    ).scalar_one_or_none()


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
        id=str(uuid.uuid4()),
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


def seed_from_files(session: Session, folder: Path = TEMPLATE_DIR) -> int:
    """Add a version for each file decision that is new or changed since it was last seeded;
    a decision an administrator edited since is left as it is. Returns the versions added."""
    current = {}
    for row in session.execute(
        sa.select(TemplateVersion).order_by(TemplateVersion.version)
    ).scalars():
        current[(row.source, row.event_type)] = row  # the last one read is the newest
    added = 0
    for source, entries in _read_files(folder).items():
        for event_type, (template, digest) in entries.items():
            latest = current.get((source, event_type))
            if latest is not None and (latest.origin == ADMIN or latest.file_digest == digest):
                continue
            version = 1 if latest is None else latest.version + 1
            session.add(new_version(source, event_type, version, template, FILE, None, digest))
            added += 1
    return added
