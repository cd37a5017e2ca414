"""The gateway's problem codes, in both languages: the common catalogue, the gateway's own codes,
and the services' (the gateway validates bodies with the services' own schemas, whose codes it
must render too). A code two catalogues render differently fails at import."""

from services.common.i18n import COMMON
from services.events.messages import MESSAGES as EVENTS_MESSAGES
from services.housing.messages import MESSAGES as HOUSING_MESSAGES
from services.jobs.messages import MESSAGES as JOBS_MESSAGES
from services.notify.messages import MESSAGES as NOTIFY_MESSAGES
from services.startup.messages import MESSAGES as STARTUP_MESSAGES

GATEWAY_MESSAGES = COMMON.extend(
    {
        "token_invalid": {
            "zh-CN": "登录凭证无效,请重新登录",
            "en": "The access token is invalid; sign in again",
        },
        "token_expired": {
            "zh-CN": "登录已过期,请重新登录",
            "en": "The access token has expired; sign in again",
        },
        "account_disabled": {"zh-CN": "账号已停用", "en": "This account is disabled"},
        "bank_account_number": {
            "zh-CN": "银行账号应为 8 至 30 位数字",
            "en": "A bank account number is 8 to 30 digits",
        },
        "bank_account_not_set": {
            "zh-CN": "您尚未登记收款银行账户",
            "en": "You have not given a bank account for payments yet",
        },
        "ledger_not_found": {
            "zh-CN": "未找到该资金台账(可选:jobs、startup)",
            "en": "No such ledger (jobs or startup)",
        },
        "budget_not_found": {
            "zh-CN": "未找到该预算项目或年度",
            "en": "No such programme or year",
        },
        "not_a_personal_data_unit": {
            "zh-CN": "只有工作需要查看身份证号和联系方式的单位可以查看",
            "en": "Only units whose work needs ID numbers and contact details may reveal them",
        },
        "invalid_credentials": {"zh-CN": "用户名或密码错误", "en": "Wrong username or password"},
        "idempotency_key_invalid": {
            "zh-CN": "Idempotency-Key 须为 1 至 255 个字母、数字或 ._:~+/=- 字符",
            "en": "An Idempotency-Key is 1 to 255 letters, digits or ._:~+/=- characters",
        },
        "idempotency_key_reused": {
            "zh-CN": "此 Idempotency-Key 已用于另一个请求;新的请求请使用新的键",
            "en": "This Idempotency-Key was used for another request; use a new key for a new "
            "request",
        },
        "idempotency_key_in_progress": {
            "zh-CN": "使用此 Idempotency-Key 的请求仍在处理中,请稍后重试",
            "en": "The request with this Idempotency-Key is still being carried out; retry shortly",
        },
        "body_too_large": {
            "zh-CN": "请求体过大(上限 {limit} 字节)",
            "en": "The request body is too large (at most {limit} bytes)",
        },
        "body_too_deep": {
            "zh-CN": "请求体嵌套过深(最多 {limit} 层)",
            "en": "The request body nests too deeply (at most {limit} levels)",
        },
        "malformed_json": {
            "zh-CN": "请求体不是有效的 JSON 对象",
            "en": "The request body is not a JSON object",
        },
        "invalid_characters": {
            "zh-CN": "包含不允许的字符(空字符或不成对的代理字符)",
            "en": "Contains a character that is not allowed (NUL or an unpaired surrogate)",
        },
        "route_not_found": {"zh-CN": "没有这个接口", "en": "No such route"},
        "method_not_allowed": {
            "zh-CN": "此接口不支持该方法",
            "en": "This route does not support the method",
        },
        "bad_request": {"zh-CN": "请求无效", "en": "Bad request"},
        "username_taken": {"zh-CN": "用户名已被使用", "en": "This username is taken"},
        "citizen_id_locked": {
            "zh-CN": "注册后不能自行修改身份证号码;如有错误,请持身份证件到区人社局窗口更正",
            "en": "The citizen ID cannot be changed after registration; to correct it, bring "
            "your ID card to the district HRSS office",
        },
        "fact_not_declared": {
            "zh-CN": "此人尚未填写该信息,无可核验",
            "en": "The person has not declared this fact: there is nothing to verify",
        },
        "evidence_type_not_allowed": {
            "zh-CN": "证明材料须为 PDF、JPEG 或 PNG 文件(按文件内容判断,而非文件名)",
            "en": "Evidence must be a PDF, JPEG or PNG file (judged by its content, not its name)",
        },
        "evidence_not_of_fact": {
            "zh-CN": "该证明材料不是此人为这项信息提交的",
            "en": "This evidence document is not one the person gave for this fact",
        },
        "evidence_store_unavailable": {
            "zh-CN": "证明材料存储暂时不可用,请稍后再试",
            "en": "Evidence documents cannot be stored or read right now; try again later",
        },
        "not_a_hire": {
            "zh-CN": "劳动合同须对应一份已录用的求职申请",
            "en": "A labour contract must name a job application that ended in a hire",
        },
        "evidence_limit_reached": {
            "zh-CN": "证明材料最多保留 {limit} 份,请先撤回不再需要的材料",
            "en": "You can keep at most {limit} evidence documents; take one back first",
        },
        "evidence_in_use": {
            "zh-CN": "该证明材料已用于核验,不能删除",
            "en": "This evidence document was used to verify a fact and cannot be deleted",
        },
        "fact_not_granted": {
            "zh-CN": "未授权贵单位报送此项信息({fact})",
            "en": "Your system is not granted to report this fact ({fact})",
        },
        "person_reference_required": {
            "zh-CN": "请提供 person_id 或 citizen_id 其中之一",
            "en": "Give either person_id or citizen_id, not both",
        },
        "fact_push_stale": {
            "zh-CN": "已有更新日期({as_of})的核验记录,本次报送未采用",
            "en": "A record as of a later day ({as_of}) is already verified; this one was not used",
        },
        "fact_value_invalid": {
            "zh-CN": "该值不是这项信息的有效取值",
            "en": "This value is not valid for the fact",
        },
        "grantee_not_partner": {
            "zh-CN": "只能授权合作方系统账号",
            "en": "Only a partner system's account can be granted this",
        },
        "as_of_in_future": {
            "zh-CN": "截至日期不能晚于今天",
            "en": "The as-of date cannot be later than today",
        },
        "identity_unavailable": {
            "zh-CN": "该身份证号码无法绑定到新账号:请确认手机验证码正确且未使用、未过期,或重新获取;"
            "如该号码是您本人的却已被他人使用,请在注册时一并提交身份申诉",
            "en": "This citizen ID cannot be bound to a new account: check that the phone code "
            "is right, unused and recent, or ask for a new one; if the number is yours and "
            "someone else uses it, register with an identity appeal",
        },
        "phone_required_for_identity": {
            "zh-CN": "绑定身份证号码需要填写手机号码,并用发送到该号码的验证码验证",
            "en": "Binding a citizen ID needs a phone, proven by the code sent to it",
        },
        "phone_required_for_code": {
            "zh-CN": "请填写接收验证码的手机号码",
            "en": "Give the phone the code was sent to",
        },
        "phone_code_required": {
            "zh-CN": "请填写发送到手机的验证码",
            "en": "Enter the code sent to your phone",
        },
        "phone_code_invalid": {
            "zh-CN": "手机验证码错误或已失效,请重新获取",
            "en": "The phone code is wrong or no longer valid; ask for a new one",
        },
        "appeal_only_for_youth": {
            "zh-CN": "只有青年注册时可以提交身份申诉",
            "en": "Only a young person's registration carries an identity appeal",
        },
        "claimant_has_identity": {
            "zh-CN": "申诉人的账号已有身份证号码或已注销,本申诉无法通过",
            "en": "The claimant's account already has a citizen ID or was erased: the appeal "
            "cannot be approved",
        },
        "session_ended": {
            "zh-CN": "该登录会话已结束,请重新登录",
            "en": "This session has ended; sign in again",
        },
        "refresh_token_invalid": {
            "zh-CN": "登录已失效,请重新登录",
            "en": "The refresh token is not valid; sign in again",
        },
        "password_change_required": {
            "zh-CN": "请先修改初始密码",
            "en": "Change the initial password first",
        },
        "wrong_password": {"zh-CN": "当前密码不正确", "en": "The current password is wrong"},
        "password_unchanged": {
            "zh-CN": "新密码不能与当前密码相同",
            "en": "The new password must differ from the current one",
        },
        "reset_code_invalid": {
            "zh-CN": "验证码错误或已失效,请重新获取",
            "en": "The code is wrong or no longer valid; ask for a new one",
        },
        "second_factor_required": {
            "zh-CN": "请输入身份验证器应用中的 6 位动态验证码(或一个恢复码)",
            "en": "Enter the 6-digit code from your authenticator app (or a recovery code)",
        },
        "second_factor_invalid": {
            "zh-CN": "动态验证码错误或已使用,请输入新的验证码",
            "en": "The code is wrong or has already been used; enter a new one",
        },
        "second_factor_enrolment_required": {
            "zh-CN": "工作人员须先绑定身份验证器(双重认证)才能继续",
            "en": "Staff must set up an authenticator app (two-step sign-in) before anything else",
        },
        "second_factor_already_enrolled": {
            "zh-CN": "已绑定身份验证器;如需更换,请联系管理员重置",
            "en": "An authenticator is already set up; to replace it, ask an administrator to "
            "reset it",
        },
        "second_factor_not_started": {
            "zh-CN": "请先获取新的身份验证器密钥,再输入验证码确认",
            "en": "Start the set-up to get a new key first, then confirm it with a code",
        },
        "second_factor_not_enrolled": {
            "zh-CN": "该账号没有绑定身份验证器",
            "en": "This account has no authenticator set up",
        },
        "cannot_reset_own_second_factor": {
            "zh-CN": "不能重置自己的身份验证器,请另一位管理员操作",
            "en": "You cannot reset your own authenticator; ask another administrator",
        },
        "profile_required": {
            "zh-CN": "青年注册需要填写个人资料",
            "en": "A young person registers with a profile",
        },
        "organisation_required": {
            "zh-CN": "用人单位注册需要填写单位名称",
            "en": "An employer registers with its organisation name",
        },
        "unit_required": {
            "zh-CN": "工作人员账号须指定责任单位",
            "en": "An officer account needs its responsible unit",
        },
        "unknown_unit": {"zh-CN": "没有这个责任单位", "en": "No such responsible unit"},
        "role_not_self_service": {
            "zh-CN": "该角色的账号须由管理员创建",
            "en": "Accounts of this role are created by an administrator",
        },
        "profile_only_for_youth": {
            "zh-CN": "只有青年账号有个人资料",
            "en": "Only young people have a profile",
        },
        "cannot_disable_self": {
            "zh-CN": "不能停用自己的账号",
            "en": "You cannot disable your own account",
        },
        "invalid_period": {
            "zh-CN": "统计周期应为年(2026)、季度(2026-Q4)或月份(2026-11)",
            "en": "A period is a year (2026), a quarter (2026-Q4) or a month (2026-11)",
        },
        "export_incomplete": {
            "zh-CN": "暂时无法导出全部数据({services}不可用),请稍后再试",
            "en": "Your data cannot all be exported now ({services} unavailable); try again later",
        },
        "erasure_already_requested": {
            "zh-CN": "您已提出删除申请,正在处理中",
            "en": "You have already asked for erasure; it is being handled",
        },
        "erasure_not_pending": {
            "zh-CN": "该删除申请不在待确认状态(当前:{status})",
            "en": "This erasure request is not waiting for confirmation ({status})",
        },
        "not_unit_officer": {
            "zh-CN": "只有{unit}的工作人员可以维护该事项",
            "en": "Only officers of {unit} may maintain this item",
        },
        "not_convening_unit": {
            "zh-CN": "只有联席会议召集单位({unit})的工作人员或管理员可以记录会议和问卷",
            "en": "Only officers of the joint meeting's convening unit ({unit}) or an "
            "administrator may record meetings and surveys",
        },
        "meeting_in_future": {
            "zh-CN": "会议召开后才能记录,日期不能晚于今天",
            "en": "A meeting is recorded once held: its date cannot be after today",
        },
        "survey_period_taken": {
            "zh-CN": "该周期已有问卷({period})",
            "en": "There is already a survey for this period ({period})",
        },
        "survey_closes_before_it_opens": {
            "zh-CN": "问卷截止日期不能早于开始日期",
            "en": "A survey cannot close before it opens",
        },
        "survey_not_open": {
            "zh-CN": "该问卷不在作答期内({opens_on} 至 {closes_on})",
            "en": "This survey is not open for answers ({opens_on} to {closes_on})",
        },
        "survey_already_answered": {
            "zh-CN": "您已填写过该问卷,每人只能填写一次",
            "en": "You have already answered this survey; each person answers once",
        },
        "not_a_survey_programme": {
            "zh-CN": "该问卷未询问这些项目的满意度:{codes}",
            "en": "This survey does not ask about these programmes: {codes}",
        },
        "baseline_header": {
            "zh-CN": "基数文件的第一行应为:{columns}",
            "en": "The baseline file's first row must be: {columns}",
        },
        "baseline_too_many_rows": {
            "zh-CN": "基数文件最多{limit}行",
            "en": "A baseline file has at most {limit} rows",
        },
        "baseline_row": {
            "zh-CN": "第{row}行的{column}列不正确:“{value}”",
            "en": "Row {row}, column {column} is not valid: “{value}”",
        },
        "baseline_duplicate": {
            "zh-CN": "第{row}行与前面某行的地区、年龄段和指标重复",
            "en": "Row {row} repeats the area, age band and measure of an earlier row",
        },
        "baseline_empty": {
            "zh-CN": "基数文件没有数据行",
            "en": "The baseline file has no figures",
        },
    }
)

MESSAGES = GATEWAY_MESSAGES
for _catalog in (
    JOBS_MESSAGES,
    HOUSING_MESSAGES,
    STARTUP_MESSAGES,
    EVENTS_MESSAGES,
    NOTIFY_MESSAGES,
):
    MESSAGES = MESSAGES.merge(_catalog)
