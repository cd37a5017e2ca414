"""The notify service's refusals, in both languages."""

from services.common.i18n import COMMON

MESSAGES = COMMON.extend(
    {
        "channel_not_configured": {
            "zh-CN": "该渠道(邮件或短信)尚未配置",
            "en": "This channel (email or SMS) is not configured",
        },
        "code_not_sent": {
            "zh-CN": "验证码未能发出({reason}),请稍后重试",
            "en": "The code could not be sent ({reason}); try again later",
        },
        "template.malformed": {
            "zh-CN": "模板文本格式有误(花括号不成对,或占位符中含有格式、转换或属性)",
            "en": "The template text is malformed (unbalanced braces, or a placeholder with a "
            "format, a conversion or an attribute)",
        },
        "template.unknown_placeholder": {
            "zh-CN": "模板使用了该事件没有的字段",
            "en": "The template uses a field the event does not have",
        },
        "template.unknown_field": {
            "zh-CN": "该事件没有这个字段",
            "en": "The event has no such field",
        },
        "template.unknown_channel": {
            "zh-CN": "渠道应为 email 或 sms",
            "en": "A channel is email or sms",
        },
        "template_no_message": {
            "zh-CN": "该事件当前不发送消息",
            "en": "This event sends no message at present",
        },
        "event_type.unknown": {
            "zh-CN": "没有这种事件类型",
            "en": "There is no such event type",
        },
        "webhook_pattern": {
            "zh-CN": "事件类型应为 AMQP 主题模式,例如 youthcity.jobs.#",
            "en": "An event type is an AMQP topic pattern, e.g. youthcity.jobs.#",
        },
        "webhook_url_scheme": {
            "zh-CN": "不允许该网址协议:{schemes}",
            "en": "This URL scheme is not allowed: {schemes}",
        },
        "webhook_url_not_public": {
            "zh-CN": "该网址不可用:须能解析,且只解析到公网地址(不得指向本机、内网、链路本地、"
            "运营商级 NAT 或云元数据等地址)",
            "en": "This URL cannot be used: its name must resolve, and only to public internet "
            "addresses (not loopback, private, link-local, carrier-grade NAT or cloud metadata "
            "addresses)",
        },
        "webhook_pattern_not_granted": {
            "zh-CN": "以下事件类型超出了授予该合作方的目的范围:{patterns}",
            "en": "These event types reach beyond the purposes granted to the partner: {patterns}",
        },
        "purpose_unknown": {
            "zh-CN": "没有这个目的;可用的目的见 GET /api/v1/purposes",
            "en": "There is no such purpose; see GET /api/v1/purposes",
        },
        "purpose_grantee_not_partner": {
            "zh-CN": "只能向合作方账号授予目的",
            "en": "Purposes are granted to partner accounts only",
        },
        "webhook_not_disabled": {
            "zh-CN": "该端点未被停用",
            "en": "This endpoint is not disabled",
        },
        "replay_range": {
            "zh-CN": "结束时间应晚于开始时间",
            "en": "until must be later than since",
        },
        "preference_unknown_category": {
            "zh-CN": "没有这个消息类别",
            "en": "There is no such message category",
        },
    }
)
