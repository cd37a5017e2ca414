"""The refusals of budgets and payments, in both languages. Each paying service's catalogue
includes them (`COMMON.extend({**FINANCE_MESSAGES, ...})`), so its errors render them too."""

from __future__ import annotations

from ..i18n import COMMON

FINANCE_MESSAGES = {
    "budget_exhausted": {
        "zh-CN": "{programme} {year} 年度预算额度不足:剩余 {left} 元,本笔需 {amount} 元",
        "en": "The {year} budget of {programme} is exhausted: {left} CNY left, {amount} CNY needed",
    },
    "envelope_below_spent": {
        "zh-CN": "预算额度不能低于已承诺和已支付的合计 {spent} 元",
        "en": "The envelope cannot be less than what is committed and paid: {spent} CNY",
    },
    "unknown_programme": {
        "zh-CN": "未知的资金项目(可选:{known})",
        "en": "Unknown programme (known: {known})",
    },
    "payment_line_settled": {
        "zh-CN": "该笔支付已有结果({state}),不能重复确认",
        "en": "This payment already has its outcome ({state})",
    },
    "nothing_to_batch": {
        "zh-CN": "没有待支付的款项可以组批",
        "en": "No approved payout is waiting for a batch",
    },
    "payment_line_not_in_batch": {
        "zh-CN": "支付明细 {line_id} 不属于该批次",
        "en": "Line {line_id} is not in this batch",
    },
    "reconciliation_period_reversed": {
        "zh-CN": "结束日期须晚于开始日期",
        "en": "The period must end after it starts",
    },
    "payment_batch_not_found": {
        "zh-CN": "未找到该支付批次",
        "en": "The payment batch was not found",
    },
    "payout_not_found": {"zh-CN": "未找到该笔待支付款项", "en": "The payout was not found"},
    "budget_year_out_of_range": {
        "zh-CN": "预算年度须在 {low} 至 {high} 之间",
        "en": "The budget year must be between {low} and {high}",
    },
}

#: the catalogue the finance kit renders its own refusals with
FINANCE = COMMON.extend(FINANCE_MESSAGES)
