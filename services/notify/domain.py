"""Notify's rules as plain Python: templates, channel plans, retry schedules, webhook matching,
signing and failure policy. Nothing here imports nameko or SQLAlchemy.
"""

from __future__ import annotations

import base64
import json
import random
import secrets
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from standardwebhooks.webhooks import Webhook

from services.common.clock import clock
from services.common.i18n import LOCALES

# channels and states are the contract's words too, so they live in `vocabulary.py`; the
# names the rules' callers know from here stay importable from here
from .vocabulary import DELIVERED, EXTERNAL_CHANNELS, INAPP, PENDING, SKIPPED
from .vocabulary import EMAIL as EMAIL
from .vocabulary import SMS as SMS
from .vocabulary import valid_pattern as valid_pattern

# skip reasons
OPTED_OUT = "opted_out"
NOT_CONFIGURED = "channel_not_configured"
NO_ADDRESS = "no_address"
#: a delivery that had not gone out when its person's data was erased (PIPL)
ERASED = "erased"


# -- templates -----------------------------------------------------------------------------


def shown(value):
    """How a value reads in a message: ISO date-times as district local time (2026-12-20 14:00)."""
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] == "T":
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
        if moment.tzinfo is None:
            return value
        return moment.astimezone(clock.zone).strftime("%Y-%m-%d %H:%M")
    return value


_FORMATTER = string.Formatter()


def placeholders(text: str) -> set[str]:
    """The `{field}` names a template text uses. A malformed text raises ValueError, and so does
    a placeholder that is more than a name: a format spec (`{x:>999999999}` would make a
    gigabyte string), a conversion, or an attribute or index (`{x.__class__}`)."""
    names = set()
    for _, name, spec, conversion in _FORMATTER.parse(text):
        if name is None:
            continue
        if spec or conversion or not name.isidentifier():
            raise ValueError(f"placeholder {{{name}}} is more than a field name")
        names.add(name)
    return names


def fill(text: str, values: Mapping) -> str:
    """`text` with each `{field}` replaced by its value; a field without one stays as written.
    Only names are filled: nothing in a template runs code or sizes its own output."""
    parts = []
    for literal, name, _, _ in _FORMATTER.parse(text):
        parts.append(literal)
        if name is not None:
            parts.append(str(values[name]) if name in values else "{" + name + "}")
    return "".join(parts)


@dataclass(frozen=True)
class Template:
    """A template decision that sends a message: who receives it (the event field holding their
    person id), its category, whether it is mandatory (it reaches the inbox whatever the person's
    preferences), title and body per language with `{field}` placeholders, and optionally the
    external channels it goes out on and the SMS provider's template code."""

    recipient: str
    category: str
    mandatory: bool
    title: dict[str, str]
    body: dict[str, str]
    channels: tuple[str, ...] | None = None
    sms_template: str | None = None

    def __post_init__(self):
        if self.channels is not None:
            object.__setattr__(self, "channels", tuple(self.channels))

    def render(self, data: Mapping) -> tuple[dict[str, str], dict[str, str]]:
        values = {key: shown(value) for key, value in data.items()}
        return (
            {locale: fill(self.title[locale], values) for locale in LOCALES},
            {locale: fill(self.body[locale], values) for locale in LOCALES},
        )

    def fields_used(self) -> set[str]:
        used = {self.recipient}
        for text in (*self.title.values(), *self.body.values()):
            used |= placeholders(text)
        return used

    def as_entry(self) -> dict:
        """The template in the template files' format."""
        entry = {
            "recipient": self.recipient,
            "category": self.category,
            "mandatory": self.mandatory,
            "title": dict(self.title),
            "body": dict(self.body),
        }
        if self.channels is not None:
            entry["channels"] = list(self.channels)
        if self.sms_template is not None:
            entry["sms_template"] = self.sms_template
        return entry


def template_problems(template: Template, known_fields: set[str] | None) -> list[tuple[str, str]]:
    """(field, code) for each thing wrong with a template; `known_fields` are the fields of the
    event's data schema (None: not known, placeholders are not checked)."""
    problems = []
    for part in ("title", "body"):
        texts = getattr(template, part)
        for locale in LOCALES:
            if not texts.get(locale):
                problems.append((f"{part}.{locale}", "required"))
                continue
            try:
                names = placeholders(texts[locale])
            except ValueError:
                problems.append((f"{part}.{locale}", "template.malformed"))
                continue
            if known_fields is not None and names - known_fields:
                problems.append((f"{part}.{locale}", "template.unknown_placeholder"))
    if known_fields is not None and template.recipient not in known_fields:
        problems.append(("recipient", "template.unknown_field"))
    for channel in template.channels or ():
        if channel not in EXTERNAL_CHANNELS:
            problems.append(("channels", "template.unknown_channel"))
    return problems


def example_data(schema_fields: Mapping[str, str]) -> dict:
    """Stand-in event data for a preview: field name → type name (as in the event catalogue)."""
    samples = {
        "DateTime": "2026-12-20T06:00:00+00:00",
        "Date": "2026-12-20",
        "Integer": 1,
        "Float": 1.5,
        "Decimal": "1500.00",
        "Boolean": True,
    }
    return {name: samples.get(kind, f"<{name}>") for name, kind in schema_fields.items()}


# -- channels and preferences --------------------------------------------------------------


@dataclass(frozen=True)
class ChannelPlan:
    """What one message does on each channel: whether it shows in the inbox, and per channel the
    delivery's first state and, for a skip, why."""

    in_inbox: bool
    deliveries: tuple[tuple[str, str, str | None], ...]


def plan_channels(
    template: Template,
    opted_out: set[tuple[str, str]],
    configured: Iterable[str],
    default_channels: tuple[str, ...],
    mandatory_channels: tuple[str, ...],
) -> ChannelPlan:
    """In-app always exists; a mandatory message reaches the inbox whatever the preferences. An
    external channel is tried unless the person opted out of it for the category or the platform
    has no such channel configured."""
    configured = set(configured)
    in_inbox = template.mandatory or (INAPP, template.category) not in opted_out
    deliveries = [(INAPP, DELIVERED, None) if in_inbox else (INAPP, SKIPPED, OPTED_OUT)]
    wanted = template.channels
    if wanted is None:
        wanted = mandatory_channels if template.mandatory else default_channels
    for channel in EXTERNAL_CHANNELS:
        if channel not in wanted:
            continue
        if (channel, template.category) in opted_out:
            deliveries.append((channel, SKIPPED, OPTED_OUT))
        elif channel not in configured:
            deliveries.append((channel, SKIPPED, NOT_CONFIGURED))
        else:
            deliveries.append((channel, PENDING, None))
    return ChannelPlan(in_inbox, tuple(deliveries))


# -- retries -------------------------------------------------------------------------------


def next_attempt_delay(
    attempts: int, delays: tuple[float, ...], jitter: float = 0.0, rand=random.random
) -> float | None:
    """Seconds before the next attempt after `attempts` failed ones, or None when the schedule
    is spent. `jitter` spreads retries by ±that fraction so a recovering endpoint is not hit by
    every delivery at once."""
    if attempts < 1 or attempts > len(delays):
        return None
    delay = delays[attempts - 1]
    if jitter:
        delay *= 1 + jitter * (2 * rand() - 1)
    return max(0.0, delay)


class SendFailure(Exception):
    """A channel could not deliver; `temporary` failures are retried. `reason` is safe to store
    and log: a code, never an address."""

    def __init__(self, reason: str, temporary: bool, retry_after: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.temporary = temporary
        self.retry_after = retry_after


# -- webhooks ------------------------------------------------------------------------------


def topic_matches(pattern: str, routing_key: str) -> bool:
    """AMQP topic matching, as RabbitMQ does it (`youthcity.jobs.#` matches every jobs event).

    One pass over the pattern's words, keeping as bits the key positions the words so far can
    reach (bit i: the first i words of the key consumed): a few integer operations per pattern
    word, whatever the pattern, where matching by backtracking took exponential time on a
    pattern of many `#` (a partner's subscription must not be able to stall notify)."""
    key = routing_key.split(".")
    everywhere = (1 << (len(key) + 1)) - 1
    at_word: dict[str, int] = {}  # word → bits of the positions where the key has it
    for position, word in enumerate(key):
        at_word[word] = at_word.get(word, 0) | (1 << position)
    any_word = (1 << len(key)) - 1
    reachable = 1
    for word in pattern.split("."):
        if word == "#":  # zero or more words: every position from the first reachable one on
            reachable = everywhere & ~((reachable & -reachable) - 1)
        else:
            reachable = (reachable & (any_word if word == "*" else at_word.get(word, 0))) << 1
        if not reachable:
            return False
    return bool(reachable >> len(key) & 1)


def subscribed(patterns: Iterable[str], event_type: str) -> bool:
    return any(topic_matches(pattern, event_type) for pattern in patterns)


def new_secret() -> str:
    """A Standard Webhooks secret: `whsec_` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def new_delivery_id() -> str:
    """The `webhook-id`: the same on every attempt and replay, so subscribers skip duplicates."""
    return "msg_" + secrets.token_hex(16)


def signature_header(secrets_in_force: Iterable[str], msg_id: str, at: datetime, body: str) -> str:
    """`webhook-signature`: `v1,<base64 HMAC-SHA256 of id.timestamp.body>` per secret in force
    (two during a rotation's overlap), space-separated, as the Standard Webhooks spec says."""
    moment = at.astimezone(UTC).replace(tzinfo=None)
    return " ".join(Webhook(secret).sign(msg_id, moment, body) for secret in secrets_in_force)


def signing_secrets(
    secret: str, previous: str | None, previous_until: datetime | None, now: datetime
) -> list[str]:
    return [secret] + ([previous] if previous and previous_until and now < previous_until else [])


@dataclass(frozen=True)
class AttemptOutcome:
    """What an attempt's answer means: delivered, retry (temporarily failed), failed (the
    subscriber refused it for good) or gone (410: the subscriber asks to be disabled)."""

    kind: str
    reason: str | None = None
    retry_after: float | None = None


def classify_response(status: int | None, error: str | None = None, retry_after=None):
    """Network errors, 5xx and 429 are retried; 2xx delivered; 410 disables the endpoint; any
    other status (redirects are not followed) fails the delivery."""
    if status is None:
        return AttemptOutcome("retry", error or "network_error")
    if 200 <= status < 300:
        return AttemptOutcome("delivered")
    if status == 410:
        return AttemptOutcome("gone", "http_410")
    if status == 429 or status >= 500:
        return AttemptOutcome("retry", f"http_{status}", _seconds(retry_after))
    return AttemptOutcome("failed", f"http_{status}")


def _seconds(retry_after) -> float | None:
    try:
        return max(0.0, float(retry_after)) if retry_after not in (None, "") else None
    except (TypeError, ValueError):
        return None  # an HTTP-date Retry-After: the schedule decides


def failures_after(consecutive_failures: int, outcome: AttemptOutcome) -> int:
    """The endpoint's run of failed attempts once this one is counted (a success ends it)."""
    return 0 if outcome.kind == "delivered" else consecutive_failures + 1


def disable_reason(consecutive_failures: int, outcome: AttemptOutcome, disable_after: int):
    """Why the endpoint must be disabled after this attempt, or None: it answered 410, or its run
    of failures reached `disable_after`."""
    if outcome.kind == "gone":
        return "gone"
    if outcome.kind != "delivered" and consecutive_failures >= disable_after:
        return "consecutive_failures"
    return None


# -- erasure (PIPL) ------------------------------------------------------------------------

#: the CloudEvents extension attribute saying why a webhook delivery carries no data
WITHHELD_ATTRIBUTE = "datawithheld"


def tells_of_erasure(event_type: str) -> bool:
    """`person.erased` and `person.anonymised` name the person on purpose (their data are ids
    only, by their schemas): subscribers need them whole to erase the person too."""
    return event_type.endswith((".person.erased", ".person.anonymised"))


def strings_in(data) -> set[str]:
    """Every string value in an event's data, at any depth: the candidates for a person id."""
    if isinstance(data, str):
        return {data}
    if isinstance(data, Mapping):
        data = data.values()
    elif not isinstance(data, list | tuple):
        return set()
    return set().union(*(strings_in(value) for value in data))


def withhold_data(payload: str) -> str:
    """A webhook delivery's CloudEvent with its data taken out: the event still reaches the
    subscriber (in its order), but what it said about an erased person does not."""
    envelope = json.loads(payload)
    envelope["data"] = {}
    envelope[WITHHELD_ATTRIBUTE] = "erasure"
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":"))


def after(now: datetime, seconds: float) -> datetime:
    return now + timedelta(seconds=seconds)
