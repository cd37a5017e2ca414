"""The channel adapters without a network: the email they compose and the SMS request they sign
(checked by the documentation-based verifier the integration tests' fake provider uses)."""

from urllib.parse import urlsplit

from services.notify.sms import AliyunSms, canonical_query, mainland_number, percent_encode
from services.notify.smtp import SmtpChannel
from tests.support.notify import SMS_KEY_ID, SMS_SECRET, FakeAliyunSms


def test_percent_encoding_follows_rfc_3986_as_alibaba_cloud_requires():
    assert percent_encode("a b*c~d/é") == "a%20b%2Ac~d%2F%C3%A9"
    assert canonical_query({"b": "2", "a": "1 1"}) == "a=1%201&b=2"


def test_mainland_numbers_lose_their_country_prefix():
    assert mainland_number("+8613800138000") == "13800138000"
    assert mainland_number("13800138000") == "13800138000"


def test_a_signed_sendsms_request_passes_the_documented_checks():
    sms = AliyunSms(SMS_KEY_ID, SMS_SECRET, "青春XX", "SMS_1", endpoint="http://127.0.0.1:9/")
    url, headers = sms.request(
        "+8613800138000", "候补成功:一个很长很长很长很长很长的活动名称", "m1", None
    )
    parts = urlsplit(url)
    lowered = {k.lower(): v for k, v in headers.items()}
    verifier = FakeAliyunSms()
    assert verifier.check("POST", parts.path, parts.query, lowered, b"") is None
    assert verifier.check("POST", parts.path, parts.query, lowered, b"") == "nonce used twice"
    tampered = parts.query.replace("13800138000", "13900139000")
    lowered["x-acs-signature-nonce"] = "fresh"
    assert verifier.check("POST", parts.path, tampered, lowered, b"") is not None
    assert SMS_SECRET not in repr(sms) and SMS_SECRET not in url + str(headers)


def test_the_email_carries_the_message_in_the_persons_language_with_its_headers():
    channel = SmtpChannel("smtp://user:p%40ss@mail.example:2525?starttls=true", "青春XX <n@yc.cn>")
    assert (channel.host, channel.port, channel.username, channel.password) == (
        "mail.example",
        2525,
        "user",
        "p@ss",
    )
    assert channel.starttls
    email = channel.compose("a@example.org", "en", "Registered", "You have a place.", "m-1")
    assert email["To"] == "a@example.org" and email["Subject"] == "Registered"
    assert email["Content-Language"] == "en" and email["Message-ID"] == "<m-1@yc.cn>"
    assert email.get_content().strip() == "You have a place."
