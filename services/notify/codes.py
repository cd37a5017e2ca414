"""One-time codes (一次性验证码): a password-reset code, or a code proving a phone at
registration, sent at once to the address the gateway gives, through the email or SMS adapter
configured here.

Unlike every other message, a code is not made from an event and is stored nowhere: an event
would carry it to partners' webhooks and to the outbox, a message row to the inbox and to the
person's data export, and a code is a secret that must live only in the recipient's mailbox
(the gateway keeps its HMAC). The address, like every contact detail, is used for this send and
dropped; neither it nor the code reaches a log, an event or a metric label.

A temporary failure is tried once more at once; the person asks for a new code otherwise.
"""

from __future__ import annotations

import secrets

from nameko.extensions import DependencyProvider

from services.common.errors import DomainError

from .dispatch import Dispatcher
from .domain import SendFailure
from .metrics import CHANNEL_SENDS

#: what each purpose's message says, with `{code}` and `{minutes}`; the title goes out as the
#: SMS template's one parameter, so it holds the code and stays within 20 characters
TEXTS = {
    "password_reset": {
        "title": {
            "zh-CN": "验证码 {code}",
            "en": "Code {code}",
        },
        "body": {
            "zh-CN": "您正在重置青春XX的登录密码,验证码为 {code},{minutes} 分钟内有效。"
            "如非本人操作,请忽略本邮件,您的密码不会改变。",
            "en": "Your Youth City password reset code is {code}; it is valid for {minutes} "
            "minutes. If you did not ask for it, ignore this message: your password stays.",
        },
    },
    "phone_proof": {
        "title": {
            "zh-CN": "验证码 {code}",
            "en": "Code {code}",
        },
        "body": {
            "zh-CN": "您正在注册青春XX账号,手机验证码为 {code},{minutes} 分钟内有效。"
            "如非本人操作,请忽略本短信。",
            "en": "Your Youth City registration code is {code}; it is valid for {minutes} "
            "minutes. If you did not ask for it, ignore this message.",
        },
    },
}


class CodeSender(DependencyProvider):
    """Gives workers `send(channel, address, locale, purpose, code, minutes)`, which sends
    through the dispatcher's adapters at once (`DomainError` 503 when it cannot)."""

    def start(self) -> None:
        """After the dispatcher's `setup` built the adapters from the settings."""
        self.dispatcher = next(d for d in self.container.dependencies if isinstance(d, Dispatcher))

    def get_dependency(self, worker_ctx) -> CodeSender:
        return self

    def send(
        self, channel: str, address: str, locale: str, purpose: str, code: str, minutes: int
    ) -> None:
        adapter = self.dispatcher.channels.get(channel)
        if adapter is None:
            CHANNEL_SENDS.labels(channel, "skipped").inc()
            raise DomainError("channel_not_configured", status=503, field="channel")
        texts = TEXTS[purpose]
        locale = locale if locale in texts["title"] else "zh-CN"
        values = {"code": code, "minutes": minutes}
        message = {
            "address": address,
            "locale": locale,
            "title": texts["title"][locale].format(**values),
            "body": texts["body"][locale].format(**values),
            "message_id": f"code-{secrets.token_hex(8)}",
        }
        for attempt in (1, 2):
            try:
                adapter.send(**message)
                CHANNEL_SENDS.labels(channel, "delivered").inc()
                return
            except SendFailure as failure:
                if not failure.temporary or attempt == 2:
                    CHANNEL_SENDS.labels(channel, "failed").inc()
                    raise DomainError(
                        "code_not_sent", status=503, params={"reason": failure.reason}
                    ) from None
