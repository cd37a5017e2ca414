"""Practice units (产教融合实践单位, plan 一.3): verified employers an officer designates as places
where students of the named schools and colleges train. `GET /practice-units` lists them with
their published posts (`queries/employers.py`)."""

from __future__ import annotations

from services.common.actor import Actor
from services.common.clock import utcnow

from . import domain
from .models import Employer
from .policy import JobsPolicy


def designate(
    uow, actor: Actor, employer_id: str, partners: list[str], policy: JobsPolicy
) -> Employer:
    """An officer of the deciding unit designates a verified employer, naming its partner
    schools; audited."""
    domain.check_decides(actor, policy)
    row = uow.repo.locked(Employer, employer_id, domain.EMPLOYER_NOT_FOUND)
    domain.check_may_publish(row.state)
    row.practice_unit, row.practice_partners = True, list(partners)
    row.updated_at = utcnow()
    uow.audit(
        "employer.practice_unit_designated",
        ("employer", row.id),
        None,
        {"partners": list(partners)},
    )
    uow.commit()
    return row
