"""Who may act (services/common/actor.py): the same checks and refusals in every service."""

import pytest

from services.common.actor import Actor
from services.common.context import CallContext
from services.common.errors import Forbidden, NotFound

OFFICER = Actor("o-1", "officer", "hrss")
ADMIN = Actor("a-1", "admin")
YOUTH = Actor("y-1", "youth")


def test_the_call_context_names_the_actor():
    context = CallContext(request_id="r", actor_id="o-1", actor_role="officer", actor_unit="hrss")
    assert context.actor == OFFICER


def test_an_officer_decides_only_for_their_own_unit_and_an_admin_only_where_allowed():
    OFFICER.require_officer_of("hrss")
    with pytest.raises(Forbidden) as other_unit:
        OFFICER.require_officer_of("housing")
    assert (other_unit.value.code, other_unit.value.params) == (
        "not_responsible_unit",
        {"unit": "housing"},
    )
    ADMIN.require_officer_of("housing", admin_may=True)
    with pytest.raises(Forbidden):
        ADMIN.require_officer_of("housing")
    assert OFFICER.acts_for("hrss") and ADMIN.acts_for("hrss") and not YOUTH.acts_for("hrss")


def test_a_role_outside_the_allowed_ones_is_refused_naming_them():
    YOUTH.require_role("youth", "admin")
    with pytest.raises(Forbidden) as refused:
        OFFICER.require_role("youth", "admin")
    assert refused.value.code == "role_not_allowed"
    assert refused.value.params == {"roles": "youth, admin"}


def test_someone_elses_resource_does_not_exist_for_them():
    missing = NotFound("loan", code="loan_not_found")
    YOUTH.require_own("y-1", missing)
    ADMIN.require_own("y-1", missing)
    with pytest.raises(NotFound):
        Actor("y-2", "youth").require_own("y-1", missing)
    with pytest.raises(NotFound):
        YOUTH.require_own(None, missing)
