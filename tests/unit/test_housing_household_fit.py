"""Units matched to household size (issue 23): a rental is offered only to a household that
fits it, by the policy's persons per room and, when set, its spare rooms; a unit nobody
waiting fits stays available; an officer naming such a unit is told why, in both languages.
Handlers on the in-memory unit of work (`tests/support/fake_housing.py`)."""

from datetime import timedelta

import pytest

from services.common.clock import utcnow
from services.common.errors import Conflict, IllegalTransition, InvalidInput
from services.housing import allocation, domain
from services.housing.messages import MESSAGES
from services.housing.models import HousingApplication, HousingUnit
from services.housing.policy import HousingPolicy
from services.housing.vocabulary import (
    AVAILABLE,
    OFFERED,
    OFFERED_APP,
    PUBLIC_RENTAL,
    TALENT_APARTMENT,
    WAITLISTED,
)
from tests.support.fake_housing import (
    OFFICER,
    FakeHousingRepository,
    housing_unit,
    unit_of_work,
    waiting_application,
    youth,
)

POLICY = HousingPolicy()


def families(repo, *sizes: int, kind: str = TALENT_APARTMENT) -> list[HousingApplication]:
    """Households of `sizes` waiting in line, in that order of arrival (`app-0`, `app-1`…)."""
    start = utcnow() - timedelta(days=len(sizes))
    rows = [
        waiting_application(
            f"app-{i}", f"p-{i}", kind, household_size=size, submitted_at=start + timedelta(days=i)
        )
        for i, size in enumerate(sizes)
    ]
    for row in rows:
        repo.add(row)
    return rows


@pytest.mark.parametrize(
    ("rooms", "spare", "fewest", "most"),
    [
        (0, None, 1, 2),  # a studio counts as one room
        (1, None, 1, 2),
        (3, None, 1, 6),
        (3, 1, 2, 6),  # three rooms are kept for two persons or more
        (1, 0, 1, 2),
        (5, 0, 5, 10),
    ],
)
def test_the_households_a_unit_fits_follow_the_policy(rooms, spare, fewest, most):
    fitting = domain.households_fitting(rooms, HousingPolicy(max_spare_rooms=spare))
    assert (fitting.fewest, fitting.most) == (fewest, most)
    assert fitting.fit(most) and not fitting.fit(most + 1)
    assert fitting.fit(None) is (fewest == 1)  # no size given: one person


def test_a_policy_of_no_persons_per_room_is_refused_at_start():
    with pytest.raises(ValueError, match="max_persons_per_room"):
        HousingPolicy(max_persons_per_room=0)
    with pytest.raises(ValueError, match="max_spare_rooms"):
        HousingPolicy(max_spare_rooms=-1)


def test_a_unit_goes_to_the_first_household_that_fits_and_the_others_keep_their_place():
    repo = FakeHousingRepository(housing_unit("one-room", rooms=1))
    big, single = families(repo, 3, 1)
    uow = unit_of_work(repo)
    result = allocation.allocation_round(uow, OFFICER, TALENT_APARTMENT, POLICY)
    assert [(o.unit_id, o.application_id) for o in result.offers] == [("one-room", single.id)]
    assert (big.state, single.state) == (WAITLISTED, OFFERED_APP)


def test_a_round_skips_a_unit_nobody_waiting_fits_and_offers_the_next():
    repo = FakeHousingRepository(
        housing_unit("three-rooms", rooms=3, created_at=utcnow() - timedelta(days=1)),
        housing_unit("one-room", rooms=1),
    )
    [single] = families(repo, 1)
    policy = HousingPolicy(max_spare_rooms=1)
    result = allocation.allocation_round(unit_of_work(repo), OFFICER, TALENT_APARTMENT, policy)
    assert [(o.unit_id, o.application_id) for o in result.offers] == [("one-room", single.id)]
    assert repo.get(HousingUnit, "three-rooms").state == AVAILABLE
    assert result.units_left == []  # nobody waits any more: not a matter of size


def test_a_round_names_the_units_it_left_for_their_size_while_households_wait():
    repo = FakeHousingRepository(housing_unit("one-room", rooms=1))
    families(repo, 3)
    result = allocation.allocation_round(unit_of_work(repo), OFFICER, TALENT_APARTMENT, POLICY)
    assert result.offers == []
    assert result.units_left == [{"unit_id": "one-room", "rooms": 1, "fewest": 1, "most": 2}]


def test_a_unit_freed_by_a_decline_goes_to_the_next_household_that_fits():
    repo = FakeHousingRepository(housing_unit("one-room", rooms=1))
    first, too_big, second = families(repo, 1, 4, 2)
    [offer] = allocation.allocation_round(
        unit_of_work(repo), OFFICER, TALENT_APARTMENT, POLICY
    ).offers
    assert offer.application_id == first.id
    allocation.decline(unit_of_work(repo), youth(first.person_id), offer.id, POLICY)
    assert (too_big.state, second.state) == (WAITLISTED, OFFERED_APP)


def test_an_officer_naming_a_unit_no_waiting_household_fits_is_told_why_and_nothing_changes():
    repo = FakeHousingRepository(housing_unit("one-room", rooms=1))
    [family] = families(repo, 5)
    uow = unit_of_work(repo)
    with pytest.raises(Conflict) as refused:
        allocation.allocation_round(uow, OFFICER, TALENT_APARTMENT, POLICY, unit_id="one-room")
    problem = refused.value
    assert (problem.code, problem.field) == ("unit_fits_no_household", "unit_id")
    assert problem.params == {"rooms": 1, "fewest": 1, "most": 2}
    messages = MESSAGES.render(problem.code, problem.params)
    assert "1至2人" in messages["zh-CN"] and "1 to 2" in messages["en"]
    assert repo.get(HousingUnit, "one-room").state == AVAILABLE
    assert family.state == WAITLISTED and uow.event_types() == []


def test_an_officer_naming_a_unit_offers_it_alone_to_the_household_that_fits():
    repo = FakeHousingRepository(
        housing_unit("two-rooms", rooms=2), housing_unit("one-room", rooms=1)
    )
    big, single = families(repo, 4, 1)
    result = allocation.allocation_round(
        unit_of_work(repo), OFFICER, TALENT_APARTMENT, POLICY, unit_id="two-rooms"
    )
    assert [(o.unit_id, o.application_id) for o in result.offers] == [("two-rooms", big.id)]
    assert repo.get(HousingUnit, "one-room").state == AVAILABLE
    assert repo.get(HousingUnit, "two-rooms").state == OFFERED
    assert single.state == WAITLISTED


def test_naming_a_unit_with_nobody_waiting_another_kind_or_one_already_offered_is_refused():
    repo = FakeHousingRepository(
        housing_unit("flat", rooms=1), housing_unit("rental", PUBLIC_RENTAL, rooms=1)
    )
    with pytest.raises(Conflict) as empty:
        allocation.allocation_round(
            unit_of_work(repo), OFFICER, TALENT_APARTMENT, POLICY, unit_id="flat"
        )
    assert empty.value.code == "nobody_waiting"
    with pytest.raises(InvalidInput) as other_kind:
        allocation.allocation_round(
            unit_of_work(repo), OFFICER, TALENT_APARTMENT, POLICY, unit_id="rental"
        )
    assert other_kind.value.errors[0]["code"] == "unit_of_another_kind"
    families(repo, 1)
    allocation.allocation_round(unit_of_work(repo), OFFICER, TALENT_APARTMENT, POLICY)
    with pytest.raises(IllegalTransition):
        allocation.allocation_round(
            unit_of_work(repo), OFFICER, TALENT_APARTMENT, POLICY, unit_id="flat"
        )
