"""The notify service's boundary as the gateway sees it: request bodies and queries it validates
and the answers it documents (`gateway/routes/notify.py`). It imports nothing of the service's
domain, models or service: the words it needs come from `vocabulary.py`.
"""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from services.common.schemas import PageQuery, page_of

from .vocabulary import CHANNELS, EXTERNAL_CHANNELS, WEBHOOK_STATES, valid_pattern

Localised = Schema.from_dict(
    {
        "zh-CN": fields.String(required=True, validate=validate.Length(min=1, max=2000)),
        "en": fields.String(required=True, validate=validate.Length(min=1, max=2000)),
    },
    name="Localised",
)


# -- inbox ---------------------------------------------------------------------------------


class DeliveryView(Schema):
    channel = fields.String(required=True, metadata={"description": "inapp, email or sms"})
    state = fields.String(
        required=True, metadata={"description": "pending, delivered, failed or skipped"}
    )
    attempts = fields.Integer()
    reason = fields.String(
        allow_none=True,
        metadata={"description": "why it failed or was skipped (opted_out, no_address, …)"},
    )
    updated_at = fields.DateTime()
    delivered_at = fields.DateTime(allow_none=True)


class MessageView(Schema):
    id = fields.String(required=True)
    event_type = fields.String()
    category = fields.String()
    mandatory = fields.Boolean()
    title = fields.String(metadata={"description": "in the caller's language"})
    body = fields.String(metadata={"description": "in the caller's language"})
    created_at = fields.DateTime()
    read_at = fields.DateTime(allow_none=True)
    link = fields.String(metadata={"description": "the message's own path in the API"})
    deliveries = fields.List(
        fields.Nested(DeliveryView),
        metadata={"description": "the message on each channel (one message's view only)"},
    )


MessagePage = page_of(
    MessageView,
    "MessagePage",
    unread=fields.Integer(metadata={"description": "unread messages in the whole inbox"}),
)


class InboxQuery(PageQuery):
    unread_only = fields.Boolean(load_default=False)


class ReadAllView(Schema):
    marked = fields.Integer(required=True, metadata={"description": "messages marked read"})
    unread = fields.Integer(required=True)


# -- preferences ---------------------------------------------------------------------------


class PreferenceItem(Schema):
    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    category = fields.String(required=True, validate=validate.Length(min=1, max=40))
    enabled = fields.Boolean(required=True)


class PreferenceList(Schema):
    items = fields.List(
        fields.Nested(PreferenceItem),
        required=True,
        metadata={
            "description": "every channel and category; mandatory messages reach the inbox "
            "whatever the in-app choice"
        },
    )


class PreferenceUpdate(Schema):
    items = fields.List(
        fields.Nested(PreferenceItem), required=True, validate=validate.Length(min=1, max=100)
    )


# -- templates -----------------------------------------------------------------------------


class TemplateInput(Schema):
    """A template decision: `sends: false` for "no message", or the message's template."""

    sends = fields.Boolean(load_default=True)
    recipient = fields.String(
        validate=validate.Length(min=1, max=100),
        metadata={"description": "the event field holding the recipient's person id"},
    )
    category = fields.String(validate=validate.Length(min=1, max=40))
    mandatory = fields.Boolean(load_default=False)
    title = fields.Nested(Localised, metadata={"description": "with {field} placeholders"})
    body = fields.Nested(Localised, metadata={"description": "with {field} placeholders"})
    channels = fields.List(
        fields.String(validate=validate.OneOf(EXTERNAL_CHANNELS)),
        allow_none=True,
        metadata={"description": "external channels; omitted: the policy's default"},
    )
    sms_template = fields.String(
        allow_none=True,
        validate=validate.Length(max=100),
        metadata={"description": "the SMS provider's approved template code, if its own"},
    )

    @validates_schema
    def _complete(self, data, **kwargs):
        if data.get("sends", True):
            missing = [
                name for name in ("recipient", "category", "title", "body") if not data.get(name)
            ]
            if missing:
                raise ValidationError({name: ["required"] for name in missing})


class TemplateView(Schema):
    source = fields.String(required=True, metadata={"description": "the publishing service"})
    event_type = fields.String(required=True, metadata={"example": "registration.confirmed"})
    version = fields.Integer(allow_none=True, metadata={"description": "None: not decided yet"})
    sends = fields.Boolean(allow_none=True)
    recipient = fields.String(allow_none=True)
    category = fields.String(allow_none=True)
    mandatory = fields.Boolean()
    title = fields.Nested(Localised, allow_none=True)
    body = fields.Nested(Localised, allow_none=True)
    channels = fields.List(fields.String(), allow_none=True)
    sms_template = fields.String(allow_none=True)
    origin = fields.String(allow_none=True, metadata={"description": "file (seeded) or admin"})
    created_at = fields.DateTime(allow_none=True)
    created_by = fields.String(allow_none=True)


class TemplateList(Schema):
    items = fields.List(fields.Nested(TemplateView), required=True)


class TemplateFilter(Schema):
    source = fields.String(validate=validate.Length(max=40))


class PreviewRequest(Schema):
    template = fields.Nested(
        TemplateInput, metadata={"description": "a draft; omitted: the version in force"}
    )
    data = fields.Dict(
        metadata={"description": "event data; omitted: example values from the event's schema"}
    )


class PreviewView(Schema):
    title = fields.Nested(Localised, required=True)
    body = fields.Nested(Localised, required=True)
    data = fields.Dict(metadata={"description": "the event data used"})
    missing = fields.List(
        fields.String(), metadata={"description": "placeholders the data did not fill"}
    )


# -- webhooks ------------------------------------------------------------------------------


def _patterns(values: list[str]) -> None:
    bad = [value for value in values if not valid_pattern(value)]
    if bad:
        raise ValidationError("webhook_pattern")


#: a subscription's URL asking for its deliveries on the broker's `partners.events` exchange,
#: routed by the subscription's id, instead of over HTTP
PARTNER_EXCHANGE = "partners.events"
PARTNER_EXCHANGE_URL = f"amqp:{PARTNER_EXCHANGE}"


class SubscriptionUrl(fields.Url):
    """An http(s) endpoint, or the broker's partner exchange (`PARTNER_EXCHANGE_URL`)."""

    def _validate(self, value):
        if value != PARTNER_EXCHANGE_URL:
            super()._validate(value)


class WebhookInput(Schema):
    url = SubscriptionUrl(
        required=True,
        schemes={"http", "https"},
        require_tld=False,
        validate=validate.Length(max=2000),
        metadata={
            "description": f"an https endpoint, or `{PARTNER_EXCHANGE_URL}` to read deliveries "
            "from the broker (a queue the operator binds with the subscription's id)",
            "example": "https://shebao.example.gov.cn/hooks/youthcity",
        },
    )
    event_types = fields.List(
        fields.String(validate=validate.Length(min=1, max=200)),
        required=True,
        validate=[validate.Length(min=1, max=50), _patterns],
        metadata={
            "description": "AMQP topic patterns over CloudEvents types",
            "example": ["youthcity.jobs.#", "youthcity.housing.application.*"],
        },
    )
    description = fields.String(validate=validate.Length(max=300), allow_none=True)


class WebhookUpdate(Schema):
    url = SubscriptionUrl(
        schemes={"http", "https"}, require_tld=False, validate=validate.Length(max=2000)
    )
    event_types = fields.List(
        fields.String(validate=validate.Length(min=1, max=200)),
        validate=[validate.Length(min=1, max=50), _patterns],
    )
    description = fields.String(validate=validate.Length(max=300), allow_none=True)


class WebhookView(Schema):
    id = fields.String(required=True)
    owner_id = fields.String()
    url = fields.String()
    event_types = fields.List(fields.String())
    description = fields.String(allow_none=True)
    state = fields.String(metadata={"description": "active or disabled"})
    consecutive_failures = fields.Integer()
    disabled_at = fields.DateTime(allow_none=True)
    disabled_reason = fields.String(allow_none=True)
    previous_secret_expires_at = fields.DateTime(
        allow_none=True, metadata={"description": "until then the previous secret signs too"}
    )
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class WebhookCreated(WebhookView):
    secret = fields.String(
        required=True,
        metadata={"description": "whsec_…: verify deliveries with it; shown only now"},
    )


class SecretView(Schema):
    secret = fields.String(required=True, metadata={"description": "the new whsec_… secret"})
    previous_secret_expires_at = fields.DateTime(
        required=True, metadata={"description": "until then the previous secret signs too"}
    )


WebhookPage = page_of(WebhookView, "WebhookPage")


class WebhookDeliveryView(Schema):
    id = fields.String(required=True, metadata={"description": "the webhook-id header"})
    event_id = fields.String()
    event_type = fields.String()
    subject = fields.String()
    event_time = fields.DateTime()
    state = fields.String(metadata={"description": "pending, delivered or failed"})
    attempts = fields.Integer(metadata={"description": "attempts since it was (re)queued"})
    failed_attempts = fields.Integer(metadata={"description": "failed attempts, ever"})
    last_status = fields.Integer(allow_none=True, metadata={"description": "last HTTP status"})
    last_error = fields.String(
        allow_none=True,
        metadata={
            "description": "http_<status>, or without an answer refused_address (not a public "
            "address), unreachable, timeout or invalid_response; not_granted when the purpose "
            "was revoked before it went out"
        },
    )
    next_attempt_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    delivered_at = fields.DateTime(allow_none=True)


class WebhookDeliveryQuery(PageQuery):
    state = fields.String(validate=validate.OneOf(WEBHOOK_STATES))


WebhookDeliveryPage = page_of(WebhookDeliveryView, "WebhookDeliveryPage")


class ReplayRequest(Schema):
    since = fields.AwareDateTime(
        required=True, metadata={"description": "events from this time (CloudEvents `time`)"}
    )
    until = fields.AwareDateTime(required=True, metadata={"description": "up to, not including"})

    @validates_schema
    def _ordered(self, data, **kwargs):
        if data["until"] <= data["since"]:
            raise ValidationError("replay_range", field_name="until")


class ReplayView(Schema):
    replayed = fields.Integer(required=True, metadata={"description": "deliveries queued again"})


# -- partners' purposes ------------------------------------------------------------------------


class PurposeView(Schema):
    name = fields.String(required=True, metadata={"example": "loan_servicing"})
    title = fields.Nested(Localised)
    recipients = fields.Nested(Localised, metadata={"description": "who is typically granted it"})
    legal_basis = fields.Nested(Localised)
    event_types = fields.List(
        fields.String(),
        metadata={"description": "CloudEvents types without their first word"},
    )


class PurposeList(Schema):
    items = fields.List(fields.Nested(PurposeView), required=True)


class GrantInput(Schema):
    reference = fields.String(
        required=True,
        validate=validate.Length(min=1, max=200),
        metadata={
            "description": "the agreement or decision the grant rests on (数据共享协议编号)",
            "example": "区人社〔2026〕12号 创业担保贷款经办协议",
        },
    )


class GrantView(Schema):
    partner_id = fields.String(required=True)
    partner_name = fields.String()
    purpose = fields.String(required=True)
    title = fields.Nested(Localised, allow_none=True)
    event_types = fields.List(fields.String())
    legal_basis = fields.Nested(Localised, metadata={"description": "as it read when granted"})
    reference = fields.String()
    active = fields.Boolean()
    granted_by = fields.String()
    granted_at = fields.DateTime()
    revoked_by = fields.String(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)


class GrantList(Schema):
    items = fields.List(fields.Nested(GrantView), required=True)
