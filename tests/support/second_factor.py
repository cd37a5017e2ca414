"""An authenticator app for tests: it enrols a staff member's second factor through the API and
gives codes as a phone would, each of a time step the gateway has not seen yet (a code is
accepted once), waiting for the next step only when the ones around now are used up."""

from __future__ import annotations

import time

import pyotp

from .api import Session

STEP = 30


class Authenticator:
    """The TOTP secret of one enrolled account, and the last time step it gave a code for."""

    def __init__(self, secret: str):
        self.secret = secret
        self.totp = pyotp.TOTP(secret)
        self.last_step: int | None = None

    def code(self) -> str:
        """A code the gateway accepts now: the earliest step after the last one used that is
        within one step of now (the step before now only while this one has time left, so the
        gateway's check cannot fall past it)."""
        while True:
            now = time.time()
            step, into = int(now) // STEP, now % STEP
            earliest = step - 1 if into < STEP - 5 else step
            candidate = earliest if self.last_step is None else max(earliest, self.last_step + 1)
            if candidate <= step + 1:
                self.last_step = candidate
                return self.totp.generate_otp(candidate)
            time.sleep(STEP - into + 0.1)

    def used(self) -> str:
        """The code given last (a replay)."""
        return self.totp.generate_otp(self.last_step)


def enrol(session: Session) -> tuple[Authenticator, dict]:
    """Enrol `session`'s account; it continues with the new session the confirmation gives.
    The authenticator, and the confirmation's answer (with the recovery codes)."""
    started = session.post("/api/v1/me/second-factor")
    assert started.status_code == 200, started.text
    authenticator = Authenticator(started.json()["secret"])
    confirmed = session.post(
        "/api/v1/me/second-factor/confirm", json={"code": authenticator.code()}
    )
    assert confirmed.status_code == 200, confirmed.text
    session.token = confirmed.json()["access_token"]
    session.refresh_token = confirmed.json()["refresh_token"]
    return authenticator, confirmed.json()


def sign_in_with_code(api, username: str, password: str, code: str):
    return api.anonymous.post(
        "/api/v1/auth/token",
        json={"username": username, "password": password, "second_factor_code": code},
    )
