"""The startup service's refusals, in both languages."""

from services.common.i18n import COMMON

MESSAGES = COMMON.extend({})
