"""The national identifier checks of MISSION.md's "Data rules", each raising `InvalidIdentifier`.

* Citizen ID (GB 11643) and unified social credit code (GB 32100) through python-stdnum, which
  implements both standards' check characters. For the citizen ID we ask stdnum for the check
  character and the birth date but not for the birth place: GB 11643's region codes change
  with every administrative reform, and MISSION.md's rule is the check character and a real
  birth date.
* Mobile numbers by MISSION.md's own rule (optional +86, then 1[3-9] and nine digits). A phone
  library's idea of "valid" follows carriers' allocated ranges, which is stricter than the rule
  and lags behind new ranges; we only normalise separators before matching.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric, uscc

from .clock import clock

_MOBILE = re.compile(r"^(?:\+?86)?(1[3-9]\d{9})$")
_SEPARATORS = re.compile(r"[\s\-()]")


@dataclass
class InvalidIdentifier(ValueError):
    """`reason` is a stable key: `length`, `format`, `checksum` or `birth_date`."""

    kind: str
    reason: str

    def __str__(self) -> str:
        return f"invalid {self.kind}: {self.reason}"


@dataclass(frozen=True)
class CitizenId:
    number: str
    birth_date: date

    def age_on(self, day: date) -> int:
        return age_on(self.birth_date, day)


def age_on(birth_date: date, day: date) -> int:
    """Whole years of age on `day`."""
    years = day.year - birth_date.year
    return years - 1 if (day.month, day.day) < (birth_date.month, birth_date.day) else years


def parse_citizen_id(value: str) -> CitizenId:
    """A GB 11643 citizen ID: 17 digits and a check character, with a real birth date."""
    number = ric.compact(value or "").upper()
    if len(number) != 18:
        raise InvalidIdentifier("citizen_id", "length")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise InvalidIdentifier("citizen_id", "format")
    if number[17] != ric.calc_check_digit(number):
        raise InvalidIdentifier("citizen_id", "checksum")
    try:
        born = ric.get_birth_date(number)
    except stdnum_errors.ValidationError as exc:
        raise InvalidIdentifier("citizen_id", "birth_date") from exc
    if born > clock.today():
        raise InvalidIdentifier("citizen_id", "birth_date")
    return CitizenId(number, born)


def validate_credit_code(value: str) -> str:
    """A GB 32100 unified social credit code; returns it compacted and upper-case."""
    code = uscc.compact(value or "").upper()
    if len(code) != 18:
        raise InvalidIdentifier("credit_code", "length")
    try:
        return uscc.validate(code)
    except stdnum_errors.InvalidChecksum as exc:
        raise InvalidIdentifier("credit_code", "checksum") from exc
    except stdnum_errors.ValidationError as exc:
        raise InvalidIdentifier("credit_code", "format") from exc


def normalise_mobile(value: str) -> str:
    """A mainland mobile number as `+86` and eleven digits."""
    match = _MOBILE.match(_SEPARATORS.sub("", value or ""))
    if match is None:
        raise InvalidIdentifier("mobile", "format")
    return "+86" + match.group(1)


def mask_citizen_id(number: str) -> str:
    """Keep the region code and the last four: 11010519491231002X → 110105********002X."""
    return number[:6] + "*" * 8 + number[-4:] if len(number) == 18 else "*" * len(number)


def mask_email(address: str) -> str:
    """Keep the first character and the domain: xiaoming@example.org → x*******@example.org."""
    local, at, domain = address.partition("@")
    return f"{local[:1]}{'*' * max(len(local) - 1, 1)}{at}{domain}" if at else "*" * len(address)


def mask_mobile(number: str) -> str:
    digits = number[-11:]
    return f"{digits[:3]}****{digits[-4:]}" if len(digits) == 11 else "*" * len(number)
