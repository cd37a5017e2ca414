"""The jobs service's refusals, rule explanations and labels, in both languages."""

from services.common.finance.messages import FINANCE_MESSAGES
from services.common.i18n import COMMON

MESSAGES = COMMON.extend(
    {
        **FINANCE_MESSAGES,
        # -- who may act
        "post_step_for_officers": {
            "zh-CN": "“{action}”由审核工作人员操作",
            "en": "Reviewing officers, not employers, {action} a post",
        },
        "post_step_for_employer": {
            "zh-CN": "“{action}”由发布岗位的用人单位操作",
            "en": "The employer that owns the post, not an officer, may {action} it",
        },
        "application_step_for_employer": {
            "zh-CN": "只有招聘单位可以将申请设为“{status}”",
            "en": "Only the hiring employer may set an application to {status}",
        },
        "application_step_for_youth": {
            "zh-CN": "只有申请人本人可以将申请设为“{status}”",
            "en": "Only the applicant may set an application to {status}",
        },
        # -- employers
        "employer_not_registered": {
            "zh-CN": "请先登记单位信息(统一社会信用代码等)",
            "en": "Register your organisation (with its unified social credit code) first",
        },
        "employer_not_verified": {
            "zh-CN": "单位尚未通过区人社局认证(当前状态:{state}),暂不能发布岗位",
            "en": "Your organisation is not verified yet ({state}); verified employers only",
        },
        "employer_already_registered": {
            "zh-CN": "您的单位信息已登记",
            "en": "Your organisation is already registered",
        },
        "credit_code_registered": {
            "zh-CN": "该统一社会信用代码已被其他单位登记",
            "en": "Another employer has registered this unified social credit code",
        },
        # -- posts
        "post_not_open": {
            "zh-CN": "该岗位当前不接受申请(状态:{state})",
            "en": "This post is not open for applications ({state})",
        },
        "traineeship_months_only": {
            "zh-CN": "只有见习岗位有见习期限",
            "en": "Only traineeship posts have a traineeship length",
        },
        "traineeship_months_range": {
            "zh-CN": "见习期限应为{min}至{max}个月",
            "en": "A traineeship lasts {min} to {max} months",
        },
        "salary_reversed": {
            "zh-CN": "薪资上限不能低于下限",
            "en": "The salary's upper bound is below its lower bound",
        },
        # -- applications
        "application_exists": {
            "zh-CN": "您已申请过该岗位(每个岗位只能申请一次)",
            "en": "You have already applied for this post (one application per post)",
        },
        "youth_profile_required": {
            "zh-CN": "请先完善个人资料",
            "en": "Complete your profile first",
        },
        "traineeship_not_eligible": {
            "zh-CN": "您暂不符合见习计划的条件",
            "en": "You do not meet the traineeship programme's conditions",
        },
        # -- eligibility rules, each passed or failed with what it was judged on
        "rule.graduate.passed": {
            "zh-CN": "毕业时间{graduation_date},在离校{years}年内(至{until})",
            "en": "Graduated on {graduation_date}, within {years} years of leaving school "
            "(until {until})",
        },
        "rule.graduate.too_long": {
            "zh-CN": "毕业时间{graduation_date},已超过离校{years}年(截至{until})",
            "en": "Graduated on {graduation_date}, more than {years} years ago "
            "(the limit was {until})",
        },
        "rule.graduate.future": {
            "zh-CN": "毕业时间{graduation_date}尚未到来",
            "en": "The graduation date {graduation_date} has not come yet",
        },
        "rule.graduate.unknown": {
            "zh-CN": "个人资料中没有毕业时间",
            "en": "Your profile has no graduation date",
        },
        "rule.employment.passed": {"zh-CN": "目前未就业", "en": "Not employed"},
        "rule.employment.failed": {
            "zh-CN": "就业状态为“{status}”,不是未就业",
            "en": "Your employment status is {status}, not unemployed",
        },
        "rule.employment.unknown": {
            "zh-CN": "个人资料中没有就业状态",
            "en": "Your profile has no employment status",
        },
        "rule.age.passed": {
            "zh-CN": "年龄{age}岁,在{min_age}至{max_age}岁之间",
            "en": "Aged {age}, within {min_age} to {max_age}",
        },
        "rule.age.failed": {
            "zh-CN": "年龄{age}岁,不在{min_age}至{max_age}岁之间",
            "en": "Aged {age}, outside {min_age} to {max_age}",
        },
        "rule.age.unknown": {
            "zh-CN": "个人资料中没有出生日期",
            "en": "Your profile has no birth date",
        },
        "eligibility.recent_graduate": {
            "zh-CN": "符合条件:离校{years}年内未就业的高校毕业生",
            "en": "Eligible: a graduate within {years} years of leaving school, not employed",
        },
        "eligibility.unemployed_youth": {
            "zh-CN": "符合条件:{min_age}至{max_age}岁的失业青年",
            "en": "Eligible: unemployed and aged {min_age} to {max_age}",
        },
        "eligibility.none": {
            "zh-CN": "不符合条件:须为离校{years}年内未就业的高校毕业生,"
            "或{min_age}至{max_age}岁的失业青年",
            "en": "Not eligible: the programme is for graduates within {years} years of leaving "
            "school who are not employed, and for unemployed people aged {min_age} to {max_age}",
        },
        # -- traineeships
        "ended_before_start": {
            "zh-CN": "结束日期不能早于见习开始日期",
            "en": "A traineeship cannot end before it starts",
        },
        "completed_before_end": {
            "zh-CN": "未到计划结束日期,请选择“留用”或“提前离开”",
            "en": "Before the planned end, a traineeship ends as retained or left, not completed",
        },
        "traineeship_already_ended": {
            "zh-CN": "该见习已结束",
            "en": "This traineeship has already ended",
        },
        # -- subsidies
        "subsidy_needs_hire": {
            "zh-CN": "该申请尚未录用(状态:{state}),不能申领扩岗补助",
            "en": "The application is not a hire ({state}); no hiring subsidy",
        },
        "subsidy_needs_recent_graduate": {
            "zh-CN": "录用时该青年不是离校2年内的高校毕业生,不符合扩岗补助条件",
            "en": "At hire the person was not a recent graduate; no hiring subsidy",
        },
        "subsidy_needs_insured_contract": {
            "zh-CN": "须签订劳动合同并缴纳社会保险,方可申领扩岗补助",
            "en": "A hiring subsidy needs a contract with social insurance",
        },
        "subsidy_needs_ended_traineeship": {
            "zh-CN": "见习结束后方可申领见习补贴",
            "en": "A traineeship subsidy is claimed once the traineeship has ended",
        },
        "facts_unverified": {
            "zh-CN": "补贴须以经区人社局核验的信息为依据,以下信息尚未核验:{facts}",
            "en": "A subsidy is paid only on facts verified by the district HRSS bureau; not yet "
            "verified: {facts}",
        },
        "hiring_subsidy_once_per_person": {
            "zh-CN": "该青年已申领过一次性扩岗补助(每人限一次)",
            "en": "A hiring subsidy has already been claimed for this person (once per person)",
        },
        "traineeship_subsidy_claimed": {
            "zh-CN": "该见习的补贴已申领",
            "en": "This traineeship's subsidy has already been claimed",
        },
        "subsidy_claim_target": {
            "zh-CN": "请指定录用申请或见习记录之一",
            "en": "Name either a hired application or a traineeship",
        },
        # -- fairs
        "fair_not_open": {
            "zh-CN": "该招聘会已结束或已取消",
            "en": "This job fair is over or cancelled",
        },
        "fair_booths_full": {
            "zh-CN": "展位已满(共{capacity}个)",
            "en": "All {capacity} booths are taken",
        },
        "booth_already_booked": {
            "zh-CN": "您的单位已预订该招聘会的展位",
            "en": "Your organisation already has a booth at this fair",
        },
        "fair_already_registered": {
            "zh-CN": "您已报名该招聘会",
            "en": "You are already registered for this fair",
        },
        "fair_ends_before_start": {
            "zh-CN": "结束时间须晚于开始时间",
            "en": "The end must be after the start",
        },
        "fair_venue_required": {
            "zh-CN": "现场招聘会须填写地点",
            "en": "An on-site fair needs a venue",
        },
        "fair_url_required": {
            "zh-CN": "线上招聘会须填写网址",
            "en": "An online fair needs its web address",
        },
        "city_fair_no_booths": {
            "zh-CN": "市级招聘会的展位由市级主办方安排,本平台仅接受青年报名",
            "en": "A city-level fair's booths are arranged by the city; here young people register",
        },
        # -- district–university cooperation, practice units, roadshows
        "university_registered": {
            "zh-CN": "该高校已登记",
            "en": "This university is already registered",
        },
        "project_ends_before_start": {
            "zh-CN": "项目结束日期不能早于开始日期",
            "en": "The project ends before it starts",
        },
        "project_not_active": {
            "zh-CN": "该合作项目已结束(状态:{state})",
            "en": "This cooperation project is no longer active ({state})",
        },
        "milestone_already_done": {
            "zh-CN": "该节点已完成",
            "en": "This milestone is already done",
        },
        "practice_partners_required": {
            "zh-CN": "请至少填写一所合作院校",
            "en": "Name at least one partner school or university",
        },
        "practice_term_reversed": {
            "zh-CN": "认定有效期的结束日期应晚于开始日期",
            "en": "The practice unit's term must end after it starts",
        },
        "practice_unit_not_active": {
            "zh-CN": "您的单位不是有效期内的产教融合实践单位",
            "en": "Your organisation is not a practice unit within its term",
        },
        "university_not_served": {
            "zh-CN": "该高校不在本实践单位的合作高校之列",
            "en": "This practice unit does not serve that university",
        },
        "placement_ends_before_start": {
            "zh-CN": "实习结束日期不能早于开始日期",
            "en": "The placement ends before it starts",
        },
        "roadshow_not_open": {
            "zh-CN": "该专题推介活动已结束或取消",
            "en": "This roadshow is over or cancelled",
        },
        "roadshow_full": {
            "zh-CN": "{capacity}个企业名额已满",
            "en": "All {capacity} employer places are taken",
        },
        "roadshow_already_joined": {
            "zh-CN": "您的单位已报名参加该推介活动",
            "en": "Your organisation has already joined this roadshow",
        },
        "booth_posts_not_open": {
            "zh-CN": "展位只能展示本单位已发布的岗位",
            "en": "A booth shows only your organisation's published posts",
        },
        # -- labels events and views carry
        "status.submitted": {"zh-CN": "已提交", "en": "submitted"},
        "status.viewed": {"zh-CN": "已查看", "en": "viewed"},
        "status.interview": {"zh-CN": "邀请面试", "en": "invited to interview"},
        "status.offer": {"zh-CN": "已发录用意向", "en": "offered"},
        "status.hired": {"zh-CN": "已录用", "en": "hired"},
        "status.rejected": {"zh-CN": "未通过", "en": "not successful"},
        "status.withdrawn": {"zh-CN": "已撤回", "en": "withdrawn"},
        "decision.granted": {"zh-CN": "已批准", "en": "granted"},
        "decision.rejected": {"zh-CN": "未批准", "en": "rejected"},
        "outcome.completed": {"zh-CN": "期满结业", "en": "completed"},
        "outcome.retained": {"zh-CN": "留用", "en": "hired by the host"},
        "outcome.left": {"zh-CN": "提前离开", "en": "left early"},
        # -- the dashboard's titles and next steps
        "dashboard.application": {"zh-CN": "岗位申请:{title}", "en": "Application: {title}"},
        "dashboard.traineeship": {"zh-CN": "就业见习:{title}", "en": "Traineeship: {title}"},
        "dashboard.fair": {"zh-CN": "招聘会:{title}", "en": "Job fair: {title}"},
        "next.submitted": {
            "zh-CN": "等待用人单位查看",
            "en": "Wait for the employer to read it",
        },
        "next.viewed": {
            "zh-CN": "用人单位已查看,等待面试通知",
            "en": "The employer has read it; wait for an interview invitation",
        },
        "next.interview": {
            "zh-CN": "请按约定时间参加面试",
            "en": "Attend the interview as arranged",
        },
        "next.offer": {
            "zh-CN": "用人单位已发出录用意向,请与单位确认入职",
            "en": "You have an offer; confirm your start with the employer",
        },
        "next.traineeship.active": {
            "zh-CN": "见习进行中,计划于{planned_end_on}结束",
            "en": "In progress until {planned_end_on}",
        },
        "next.fair": {
            "zh-CN": "请于{starts_at}参加招聘会",
            "en": "Attend the fair on {starts_at}",
        },
    }
)


def label(code: str) -> dict:
    """A label in both languages (`status.hired` → {"zh-CN": "已录用", "en": "hired"})."""
    return MESSAGES.render(code)
