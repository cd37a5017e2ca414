"""The housing service's refusals and eligibility explanations, in both languages.

Codes start with `housing.` so that they never clash with another service's in the gateway's
merged catalogue.
"""

from services.common.i18n import COMMON

MESSAGES = COMMON.extend(
    {
        # -- eligibility explanations, one per rule outcome ------------------------------
        "housing.rule.age.ok": {
            "zh-CN": "年龄{age}岁,符合{min_age}至{max_age}岁的要求",
            "en": "Age {age} is within {min_age} to {max_age}",
        },
        "housing.rule.age.too_young": {
            "zh-CN": "年龄{age}岁,未满{min_age}岁",
            "en": "Age {age} is under the minimum of {min_age}",
        },
        "housing.rule.age.too_old": {
            "zh-CN": "年龄{age}岁,超过{max_age}岁的上限(硕士及以上学历放宽至{advanced_max}岁)",
            "en": "Age {age} is over the limit of {max_age} "
            "({advanced_max} with a master's degree or above)",
        },
        "housing.rule.age.unknown": {
            "zh-CN": "无法确定年龄,请先在个人资料中填写身份证号码",
            "en": "Your age is unknown; add your citizen ID to your profile first",
        },
        "housing.rule.social_insurance.ok": {
            "zh-CN": "在本区连续缴纳社会保险{months}个月,满足{required}个月的要求",
            "en": "{months} consecutive months of social insurance in the district "
            "(at least {required} required)",
        },
        "housing.rule.social_insurance.short": {
            "zh-CN": "在本区连续缴纳社会保险{months}个月,不足{required}个月",
            "en": "{months} consecutive months of social insurance in the district; "
            "{required} are required",
        },
        "housing.rule.social_insurance.unknown": {
            "zh-CN": "个人资料中没有本区社会保险缴纳月数,需连续缴纳{required}个月",
            "en": "Your profile has no months of social insurance in the district; "
            "{required} consecutive months are required",
        },
        "housing.rule.no_property.ok": {
            "zh-CN": "已声明本人、配偶及未成年子女近{years}年内在本区无房产",
            "en": "Declared: no property in the district for you, your spouse or minor children "
            "within {years} years",
        },
        "housing.rule.no_property.owns": {
            "zh-CN": "已声明本人、配偶或未成年子女近{years}年内在本区有房产",
            "en": "Declared: you, your spouse or a minor child had property in the district "
            "within {years} years",
        },
        "housing.rule.not_on_payroll.ok": {
            "zh-CN": "已声明不属于机关事业单位在编人员",
            "en": "Declared: not on the government payroll",
        },
        "housing.rule.not_on_payroll.on_payroll": {
            "zh-CN": "已声明属于机关事业单位在编人员",
            "en": "Declared: on the government payroll",
        },
        # -- refusals -------------------------------------------------------------------
        "not_eligible": {
            "zh-CN": "申请人不符合条件,不能批准:{failed}",
            "en": "The applicant is not eligible and cannot be approved: {failed}",
        },
        "application_open": {
            "zh-CN": "您已有一份进行中的同类住房申请",
            "en": "You already have an open application for this kind of housing",
        },
        "unknown_preference_group": {
            "zh-CN": "没有这个优先组,可选:{groups}",
            "en": "No such preference group; one of: {groups}",
        },
        "area_too_large": {
            "zh-CN": "保障性租赁住房面积不得超过{max}平方米",
            "en": "An affordable rental unit is at most {max} m²",
        },
        "beds_only_for_station": {
            "zh-CN": "只有青年驿站床位可以设置床位数",
            "en": "Only youth-station units have a number of beds",
        },
        "homestay_only_for_talent": {
            "zh-CN": "只有人才公寓可以由民宿改建",
            "en": "Only talent apartments can be converted homestays",
        },
        "unit_not_available": {
            "zh-CN": "该房源当前不可用(状态:{state})",
            "en": "This unit is not available ({state})",
        },
        "housing.no_station_units_for_applications": {
            "zh-CN": "青年驿站床位通过预订入住,不接受住房申请",
            "en": "Youth-station beds are booked, not applied for",
        },
        "lottery_not_used": {
            "zh-CN": "该类房源按先到先得轮候分配,不摇号",
            "en": "This kind of housing is allocated first come, first served: no lottery",
        },
        "no_entrants": {
            "zh-CN": "没有等待摇号的申请",
            "en": "No approved applications are waiting for a draw",
        },
        "seed_not_accepted": {
            "zh-CN": "不接受指定种子:种子由平台在截止报名时生成,其SHA-256承诺值当即公布,摇号时揭示",
            "en": "A seed is not accepted: the platform generates it when applications close, "
            "publishes its SHA-256 commitment then, and reveals it at the draw",
        },
        "public_value_passed": {
            "zh-CN": "公开随机值的公布时间须晚于现在:摇号所用的公开值在截止报名时必须尚未公布",
            "en": "The public value must be published later than now: nobody may know it "
            "when applications close",
        },
        "round_pending": {
            "zh-CN": "该类房源已有一轮尚未摇号的摇号轮次",
            "en": "A draw round of this kind is already open or waiting for its draw",
        },
        "round_close_too_late": {
            "zh-CN": "公开随机值已于{at}公布,本轮不能再截止报名;请新开一轮并指定新的公开值",
            "en": "The public value was due at {at}: this round can no longer close; open a "
            "new round naming a new public value",
        },
        "public_value_not_yet": {
            "zh-CN": "公开随机值将于{at}公布,之后才能摇号",
            "en": "The public value is published at {at}: the draw can only follow it",
        },
        "offer_expired": {
            "zh-CN": "该房源分配已于{respond_by}过期",
            "en": "This offer expired at {respond_by}",
        },
        "not_a_station": {
            "zh-CN": "该房源不是青年驿站床位",
            "en": "This unit is not a youth-station bed",
        },
        "station_full": {
            "zh-CN": "{night}当晚床位已满",
            "en": "No bed is left on the night of {night}",
        },
        "station_cap": {
            "zh-CN": "每人累计最多免费入住{cap}晚:已预订{used}晚,本次申请{requested}晚",
            "en": "At most {cap} free nights per person: {used} booked, {requested} requested",
        },
        "station_night_taken": {
            "zh-CN": "您在{night}当晚已有预订",
            "en": "You already have a bed on the night of {night}",
        },
        "station_graduation_unknown": {
            "zh-CN": "请先在个人资料中填写毕业时间",
            "en": "Add your graduation date to your profile first",
        },
        "station_graduation_window": {
            "zh-CN": "青年驿站免费入住限毕业前{before}年至毕业后{after}年({opens}至{closes})",
            "en": "Free stays are from {before} year(s) before to {after} years after "
            "graduation ({opens} to {closes})",
        },
        "station_job_seekers_only": {
            "zh-CN": "青年驿站免费入住面向求职的毕业生,您的就业状态为{status_zh}",
            "en": "Free stays are for job-seeking graduates; your profile says {status_en}",
        },
        "night_in_past": {
            "zh-CN": "不能预订已过去的日期(今天是{today})",
            "en": "Nights in the past cannot be booked (today is {today})",
        },
        "night_beyond_horizon": {
            "zh-CN": "最多可预订{days}天以内的床位",
            "en": "Nights can be booked up to {days} days ahead",
        },
        "check_in_too_early": {
            "zh-CN": "{first_night}才可以入住",
            "en": "Check-in opens on {first_night}",
        },
        "amount_above_schedule": {
            "zh-CN": "申请金额超过政策标准:{household_size}人家庭最多{cap}元",
            "en": "The amount is above the policy's schedule: at most {cap} CNY for a household "
            "of {household_size}",
        },
        "subsidy_once_per_person": {
            "zh-CN": "购房补贴每人只能享受一次,您已有在办或已发放的申请",
            "en": "The home-purchase subsidy is once per person: you already have one pending or "
            "granted",
        },
        "amount_too_high": {
            "zh-CN": "核定金额不能超过申请金额{requested}元",
            "en": "The granted amount cannot exceed the {requested} CNY requested",
        },
        "amount_required": {
            "zh-CN": "批准时须核定金额",
            "en": "A grant needs the amount granted",
        },
        "beds_in_use": {
            "zh-CN": "已有预订使用第{bed}号床位,不能减少到{beds}张",
            "en": "Bookings hold bed {bed}; the beds cannot go down to {beds}",
        },
        "unit_fits_no_household": {
            "zh-CN": "该房源有{rooms}间房,适合{fewest}至{most}人的家庭;轮候中没有人数相符的家庭,"
            "房源保持可分配",
            "en": "The unit has {rooms} room(s) and fits a household of {fewest} to {most}; no "
            "household of that size is waiting, so the unit stays available",
        },
        "nobody_waiting": {
            "zh-CN": "轮候名单中没有人,房源保持可分配",
            "en": "Nobody is waiting in line; the unit stays available",
        },
        "unit_of_another_kind": {
            "zh-CN": "该房源属于另一类住房({kind})",
            "en": "The unit is of another kind ({kind})",
        },
        "range_reversed": {
            "zh-CN": "结束日期须晚于开始日期",
            "en": "The end must be after the start",
        },
    }
)
