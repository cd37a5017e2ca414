"""The events service's programme in the policy catalogue (政策目录): activities with an
audience (节会、赛事、联谊、健身、心理健康…, plan 三.1–三.4 and 二.2), and a person's verdict,
decided by the rule registering applies (`domain.registration_refusal`: published, registration
open, the audience's ages at the activity's day) over the activities open now.

The verdict names the activities the person may register for (at most `OPEN_ACTIVITIES_ASKED`,
soonest first: the answer does not grow with the calendar).
"""

from __future__ import annotations

from services.common.benefits import FAILED, PASSED, Programme, RuleCheck, answer
from services.common.clock import clock, utcnow
from services.common.i18n import bilingual

from . import domain
from .messages import MESSAGES

KEY = "youth_activities"
#: the activities looked at for one person's verdict, soonest first
OPEN_ACTIVITIES_ASKED = 50
PROGRAMME = Programme(
    key=KEY,
    service="events",
    name=bilingual("青年文体活动", "Activities for young people"),
    unit="youth_league",
    legal_source=bilingual(
        "实施方案 三(三)1–4 文旅、消费、乡村振兴、身心健康;三(二)2 青年联谊",
        "Plan 三.1–三.4 culture, consumption, rural revitalisation, health; 二.2 youth mixers",
    ),
    conditions=(
        bilingual(
            "年龄在活动面向的年龄范围内(按活动当天计算)",
            "Your age on the day fits the activity's audience",
        ),
        bilingual("报名期内;额满后进入候补", "While registration is open; waitlisted when full"),
        bilingual("每项活动限报一次", "One registration per activity"),
    ),
    amount=bilingual("免费参加", "Free to join"),
    facts=("age",),
    apply_at="/api/v1/activities",
)


def benefits(uow, person: dict) -> list[dict]:
    """The activities open now that the person may register for, by registering's own rule."""
    now = utcnow()
    registered = set(uow.repo.activity_ids_of(person["person_id"]))
    admitted, refusals = [], []
    for activity in uow.repo.activities_open(now, OPEN_ACTIVITIES_ASKED):
        if activity.id in registered:
            continue
        age = domain.age_at_activity(
            person.get("birth_date"), person.get("age"), activity.starts_at, clock.zone
        )
        refusal = domain.registration_refusal(
            activity.state,
            domain.Audience(activity.min_age, activity.max_age),
            domain.registration_window(
                activity.registration_opens_at, activity.registration_closes_at, activity.ends_at
            ),
            age,
            now,
        )
        if refusal is None:
            admitted.append({"id": activity.id, "title": activity.title})
        else:
            refusals.append(refusal)
    if admitted:
        check = RuleCheck(
            "audience",
            PASSED,
            bilingual(
                f"有 {len(admitted)} 项活动可报名", f"{len(admitted)} activities open to you"
            ),
            ("age",),
        )
    else:
        reason = (
            refusals[0].render(MESSAGES)
            if refusals
            else bilingual("目前没有可报名的活动", "No activity is open for registration now")
        )
        missing = ("age",) if any(r.code == "age_unknown" for r in refusals) else ()
        check = RuleCheck("audience", FAILED, reason, ("age",), missing)
    return [answer(PROGRAMME, bool(admitted), [check], activities=admitted)]
