"""Areas as a code list and breakdowns with small cells suppressed (gateway/areas.py,
gateway/breakdowns.py)."""

from collections import Counter
from datetime import date

from gateway import areas, breakdowns
from gateway.breakdowns import Facts
from tests.support.api import citizen_id


def test_the_district_has_two_townships_and_four_sub_district_offices():
    kinds = Counter(area.kind for area in areas.configured())
    assert kinds == {"township": 2, "subdistrict": 4}


def test_a_residence_is_located_by_code_name_or_a_text_starting_with_a_name():
    assert areas.locate("subdistrict_2") == "subdistrict_2"
    assert areas.locate("二号街道") == "subdistrict_2"
    assert areas.locate("二号街道幸福社区") == "subdistrict_2"
    assert areas.locate("Township 1") == "township_1"
    # free text written before the list existed stays as it was, located nowhere
    assert areas.locate("龙泉街道 7a1c") is None and areas.locate(None) is None


def test_sex_comes_from_the_17th_digit_of_the_id_number():
    assert breakdowns.sex_of("11010519491231002X") == "female"  # 17th digit 2
    assert breakdowns.sex_of("110105194912310016") == "male"  # 17th digit 1
    assert breakdowns.sex_of(None) == "unknown"


def test_age_bands_are_the_plans():
    day = date(2036, 6, 17)
    assert breakdowns.age_band(breakdowns.age_on(date(2022, 6, 18), day)) == "unknown"  # 13
    assert breakdowns.age_band(breakdowns.age_on(date(2018, 6, 18), day)) == "14-17"  # 17
    assert breakdowns.age_band(breakdowns.age_on(date(2018, 6, 17), day)) == "18-24"  # 18 today
    assert breakdowns.age_band(35) == "30-35" and breakdowns.age_band(36) == "unknown"


def people(area: str, count: int, sex: str = "female") -> list[Facts]:
    return [Facts(area, sex, "18-24", "bachelor")] * count


def test_a_small_cell_is_suppressed_and_one_more_so_the_total_does_not_reveal_it():
    facts = people("township_1", 6) + people("subdistrict_1", 5) + people("subdistrict_2", 1)
    answer = breakdowns.breakdown(facts, k=5)
    by_area = {cell["key"]: cell for cell in answer["dimensions"]["area"]}
    assert by_area["subdistrict_2"] == {"key": "subdistrict_2", "count": None, "suppressed": True}
    # the smallest other non-empty cell goes too: 12 - 6 - 5 would give 1
    assert by_area["subdistrict_1"]["suppressed"] and by_area["subdistrict_1"]["count"] is None
    assert by_area["township_1"] == {"key": "township_1", "count": 6, "suppressed": False}
    assert by_area["subdistrict_4"]["count"] == 0 and answer["total"] == 12


def test_a_small_total_is_suppressed_too():
    answer = breakdowns.breakdown(people("township_2", 3), k=5)
    assert answer["total"] is None
    assert all(
        cell["count"] in (0, None) for cells in answer["dimensions"].values() for cell in cells
    )


def test_the_facts_of_a_profile_carry_no_identity():
    class Profile:
        residence = "三号街道"
        citizen_id = citizen_id(date(2010, 3, 1))
        birth_date = date(2010, 3, 1)
        degree = None

    facts = breakdowns.facts_of(Profile, date(2026, 11, 28))
    assert (facts.area, facts.age_band, facts.education) == ("subdistrict_3", "14-17", "unknown")
    assert set(vars(facts)) == {"area", "sex", "age_band", "education"}
