"""marshmallow fields for the national identifiers, shared by every schema that takes one.

Each refuses with one of the catalogue's codes (`citizen_id.checksum`, `mobile.format`, …), which
the error layer renders in both languages.
"""

from __future__ import annotations

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
