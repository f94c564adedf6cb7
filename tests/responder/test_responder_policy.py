"""Table-driven: (message, classification, context) -> exactly the expected actions."""

from typing import Any

import pytest
from responder_testkit import STAFF_ID, classification, message

from core import DetectionKind, Language
from responder.actions import (
    AlertModerators,
    DeleteMessage,
    DmKind,
    DraftKind,
    DraftReply,
    OpenTicket,
    PostNotice,
    Priority,
    SendDM,
)
from responder.faq import FaqEntry, FaqMatch
from responder.policy import Policy, PolicyContext

SEED = DetectionKind.SEED_PHRASE
KEY = DetectionKind.PRIVATE_KEY
PHISH = DetectionKind.PHISHING_URL
IMPERSONATION = DetectionKind.IMPERSONATION
SOLICIT = DetectionKind.SOLICITATION
ENTRY = FaqEntry(
    "add-custom-token",
    "tokens",
    {"en": ("how do I add a custom token?",), "zh": ("怎么添加自定义代币",)},
    {"en": "Open the token list ...", "zh": "在资产列表点「添加代币」..."},
)


def faq(score: float, **kw: Any) -> PolicyContext:
    return PolicyContext(faq=FaqMatch(ENTRY, score, "q"), **kw)


def shape(action: Any) -> tuple[Any, ...]:
    """The parts of an action a rule decides (reasons are checked separately)."""
    if isinstance(action, SendDM):
        return ("dm", action.kind)
    if isinstance(action, OpenTicket):
        return ("ticket", action.kind, action.priority)
    if isinstance(action, DraftReply):
        return ("draft", action.kind, action.language, action.faq_id, action.auto_send)
    if isinstance(action, AlertModerators):
        return ("alert", action.evidence)
    if isinstance(action, DeleteMessage):
        return ("delete",)
    assert isinstance(action, PostNotice)
    return ("notice",)


SECRET_PUBLIC = [
    ("delete",),
    ("ticket", "security", Priority.URGENT),
    ("dm", DmKind.SECRET_WARNING),
    ("notice",),
]
TICKET_PUBLIC = [
    ("dm", DmKind.TICKET_OPENED),
]

CASES: list[tuple[str, Any, Any, PolicyContext, list[tuple[Any, ...]]]] = [
    (
        "seed in group",
        message("x"),
        classification("urgent", "security", detections=[SEED]),
        PolicyContext(),
        SECRET_PUBLIC,
    ),
    (
        "key in group",
        message("x"),
        classification("security", detections=[KEY]),
        PolicyContext(),
        SECRET_PUBLIC,
    ),
    (
        "redacted only",
        message("x", redacted=True),
        classification(),
        PolicyContext(),
        SECRET_PUBLIC,
    ),
    (
        "seed in DM",
        message("x", is_dm=True),
        classification("urgent", detections=[SEED]),
        PolicyContext(),
        [("ticket", "security", Priority.URGENT), ("dm", DmKind.SECRET_WARNING)],
    ),
    (
        "phishing",
        message("x"),
        classification("security", detections=[PHISH]),
        PolicyContext(),
        [("alert", ("phishing_url: phishing_url found",))],
    ),
    (
        "impersonator auto-removed",
        message("x"),
        classification("security", detections=[IMPERSONATION]),
        PolicyContext(auto_remove=True),
        [("alert", ("impersonation: impersonation found",)), ("delete",)],
    ),
    (
        "solicitation",
        message("x"),
        classification(detections=[SOLICIT]),
        PolicyContext(),
        [("alert", ("solicitation: solicitation found",))],
    ),
    (
        "urgent",
        message("x"),
        classification("urgent"),
        PolicyContext(),
        [
            ("ticket", "urgent", Priority.URGENT),
            *TICKET_PUBLIC,
            ("draft", DraftKind.TICKET_REPLY, "en", None, False),
        ],
    ),
    (
        "security",
        message("x"),
        classification("security"),
        PolicyContext(),
        [
            ("ticket", "security", Priority.HIGH),
            *TICKET_PUBLIC,
            ("draft", DraftKind.TICKET_REPLY, "en", None, False),
        ],
    ),
    (
        "complaint zh",
        message("提币卡了"),
        classification("complaint", language=Language.ZH),
        PolicyContext(),
        [
            ("ticket", "complaint", Priority.NORMAL),
            *TICKET_PUBLIC,
            ("draft", DraftKind.TICKET_REPLY, "zh", None, False),
        ],
    ),
    (
        "complaint in DM: no public draft",
        message("x", is_dm=True),
        classification("complaint"),
        PolicyContext(),
        [("ticket", "complaint", Priority.NORMAL), *TICKET_PUBLIC],
    ),
    (
        "faq en",
        message("how to add token"),
        classification(),
        faq(0.93),
        [("draft", DraftKind.FAQ, "en", "add-custom-token", False)],
    ),
    (
        "faq mixed mostly han",
        message("怎么添加代币 token"),
        classification(language=Language.MIXED),
        faq(0.93),
        [("draft", DraftKind.FAQ, "zh", "add-custom-token", False)],
    ),
    (
        "faq mixed mostly latin",
        message("how to add custom token 代币"),
        classification(language=Language.MIXED),
        faq(0.93),
        [("draft", DraftKind.FAQ, "en", "add-custom-token", False)],
    ),
    (
        "faq auto-send above confidence",
        message("q?"),
        classification(),
        faq(0.95, auto_send_faq=True, min_confidence=0.92),
        [("draft", DraftKind.FAQ, "en", "add-custom-token", True)],
    ),
    (
        "faq below confidence waits",
        message("q?"),
        classification(),
        faq(0.915, auto_send_faq=True, min_confidence=0.92),
        [("draft", DraftKind.FAQ, "en", "add-custom-token", False)],
    ),
    ("faq below min score", message("q?"), classification(), faq(0.5), []),
    (
        "faq match on a statement",
        message("TRC20 便宜, 手续费1U左右"),
        classification(),
        faq(0.95),
        [],
    ),
    ("nothing", message("gm"), classification(), PolicyContext(), []),
    ("staff flag", message("x", is_staff=True), classification("urgent"), PolicyContext(), []),
    (
        "staff id",
        message("x", author_id=STAFF_ID),
        classification("complaint"),
        PolicyContext(staff_ids=frozenset({STAFF_ID})),
        [],
    ),
    ("bot", message("x", is_bot=True), classification(detections=[SEED]), PolicyContext(), []),
    (
        "the bot itself",
        message("x", author_id="7"),
        classification("urgent"),
        PolicyContext(bot_ids=frozenset({"7"})),
        [],
    ),
]


@pytest.mark.parametrize(
    ("msg", "cls", "ctx", "expected"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_policy_table(msg: Any, cls: Any, ctx: PolicyContext, expected: list[Any]) -> None:
    actions = Policy().decide(msg, cls, ctx)
    assert [shape(a) for a in actions] == expected
    assert all(a.reason for a in actions)


def test_faq_draft_is_the_entry_answer_in_the_language() -> None:
    (action,) = Policy().decide(
        message("怎么加币"), classification(language=Language.ZH), faq(0.93)
    )
    assert isinstance(action, DraftReply)
    assert action.text == ENTRY.answers["zh"]
    assert "0.930" in action.reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("how do I add a token", True),
        ("is avax supported", True),
        ("trx fee??", True),
        ("支持波场吗", True),
        ("怎么添加代币", True),
        ("萌新问一下, gas limit 和 gas price 有什么区别", True),
        ("TRC20 便宜, 手续费1U左右", False),
        ("gm everyone", False),
        ("this island is nice", False),
    ],
)
def test_is_question(text: str, expected: bool) -> None:
    from responder.texts import is_question

    assert is_question(text) is expected
