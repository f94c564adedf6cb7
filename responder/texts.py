"""The bot's own words, in English and Chinese. Nothing here ever quotes a user's message."""

import re

from core import Language

_HAN_START, _HAN_END = 0x4E00, 0x9FFF

_TEXTS: dict[str, dict[str, str]] = {
    "secret_warning": {
        "en": (
            "Security alert from {brand}: you posted your recovery phrase or private key in a "
            "public chat. Anyone who saw it can take your funds. Move your funds to a NEW wallet "
            "now (create a new wallet with a new phrase, then transfer everything). Our staff "
            "will never ask for your recovery phrase or private key. Your ticket is #{ticket}."
        ),
        "zh": (
            "{brand}安全提醒：你在公开群里发出了助记词或私钥，任何看到的人都能转走你的资产。请立刻"
            "新建一个钱包（新的助记词），把所有资产转过去。我们的工作人员永远不会向你索要助记词或"
            "私钥。你的工单号是 #{ticket}。"
        ),
    },
    "ticket_opened": {
        "en": (
            "Hi, this is {brand} support (verified account). We opened ticket #{ticket} for your "
            "message. To help us, please reply here with: the transaction hash, the chain, your "
            "wallet address, the app version and your device. Never send anyone your recovery "
            "phrase or private key: staff will never ask for it."
        ),
        "zh": (
            "你好，这里是{brand}官方客服（认证账号）。我们已为你的问题创建工单 #{ticket}。请在这里"
            "回复：交易哈希、所在的链、你的钱包地址、App版本和设备型号。请不要把助记词或私钥发给"
            "任何人，工作人员永远不会索要。"
        ),
    },
    "secret_notice": {
        "en": (
            "A message here exposed a wallet secret and was removed. Its owner has been contacted. "
            "Never post your recovery phrase or private key; {brand} staff will never ask for it."
        ),
        "zh": (
            "这里有一条消息泄露了钱包密钥，已被删除，我们已联系本人。请勿公开助记词或私钥，"
            "{brand}工作人员永远不会索要。"
        ),
    },
    "ticket_reply": {
        "en": (
            "We've sent you a DM from our verified account about this (ticket #{ticket}). "
            "Please continue there; we will never ask for your recovery phrase or private key."
        ),
        "zh": (
            "我们已通过官方认证账号私信你（工单 #{ticket}），请在私信里继续沟通。"
            "我们永远不会索要你的助记词或私钥。"
        ),
    },
    "ticket_reply_no_dm": {
        "en": (
            "We couldn't DM you about this: please open a private chat with this bot and send "
            "/ticket {ticket}. We will never ask for your recovery phrase or private key."
        ),
        "zh": (
            "我们无法私信你：请主动和本机器人开启私聊并发送 /ticket {ticket}。"
            "我们永远不会索要你的助记词或私钥。"
        ),
    },
    "follow_up": {
        "en": (
            "Hi again from {brand} support about ticket #{ticket}: we're still waiting for the "
            "details (tx hash, chain, wallet address, app version, device). "
            "Reply here when you can."
        ),
        "zh": (
            "{brand}客服再次提醒工单 #{ticket}：我们还在等你的信息"
            "（交易哈希、链、钱包地址、App版本、设备）。方便时请在这里回复。"
        ),
    },
    "survey": {
        "en": (
            "Ticket #{ticket} is resolved. How did we do? Reply with a number from 1 (bad) to "
            "5 (great), optionally followed by a comment."
        ),
        "zh": "工单 #{ticket} 已解决。请回复 1（很差）到 5（很好）给我们打分，可附上意见。",
    },
    "survey_thanks": {
        "en": "Thank you for your feedback on ticket #{ticket}.",
        "zh": "感谢你对工单 #{ticket} 的评价。",
    },
    "scam_warning": {
        "en": (
            "Warning: the message above is a scam. {brand} staff never DM first and never ask "
            "for your recovery phrase or private key. Don't click its links."
        ),
        "zh": (
            "注意：上面这条消息是诈骗。{brand}工作人员从不主动私信，也从不索要助记词或私钥。"
            "请勿点击其中的链接。"
        ),
    },
    "status": {
        "en": "Ticket #{ticket}: {status}.",
        "zh": "工单 #{ticket}：{status}。",
    },
    "no_ticket": {
        "en": "You have no open ticket. Describe your problem here and we will open one.",
        "zh": "你目前没有未结的工单。请在这里描述问题，我们会为你创建工单。",
    },
    "ticket_added": {
        "en": "Thanks, we added your message to ticket #{ticket}.",
        "zh": "收到，已把你的消息加入工单 #{ticket}。",
    },
}


def render(key: str, language: str, **values: object) -> str:
    """Return text ``key`` in ``language`` (``zh`` or ``en``) with ``values`` filled in."""
    variants = _TEXTS[key]
    return variants.get(language, variants["en"]).format(**values)


_QUESTION_WORDS = re.compile(
    r"^\s*(?:how|what|why|where|which|when|who|can|could|does|do|is|are|should|will|would|"
    r"anyone know|any idea)\b",
    re.IGNORECASE,
)
_ZH_QUESTION = re.compile(
    r"吗|怎么|怎样|如何|什么|哪|为什么|为啥|咋|能否|是否|有没有|请问|請問|嗎|麼"
)


def is_question(text: str) -> bool:
    """True when ``text`` asks something (a mark, a leading question word, a Chinese particle).

    FAQ answers are drafted only for questions: statements that merely share words with an
    entry (answers to other users, chat) score as high as real questions with the encoder.
    """
    return (
        "?" in text
        or "？" in text
        or bool(_QUESTION_WORDS.match(text) or _ZH_QUESTION.search(text))
    )


def reply_language(language: Language, text: str) -> str:
    """Pick ``zh`` or ``en`` for an answer to a message.

    Mixed messages get Chinese when they hold more Han characters than Latin letters.
    """
    if language is Language.ZH:
        return "zh"
    if language is Language.MIXED:
        han = sum(1 for ch in text if _HAN_START <= ord(ch) <= _HAN_END)
        latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
        return "zh" if han > latin else "en"
    return "en"
