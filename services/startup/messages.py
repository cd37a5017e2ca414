"""The startup service's refusals, in both languages."""

from services.common.finance.messages import FINANCE_MESSAGES
from services.common.i18n import COMMON

MESSAGES = COMMON.extend(
    {
        **FINANCE_MESSAGES,
        # not found
        "business_registration_not_found": {
            "zh-CN": "未找到该企业开办申请",
            "en": "The business registration was not found",
        },
        "registration_step_not_found": {
            "zh-CN": "企业开办没有“{step}”这个环节",
            "en": "A business registration has no step {step}",
        },
        "loan_not_found": {"zh-CN": "未找到该贷款申请", "en": "The loan was not found"},
        "lender_not_found": {"zh-CN": "未找到该经办银行", "en": "The lending bank was not found"},
        "grant_not_found": {
            "zh-CN": "未找到该创业补贴申请",
            "en": "The grant application was not found",
        },
        "space_not_found": {"zh-CN": "未找到该孵化空间", "en": "The incubator space was not found"},
        "incubator_application_not_found": {
            "zh-CN": "未找到该入驻申请",
            "en": "The incubator application was not found",
        },
        "course_not_found": {"zh-CN": "未找到该培训课程", "en": "The course was not found"},
        "enrolment_not_found": {"zh-CN": "未找到该报名", "en": "The enrolment was not found"},
        # business registration
        "founders_shares_total": {
            "zh-CN": "各投资人出资比例合计应为100%",
            "en": "The founders' shares must add up to 100 %",
        },
        "step_already_completed": {
            "zh-CN": "“{step}”环节已办结",
            "en": "The step {step} is already completed",
        },
        "step_prerequisites_pending": {
            "zh-CN": "请先办结前置环节:{steps}",
            "en": "Complete these steps first: {steps}",
        },
        "licence_needs_credit_code": {
            "zh-CN": "核发营业执照须填写统一社会信用代码",
            "en": "Issuing the licence needs the unified social credit code",
        },
        "credit_code_taken": {
            "zh-CN": "该统一社会信用代码已用于另一家企业",
            "en": "This unified social credit code belongs to another business",
        },
        "refusal_reason_required": {
            "zh-CN": "不予通过时须填写理由",
            "en": "A refusal needs a reason",
        },
        # loans after disbursement (servicing.py)
        "loan_not_disbursed": {
            "zh-CN": "该贷款尚未发放,不能报送还款、逾期或申请贴息",
            "en": "The loan is not disbursed: no repayment, arrears or subsidy claim yet",
        },
        "loan_instalment_unknown": {
            "zh-CN": "该贷款只有第1至{term}期",
            "en": "The loan has instalments 1 to {term}",
        },
        "loan_instalment_already_repaid": {
            "zh-CN": "第{instalment}期已报送还款",
            "en": "Instalment {instalment} is already reported repaid",
        },
        "loan_repayment_amount_mismatch": {
            "zh-CN": "第{instalment}期应还{due} 元;未足额还款请报送逾期",
            "en": "Instalment {instalment} is {due} CNY; report a shortfall as arrears",
        },
        "loan_date_before_disbursement": {
            "zh-CN": "日期不能早于放款日 {disbursed_on}",
            "en": "The date cannot be before the disbursement ({disbursed_on})",
        },
        "loan_date_in_future": {
            "zh-CN": "日期不能晚于今天({today})",
            "en": "The date cannot be after today ({today})",
        },
        "loan_quarter_not_ended": {
            "zh-CN": "{quarter} 尚未结束({ends_on}),季度结束后方可申请贴息",
            "en": "{quarter} has not ended ({ends_on}); claim its subsidy after it ends",
        },
        "loan_quarter_without_subsidy": {
            "zh-CN": "{quarter} 没有应贴息的还款期",
            "en": "No subsidised instalment falls due in {quarter}",
        },
        "loan_subsidy_stopped": {
            "zh-CN": "该贷款逾期超过规定天数,自 {since} 起停止贴息",
            "en": "The loan's arrears exceeded the limit: no subsidy from {since}",
        },
        "loan_quarter_not_repaid": {
            "zh-CN": "{quarter} 的第{instalments}期尚未报送还款",
            "en": "Instalments {instalments} of {quarter} are not reported repaid",
        },
        "loan_subsidy_already_claimed": {
            "zh-CN": "{quarter} 的贴息已申请",
            "en": "The subsidy for {quarter} is already claimed",
        },
        "quarter_invalid": {
            "zh-CN": "季度格式应为 2035-Q1",
            "en": "A quarter is written like 2035-Q1",
        },
        # loans
        "loan_amount_over_limit": {
            "zh-CN": "该类贷款({kind})额度最高为{limit}元",
            "en": "A loan of this kind ({kind}) is at most {limit} CNY",
        },
        "loan_term_over_limit": {
            "zh-CN": "贷款期限最长为{months}个月",
            "en": "A loan runs at most {months} months",
        },
        "contract_rate_over_cap": {
            "zh-CN": "合同利率不得高于LPR({lpr}%)加{bp}个基点,即{cap}%",
            "en": "The contract rate may not exceed the LPR ({lpr} %) plus {bp} bp, {cap} %",
        },
        "loan_applicant_too_young": {
            "zh-CN": "申请创业担保贷款须年满{min_age}周岁",
            "en": "A startup loan needs the applicant to be at least {min_age}",
        },
        "loan_age_unknown": {
            "zh-CN": "请先在个人资料中填写身份证号码",
            "en": "Complete your profile's citizen ID first",
        },
        "loan_already_open": {
            "zh-CN": "您已有一笔办理中的同类贷款申请",
            "en": "You already have a loan of this kind in progress",
        },
        "credit_code_required_for_business": {
            "zh-CN": "小微企业贷款须填写企业的统一社会信用代码",
            "en": "A small-business loan needs the business's unified social credit code",
        },
        "lender_unknown": {
            "zh-CN": "没有这家经办银行",
            "en": "No such lending bank",
        },
        "lender_inactive": {
            "zh-CN": "该银行暂不办理创业担保贷款",
            "en": "This bank does not lend startup loans at present",
        },
        "lender_account_taken": {
            "zh-CN": "该合作机构账号已登记为经办银行",
            "en": "This partner account is already a lending bank",
        },
        "lender_account_not_partner": {
            "zh-CN": "经办银行须使用合作机构(partner)账号",
            "en": "A lending bank signs in with a partner account",
        },
        "rate_required_to_approve": {
            "zh-CN": "银行审核通过须填写合同利率",
            "en": "A bank approval needs the contract rate",
        },
        "disbursed_before_approval": {
            "zh-CN": "放款日期不能早于审批日期({decided_on})",
            "en": "The loan cannot be disbursed before its approval ({decided_on})",
        },
        "disbursed_in_future": {
            "zh-CN": "放款日期不能晚于今天({today})",
            "en": "A disbursement cannot be dated after today ({today})",
        },
        # grant
        "grant_not_recent_graduate": {
            "zh-CN": "一次性创业补贴面向企业登记时毕业{years}年内的高校毕业生",
            "en": "The startup grant is for higher-education graduates within {years} years of"
            " graduation when the business was registered",
        },
        "grant_not_first_business": {
            "zh-CN": "一次性创业补贴仅限首次创办的企业",
            "en": "The startup grant is for the founder's first business only",
        },
        "grant_business_too_young": {
            "zh-CN": "企业须正常经营满{months}个月,{eligible_on}起可申请",
            "en": "The business must have run {months} months; apply from {eligible_on}",
        },
        "grant_already_claimed": {
            "zh-CN": "您已申请过一次性创业补贴",
            "en": "You have already applied for the startup grant",
        },
        "grant_registration_not_completed": {
            "zh-CN": "该企业开办尚未办结",
            "en": "This business registration is not completed",
        },
        # incubator
        "space_code_taken": {
            "zh-CN": "编号为{code}的空间已存在",
            "en": "A space numbered {code} exists already",
        },
        "space_not_available": {
            "zh-CN": "该空间当前已被占用",
            "en": "This space is occupied",
        },
        "space_kind_mismatch": {
            "zh-CN": "该空间类型为{kind},申请的是{wanted}",
            "en": "This space is a {kind}; the application is for a {wanted}",
        },
        "tenancy_dates_reversed": {
            "zh-CN": "入驻结束日期须晚于开始日期",
            "en": "The tenancy must end after it starts",
        },
        "tenancy_too_long": {
            "zh-CN": "入驻期限最长{months}个月",
            "en": "A tenancy lasts at most {months} months",
        },
        "incubator_application_open": {
            "zh-CN": "您已有一份办理中或在驻的入驻申请",
            "en": "You already have an incubator application in progress or a tenancy",
        },
        # training
        "course_full": {
            "zh-CN": "该课程名额已满({capacity}人)",
            "en": "This course is full ({capacity} places)",
        },
        "course_already_enrolled": {
            "zh-CN": "您已报名该课程",
            "en": "You are already enrolled in this course",
        },
        "course_dates_reversed": {
            "zh-CN": "课程结束日期不能早于开始日期",
            "en": "The course cannot end before it starts",
        },
        "course_not_open": {
            "zh-CN": "该课程已开课,不再接受报名",
            "en": "This course has started; enrolment is closed",
        },
        # rural revitalisation (三.3)
        "rural_project_not_found": {
            "zh-CN": "未找到该乡村合伙项目",
            "en": "The partnership project was not found",
        },
        "partner_application_not_found": {
            "zh-CN": "未找到该合伙申请",
            "en": "The partnership application was not found",
        },
        "doer_call_not_found": {
            "zh-CN": "未找到该驻村帮扶选派通知",
            "en": "The call for village support teams was not found",
        },
        "doer_application_not_found": {
            "zh-CN": "未找到该“青年实干家”报名",
            "en": "The young doers' application was not found",
        },
        "rural_call_closed": {
            "zh-CN": "该项目(选派)已截止报名",
            "en": "This project or call no longer takes applications",
        },
        "contribution_not_sought": {
            "zh-CN": "该项目只寻求以下合作形式:{forms}",
            "en": "This project seeks only: {forms}",
        },
        "contribution_forms_repeated": {
            "zh-CN": "合作形式不能重复",
            "en": "A form of contribution is listed twice",
        },
        "capital_amount_required": {
            "zh-CN": "资金合作须填写出资金额",
            "en": "A capital contribution needs its amount",
        },
        "partner_already_applied": {
            "zh-CN": "您已申请该项目",
            "en": "You have already applied to this project",
        },
        "partner_not_accepted": {
            "zh-CN": "只能跟踪已入选的合伙",
            "en": "Only an accepted partnership is followed up",
        },
        "follow_up_in_future": {
            "zh-CN": "跟踪日期不能晚于今天",
            "en": "A follow-up cannot be dated after today",
        },
        "doer_age_unknown": {
            "zh-CN": "个人资料中缺少出生日期,无法确认年龄",
            "en": "Your profile has no birth date, so your age cannot be checked",
        },
        "doer_too_old": {
            "zh-CN": "“青年实干家计划”面向{max_age}周岁以下青年",
            "en": "The young doers' plan is for people aged {max_age} or younger",
        },
        "doer_already_applied": {
            "zh-CN": "您已报名该选派",
            "en": "You have already applied to this call",
        },
        "doer_call_full": {
            "zh-CN": "该选派名额已满({places}人)",
            "en": "Every place of this call is taken ({places})",
        },
        "posting_term": {
            "zh-CN": "驻村期限须在开始日期之后,且最长{months}个月",
            "en": "A posting ends after it starts and lasts at most {months} months",
        },
        "village_not_in_call": {
            "zh-CN": "只能派驻到本次选派的村:{villages}",
            "en": "Postings go to the call's villages: {villages}",
        },
        # reporting
        "indicator_period_reversed": {
            "zh-CN": "统计期间的结束日期须晚于开始日期",
            "en": "The period must end after it starts",
        },
    }
)
