"""The events service's refusals, in both languages."""

from services.common.i18n import COMMON

MESSAGES = COMMON.extend(
    {
        "not_organiser": {
            "zh-CN": "只有主办单位({unit})的工作人员可以管理该活动",
            "en": "Only officers of the organising unit ({unit}) may manage this activity",
        },
        "activity_not_open": {
            "zh-CN": "该活动当前不接受报名(状态:{state})",
            "en": "This activity is not open ({state})",
        },
        "registration_not_open": {
            "zh-CN": "报名尚未开始(开始时间 {opens_at})",
            "en": "Registration opens at {opens_at}",
        },
        "registration_closed": {
            "zh-CN": "报名已截止(截止时间 {closes_at})",
            "en": "Registration closed at {closes_at}",
        },
        "age_out_of_range": {
            "zh-CN": "该活动面向{min_age}至{max_age}岁的青年,您的年龄为{age}岁",
            "en": "This activity is for ages {min_age} to {max_age}; you are {age}",
        },
        "age_unknown": {
            "zh-CN": "该活动有年龄要求,请先完善个人资料中的身份证号码",
            "en": "This activity has an age range; complete your profile's citizen ID first",
        },
        "already_registered": {
            "zh-CN": "您已报名该活动",
            "en": "You are already registered for this activity",
        },
        "registration_already_cancelled": {
            "zh-CN": "该报名已取消",
            "en": "This registration is already cancelled",
        },
        "ends_before_start": {
            "zh-CN": "结束时间须晚于开始时间",
            "en": "The end must be after the start",
        },
        "ages_reversed": {
            "zh-CN": "最大年龄不能小于最小年龄",
            "en": "The maximum age is below the minimum",
        },
        "window_reversed": {
            "zh-CN": "报名截止时间须晚于开始时间",
            "en": "Registration must close after it opens",
        },
    }
)
