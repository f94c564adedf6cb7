"""The keyword baseline: AutoMod-style rule lists in English and Chinese.

Kept for good as the peer the model must beat and as the classifier that needs nothing
loaded. Each flag's score grows with the number of distinct rules that match; an exposed
secret (found by the redactor before storage) forces urgent and security.
"""

import hashlib
import re
from collections.abc import Sequence

from classifier.entities import extract_entities
from classifier.language import detect_language
from core import Classification, Detection, DetectionKind, FlagResult, Message
from core.text import detector_view

THRESHOLD = 0.5

_URGENT = (
    r"\b(drained|stolen|hacked|emptied|missing|disappeared|lost (all|everything|my))\b",
    r"\b(not (received|credited|arrived|showing)|never (arrived|received)|still pending|stuck)\b",
    r"\b(pending for|hours? (and|but) (still|no)|wrong (address|network|chain))\b",
    r"\b(locked out|can'?t (access|open|log ?in)|forgot (my )?password|lost (my )?phone)\b",
    r"\b(help|urgent|asap|emergency|please)\b.*\b(funds?|money|usdt|eth|btc|wallet)\b",
    r"\b(balance (is )?(zero|0|gone))\b",
    r"(被盗|被偷|被转走|没到账|未到账|不到账|卡住|卡了|转错|打不开|丢了|余额.{0,4}(没了|为0|清零))",
    r"(急|救命|求助|怎么办).{0,12}(钱|币|资产|钱包|U\b|USDT)",
)
_SECURITY = (
    r"\b(seed|recovery|secret) ?(phrase|words)\b|\b12 words\b|\bprivate key\b|\bmnemonic\b",
    r"\b(scam|scammer|phishing|fake (support|app|admin|site)|impersonat)",
    r"\b(validate|sync|rectify|verify) (your )?wallet\b|\bclaim (your )?(airdrop|reward)",
    r"\b(dm|message|contact) me\b|\bwhats ?app\b|\brecover(y)? (expert|hacker|service)\b",
    r"\b(hacked|drained|compromised|unauthori[sz]ed|malicious approval|address poisoning)\b",
    r"\b(is (this|it) (legit|real|safe)|giveaway|double your)\b",
    r"(助记词|私钥|钓鱼|骗子|骗局|假客服|冒充|诈骗|盗U|被盗|授权|空投.{0,6}(领取|链接)|私聊)",
    r"(是真的吗|靠谱吗|安全吗|同步钱包|验证钱包|高价回收|找回被盗)",
)
_COMPLAINT = (
    r"\b(terrible|worst|awful|useless|garbage|trash|joke|ridiculous|pathetic|unacceptable)\b",
    r"\b(no (one|body) (replies|answers|responds)|support (is|never|doesn'?t|won'?t|ignor))",
    r"\b(fees? (are|is) (too|so|insane|crazy|ridiculous)|ripoff|rip-off|daylight robbery)\b",
    r"\b(uninstall|switching to|one[- ]star|refund|compensat|fix your|again\?|third time)\b",
    r"(垃圾|太差|差评|卸载|退款|赔偿|客服.{0,6}(不回|没人|不理|不管)|什么破|坑人|抢钱|太贵)",
    r"(又出问题|又崩|第[二三四五]次|受够了|无语|投诉)",
)

_COMPILED = tuple(
    tuple(re.compile(p, re.IGNORECASE) for p in group) for group in (_URGENT, _SECURITY, _COMPLAINT)
)
_VERSION = (
    "baseline-rules@"
    + hashlib.sha256("\n".join(_URGENT + _SECURITY + _COMPLAINT).encode()).hexdigest()[:12]
)


class KeywordClassifier:
    """Implements ``core.Classifier`` with the rule lists above."""

    @property
    def version(self) -> str:
        """Name and hash of the rule lists."""
        return _VERSION

    def classify(self, messages: Sequence[Message]) -> list[Classification]:
        """Classify each message on its own; the rules need no batching."""
        return [self._one(message) for message in messages]

    def _one(self, message: Message) -> Classification:
        text = detector_view(message.text)
        urgent, security, complaint = (_score(text, rules) for rules in _COMPILED)
        secrets = secret_detections(message)
        forced = "secret" if secrets else None
        return Classification(
            urgent=_flag(urgent, forced),
            security=_flag(security, forced),
            complaint=_flag(complaint, None),
            language=detect_language(message.text),
            entities=extract_entities(message.text),
            detections=secrets,
            model_version=_VERSION,
        )


def secret_detections(message: Message) -> tuple[Detection, ...]:
    """Turn the redactions done before storage into detections (no secret is left to show)."""
    return tuple(
        Detection(
            kind=DetectionKind(r.kind),
            detail=r.detail,
            start=r.start,
            end=r.end,
            evidence=r.marker,
        )
        for r in message.redactions
    )


def _score(text: str, rules: tuple[re.Pattern[str], ...]) -> float:
    hits = sum(1 for rule in rules if rule.search(text))
    return 1.0 - 0.4**hits if hits else 0.0


def _flag(score: float, forced_by: str | None) -> FlagResult:
    return FlagResult(
        value=score >= THRESHOLD or forced_by is not None,
        score=round(score, 4),
        threshold=THRESHOLD,
        forced_by=forced_by,
    )
