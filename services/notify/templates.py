"""Message templates: which events become which messages, in both languages.

Each source service has a file `templates/<service>.json` mapping its event types
(`<entity>.<verb>`) to a template, or to `null` when the event deserves no message; every event
type a service publishes must have a decision there (a consistency test checks it). A template
names the event field holding the recipient's person id, the message's category, whether it is
mandatory (it reaches the inbox whatever the person's preferences), and a title and body per
language with `{field}` placeholders filled from the event's data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from services.common.i18n import LOCALES

TEMPLATE_DIR = Path(__file__).parent / "templates"
DISTRICT_TIME = ZoneInfo("Asia/Shanghai")


class _Missing(dict):
    def __missing__(self, key):
        return "{" + key + "}"


@dataclass(frozen=True)
class Template:
    recipient: str
    category: str
    mandatory: bool
    title: dict[str, str]
    body: dict[str, str]

    def render(self, data: dict) -> tuple[dict[str, str], dict[str, str]]:
        values = _Missing({key: _shown(value) for key, value in data.items()})
        return (
            {locale: self.title[locale].format_map(values) for locale in LOCALES},
            {locale: self.body[locale].format_map(values) for locale in LOCALES},
        )


def _shown(value):
    """ISO date-times read as district local time (2026-12-20 14:00)."""
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] == "T":
        try:
            return (
                datetime.fromisoformat(value).astimezone(DISTRICT_TIME).strftime("%Y-%m-%d %H:%M")
            )
        except ValueError:
            return value
    return value


class UnknownTemplate(LookupError):
    """An event type with no decision in its source's template file."""


def load_templates(folder: Path = TEMPLATE_DIR) -> dict[str, dict[str, Template | None]]:
    """source service → event type → template (None: no message)."""
    decisions = {}
    for path in sorted(folder.glob("*.json")):
        entries = json.loads(path.read_text(encoding="utf-8"))
        decisions[path.stem] = {
            event_type: None if entry is None else Template(**entry)
            for event_type, entry in entries.items()
        }
    return decisions


def decision_for(templates: dict, source: str, event_type: str) -> Template | None:
    try:
        return templates[source][event_type]
    except KeyError as exc:
        raise UnknownTemplate(f"{source}: {event_type}") from exc
