"""A person's notification preferences: a channel turned on or off per message category. No row
means on; a mandatory message reaches the inbox whatever the in-app choice (`domain.plan_channels`).
"""

from __future__ import annotations

from services.common.clock import utcnow
from services.common.errors import InvalidInput

from .messages import MESSAGES
from .models import Preference


def set_choices(uow, person_id: str, items: list[dict]) -> None:
    """Set the person's choices given in `items` (channel, category, enabled); the others stay.
    A category no template uses is refused (422 naming the item)."""
    now = utcnow()
    known = set(uow.repo.categories())
    for index, item in enumerate(items):
        if item["category"] not in known:
            raise InvalidInput.for_field(
                f"items.{index}.category", "preference_unknown_category", MESSAGES
            )
        key = (person_id, item["channel"], item["category"])
        row = uow.repo.get(Preference, key)
        if row is None:
            row = Preference(
                person_id=person_id, channel=item["channel"], category=item["category"]
            )
            uow.repo.add(row)
        row.enabled, row.updated_at = item["enabled"], now
    uow.commit()
