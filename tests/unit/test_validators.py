from datetime import date

import pytest
from stdnum.cn import ric

from services.common.validators import (
    InvalidIdentifier,
    mask_citizen_id,
    mask_mobile,
    normalise_mobile,
    parse_citizen_id,
    validate_credit_code,
)


def with_check_character(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17 + "0")


def test_citizen_id_from_the_standard_is_accepted_with_its_birth_date():
    citizen = parse_citizen_id("11010519491231002X")
    assert citizen.birth_date == date(1949, 12, 31)
    assert citizen.age_on(date(2026, 12, 30)) == 76
    assert citizen.age_on(date(2026, 12, 31)) == 77


def test_citizen_id_accepts_a_lower_case_check_character():
    assert parse_citizen_id("11010519491231002x").number == "11010519491231002X"


@pytest.mark.parametrize("wrong", ["110105194912310021", "110105194912310020", "11010519491231002"])
def test_citizen_id_with_a_wrong_check_character_or_length_is_refused(wrong):
    with pytest.raises(InvalidIdentifier) as refused:
        parse_citizen_id(wrong)
    assert refused.value.reason in ("checksum", "length")


def test_citizen_id_with_an_impossible_birth_date_is_refused_even_with_a_right_check_character():
    number = with_check_character("11010519490231002")  # 31 February
    with pytest.raises(InvalidIdentifier) as refused:
        parse_citizen_id(number)
    assert refused.value.reason == "birth_date"


def test_citizen_id_born_in_the_future_is_refused():
    number = with_check_character("11010521991231002")
    with pytest.raises(InvalidIdentifier) as refused:
        parse_citizen_id(number)
    assert refused.value.reason == "birth_date"


def test_citizen_id_with_letters_in_the_digits_is_a_format_error():
    with pytest.raises(InvalidIdentifier) as refused:
        parse_citizen_id("1101051949A231002X")
    assert refused.value.reason == "format"


def test_credit_code_from_the_standard_is_accepted():
    assert validate_credit_code("91110000600037341L") == "91110000600037341L"
    assert validate_credit_code(" 91110000600037341l ") == "91110000600037341L"


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91110000600037341M", "checksum"),
        ("91110000600037341I", "format"),
        ("9111000060003734", "length"),
    ],
)
def test_credit_code_with_a_wrong_character_is_refused(code, reason):
    with pytest.raises(InvalidIdentifier) as refused:
        validate_credit_code(code)
    assert refused.value.reason == reason


@pytest.mark.parametrize(
    "number", ["13800138000", "+8613800138000", "8613800138000", "138-0013-8000", "19912345678"]
)
def test_mobile_numbers_by_the_mission_rule_are_normalised(number):
    assert normalise_mobile(number) in ("+8613800138000", "+8619912345678")


@pytest.mark.parametrize(
    "number", ["12800138000", "1380013800", "+85213800138000", "138001380001", ""]
)
def test_mobile_numbers_outside_the_rule_are_refused(number):
    with pytest.raises(InvalidIdentifier):
        normalise_mobile(number)


def test_masks_keep_only_what_identifies_nobody():
    assert mask_citizen_id("11010519491231002X") == "110105********002X"
    assert mask_mobile("+8613800138000") == "138****8000"
