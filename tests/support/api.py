"""An HTTP client for the e2e tests, speaking the public API the way a front end does.

    api = Api(platform.url)
    officer = api.staff("officer", unit="youth_league")          # an admin creates it
    youth = api.youth(age=22)                                    # registers itself
    activity = officer.post("/api/v1/activities", json={...}).json()

Each `Session` is a signed-in account (`.account`, `.token`); `.get/.post/...` add the bearer
token and `Accept-Language`, and return `requests` responses.
"""

from __future__ import annotations

import itertools
import uuid
from datetime import date

import requests
from stdnum.cn import ric

from services.common.clock import clock

ADMIN = ("admin", "admin-password-for-tests")
PASSWORD = "a-good-password"
_serial = itertools.count(1)


def citizen_id(birth: date, region: str = "110105") -> str:
    """A valid GB 11643 number for someone born on `birth` (unique per call in a run)."""
    sequence = f"{next(_serial) % 1000:03d}"
    first17 = f"{region}{birth:%Y%m%d}{sequence}"
    return first17 + ric.calc_check_digit(first17 + "0")


def born_aged(age: int, today: date | None = None) -> date:
    today = today or clock.today()
    try:
        return (
            today.replace(year=today.year - age)
            if (today.month, today.day) != (2, 29)
            else date(today.year - age, 2, 28)
        )
    except ValueError:
        return date(today.year - age, today.month, 28)


def unique(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


class Session:
    def __init__(
        self,
        base: str,
        token: str | None = None,
        account: dict | None = None,
        locale: str = "zh-CN",
    ):
        self.base = base
        self.token = token
        self.account = account or {}
        self.locale = locale
        self.refresh_token: str | None = None
        self.http = requests.Session()

    @property
    def id(self) -> str:
        return self.account["id"]

    def headers(self, extra: dict | None = None) -> dict:
        headers = {"Accept-Language": self.locale}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers | (extra or {})

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = self.headers(kwargs.pop("headers", None))
        return self.http.request(method, self.base + path, headers=headers, timeout=30, **kwargs)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)

    def patch(self, path, **kwargs):
        return self.request("PATCH", path, **kwargs)

    def put(self, path, **kwargs):
        return self.request("PUT", path, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)

    def in_english(self) -> Session:
        return Session(self.base, self.token, self.account, "en")


class Api:
    def __init__(self, base: str):
        self.base = base
        self.anonymous = Session(base)
        self._admin: Session | None = None

    def sign_in(self, username: str, password: str) -> Session:
        answer = self.anonymous.post(
            "/api/v1/auth/token", json={"username": username, "password": password}
        )
        assert answer.status_code == 200, answer.text
        session = Session(self.base, answer.json()["access_token"])
        session.refresh_token = answer.json()["refresh_token"]
        session.account = session.get("/api/v1/accounts/me").json()
        return session

    def admin(self) -> Session:
        """The bootstrap administrator, signed in once (sign-ins are rate-limited per username)."""
        if self._admin is None:
            self._admin = self.sign_in(*ADMIN)
        return self._admin

    def staff(self, role: str = "officer", unit: str | None = None, **fields) -> Session:
        username = unique(role)
        body = {"username": username, "password": PASSWORD, "role": role, **fields}
        if unit:
            body["unit"] = unit
        answer = self.admin().post("/api/v1/admin/accounts", json=body)
        assert answer.status_code == 201, answer.text
        return self.sign_in(username, PASSWORD)

    def youth(self, age: int = 22, **profile) -> Session:
        username = unique("youth")
        body = {
            "username": username,
            "password": PASSWORD,
            "role": "youth",
            "phone": "13800138000",
            "email": f"{username}@example.org",
            "profile": {
                "name": "青年" + username[-4:],
                "citizen_id": citizen_id(born_aged(age)),
                **profile,
            },
        }
        answer = self.anonymous.post("/api/v1/accounts", json=body)
        assert answer.status_code == 201, answer.text
        return self.sign_in(username, PASSWORD)

    def employer(self, name: str = "XX文旅发展有限公司") -> Session:
        username = unique("employer")
        body = {
            "username": username,
            "password": PASSWORD,
            "role": "employer",
            "display_name": name,
        }
        answer = self.anonymous.post("/api/v1/accounts", json=body)
        assert answer.status_code == 201, answer.text
        return self.sign_in(username, PASSWORD)


def verify_facts(officer: Session, person_id: str, *facts: str) -> dict:
    """An officer of 区人社局 verifies the person's facts as their profile holds them (what a
    paying decision rests on): the person's account as the officer then sees it."""
    view: dict = {}
    for fact in facts:
        answer = officer.post(
            f"/api/v1/people/{person_id}/facts/{fact}/verification",
            json={"reason": "核对学信网学历证书电子注册备案表"},
        )
        assert answer.status_code == 200, answer.text
        view = answer.json()
    return view
