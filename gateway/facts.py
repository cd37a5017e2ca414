"""The youth profile's facts as events change them: a hire reported by jobs makes the person
employed (就业), so that what rests on employment (traineeship eligibility, youth-station
nights, which are for job seekers) sees it without the person having to say so.

Applied once, through the gateway's inbox (`gateway/background.py`).
"""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from services.common.clock import clock

from .models import YouthProfile

EMPLOYED = "employed"
#: a hire into one of these is employment; an internship (实习) or a traineeship (就业见习) is
#: not: a trainee is still a job seeker for the traineeship and station rules
EMPLOYMENT_POSTS = ("job",)


class JobsApplicationHired(Schema):
    """`youthcity.jobs.application.hired` as the jobs service's contract defines it (a
    tolerant reader: fields added later are ignored)."""

    class Meta:
        unknown = EXCLUDE

    application_id = fields.String(required=True)
    post_kind = fields.String(
        required=True, validate=validate.OneOf(("job", "internship", "traineeship"))
    )
    employer_id = fields.String(required=True)
    person_id = fields.String(required=True)
    hired_at = fields.AwareDateTime(required=True)


def record_hire(event, uow) -> None:
    """The person hired into a job is employed by that employer since the hire's day; a hire
    older than the employment already recorded changes nothing (events may come late)."""
    hire = event.data
    if hire["post_kind"] not in EMPLOYMENT_POSTS:
        return
    profile = uow.session.get(YouthProfile, hire["person_id"], with_for_update=True)
    if profile is None:
        return  # erased, or a person without a profile: nothing to keep
    since = clock.local_date(hire["hired_at"])
    if profile.employed_since is not None and profile.employed_since > since:
        return
    profile.employment_status = EMPLOYED
    profile.employer_id, profile.employed_since = hire["employer_id"], since
    uow.session.flush()
