"""The events service's refusals and the texts of its dashboard items, in both languages."""

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
        "activity_already_over": {
            "zh-CN": "该活动已结束",
            "en": "This activity is already over",
        },
        "activity_not_started": {
            "zh-CN": "活动尚未开始(开始时间 {starts_at}),不能标记为已结束",
            "en": "The activity has not started yet ({starts_at}); it cannot be finished",
        },
        "drafts_for_organisers": {
            "zh-CN": "只有主办单位的工作人员可以查看草稿活动",
            "en": "Only officers of the organising unit see draft activities",
        },
        "registration_attended": {
            "zh-CN": "您已签到,不能再取消报名",
            "en": "You have checked in; the registration can no longer be cancelled",
        },
        "check_in_not_open": {
            "zh-CN": "签到尚未开始(开始时间 {opens_at})",
            "en": "Check-in opens at {opens_at}",
        },
        "check_in_closed": {
            "zh-CN": "签到已结束(结束时间 {closes_at})",
            "en": "Check-in closed at {closes_at}",
        },
        "check_in_code_used": {
            "zh-CN": "该签到码已使用(签到时间 {checked_in_at})",
            "en": "This check-in code was already used ({checked_in_at})",
        },
        "check_in_code_void": {
            "zh-CN": "该签到码无效:报名状态为“{state}”",
            "en": "This check-in code is not valid: the registration is {state}",
        },
        "venue_closed": {
            "zh-CN": "活动时间不在场馆开放时间内",
            "en": "The venue is not open for the activity's time",
        },
        "unknown_venue": {
            "zh-CN": "没有这个场馆",
            "en": "No such venue",
        },
        "venue_required": {
            "zh-CN": "请填写活动地点,或选择一个场馆",
            "en": "Name the place, or choose a venue",
        },
        "not_venue_keeper": {
            "zh-CN": "只有{units}的工作人员可以维护健身圈场馆",
            "en": "Only officers of {units} keep the fitness-circle venues",
        },
        "closes_before_opens": {
            "zh-CN": "关闭时间须晚于开放时间(跨午夜请分为两段)",
            "en": "Closing must come after opening (split a period past midnight in two)",
        },
        "weekday_range": {
            "zh-CN": "星期应为1(周一)到7(周日)",
            "en": "Weekdays are 1 (Monday) to 7 (Sunday)",
        },
        "clock_format": {
            "zh-CN": "时间格式应为 HH:MM(00:00–24:00)",
            "en": "Times are HH:MM (00:00 to 24:00)",
        },
        "not_story_moderator": {
            "zh-CN": "只有{units}的工作人员可以审核“我的青春在XX”专栏",
            "en": "Only officers of {units} moderate the stories column",
        },
        "stories_by_young_people": {
            "zh-CN": "只有青年可以向专栏投稿",
            "en": "Only young people submit stories to the column",
        },
        "period_reversed": {
            "zh-CN": "结束日期须晚于开始日期",
            "en": "The period must end after it starts",
        },
        "not_found.activity": {"zh-CN": "未找到该活动", "en": "The activity was not found"},
        "not_found.registration": {
            "zh-CN": "未找到该报名",
            "en": "The registration was not found",
        },
        "not_found.check_in_code": {
            "zh-CN": "该活动没有这个签到码",
            "en": "This activity has no such check-in code",
        },
        "not_found.venue": {"zh-CN": "未找到该场馆", "en": "The venue was not found"},
        "not_found.story": {"zh-CN": "未找到该故事", "en": "The story was not found"},
        # showcases and live-commerce contests (青年助农平台)
        "not_found.showcase_entry": {
            "zh-CN": "未找到该参展(参赛)记录",
            "en": "The showcase entry was not found",
        },
        "not_a_showcase": {
            "zh-CN": "该活动不是助农展销或直播带货比赛,不接受参展",
            "en": "This activity is not a showcase or a contest; it takes no entrants",
        },
        "showcase_not_open": {
            "zh-CN": "该活动未发布或已结束,不接受参展",
            "en": "This showcase is not published or has ended; it takes no more entrants",
        },
        "showcase_already_entered": {
            "zh-CN": "您已报名参展该活动",
            "en": "You have already entered this showcase",
        },
        "sales_before_showcase": {
            "zh-CN": "活动开始后才能登记销售额",
            "en": "Sales are reported once the showcase has started",
        },
        # the 15-minute circle (三.4)
        "coordinates_pair": {
            "zh-CN": "请同时填写纬度和经度(GCJ-02)",
            "en": "Give both latitude and longitude (GCJ-02)",
        },
        "near_format": {
            "zh-CN": "位置格式应为“纬度,经度”(GCJ-02 十进制度数,如 30.2741,120.1551)",
            "en": 'The location is "latitude,longitude" in GCJ-02 decimal degrees '
            "(30.2741,120.1551, say)",
        },
        "near_required": {
            "zh-CN": "按步行时间查找时须给出位置 near",
            "en": "Walking minutes need a location (near)",
        },
        "slot_in_past": {
            "zh-CN": "时间须在当前之后",
            "en": "The time must be in the future",
        },
        "slot_too_far": {
            "zh-CN": "时段最多提前{days}天设置",
            "en": "A slot is offered at most {days} days ahead",
        },
        "slot_too_long": {
            "zh-CN": "一个时段不能超过一天",
            "en": "A slot lasts a day at most",
        },
        "slot_not_open": {
            "zh-CN": "该时段不可预约(状态:{state})",
            "en": "This slot cannot be booked ({state})",
        },
        "slot_started": {
            "zh-CN": "该时段已开始",
            "en": "This slot has already started",
        },
        "slot_booking_not_open": {
            "zh-CN": "该时段尚未开放预约(开放时间 {opens_at})",
            "en": "Booking for this slot opens at {opens_at}",
        },
        "slot_already_booked": {
            "zh-CN": "您已预约该时段",
            "en": "You have already booked this slot",
        },
        "slot_bookings_limit": {
            "zh-CN": "您已有{limit}个未到期的场地预约,请先使用或取消",
            "en": "You already hold {limit} slot bookings ahead; use or cancel one first",
        },
        "slot_full": {
            "zh-CN": "该时段已约满(容量 {capacity} 人)",
            "en": "This slot is full ({capacity} places)",
        },
        "slot_booking_already_cancelled": {
            "zh-CN": "该预约已取消",
            "en": "This booking is already cancelled",
        },
        "slot_not_bookable_venue": {
            "zh-CN": "只有开放时段的场馆可以设置预约时段",
            "en": "Only a venue with opening hours takes bookable slots",
        },
        "not_club_keeper": {
            "zh-CN": "只有{units}的工作人员可以维护青少年体育俱乐部名录",
            "en": "Only officers of {units} keep the register of youth sports clubs",
        },
        "not_health_officer": {
            "zh-CN": "只有{units}的工作人员可以办理心理健康服务",
            "en": "Only officers of {units} handle mental-health services",
        },
        "consent_required": {
            "zh-CN": "预约心理咨询须单独同意处理您的健康信息(敏感个人信息)",
            "en": "Booking counselling needs your separate consent to the processing of your "
            "health data (sensitive personal data)",
        },
        "preferred_reversed": {
            "zh-CN": "期望结束日期不能早于开始日期",
            "en": "The preferred period ends before it starts",
        },
        "consent.counselling": {
            "zh-CN": "我单独同意区卫健委为安排心理咨询处理我填写的健康信息;"
            "该信息仅我本人和区卫健委工作人员可见,不用于其他目的,我可随时导出或删除。",
            "en": "I separately consent to the District Health Commission processing the health "
            "information I give to arrange counselling; only I and its officers see it, it serves "
            "no other purpose, and I may export or erase it at any time.",
        },
        "not_found.slot": {"zh-CN": "未找到该时段", "en": "The slot was not found"},
        "not_found.slot_booking": {
            "zh-CN": "未找到该场地预约",
            "en": "The slot booking was not found",
        },
        "not_found.club": {"zh-CN": "未找到该俱乐部", "en": "The club was not found"},
        "not_found.outreach": {
            "zh-CN": "未找到该心理健康服务申请",
            "en": "The mental-health session request was not found",
        },
        "not_found.counselling": {
            "zh-CN": "未找到该心理咨询预约",
            "en": "The counselling booking was not found",
        },
        # dashboard items
        "dashboard.registration": {
            "zh-CN": "活动报名:{title}",
            "en": "Registration: {title}",
        },
        "dashboard.story": {
            "zh-CN": "我的青春在XX:{title}",
            "en": "My youth in XX: {title}",
        },
        "next_step.show_code": {
            "zh-CN": "{when} 到场时出示签到码 {code}",
            "en": "Show check-in code {code} when you arrive, {when}",
        },
        "next_step.waitlisted": {
            "zh-CN": "候补第{position}位;有人取消时将自动递补并通知您",
            "en": "Number {position} on the waitlist; you will be told when a place frees up",
        },
        "next_step.story_submitted": {
            "zh-CN": "等待专栏编辑审核",
            "en": "Waiting for the column's editors to review it",
        },
        "next_step.story_rejected": {
            "zh-CN": "未通过审核:{reason}",
            "en": "Not approved: {reason}",
        },
        "next_step.story_taken_down": {
            "zh-CN": "已撤下:{reason}",
            "en": "Taken down: {reason}",
        },
    }
)
