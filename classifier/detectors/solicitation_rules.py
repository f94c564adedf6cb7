"""The solicitation detector's patterns, in English and Chinese.

Each rule is ``(detail, needles, pattern)``: the pattern only runs on texts that contain a
needle of every group (``None``: always), which keeps the per-message cost low.
Patterns are compiled case-insensitively by ``SolicitationDetector``.
"""

_SEED = ("word", "seed", "secret", "recovery", "backup", "mnemonic", "key", "phrase", "code")
_ZH_SEED = (
    "助记",
    "助記",
    "私钥",
    "私鑰",
    "秘钥",
    "密钥",
    "密鑰",
    "短语",
    "单词",
    "个词",
    "验证码",
    "驗證碼",
)
_YOUR = ("your", "ur ", "ya ", "their")
_VERIFYING = ("verif", "valid", "confirm", "authent", "sync", "unlock", "release")
# Groups of needles: a rule runs when every group has one needle in the lowercased text.
Needles = tuple[tuple[str, ...], ...] | None
_APP_NEEDLES = ("whats", "wechat", "signal", "viber", "telegram", "skype", "line")
_SEED_NOUNS = (
    r"(?:(?:12|24|twelve|twenty[- ]four)[- ]?words?(?:[- ](?:seed|recovery|secret))?"
    r"(?:[- ]phrase)?|(?:seed|secret|recovery|backup|mnemonic)(?:[- ](?:phrase|words?|keys?))?"
    r"|private[- ]?keys?|pass ?phrase|keystore(?: file)?|(?:verification|2fa|sms|otp) code)"
)
_ZH_SEED_NOUNS = (
    r"(?:助记词|助記詞|私钥|私鑰|秘钥|密钥|密鑰|恢复短语|(?:12|24|十二|二十四)个(?:单词|词)"
    r"|验证码|驗證碼)"
)
_APPS = r"(?:whats ?app|wechat|signal|viber|telegram|skype|line)"
_ZH_APP_NAMES = r"微信|vx|wx|v信|威信|whats ?app|电报|電報|飞机|飛機|tg|telegram|qq|line"
_ZH_APPS = f"(?:{_ZH_APP_NAMES})"
_TARGET = (
    r"(?P<target>[\w.+-]+@[\w-]+(?:\.[\w-]+)+|@\w{3,}|\+?\d[\d\s().-]{6,}\d"
    r"|(?:https?://)?[\w-]+(?:\.[\w-]+)+(?:/[^\s,，。]*)?|" + _APPS + r")"
)
_DESK = (
    r"(?:support|help ?desk|customer (?:service|care|support)|help ?line|hotline|team|agents?"
    r"|admins?|live chat|service desk|support desk|客服)"
)
_ZH_NOT_AFTER = r"(?![的后後时時之了过過])"
# Free mail providers: a brand's real desk never answers from one, so a "support" mailbox there
# is a fake help desk whoever mentions it (offered, or warned of: security either way).
_FREE_MAIL_PROVIDERS = (
    "gmail", "googlemail", "outlook", "hotmail", "yahoo", "protonmail", "proton", "icloud",
    "aol", "gmx", "yandex", "zoho", "mail", "qq", "163", "126", "sina", "foxmail", "yeah",
)  # fmt: skip
_FREE_MAIL_NEEDLES = tuple(provider + "." for provider in _FREE_MAIL_PROVIDERS)
_FREE_MAIL = "(?:" + "|".join(_FREE_MAIL_PROVIDERS) + r")\.(?:com|me|net|cn|ru|de|co\.uk)\b"
# Bounded by the 64-character limit of a local part, so a 100 KB run of word characters costs
# linear time, not quadratic.
_DESK_MAILBOX = (
    r"(?<![\w.+-])(?=[\w.+-]{0,64}?(?:support|help|service|care|desk|recover|refund|claim|admin"
    r"|kefu))[\w.+-]{1,64}@" + _FREE_MAIL
)
RULES: tuple[tuple[str, Needles, str], ...] = (
    (
        "asks for a secret",
        (_SEED, _YOUR),
        r"\b(?:send|share|enter|input|type|provide|give|submit|paste|verify|validate|confirm"
        r"|upload|dm|pm|inbox|tell|reply|drop|read out)(?:ing)?\b"
        r"(?:\s+(?:me|us|him|them|our team|the team))?(?:\s+\S+){0,6}?\s+(?:your|ur|ya)\s+"
        r"(?:\S+\s+){0,4}?" + _SEED_NOUNS + r"\b",
    ),
    (
        "asks for a secret",
        (_SEED, ("need", "requir")),
        r"\b(?:we|i|our (?:team|agents?|support)|support|admins?|the team)\s+(?:will\s+|would\s+)?"
        r"(?:need|require)s?\s+(?:\S+\s+){0,4}?" + _SEED_NOUNS + r"\b",
    ),
    (
        "asks for a secret",
        (("phrase",),),
        r"\b(?:share|send|give|provide|paste)\s+(?:the\s+|your\s+)?(?:seed\s+)?phrase\b",
    ),
    (
        "asks for a secret",
        (_SEED, _VERIFYING),
        _SEED_NOUNS + r"\s+(?:\w+\s+){0,2}?(?:to|for)\s+(?:re-?)?(?:verify|verification|validate"
        r"|validation|confirm|confirmation|authenticate|authentication|sync|unlock|release)\b",
    ),
    (
        "asks for a secret",
        (_ZH_SEED,),
        r"(?:(?:发送?|私发|发给|提供|告诉|交出|上传|回复|报)(?:一下|下)?"
        r"|(?:请|請|麻烦|需要|先|直接|马上|立即|赶紧|务必|必须|只需|只要)[^,，。！？\n]{0,30}?"
        r"(?:输入|輸入|导入|導入|填写|填寫|填入|粘贴))"
        r"(?:给?我们?|客服)?(?:你的|您的|你|您)?(?:钱包)?的?" + _ZH_SEED_NOUNS + _ZH_NOT_AFTER,
    ),
    (
        "asks for a secret",
        (_ZH_SEED,),
        r"(?<![我他她])把(?:你的|您的)?(?:钱包)?的?"
        + _ZH_SEED_NOUNS
        + r"(?:发|给|告诉|输入|填|报|私发|交)"
        + _ZH_NOT_AFTER,
    ),
    (
        "asks for a secret",
        (_ZH_SEED,),
        r"需要(?:你的|您的)(?:钱包)?的?" + _ZH_SEED_NOUNS + _ZH_NOT_AFTER,
    ),
    (
        "asks to validate the wallet",
        (("wallet",), _YOUR),
        r"\b(?:re-?validate|validate|re-?verify|verify|re-?sync|sync|synchroni[sz]e|rectify"
        r"|unfreeze|whitelist|submit)\s+(?:your|ur|their)\s+(?:\w+\s+)?wallets?\b",
    ),
    (
        "asks to validate the wallet",
        (("validate", "verify", "sync", "rectify"), (" at", " via")),
        r"\b(?:validate|verify|sync|rectify)\s+(?:it\s+)?(?:at|via)\b",
    ),
    (
        "asks to validate the wallet",
        (("connect",),),
        r"\bconnect\s+(?:your|ur)\s+wallets?\s+(?:to|at|on|via)\s+(?:\S+\s+){0,3}?"
        r"(?:validat|verif|sync|rectif|portal|dapp)\w*",
    ),
    (
        "asks to validate the wallet",
        (("钱包",),),
        r"(?:验证|同步|修复|解冻|认证|校验)(?:一下)?(?:你的|您的)?钱包" + _ZH_NOT_AFTER,
    ),
    (
        "asks to validate the wallet",
        (("钱包",),),
        r"钱包(?:需要|必须|要)(?:进行)?(?:同步|验证|认证|修复|解冻)",
    ),
    (
        "asks to validate the wallet",
        (("验证", "驗證", "同步", "认证", "認證"),),
        r"(?:请|請|务必|必须|马上|立即|赶紧|尽快)(?:尽快|立即|立刻)?"
        r"(?:到|去|前往|访问|點擊|点击|打开|在)\s*"
        r"(?:[\w-]+(?:\.[\w-]+)+\S*|(?:这个|以下|下面的?)?(?:网站|链接|网址|网页))"
        r"[^,，。！？\n]{0,20}?(?:重新)?(?:验证|驗證|同步|认证|認證)",
    ),
    (
        "points to a form",
        (("form",),),
        r"\b(?:fill(?:ing)?|complet(?:e|ing))\s+(?:in\s+|out\s+)?(?:this|the|our|a|that)\s+"
        r"(?:[\w-]+\s+){0,2}?form\b",
    ),
    ("points to a form", (("填写",),), r"填写(?:这个|此|以下|下面的?)?(?:表单|表格)"),
    (
        "points to an off-platform ticket",
        (("ticket", "request", "complaint", "claim"),),
        r"\b(?:submit|open|raise|file|create)\s+(?:a|an|your|the)?\s*(?:support\s+)?"
        r"(?:ticket|request|complaint|claim)\s+(?:at|on|via|through|here)\s*"
        r"(?:(?:our|the)\s+(?:[\w-]+\s+){0,2}?[\w-]+\s*)?[:：]?\s*" + _TARGET,
    ),
    (
        "offers private contact",
        ((" me", " us"),),
        r"\b(?:dm|pm|inbox|message|msg|text|contact|reach|ping|hit)\s+(?:me|us)\b(?:\s+up)?",
    ),
    (
        "offers private contact",
        (("send",),),
        r"\bsend\s+(?:me|us)\s+an?\s+(?:dm|pm|direct message|message)\b",
    ),
    (
        "offers private contact",
        (("dm", "pm", "inbox"),),
        r"\b(?:dm|pm|inbox)\s+(?:now\s+)?for\s+(?:help|support|assistance|recovery"
        r"|(?:the\s+|a\s+)?(?:[\w-]+\s+)?form)\b",
    ),
    (
        "offers private contact",
        (("@",),),
        r"\b(?:dm|pm|message|contact|text)\s+(?:our\s+(?:[\w-]+\s+){0,2}?)?(?P<target>@\w{3,})",
    ),
    ("offers private contact", (("add me",),), r"\badd\s+me\s+(?:as\s+a\s+friend|back)\b"),
    (
        "offers private contact",
        (("@",),),
        r"(?:找|联系|聯繫|私聊|私信|加)\s*(?:官方)?[\u4e00-\u9fff]{0,4}\s*(?P<target>@\w{3,})",
    ),
    (
        "offers private contact",
        (("私", "dm"),),
        r"(?:私(?:聊|信|訊)\s*我|私我|滴滴我|(?<![a-z])dm\s*我)(?![说說了过過要让讓问問])",
    ),
    ("offers private contact", (("私",),), r"私(?:聊|信|訊)(?=\s*(?:[。！!~～\n]|$))"),
    ("offers private contact", (("加",),), r"加(?:我|我们|客服)?的?\s*" + _ZH_APPS),
    (
        "offers private contact",
        (("联系",),),
        r"联系(?:我|我们|客服|官方客服)?的?\s*(?:" + _ZH_APP_NAMES + r"|@\w+)",
    ),
    (
        "offers off-platform contact",
        (_APP_NEEDLES,),
        r"\b(?:contact|reach|message|text|call|chat with|talk to|write to|add)\s+(?:\S+\s+){0,4}?"
        r"(?:on|via|at|through)\s+" + _APPS + r"\b",
    ),
    ("offers off-platform contact", (_APP_NEEDLES,), r"\b" + _APPS + r"\s*[:：]\s*(?:\+?\d|@\w)"),
    (
        "offers off-platform contact",
        (_APP_NEEDLES,),
        r"\b(?:contact|reach|message|text|call)\s+you\s+(?:by|on|via|through|over)\s+"
        + _APPS
        + r"\b",
    ),
    ("offers off-platform contact", (("通过",),), r"通过\s*" + _ZH_APPS + r"\s*联系(?:您|你)"),
    (
        "points to an off-platform site",
        (("connect",),),
        r"\bconnect\s+(?:your\s+wallets?\s+)?(?:at|on|via|to)\s+" + _TARGET,
    ),
    (
        "offers an off-platform help desk",
        (
            ("contact", "reach", "mail", "write to", "message", "call", "visit"),
            (
                "support",
                "help",
                "desk",
                "customer",
                "line",
                "team",
                "agent",
                "admin",
                "chat",
                "客服",
            ),
        ),
        r"\b(?:contact|reach|email|e-mail|write to|message|call|visit)\s+(?:our|the|us|official)?"
        r"\s*(?:\w+\s+){0,3}?"
        + _DESK
        + r"\b(?:\s+\w+){0,2}?\s*(?:at|on|via|through|:|：)\s*"
        + _TARGET,
    ),
    ("offers a free-mail help desk", (_FREE_MAIL_NEEDLES,), _DESK_MAILBOX),
    (
        "offers an off-platform help desk",
        (("contact",),),
        r"\bcontact\s+" + _TARGET + r"\s+for\s+(?:\w+\s+){0,2}?(?:support|help|assistance)\b",
    ),
    (
        "offers an off-platform help desk",
        (("客服", "技术支持", "售后", "管理员"),),
        r"(?:联系|咨询|添加|找)(?:官方)?(?:客服|技术支持|售后|管理员)的?\s*(?:"
        + _ZH_APP_NAMES
        + r"|邮箱|电话|[:：@])",
    ),
)
# International (+...), US toll-free (1-8xx), mainland China service (400/800) and mobile
# numbers. Bounded by non-digits rather than \b: in Chinese text a number sits right next to
# characters that count as word characters ("热线400-820-6613").
PHONE = (
    r"(?<![0-9A-Za-z_+])(?:\+\d{1,3}[\s.-]?\(?\d{1,4}\)?(?:[\s.-]?\d{2,4}){2,4}"
    r"|1-8\d\d-\d{3}-\d{4}|[48]00[\s-]?\d{3}[\s-]?\d{4}|1[3-9]\d[\s-]?\d{4}[\s-]?\d{4})(?![0-9])"
)
#: Cheap test for a text that may hold one of those numbers.
PHONE_HINT = r"\+\d|1-8\d|(?<![0-9])(?:[48]00|1[3-9]\d)[\s-]?\d{3}"
PHONE_CONTEXT = (
    r"\b(?:support|help|helpdesk|hotline|helpline|customer|care|services?|agents?|whats ?app|call"
    r"|contact|telegram|signal)\b|客服|热线|电话|技术支持|售后"
)
# In the clause before a match, these turn a request into a warning, a report or a rule.
NEGATION = (
    r"\b(?:never|don'?t|do not|does not|doesn'?t|won'?t|will not|wouldn'?t|shouldn'?t"
    r"|should not|must not|cannot|can'?t|not|no one|nobody|no (?:admin|staff|mod|support|one)\w*"
    r"|no|none of|avoid|beware|careful|caution|warning|warn|watch out|ignore"
    r"|if (?:anyone|someone|somebody|they|he|she|a|an)|anyone (?:who|that|asking)|whoever"
    r"|scam\w*|fake|phish\w*|impersonat\w*|report\w*|block\w*|banned"
    r"|said|says|saying|claim\w*|wrote|dmed|dm'd|texted|messaged"
    r"|(?:asked|asking|asks|told|telling|tells|wants?|wanted) me)\b"
    r"|不要|別|别|不会|不會|不能|切勿|勿|千万|千萬|绝不|絕不|永远不|永遠不|从不|從不|从来不|從來不"
    r"|从未|從未|谨防|謹防|小心|警惕|提防|骗|騙|诈骗|詐騙|假|冒充|举报|舉報|不是官方|如果有人|若有人"
    r"|凡是|任何人|有人|有个|有個|有一个|某人|自称|自稱|对方|對方|他们|他們|他|她|说|說"
    r"|让我|讓我|叫我|要我|问我|問我"
)
# A whole comma fragment that is only a negation ("Never, ever …", "千万，不要 …").
BARE_NEGATION = (
    r"\s*(?:never(?: ever)?|don'?t|do not|no way|千万|千萬|绝不|絕不|永远不要|永遠不要|不要)\s*"
)
