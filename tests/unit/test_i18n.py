import pytest
from marshmallow import Schema, ValidationError, fields, validate

from services.common.errors import InvalidInput
from services.common.i18n import COMMON, negotiate_locale, translate_field_error


@pytest.mark.parametrize(
    ("header", "locale"),
    [
        (None, "zh-CN"),
        ("en-US,en;q=0.9", "en"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh-CN"),
        ("fr-FR,en;q=0.5", "en"),
        ("en;q=0.2,zh-TW;q=0.8", "zh-CN"),
        ("de", "zh-CN"),
    ],
)
def test_accept_language_picks_one_of_our_locales(header, locale):
    assert negotiate_locale(header) == locale


class Profile(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=50))
    age = fields.Integer(validate=validate.Range(min=14, max=35))


def test_marshmallow_errors_become_codes_in_both_languages():
    with pytest.raises(ValidationError) as raised:
        Profile().load({"age": 40, "extra": 1})
    error = InvalidInput.from_validation_error(raised.value)
    by_field = {e["field"]: e for e in error.errors}
    assert by_field["name"]["code"] == "required"
    assert by_field["name"]["messages"] == {"zh-CN": "此项必填", "en": "This field is required"}
    assert by_field["age"]["code"] == "range"
    assert by_field["age"]["messages"]["zh-CN"] == "取值应≥ 14 且 ≤ 35"
    assert by_field["extra"]["code"] == "unknown_field"
    assert error.status == 422


def test_our_validators_codes_are_translated():
    code, rendered = translate_field_error("citizen_id.checksum")
    assert code == "citizen_id.checksum"
    assert rendered["zh-CN"] == "身份证号码校验码不正确"


def test_an_unknown_message_keeps_its_english_and_gets_a_chinese_fallback():
    code, rendered = translate_field_error("Something odd.")
    assert code == "invalid"
    assert rendered == {"zh-CN": "取值无效", "en": "Something odd."}


def test_every_common_message_has_both_languages():
    for code, templates in COMMON.entries.items():
        assert set(templates) == {"zh-CN", "en"}, code
