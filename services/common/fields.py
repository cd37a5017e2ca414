"""marshmallow fields every service's schemas share: the national identifiers, and exact
decimals (money, rates).

Each refuses with one of the catalogue's codes (`citizen_id.checksum`, `mobile.format`,
`money_places`, …), which the error layer renders in both languages. Money is a decimal string
with two places (`"300000.00"`), never a float: `Money` reads it from a request (exactly, within
bounds), `MoneyView` writes it in an answer.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from marshmallow import ValidationError, fields

from .validators import InvalidIdentifier, normalise_mobile, parse_citizen_id, validate_credit_code


class CitizenId(fields.String):
    """A GB 11643 citizen ID, loaded upper-case and checked (check character, real birth date)."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return parse_citizen_id(text).number
        except InvalidIdentifier as exc:
            raise ValidationError(f"citizen_id.{exc.reason}") from exc


class CreditCode(fields.String):
    """A GB 32100 unified social credit code."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return validate_credit_code(text)
        except InvalidIdentifier as exc:
            raise ValidationError(f"credit_code.{exc.reason}") from exc


class Mobile(fields.String):
    """A mainland mobile number, loaded as +86 and eleven digits."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return normalise_mobile(text)
        except InvalidIdentifier as exc:
            raise ValidationError(f"mobile.{exc.reason}") from exc


class DecimalString(fields.Decimal):
    """An exact decimal written as a string (`"300000.00"`), documented as one: OpenAPI's
    numbers would invite clients to read it into a float."""

    def __init__(self, **kwargs):
        metadata = kwargs.setdefault("metadata", {})
        metadata.setdefault("type", "string")
        metadata.setdefault("format", "decimal")
        super().__init__(as_string=True, **kwargs)


class RateText(DecimalString):
    """A rate as written, without trailing zeros: `3.5`, `1.45` (the same whichever database
    stored it)."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return format(Decimal(value).normalize(), "f")


class DecimalInput(DecimalString):
    """A decimal read exactly, from a JSON string or number, with at most `places` decimal
    places (else `places_code`) and within [minimum, maximum]; never NaN or infinite. The bounds
    are checked here rather than by `validate.Range`, whose bounds OpenAPI would have to show as
    numbers."""

    def __init__(
        self,
        places: int,
        places_code: str,
        minimum: Decimal | None = None,
        maximum: Decimal | None = None,
        **kwargs,
    ):
        self.step = Decimal(1).scaleb(-places)
        self.places_code = places_code
        self.minimum, self.maximum = minimum, maximum
        metadata = kwargs.setdefault("metadata", {})
        bounds = f"{minimum if minimum is not None else '-∞'} to {maximum or '∞'}"
        metadata.setdefault("x-range", bounds)
        metadata.setdefault("pattern", rf"^-?\d+(\.\d{{1,{places}}})?$")
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        number = super()._deserialize(value, attr, data, **kwargs)
        low, high = self.minimum, self.maximum
        if (low is not None and number < low) or (high is not None and number > high):
            raise ValidationError(
                f"Must be greater than or equal to {low} and less than or equal to {high}."
                if low is not None and high is not None
                else f"Must be greater than or equal to {low}."
                if low is not None
                else f"Must be less than or equal to {high}."
            )
        try:
            exact = number == number.quantize(self.step)
        except InvalidOperation:
            exact = False
        if not exact:
            raise ValidationError(self.places_code)
        return number.quantize(self.step)

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return super()._serialize(Decimal(value).quantize(self.step), attr, obj, **kwargs)


def Money(minimum: Decimal = Decimal(0), maximum: Decimal = Decimal(10**11), **kwargs):
    """CNY in a request: two decimal places (more are refused, `money_places`), by default 0 to
    100 billion."""
    kwargs.setdefault("metadata", {}).setdefault("example", "300000.00")
    return DecimalInput(2, "money_places", minimum, maximum, **kwargs)


def MoneyView(**kwargs):
    """CNY in an answer: `"300000.00"`, documented as a decimal string."""
    return DecimalString(places=2, **kwargs)


def Measure(minimum: Decimal, maximum: Decimal, **kwargs):
    """A measured quantity (a floor area in m²): two decimal places at most (`measure_places`)."""
    return DecimalInput(2, "measure_places", minimum, maximum, **kwargs)


def Percent(minimum: Decimal = Decimal(0), maximum: Decimal = Decimal(100), **kwargs):
    """A yearly rate or a share in percent, four decimal places at most."""
    kwargs.setdefault("metadata", {}).setdefault("example", "3.5")
    return DecimalInput(4, "rate_places", minimum, maximum, **kwargs)
