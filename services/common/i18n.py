"""Messages in the caller's language (zh-CN by default, en on request).

A message is a stable code and its templates in both languages. Each service keeps a `Catalog`
of its own codes, built on `COMMON`; errors and explanations travel with both renderings so the
gateway only has to pick one by `Accept-Language`.

marshmallow writes its field errors in English; `translate_field_error` turns each of its
messages (and our validators' codes) into a code with both renderings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

LOCALES = ("zh-CN", "en")

Rendered = dict[str, str]


class Catalog:
    """Codes → templates in every locale; `{name}` placeholders are filled from params."""

    def __init__(self, entries: Mapping[str, Mapping[str, str]], parent: Catalog | None = None):
        for code, templates in entries.items():
            missing = [locale for locale in LOCALES if locale not in templates]
            if missing:
                raise ValueError(f"message {code} lacks {missing}")
        self.entries = dict(parent.entries if parent else {}) | dict(entries)

    def __contains__(self, code: str) -> bool:
        return code in self.entries

    def render(self, code: str, params: Mapping | None = None) -> Rendered:
        templates = self.entries.get(code)
        if templates is None:
            return {locale: code for locale in LOCALES}
        params = dict(params or {})
        return {locale: _fill(templates[locale], params) for locale in LOCALES}

    def extend(self, entries: Mapping[str, Mapping[str, str]]) -> Catalog:
        return Catalog(entries, parent=self)

    def merge(self, other: Catalog) -> Catalog:
        """Both catalogues in one; a code the two render differently is a mistake, refused."""
        clashes = [
            code
            for code, templates in other.entries.items()
            if code in self.entries and self.entries[code] != templates
        ]
        if clashes:
            raise ValueError(f"codes with two meanings: {', '.join(sorted(clashes))}")
        return Catalog(other.entries, parent=self)


class _Defaulting(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def _fill(template: str, params: Mapping) -> str:
    return template.format_map(_Defaulting(params))


def bilingual(zh: str, en: str) -> Rendered:
    """A text in both of the platform's languages, written where it is decided."""
    return {"zh-CN": zh, "en": en}


def pick(rendered: Mapping[str, str], locale: str) -> str:
    return rendered.get(locale) or rendered.get("zh-CN") or next(iter(rendered.values()), "")


def negotiate_locale(accept_language: str | None) -> str:
    """The best of our locales for an Accept-Language header; zh-CN when nothing matches."""
    best, best_q = "zh-CN", -1.0
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip().lower()
        if not tag:
            continue
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        locale = "en" if tag.startswith("en") else "zh-CN" if tag.startswith("zh") else None
        if locale and q > best_q:
            best, best_q = locale, q
    return best


COMMON = Catalog(
    {
        # problems
        "validation_failed": {"zh-CN": "提交的数据有误", "en": "The submitted data is invalid"},
        "not_found": {"zh-CN": "未找到该{resource}", "en": "The {resource} was not found"},
        "forbidden": {"zh-CN": "您无权执行此操作", "en": "You are not allowed to do this"},
        "role_not_allowed": {
            "zh-CN": "您的角色无权执行此操作(允许:{roles})",
            "en": "Your role may not do this (allowed: {roles})",
        },
        "not_the_caller": {
            "zh-CN": "只能查看或办理本人的事项",
            "en": "Only the person themselves may see or act on this",
        },
        "not_responsible_unit": {
            "zh-CN": "只有责任单位({unit})的工作人员可以作出此决定",
            "en": "Only officers of the responsible unit ({unit}) may decide this",
        },
        "unauthenticated": {"zh-CN": "请先登录", "en": "Please sign in first"},
        "conflict": {"zh-CN": "操作与当前状态冲突", "en": "This conflicts with the current state"},
        "illegal_transition": {
            "zh-CN": "当前状态“{state}”下不能执行“{action}”",
            "en": "Cannot {action} while the state is {state}",
        },
        "service_unavailable": {
            "zh-CN": "{service}服务暂时不可用,请稍后再试",
            "en": "The {service} service is unavailable; please try again later",
        },
        "service_timeout": {
            "zh-CN": "{service}服务响应超时,请稍后再试",
            "en": "The {service} service did not answer in time; please try again later",
        },
        "outcome_unknown": {
            "zh-CN": "{service}服务未能确认此操作是否已完成;"
            "请用同一 Idempotency-Key 重试以获知结果",
            "en": "The {service} service could not confirm whether this was done; retry with the "
            "same Idempotency-Key to learn the outcome",
        },
        "command_answer_pending": {
            "zh-CN": "此操作已完成,结果稍后可查;请用同一 Idempotency-Key 稍后重试",
            "en": "This was done; its answer is not ready yet. Retry with the same "
            "Idempotency-Key shortly",
        },
        "database_unavailable": {
            "zh-CN": "数据暂时无法访问,请稍后再试",
            "en": "Data storage is unavailable; please try again later",
        },
        "internal_error": {"zh-CN": "系统内部错误", "en": "Internal error"},
        "malformed_request": {"zh-CN": "请求格式不正确", "en": "The request is malformed"},
        "untrusted_call": {
            "zh-CN": "调用方身份无法验证,已拒绝",
            "en": "The call's context could not be verified; it was refused",
        },
        "method_not_found": {
            "zh-CN": "该服务没有“{method}”这项操作",
            "en": "The service has no operation {method}",
        },
        "clock_not_adjustable": {
            "zh-CN": "平台时钟不可调整(仅测试环境 CLOCK=adjustable 时可用)",
            "en": "The platform's clock cannot be moved (only with CLOCK=adjustable)",
        },
        "rate_limited": {
            "zh-CN": "请求过于频繁,请稍后再试",
            "en": "Too many requests; please slow down",
        },
        "gateway_busy": {
            "zh-CN": "当前访问人数过多,请按提示的时间稍后再试",
            "en": "Too many people are asking at once; please try again after the time given",
        },
        # field errors
        "required": {"zh-CN": "此项必填", "en": "This field is required"},
        "reason_required": {
            "zh-CN": "驳回或拒绝时须说明理由",
            "en": "A refusal needs a reason",
        },
        "null": {"zh-CN": "此项不能为空", "en": "This field may not be null"},
        "unknown_field": {"zh-CN": "不认识的字段", "en": "Unknown field"},
        "invalid_type": {"zh-CN": "数据类型不正确", "en": "Invalid input type"},
        "invalid": {"zh-CN": "取值无效", "en": "Invalid value"},
        "not_string": {"zh-CN": "应为文本", "en": "Not a valid string"},
        "not_integer": {"zh-CN": "应为整数", "en": "Not a valid integer"},
        "not_number": {"zh-CN": "应为数字", "en": "Not a valid number"},
        "not_boolean": {"zh-CN": "应为是或否", "en": "Not a valid boolean"},
        "money_places": {
            "zh-CN": "金额最多保留两位小数",
            "en": "An amount has at most two decimal places",
        },
        "measure_places": {
            "zh-CN": "最多保留两位小数",
            "en": "At most two decimal places",
        },
        "rate_places": {
            "zh-CN": "利率最多保留四位小数",
            "en": "A rate has at most four decimal places",
        },
        "not_date": {"zh-CN": "应为日期(YYYY-MM-DD)", "en": "Not a valid date (YYYY-MM-DD)"},
        "not_datetime": {
            "zh-CN": "应为日期时间(ISO 8601)",
            "en": "Not a valid date-time (ISO 8601)",
        },
        "not_list": {"zh-CN": "应为列表", "en": "Not a valid list"},
        "not_mapping": {"zh-CN": "应为对象", "en": "Not a valid object"},
        "not_email": {"zh-CN": "电子邮箱格式不正确", "en": "Not a valid email address"},
        "not_url": {"zh-CN": "网址格式不正确", "en": "Not a valid URL"},
        "not_uuid": {"zh-CN": "标识格式不正确", "en": "Not a valid identifier"},
        "number_too_large": {"zh-CN": "数字过大", "en": "Number too large"},
        "special_number": {"zh-CN": "不允许非数值", "en": "NaN and infinity are not permitted"},
        "one_of": {"zh-CN": "取值应为以下之一:{choices}", "en": "Must be one of: {choices}"},
        "length_between": {
            "zh-CN": "长度应在{min}到{max}之间",
            "en": "Length must be between {min} and {max}",
        },
        "length_equal": {"zh-CN": "长度应为{equal}", "en": "Length must be {equal}"},
        "length_max": {"zh-CN": "长度不能超过{max}", "en": "Longer than maximum length {max}"},
        "length_min": {"zh-CN": "长度不能少于{min}", "en": "Shorter than minimum length {min}"},
        "range": {"zh-CN": "取值应{bounds}", "en": "Must be {bounds}"},
        "citizen_id.length": {
            "zh-CN": "身份证号码应为18位",
            "en": "A citizen ID has 18 characters",
        },
        "citizen_id.format": {
            "zh-CN": "身份证号码应为17位数字加1位校验码",
            "en": "A citizen ID is 17 digits and a check character",
        },
        "citizen_id.checksum": {
            "zh-CN": "身份证号码校验码不正确",
            "en": "The citizen ID's check character is wrong",
        },
        "citizen_id.birth_date": {
            "zh-CN": "身份证号码中的出生日期不存在",
            "en": "The birth date in the citizen ID is not a real date",
        },
        "credit_code.length": {
            "zh-CN": "统一社会信用代码应为18位",
            "en": "A unified social credit code has 18 characters",
        },
        "credit_code.format": {
            "zh-CN": "统一社会信用代码含有不允许的字符",
            "en": "The unified social credit code has characters it may not contain",
        },
        "credit_code.checksum": {
            "zh-CN": "统一社会信用代码校验码不正确",
            "en": "The unified social credit code's check character is wrong",
        },
        "mobile.format": {
            "zh-CN": "手机号码应为11位,以13–19开头",
            "en": "A mobile number has 11 digits starting with 13 to 19",
        },
    }
)

_RANGE_WORDS = {
    "greater than or equal to": ("≥", ">="),
    "less than or equal to": ("≤", "<="),
    "greater than": (">", ">"),
    "less than": ("<", "<"),
}

_MARSHMALLOW = [
    (re.compile(r"^Missing data for required field\.$"), "required"),
    (re.compile(r"^Field may not be null\.$"), "null"),
    (re.compile(r"^Unknown field\.$"), "unknown_field"),
    (re.compile(r"^Invalid (input )?type\.$"), "invalid_type"),
    (re.compile(r"^Invalid value\.$"), "invalid"),
    (re.compile(r"^Not a valid string\.$"), "not_string"),
    (re.compile(r"^Not a valid integer\.$"), "not_integer"),
    (re.compile(r"^Not a valid number\.$"), "not_number"),
    (re.compile(r"^Not a valid boolean\.$"), "not_boolean"),
    (re.compile(r"^Not a valid date\.$"), "not_date"),
    (re.compile(r"^Not a valid (aware |naive )?datetime\.$"), "not_datetime"),
    (re.compile(r"^Not a valid (list|tuple)\.$"), "not_list"),
    (re.compile(r"^Not a valid mapping type\.$"), "not_mapping"),
    (re.compile(r"^Not a valid email address\.$"), "not_email"),
    (re.compile(r"^Not a valid URL\.$"), "not_url"),
    (re.compile(r"^Not a valid UUID\.$"), "not_uuid"),
    (re.compile(r"^Number too large\.$"), "number_too_large"),
    (re.compile(r"^Special numeric values"), "special_number"),
    (re.compile(r"^Must be one of: (?P<choices>.*)\.$"), "one_of"),
    (re.compile(r"^Length must be between (?P<min>\S+) and (?P<max>\S+)\.$"), "length_between"),
    (re.compile(r"^Length must be (?P<equal>\S+)\.$"), "length_equal"),
    (re.compile(r"^Longer than maximum length (?P<max>\S+)\.$"), "length_max"),
    (re.compile(r"^Shorter than minimum length (?P<min>\S+)\.$"), "length_min"),
    (re.compile(r"^Must be (?P<bounds>(greater|less) than .*)\.$"), "range"),
]


def _range_bounds(bounds: str, locale: str) -> str:
    index = 0 if locale == "zh-CN" else 1
    for words, symbols in _RANGE_WORDS.items():
        bounds = bounds.replace(words, symbols[index])
    return bounds.replace(" and ", " 且 " if locale == "zh-CN" else " and ")


def translate_field_error(message: str, catalog: Catalog = COMMON) -> tuple[str, Rendered]:
    """A field error from marshmallow or from our validators, as (code, renderings)."""
    if message in catalog:
        return message, catalog.render(message)
    for pattern, code in _MARSHMALLOW:
        match = pattern.match(message)
        if match:
            params = match.groupdict()
            if code == "range":
                return code, {
                    locale: _fill(
                        catalog.entries[code][locale],
                        {"bounds": _range_bounds(params["bounds"], locale)},
                    )
                    for locale in LOCALES
                }
            return code, catalog.render(code, params)
    return "invalid", {"zh-CN": catalog.render("invalid")["zh-CN"], "en": message}
