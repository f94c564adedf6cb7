"""The policy: what to do with one classified message, as typed actions in priority order.

Pure: the same message, classification and context always give the same actions, so the rules
are tested as a table. Everything it needs to know about the world comes in `PolicyContext`.
"""

from dataclasses import dataclass, field

from core import Classification, DetectionKind, Message
from responder.actions import (
    Action,
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
from responder.faq import FaqMatch
from responder.texts import is_question, reply_language

SECRETS = frozenset({DetectionKind.SEED_PHRASE, DetectionKind.PRIVATE_KEY})
SCAMS = frozenset(
    {DetectionKind.PHISHING_URL, DetectionKind.IMPERSONATION, DetectionKind.SOLICITATION}
)


@dataclass(frozen=True)
class PolicyContext:
    """What the policy knows besides the message.

    Attributes:
        staff_ids: Staff user ids of the message's platform (never answered).
        bot_ids: The bot's own ids (never answered).
        faq: The best FAQ match of the message, if any was computed.
        faq_min_score: Smallest score that counts as an answer.
        auto_send_faq: Whether FAQ answers may skip approval on this platform.
        min_confidence: Smallest score an auto-sent FAQ answer needs.
        auto_remove: Whether scam posts in this channel are removed without a moderator.
    """

    staff_ids: frozenset[str] = field(default_factory=frozenset)
    bot_ids: frozenset[str] = field(default_factory=frozenset)
    faq: FaqMatch | None = None
    faq_min_score: float = 0.915
    auto_send_faq: bool = False
    min_confidence: float = 0.95
    auto_remove: bool = False


class Policy:
    """Maps a classified message to actions; see the module docstring of `responder`."""

    def decide(
        self, message: Message, classification: Classification, context: PolicyContext
    ) -> list[Action]:
        """Return the actions for one message, most urgent first (empty: do nothing)."""
        if self._ignored(message, context):
            return []
        kinds = {d.kind for d in classification.detections}
        if kinds & SECRETS or any(r.kind in SECRETS for r in message.redactions):
            return self._secret(message)
        if kinds & SCAMS:
            return self._scam(classification, context)
        if classification.flagged:
            return self._ticket(message, classification)
        return self._faq(message, classification, context)

    @staticmethod
    def _ignored(message: Message, context: PolicyContext) -> bool:
        author = message.author
        return (
            author.is_bot
            or author.is_staff
            or author.id in context.staff_ids
            or author.id in context.bot_ids
        )

    @staticmethod
    def _secret(message: Message) -> list[Action]:
        why = "a wallet secret was exposed"
        actions: list[Action] = []
        if not message.is_dm:
            actions.append(DeleteMessage(f"{why} in public: remove it before anyone copies it"))
        # The ticket comes before the DM only because the DM carries its number (a local write).
        actions.append(OpenTicket("security", Priority.URGENT, f"{why}: urgent security case"))
        actions.append(SendDM(DmKind.SECRET_WARNING, f"{why}: warn the owner to move funds now"))
        if not message.is_dm:
            actions.append(PostNotice(f"{why} in public: tell the chat, quoting nothing"))
        return actions

    @staticmethod
    def _scam(classification: Classification, context: PolicyContext) -> list[Action]:
        found = [d for d in classification.detections if d.kind in SCAMS]
        evidence = tuple(f"{d.kind.value}: {d.detail or d.evidence}".strip() for d in found)
        names = ", ".join(sorted({d.kind.value for d in found}))
        actions: list[Action] = [AlertModerators(evidence, f"scam content ({names})")]
        if context.auto_remove:
            actions.append(DeleteMessage(f"scam content ({names}) in an auto-remove channel"))
        return actions

    @staticmethod
    def _ticket(message: Message, classification: Classification) -> list[Action]:
        flags = ", ".join(f.value for f in classification.flag_names)
        if classification.urgent.value:
            priority, kind = Priority.URGENT, "urgent"
        elif classification.security.value:
            priority, kind = Priority.HIGH, "security"
        else:
            priority, kind = Priority.NORMAL, "complaint"
        why = f"flagged {flags}"
        actions: list[Action] = [
            OpenTicket(kind, priority, f"{why}: a private case"),
            SendDM(DmKind.TICKET_OPENED, f"{why}: tell the user the number and what to send"),
        ]
        if not message.is_dm:
            language = reply_language(classification.language, message.text)
            actions.append(
                DraftReply(
                    DraftKind.TICKET_REPLY,
                    "",  # filled with the ticket number once the ticket exists
                    language,
                    f"{why}: say publicly that we DMed from the verified account",
                )
            )
        return actions

    @staticmethod
    def _faq(
        message: Message, classification: Classification, context: PolicyContext
    ) -> list[Action]:
        match = context.faq
        if match is None or match.score < context.faq_min_score or not is_question(message.text):
            return []
        language = reply_language(classification.language, message.text)
        confident = match.score >= context.min_confidence
        return [
            DraftReply(
                DraftKind.FAQ,
                match.entry.answer(language),
                language,
                f"FAQ {match.entry.id} matched with score {match.score:.3f}",
                faq_id=match.entry.id,
                score=round(match.score, 4),
                auto_send=context.auto_send_faq and confident,
            )
        ]
