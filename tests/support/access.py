"""The API's operations and roles as the OpenAPI document states them, and a signed-in session
for each role, for the tests that walk every operation (fuzzing, the access matrix).

The operations come from the document the gateway builds from its routes (`x-roles` names who
may call each one, `public` for anyone), so a new route is covered without touching a test; the
tests check that the running gateway serves that same document.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from services.common.clock import clock

from .api import Api, Session
from .dates import days_ago, district_time
from .evidence import PDF
from .jobs import employer_body, published
from .messaging import wait_for

ROLES = ("youth", "employer", "officer", "admin", "partner")
METHODS = ("get", "put", "post", "patch", "delete")
# 区人社局: the unit that decides most of what the jobs routes offer officers
OFFICER_UNIT = "hrss"


@functools.cache
def openapi_document() -> dict:
    from gateway.openapi import build_document
    from gateway.service import GatewayService

    return build_document(GatewayService.routes())


def documented_operations() -> list[tuple[str, str, dict]]:
    """(method, path, operation) for every operation of the document, in document order."""
    return [
        (method.upper(), path, operation)
        for path, item in openapi_document()["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def same_operations(served: dict) -> bool:
    """Whether a served document has the operations and roles of the one built here."""

    def shape(document: dict) -> dict:
        return {
            (method, path): operation["x-roles"]
            for path, item in document["paths"].items()
            for method, operation in item.items()
            if method in METHODS
        }

    return shape(served) == shape(openapi_document())


STARTUP = "/api/v1/startup"
GRADUATE = {
    "degree": "bachelor",
    "graduation_date": days_ago(160),
    "employment_status": "unemployed",
}


def _created(answer, status: int = 201) -> dict:
    assert answer.status_code == status, answer.text
    return answer.json()


@dataclass
class Scenery:
    """What people's resources hang on: the officers who decide, a published activity, a
    youth-station room, and a bank (a partner account) lending startup loans."""

    hrss: Session
    bank: Session
    admin: Session
    lender_id: str
    activity_id: str
    room_id: str

    @classmethod
    def build(cls, api: Api) -> Scenery:
        league = api.staff("officer", unit="youth_league")
        housing = api.staff("officer", unit="housing")
        admin = api.staff("admin")
        bank = api.staff("partner", display_name="XX农村商业银行")
        lender = _created(
            admin.post(f"{STARTUP}/lenders", json={"name": "XX银行", "partner_account_id": bank.id})
        )
        activity = _created(
            league.post(
                "/api/v1/activities",
                json={
                    "title": "青年联谊",
                    "category": "youth_mixer",
                    "venue": "青年之家",
                    "starts_at": district_time(days=30, hour=14).isoformat(),
                    "ends_at": district_time(days=30, hour=17).isoformat(),
                    "capacity": 30,
                },
            )
        )
        assert league.post(f"/api/v1/activities/{activity['id']}/publish").status_code == 200
        room = _created(
            housing.post(
                "/api/v1/housing/units",
                json={
                    "kind": "station_bed",
                    "title": "青年驿站",
                    "address": "XX区人才大厦",
                    "area_m2": "30",
                    "rooms": 1,
                    "rent_cny": "0",
                    "beds": 4,
                },
            )
        )
        return cls(
            api.staff("officer", unit=OFFICER_UNIT),
            bank,
            admin,
            lender["id"],
            activity["id"],
            room["id"],
        )

    def verified_employer(self, api: Api) -> Session:
        employer = api.employer()
        _created(employer.post("/api/v1/employers", json=employer_body()))
        verified = self.hrss.post(f"/api/v1/employers/{employer.id}/verify", json={})
        assert verified.status_code == 200, verified.text
        return employer

    def resources(self, youth: Session, employer: Session) -> dict[str, str]:
        """`youth`'s application to a post of `employer`, registration for the activity, station
        booking, loan, first message and an evidence document, by name."""
        post = published(employer, self.hrss, kind="job")
        application = _created(
            youth.post(f"/api/v1/posts/{post['id']}/applications", json={"cover_letter": "您好"})
        )
        registration = _created(youth.post(f"/api/v1/activities/{self.activity_id}/registrations"))
        booking = _created(
            youth.post(
                "/api/v1/housing/station-bookings",
                json={
                    "unit_id": self.room_id,
                    "first_night": clock.today().isoformat(),
                    "nights": 1,
                },
            )
        )
        loan = _created(
            youth.post(
                f"{STARTUP}/loans",
                json={
                    "borrower_kind": "individual",
                    "amount_cny": "100000.00",
                    "term_months": 24,
                    "purpose": "购置设备",
                    "lender_id": self.lender_id,
                },
            )
        )
        evidence = _created(
            youth.post(
                "/api/v1/me/evidence/graduation_date",
                data=PDF,
                headers={"Content-Type": "application/pdf"},
            )
        )
        inbox = wait_for(
            lambda: youth.get("/api/v1/me/messages").json()["items"],
            timeout=20,
            interval=0.2,
            message="a message in the inbox",
        )
        return {
            "post": post["id"],
            "employer_id": employer.id,
            "person": youth.id,
            "application": application["id"],
            "registration": registration["id"],
            "booking": booking["id"],
            "loan": loan["id"],
            "message": inbox[0]["id"],
            "evidence": evidence["id"],
        }


#: operations that end the caller's session (or, called with a right password, all of them):
#: each gets an account of its own, so the role's shared session goes on working
ENDS_SESSION = {("POST", "/api/v1/auth/logout"), ("POST", "/api/v1/me/password")}


def caller_for(api: Api, sessions: dict[str, Session], method: str, path: str, role: str):
    """The session to call `method path` as `role` with: the role's shared one, or a new
    account's for an operation in `ENDS_SESSION`."""
    if (method, path) not in ENDS_SESSION or role == "anonymous":
        return sessions[role]
    if role == "youth":
        return api.youth()
    if role == "employer":
        return api.employer()
    return api.staff(role, unit=OFFICER_UNIT if role == "officer" else None)


def role_sessions(api: Api, scenery: Scenery) -> dict[str, Session]:
    """One account of each role, and `anonymous`: a young person with a full profile, a
    verified employer, an officer of 区人社局, an administrator, and the bank's partner account."""
    return {
        "anonymous": api.anonymous,
        "youth": api.youth(age=23, **GRADUATE),
        "employer": scenery.verified_employer(api),
        "officer": scenery.hrss,
        "admin": scenery.admin,
        "partner": scenery.bank,
    }
