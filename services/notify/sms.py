"""The SMS channel: a provider adapter, and Alibaba Cloud SMS (阿里云短信服务, `SendSms` of API
version 2017-05-25) as the provider implemented.

Requests are signed with Alibaba Cloud's signature method V3 (`ACS3-HMAC-SHA256`), as its
"Request syntax and signature method V3" documentation specifies: the parameters travel in the
query string, the canonical request (method, `/`, the sorted RFC 3986-encoded query, the
`host` and `x-acs-*` headers, the signed header names, the body's SHA-256) is hashed, and the
hash is signed with HMAC-SHA256 under the AccessKey secret into the `Authorization` header.

A mainland SMS must use a template the provider approved beforehand, so the message goes out as
the template `SMS_TEMPLATE_CODE` (or the template decision's own `sms_template`) with one
parameter, `title`, cut to the policy's `sms_title_max_chars`. Throttling, flow control and the
provider's own errors are temporary; anything else (an invalid number, a refused template) fails
the delivery with `aliyun_<Code>` as the reason. The secret and the numbers never reach a log.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping
from datetime import UTC, datetime
from urllib.parse import quote, urlsplit

from services.common.clock import system_utcnow

from .domain import SendFailure
from .egress import Egress
from .outbound import Unreachable, post

ALGORITHM = "ACS3-HMAC-SHA256"
ACTION, VERSION = "SendSms", "2017-05-25"
DEFAULT_ENDPOINT = "https://dysmsapi.aliyuncs.com/"
TEMPORARY_CODES = {
    "isv.BUSINESS_LIMIT_CONTROL",
    "isp.SYSTEM_ERROR",
    "isv.AMOUNT_NOT_ENOUGH",
    "ServiceUnavailable",
    "InternalError",
}


def percent_encode(value: str) -> str:
    """RFC 3986: only A-Z a-z 0-9 - _ . ~ stay as they are; a space is %20, `*` is %2A."""
    return quote(value, safe="-_.~")


def canonical_query(params: Mapping[str, str]) -> str:
    encoded = sorted((percent_encode(k), percent_encode(v)) for k, v in params.items())
    return "&".join(f"{k}={v}" for k, v in encoded)


def sign_v3(
    method: str,
    host: str,
    params: Mapping[str, str],
    body: bytes,
    access_key_id: str,
    access_key_secret: str,
    now: datetime,
    nonce: str,
) -> dict[str, str]:
    """The headers of a request signed with signature method V3 (Authorization included)."""
    headers = {
        "host": host,
        "x-acs-action": ACTION,
        "x-acs-version": VERSION,
        "x-acs-date": now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "x-acs-signature-nonce": nonce,
        "x-acs-content-sha256": hashlib.sha256(body).hexdigest(),
    }
    names = sorted(headers)
    canonical_headers = "".join(f"{name}:{headers[name].strip()}\n" for name in names)
    signed_headers = ";".join(names)
    canonical_request = "\n".join(
        [
            method,
            "/",
            canonical_query(params),
            canonical_headers,
            signed_headers,
            headers["x-acs-content-sha256"],
        ]
    )
    string_to_sign = f"{ALGORITHM}\n{hashlib.sha256(canonical_request.encode()).hexdigest()}"
    signature = hmac.new(
        access_key_secret.encode(), string_to_sign.encode(), hashlib.sha256
    ).hexdigest()
    headers["Authorization"] = (
        f"{ALGORITHM} Credential={access_key_id},SignedHeaders={signed_headers},"
        f"Signature={signature}"
    )
    return headers


def mainland_number(phone: str) -> str:
    """+86 13800138000 → 13800138000 (the provider wants mainland numbers without the prefix)."""
    digits = phone.replace(" ", "").replace("-", "")
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            return digits[len(prefix) :]
    return digits


class AliyunSms:
    """Sends one SMS per delivery through Alibaba Cloud's `SendSms`."""

    name = "sms"

    def __init__(
        self,
        access_key_id: str,
        access_key_secret: str,
        sign_name: str,
        template_code: str,
        endpoint: str = DEFAULT_ENDPOINT,
        timeout: float = 10.0,
        title_max_chars: int = 20,
        egress: Egress | None = None,
    ):
        self.access_key_id = access_key_id
        self._secret = access_key_secret
        self.sign_name = sign_name
        self.template_code = template_code
        self.endpoint = endpoint
        self.host = urlsplit(endpoint).netloc
        self.timeout = timeout
        self.title_max_chars = title_max_chars
        # the operator configured the endpoint: only the proxy applies, not the address policy
        self.egress = egress or Egress(checked=False)

    def __repr__(self) -> str:  # never the secret
        return f"AliyunSms(endpoint={self.endpoint!r}, access_key_id={self.access_key_id!r})"

    def request(self, phone: str, title: str, message_id: str, template_code: str | None):
        params = {
            "PhoneNumbers": mainland_number(phone),
            "SignName": self.sign_name,
            "TemplateCode": template_code or self.template_code,
            "TemplateParam": json.dumps(
                {"title": title[: self.title_max_chars]}, ensure_ascii=False
            ),
            "OutId": message_id,
        }
        headers = sign_v3(
            "POST",
            self.host,
            params,
            b"",
            self.access_key_id,
            self._secret,
            system_utcnow(),
            secrets.token_hex(16),
        )
        url = self.endpoint.rstrip("/") + "/?" + canonical_query(params)
        return url, headers

    def send(
        self, address: str, locale: str, title: str, body: str, message_id: str, **options
    ) -> str:
        url, headers = self.request(address, title, message_id, options.get("sms_template"))
        try:
            answer = post(url, b"", headers, self.timeout, self.egress)
        except Unreachable as exc:  # the person's own delivery: the detail is theirs to see
            raise SendFailure(f"aliyun_{exc.detail}"[:100], temporary=True) from None
        try:
            reply = json.loads(answer.body or b"{}")
        except ValueError:
            reply = {}
        code = reply.get("Code") if isinstance(reply, dict) else None
        if answer.status == 200 and code == "OK":
            return str(reply.get("BizId") or reply.get("RequestId") or "")
        code = code or f"http_{answer.status}"
        temporary = answer.status >= 500 or code.startswith("Throttling") or code in TEMPORARY_CODES
        raise SendFailure(f"aliyun_{code}"[:100], temporary=temporary)


def sms_channel_from(settings, timeout: float, title_max_chars: int, egress: Egress | None = None):
    """The SMS adapter `SMS_PROVIDER` names, configured from notify's settings; None when unset."""
    provider = (settings.sms_provider or "").lower()
    if not provider:
        return None
    if provider != "aliyun":
        raise ValueError(f"SMS_PROVIDER {provider!r} is not supported (aliyun is)")
    required = {
        "SMS_ACCESS_KEY_ID": settings.sms_access_key_id,
        "SMS_ACCESS_KEY_SECRET": settings.sms_access_key_secret,
        "SMS_SIGN_NAME": settings.sms_sign_name,
        "SMS_TEMPLATE_CODE": settings.sms_template_code,
    }
    missing = [name for name, value in required.items() if not value]
    if missing:
        raise ValueError(f"SMS_PROVIDER=aliyun needs {', '.join(missing)}")
    return AliyunSms(
        settings.sms_access_key_id,
        settings.sms_access_key_secret,
        settings.sms_sign_name,
        settings.sms_template_code,
        endpoint=settings.sms_endpoint,
        timeout=timeout,
        title_max_chars=title_max_chars,
        egress=egress,
    )
