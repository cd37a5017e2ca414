"""The email channel: one message per delivery over SMTP (`SMTP_URL`).

`SMTP_URL` is `smtp://[user:password@]host[:port]` (STARTTLS when the server offers it and
`?starttls=true` asks for it) or `smtps://…` (TLS from the first byte, port 465 by default).
The sender is `SMTP_FROM`. 4xx answers and lost connections are temporary (retried); 5xx answers
fail the delivery with `smtp_<code>` as the reason. Addresses never reach a log.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import formatdate
from urllib.parse import parse_qs, unquote, urlsplit

from .domain import SendFailure

DEFAULT_SENDER = "Youth City <noreply@youthcity.local>"


class SmtpChannel:
    """Sends a message's title and body, in the person's language, as a plain-text email."""

    name = "email"

    def __init__(self, url: str, sender: str = DEFAULT_SENDER, timeout: float = 10.0):
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps"):
            raise ValueError("SMTP_URL must start with smtp:// or smtps://")
        self.implicit_tls = parts.scheme == "smtps"
        self.host = parts.hostname or "localhost"
        self.port = parts.port or (465 if self.implicit_tls else 25)
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.starttls = parse_qs(parts.query).get("starttls", ["false"])[0].lower() == "true"
        self.sender = sender
        self.timeout = timeout
        self.domain = sender.rsplit("@", 1)[-1].rstrip(">") if "@" in sender else "youthcity"

    def compose(self, address: str, locale: str, title: str, body: str, message_id: str):
        email = EmailMessage()
        email["From"] = self.sender
        email["To"] = address
        email["Subject"] = title
        email["Date"] = formatdate(localtime=False)
        email["Message-ID"] = f"<{message_id}@{self.domain}>"
        # RFC 3834: automatic mail; auto-responders should not answer it
        email["Auto-Submitted"] = "auto-generated"
        email["X-Youthcity-Message-Id"] = message_id
        email.set_content(body, charset="utf-8")
        email["Content-Language"] = locale  # after set_content, which replaces Content-* headers
        return email

    def send(self, address: str, locale: str, title: str, body: str, message_id: str, **_) -> str:
        email = self.compose(address, locale, title, body, message_id)
        client_cls = smtplib.SMTP_SSL if self.implicit_tls else smtplib.SMTP
        try:
            with client_cls(self.host, self.port, timeout=self.timeout) as client:
                if self.starttls:
                    client.starttls()
                if self.username:
                    client.login(self.username, self.password or "")
                client.send_message(email)
        except smtplib.SMTPRecipientsRefused as exc:
            code = next(iter(exc.recipients.values()))[0]
            raise SendFailure(f"smtp_{code}", temporary=400 <= code < 500) from None
        except smtplib.SMTPResponseException as exc:
            raise SendFailure(
                f"smtp_{exc.smtp_code}", temporary=400 <= exc.smtp_code < 500
            ) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise SendFailure(f"smtp_{type(exc).__name__}", temporary=True) from None
        return email["Message-ID"]
