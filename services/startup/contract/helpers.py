"""Field helpers the startup contract's modules share (`text`, the refusal-reason check)."""

from __future__ import annotations

from marshmallow import ValidationError, fields, validate


def text(max_length: int, required: bool = True, **kwargs) -> fields.String:
    return fields.String(
        required=required, validate=validate.Length(min=1, max=max_length), **kwargs
    )


def reason_needed_to_refuse(data: dict, refusals: tuple[str, ...]) -> None:
    if data.get("decision") in refusals and not (data.get("reason") or "").strip():
        raise ValidationError("refusal_reason_required", field_name="reason")
