"""Budgets and payments without I/O: the programmes that pay out, an envelope's figures, the
states of a payout and of a batch line, and the masking of an account number.

An **envelope** (预算额度) is what the district's annual budget gives one programme for one
year (plan 四.(四) 将相关经费列入年度预算). Approving a payout **commits** its amount; the
finance bureau's confirmation that it was paid moves it from committed to **paid**; what is
**left** is the envelope less both. A payout that failed at the bank stays committed: it goes
back to the queue and is paid in a later batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..errors import Conflict, InvalidInput
from .messages import FINANCE

#: the unit that pays (区财政局): it confirms each batch line paid or failed
TREASURY_UNIT = "finance"

# a payout's states: approved and waiting for a batch, in a batch at the bureau, paid
QUEUED, BATCHED, PAID = "queued", "batched", "paid"
PAYOUT_STATES = (QUEUED, BATCHED, PAID)
# a batch line's states: sent, and the bureau's answer
PENDING, FAILED = "pending", "failed"
LINE_OUTCOMES = (PAID, FAILED)
# a batch: made, exported at least once, every line answered
CREATED, EXPORTED, SETTLED = "created", "exported", "settled"
BATCH_STATES = (CREATED, EXPORTED, SETTLED)
#: why the bureau could not pay a line (its return codes, simplified): never free text, which
#: could name the payee
FAILURE_REASONS = ("account_invalid", "account_closed", "name_mismatch", "other")

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Programme:
    """A programme that pays money out, the service whose ledger holds it, and its name."""

    code: str
    ledger: str
    zh: str
    en: str
    #: the plan's task its spending is shown beside on the indicators page
    task: str

    def label(self) -> dict:
        return {"zh-CN": self.zh, "en": self.en}


PROGRAMMES: dict[str, Programme] = {
    p.code: p
    for p in (
        Programme("hiring_subsidy", "jobs", "一次性扩岗补助", "One-off hiring subsidy", "一.5"),
        Programme("traineeship_subsidy", "jobs", "就业见习补贴", "Traineeship subsidy", "一.2"),
        Programme("startup_grant", "startup", "一次性创业补贴", "One-off startup grant", "一.4"),
        Programme(
            "loan_interest_subsidy",
            "startup",
            "创业担保贷款贴息",
            "Startup loan interest subsidy",
            "一.4",
        ),
    )
}
LEDGERS = tuple(sorted({p.ledger for p in PROGRAMMES.values()}))


def programmes_of(ledger: str) -> tuple[str, ...]:
    return tuple(code for code, p in PROGRAMMES.items() if p.ledger == ledger)


@dataclass(frozen=True)
class Figures:
    """One programme's envelope for one year and what is drawn on it. An envelope nobody has
    set (`None`) limits nothing: the district has not budgeted the programme for the year yet,
    and its payouts are still counted, so the figures show what the budget will have to hold."""

    envelope: Decimal | None
    committed: Decimal = ZERO
    paid: Decimal = ZERO

    @property
    def left(self) -> Decimal | None:
        if self.envelope is None:
            return None
        return self.envelope - self.committed - self.paid

    def committing(self, amount: Decimal, programme: str, year: int) -> Figures:
        """The figures once `amount` is committed; 409 `budget_exhausted` when it does not fit."""
        left = self.left
        if left is not None and amount > left:
            params = {"programme": programme, "year": year, "left": left, "amount": amount}
            raise Conflict(
                "budget_exhausted",
                params={key: str(value) for key, value in params.items()},
                messages=_with_programme_name("budget_exhausted", params),
            )
        return Figures(self.envelope, self.committed + amount, self.paid)

    def paying(self, amount: Decimal) -> Figures:
        """The figures once a committed `amount` is confirmed paid."""
        return Figures(self.envelope, self.committed - amount, self.paid + amount)

    def with_envelope(self, envelope: Decimal) -> Figures:
        """A new envelope; 409 `envelope_below_spent` when less than is committed and paid."""
        spent = self.committed + self.paid
        if envelope < spent:
            raise Conflict(
                "envelope_below_spent",
                field="envelope_cny",
                params={"spent": str(spent)},
                messages=FINANCE.render("envelope_below_spent", {"spent": spent}),
            )
        return Figures(envelope, self.committed, self.paid)


def _with_programme_name(code: str, params: dict) -> dict:
    """The message in each language, naming the programme in that language."""
    label = PROGRAMMES[params["programme"]].label() if params["programme"] in PROGRAMMES else {}
    return {
        locale: FINANCE.render(
            code, params | {"programme": label.get(locale, params["programme"])}
        )[locale]
        for locale in ("zh-CN", "en")
    }


def check_programme(ledger: str, programme: str) -> Programme:
    """The programme, if this ledger pays it; else 422 naming `programme`."""
    found = PROGRAMMES.get(programme)
    if found is None or found.ledger != ledger:
        raise InvalidInput.for_field(
            "programme", "unknown_programme", FINANCE, known=", ".join(programmes_of(ledger))
        )
    return found


def check_outcome(line_state: str) -> None:
    """A line is answered once: 409 `payment_line_settled` for one already paid or failed."""
    if line_state != PENDING:
        raise Conflict(
            "payment_line_settled",
            params={"state": line_state},
            messages=FINANCE.render("payment_line_settled", {"state": line_state}),
        )


def mask_account(number: str | None) -> str | None:
    """An account number as shown anywhere but the batch export: its last four digits."""
    if not number:
        return number
    return "**** " + number[-4:]


def batch_reference(programme: str, day, serial: int) -> str:
    """The batch's reference on the bureau's side: programme, date, serial of the day."""
    return f"{programme.upper()}-{day:%Y%m%d}-{serial:03d}"
