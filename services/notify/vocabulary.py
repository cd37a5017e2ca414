"""The words notify's boundary and its rules share: channels, the states of a delivery and of a
webhook subscription, and the form of a subscription's topic pattern. It imports nothing of the
service, so the gateway's contract (`contract.py`) and the rules (`domain.py`) both read it.
"""

from __future__ import annotations

import re

INAPP, EMAIL, SMS = "inapp", "email", "sms"
CHANNELS = (INAPP, EMAIL, SMS)
#: the channels that leave the platform (the inbox is in-app)
EXTERNAL_CHANNELS = (EMAIL, SMS)

# delivery states (a message on one channel, and a webhook delivery)
PENDING, DELIVERED, FAILED, SKIPPED = "pending", "delivered", "failed", "skipped"
DELIVERY_STATES = (PENDING, DELIVERED, FAILED, SKIPPED)
#: a webhook delivery is never skipped: a subscriber receives every event it subscribed to
WEBHOOK_STATES = (PENDING, DELIVERED, FAILED)

# webhook subscription states
ACTIVE, DISABLED = "active", "disabled"

_WORD = re.compile(r"^(\*|#|[A-Za-z0-9_-]+)$")


#: a pattern needs no more `#` than this to say anything a subscriber means ("every event of
#: jobs" is `youthcity.jobs.#`; "every hire anywhere" `#.application.#` at most); more only
#: costs matching time
MAX_MULTI_WORD_WILDCARDS = 2


def valid_pattern(pattern: str) -> bool:
    """An AMQP topic pattern: dot-separated words, `*` for one word, `#` for zero or more (at
    most `MAX_MULTI_WORD_WILDCARDS` of them)."""
    words = pattern.split(".")
    return (
        bool(pattern)
        and all(_WORD.match(word) for word in words)
        and words.count("#") <= MAX_MULTI_WORD_WILDCARDS
    )
