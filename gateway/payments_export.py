"""A payment batch as the finance bureau (区财政局) receives it: one row per payout, with the
payee's bank details, in CSV (UTF-8 with a BOM, so spreadsheet programs read the Chinese) or
XLSX (openpyxl). The bureau answers each row by filling `outcome` (`paid` or `failed`),
`bank_reference` and, for a failed row, `reason` (account_invalid, account_closed,
name_mismatch, other); the console reads that file back into a confirmation.

This is the only place the platform writes an account number in full.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from openpyxl import Workbook

COLUMNS = (
    "batch_reference",
    "line_id",
    "programme",
    "payee_id",
    "payee_name",
    "bank_name",
    "account_number",
    "amount_cny",
    "outcome",
    "bank_reference",
    "reason",
)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def rows(batch: dict, accounts: dict) -> list[list]:
    """Each line of the batch with its payee's bank details (blank when the payee has none any
    more: an erased person; the bureau answers it failed)."""
    found = []
    for line in batch["lines"]:
        account = accounts.get(line["payee_id"])
        found.append(
            [
                batch["reference"],
                line["id"],
                batch["programme"],
                line["payee_id"],
                account.holder if account else "",
                account.bank_name if account else "",
                account.number if account else "",
                Decimal(line["amount_cny"]),
                "",
                "",
                "",
            ]
        )
    return found


def as_csv(batch: dict, accounts: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows(batch, accounts):
        writer.writerow([f"{value:.2f}" if isinstance(value, Decimal) else value for value in row])
    return "\ufeff" + out.getvalue()


def as_xlsx(batch: dict, accounts: dict) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = batch["reference"][:31]
    sheet.append(COLUMNS)
    for row in rows(batch, accounts):
        sheet.append(row)
        # the account number stays text (a number would lose leading zeros and digits)
        sheet.cell(row=sheet.max_row, column=7).number_format = "@"
        sheet.cell(row=sheet.max_row, column=8).number_format = "0.00"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
