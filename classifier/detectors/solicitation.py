"""Solicitation: requests for secrets, and private or off-platform contact offered as support."""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from classifier.detectors.domainlists import normalise_domain, suffix_match
from classifier.detectors.solicitation_rules import (
    BARE_NEGATION,
    NEGATION,
    PHONE,
    PHONE_CONTEXT,
    PHONE_HINT,
    RULES,
)
from core import Detection, DetectionKind

# A dot ends a sentence only before a space: "nova-wallet-sync.io" is one word.
_SENTENCE_BREAKS = r"[!?。！？\n;；]|\.(?=\s|$)"
_CLAUSE_BREAKS = _SENTENCE_BREAKS + r"|[,，]"
_QUESTION_MARKS = "?？"
_QUOTES = ("'", '"', "‘", "“", "「", "『")
_QUESTION_PARTICLES = ("吗", "嗎", "么", "麼")


@dataclass(frozen=True)
class _Rule:
    detail: str
    gates: tuple[frozenset[str], ...]
    pattern: re.Pattern[str]


class SolicitationDetector:
    """Finds messages that ask for secrets or steer people to private or off-platform "support".

    A match is dropped when its clause reads as a warning, a rule or a report ("never share
    your 12 words", "有人私聊我说…", "someone DMed me"), when the clause is a question, and
    when the contact offered is one of the brand's own.

    Args:
        official_domains: The brand's domains; help desks and e-mail on them are not flagged.
        official_handles: The brand's handles ("@nova_support"), likewise.
    """

    def __init__(
        self, official_domains: Sequence[str] = (), official_handles: Sequence[str] = ()
    ) -> None:
        self._rules = tuple(
            _Rule(d, tuple(frozenset(g) for g in n or ()), re.compile(p, re.IGNORECASE))
            for d, n, p in RULES
        )
        self._needles = tuple(sorted({n for rule in self._rules for g in rule.gates for n in g}))
        self._phone = re.compile(PHONE)
        self._phone_hint = re.compile(PHONE_HINT)
        self._phone_context = re.compile(PHONE_CONTEXT, re.IGNORECASE)
        self._negation = re.compile(NEGATION, re.IGNORECASE)
        self._bare_negation = re.compile(BARE_NEGATION, re.IGNORECASE)
        self._sentence_breaks = re.compile(_SENTENCE_BREAKS)
        self._clause_breaks = re.compile(_CLAUSE_BREAKS)
        self._domains = frozenset(d for d in map(normalise_domain, official_domains) if d)
        self._handles = frozenset(h.strip().lstrip("@").lower() for h in official_handles)

    def detect(self, text: str) -> tuple[Detection, ...]:
        """Return one detection per distinct solicitation in ``text``, in text order.

        Args:
            text: The message text (spans refer to it).
        """
        found: list[Detection] = []
        lowered = text.lower()
        present = {n for n in self._needles if n in lowered}
        for rule in self._rules:
            if any(gate.isdisjoint(present) for gate in rule.gates):
                continue
            for match in rule.pattern.finditer(text):
                if self._counts(text, match):
                    found.append(_detection(rule.detail, match.start(), match.end(), text))
        for match in self._phone.finditer(text) if self._phone_hint.search(text) else ():
            if self._is_help_desk_phone(text, match):
                found.append(_detection("offers a phone help desk", *match.span(), text))
        return _without_overlaps(found)

    def _counts(self, text: str, match: re.Match[str]) -> bool:
        if self._negated_or_question(text, match.start(), match.end()):
            return False
        target = match.groupdict().get("target")
        return target is None or not self._is_official(target)

    def _is_help_desk_phone(self, text: str, match: re.Match[str]) -> bool:
        start = max(
            (m.end() for m in self._sentence_breaks.finditer(text, 0, match.start())), default=0
        )
        after = self._sentence_breaks.search(text, match.end())
        sentence = text[start : after.start() if after else len(text)]
        return bool(self._phone_context.search(sentence)) and not self._negated_or_question(
            text, match.start(), match.end()
        )

    def _negated_or_question(self, text: str, start: int, end: int) -> bool:
        clause_start = self._clause_start(text, start)
        if self._negation.search(text, clause_start, start):
            return True
        if clause_start and text[clause_start - 1] in ",，":
            # "Never, ever enter your seed": a bare "never" before the comma still governs.
            previous = text[self._clause_start(text, clause_start - 1) : clause_start - 1]
            if self._bare_negation.fullmatch(previous):
                return True
        after = self._clause_breaks.search(text, end)
        clause_end = after.start() if after else len(text)
        if clause_end < len(text) and text[clause_end] in _QUESTION_MARKS:
            return True
        # Chinese questions often end with a particle and no question mark ("…才能提币吗").
        return text[start:clause_end].rstrip().endswith(_QUESTION_PARTICLES)

    def _clause_start(self, text: str, start: int) -> int:
        """Start of the clause holding ``start``; commas inside a quoted list do not end one.

        "never needs to be 'validated', 'synced' or 'verified' by entering your phrase" is
        one clause: its "never" still governs the end.
        """
        begin = 0
        for found in self._clause_breaks.finditer(text, 0, start):
            quoted_item = (
                found.group() in ",，"
                and text[found.end() : found.end() + 2].strip()[:1] in _QUOTES
            )
            if not quoted_item:
                begin = found.end()
        return begin

    def _is_official(self, target: str) -> bool:
        target = target.strip().rstrip(".,;:!?)")
        if target.startswith("@"):
            return target[1:].lower() in self._handles
        if "@" in target and "://" not in target:
            target = target.rpartition("@")[2]
        domain = normalise_domain(target)
        return domain is not None and suffix_match(domain, self._domains) is not None


def _detection(detail: str, start: int, end: int, text: str) -> Detection:
    return Detection(
        kind=DetectionKind.SOLICITATION,
        detail=detail,
        start=start,
        end=end,
        evidence=text[start:end].strip(),
    )


def _without_overlaps(found: list[Detection]) -> tuple[Detection, ...]:
    """Keep the first of overlapping matches (earliest, then longest)."""
    kept: list[Detection] = []
    last_end = -1
    for detection in sorted(found, key=lambda d: (d.start or 0, -(d.end or 0))):
        if (detection.start or 0) >= last_end:
            kept.append(detection)
            last_end = detection.end or 0
    return tuple(kept)
