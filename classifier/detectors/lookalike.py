"""Does a host imitate one of the brand's official domains, and how."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from classifier.detectors.hosts import HostName, HostParts, display_label
from classifier.detectors.skeleton import Skeletonizer, bounded_distance

# Words scammers glue to a brand name: "novawallet-support", "nova-verify-wallet",
# "novawalletairdrop". Listed as skeletons are computed from them at construction.
ADDED_WORDS = (
    "access", "account", "activate", "admin", "airdrop", "android", "apk", "app", "apps",
    "assist", "auth", "beta", "build", "download", "install", "ios",
    "bonus", "bridge", "care", "center", "centre", "check", "chat", "claim", "cn", "connect",
    "contact", "dapp", "desk", "drop", "en", "event", "events", "fix", "free", "get", "gift",
    "giveaway", "global", "help", "helpdesk", "hub", "info", "kyc", "live", "login", "migrate",
    "migration", "mint", "my", "news", "nft", "node", "nodes", "official", "online", "pass",
    "portal", "pro", "promo", "recover", "recovery", "rectify", "refund", "restore", "reward",
    "rewards", "secure", "security", "service", "services", "signin", "stake", "staking",
    "support", "swap", "sync", "team", "ticket", "tickets", "token", "unlock", "update",
    "upgrade", "us", "validate", "validation", "verification", "verify", "wallet", "web",
    "whitelist", "www",
)  # fmt: skip
# Generic words a brand label often ends with; what is left is the brand's short name
# ("novawallet" -> "nova"), which scammers use on its own ("nova-support-ticket.com").
_GENERIC_BRAND_WORDS = (
    "wallet", "app", "pay", "finance", "fi", "swap", "exchange", "labs", "lab", "dex", "coin",
    "crypto", "chain", "protocol", "network", "official", "hq", "io",
)  # fmt: skip
_MIN_SHORT_NAME = 4
_MIN_CONTAINED = 5
_MIN_FUZZY = 6
_MIN_TWO_EDITS = 9

Where = Literal["label", "subdomain", "userinfo", "path"]
# Hosts whose links hide the real destination or host anyone's form: the host says nothing,
# the brand name in the path says a lot ("forms.gle/nova-helpdesk", "bit.ly/nova-support").
OPAQUE_HOSTS = frozenset({
    "forms.gle", "bit.ly", "tinyurl.com", "t.ly", "cutt.ly", "rebrand.ly", "is.gd", "ow.ly",
    "buff.ly", "rb.gy", "s.id", "shorturl.at", "tiny.cc", "linktr.ee", "jotform.com",
    "typeform.com", "forms.office.com", "forms.app", "tally.so", "goo.su", "u.to", "dwz.cn",
})  # fmt: skip
_PATH_WORD_PATTERN = r"[^\W_]+"


@dataclass(frozen=True)
class Resemblance:
    """Why a host looks like an official domain.

    Attributes:
        official: The official domain imitated.
        reason: One sentence for a moderator.
        where: Which part of the URL imitates it.
    """

    official: str
    reason: str
    where: Where


@dataclass(frozen=True)
class _Brand:
    domain: str
    label: str
    suffix: str
    flat: str
    short: str


class LookalikeMatcher:
    """Compares hosts with the official domains by skeleton, added words and edit distance.

    Args:
        officials: The official domains, already split (``help.novawallet.io`` gives the
            label ``novawallet`` and suffix ``io``).
        skeleton: The shared skeletonizer.
    """

    def __init__(self, officials: Sequence[tuple[str, HostParts]], skeleton: Skeletonizer) -> None:
        self._skeleton = skeleton
        self._words = sorted({skeleton.skeleton(w) for w in ADDED_WORDS}, key=len, reverse=True)
        generic = sorted({skeleton.skeleton(w) for w in _GENERIC_BRAND_WORDS}, key=len)[::-1]
        brands: dict[tuple[str, str], _Brand] = {}
        for domain, parts in officials:
            flat = self._flat(parts.label)
            short = _strip_words(flat, generic)
            brands.setdefault(
                (parts.label, parts.suffix),
                _Brand(
                    domain=parts.registrable if parts.suffix else domain,
                    label=parts.label,
                    suffix=parts.suffix,
                    flat=flat,
                    short=short if len(short) >= _MIN_SHORT_NAME and short != flat else "",
                ),
            )
        self._brands = tuple(brands.values())

    def match(self, host: HostName, parts: HostParts) -> Resemblance | None:
        """Return how ``host`` imitates an official domain, or ``None``.

        Args:
            host: The host (its user-info is checked too).
            parts: ``host`` split at its public suffix.
        """
        if not parts.label:
            return None
        label = display_label(parts.label)
        for brand in self._brands:
            found = self._label_resemblance(brand, label, parts)
            if found is None:
                found = self._subdomain_resemblance(brand, parts)
            if found is None and host.userinfo:
                found = self._userinfo_resemblance(brand, host)
            if found is not None:
                return found
        return None

    def match_userinfo(self, host: HostName) -> Resemblance | None:
        """Return how the user-info before ``@`` imitates an official domain, or ``None``.

        Args:
            host: A host whose authority had user-info ("novawallet.io@203.0.113.7").
        """
        if not host.userinfo:
            return None
        return next((r for b in self._brands if (r := self._userinfo_resemblance(b, host))), None)

    def match_path(self, path: str) -> Resemblance | None:
        """Return how the path of a short link or form link uses the brand name, or ``None``.

        Args:
            path: The path, query and fragment of a link on one of ``OPAQUE_HOSTS``.
        """
        tokens = [self._skeleton.skeleton(t) for t in re.findall(_PATH_WORD_PATTERN, path)]
        glued = "".join(tokens)
        for brand in self._brands:
            if brand.flat in glued or (brand.short and brand.short in tokens):
                why = f"a short or form link whose path uses the brand name ({path.strip('/')})"
                return Resemblance(brand.domain, why, "path")
        return None

    def _label_resemblance(self, brand: _Brand, label: str, parts: HostParts) -> Resemblance | None:
        flat = self._flat(label)
        if flat != brand.flat:
            why = self._resembles(brand, label, flat)
            return None if why is None else Resemblance(brand.domain, why, "label")
        if parts.label == brand.label:
            why = f"the official name '{brand.label}' on another suffix (.{parts.suffix})"
        else:
            why = f"'{label}' is confusable with '{brand.label}'"
        return Resemblance(brand.domain, why, "label")

    def _subdomain_resemblance(self, brand: _Brand, parts: HostParts) -> Resemblance | None:
        for sub in parts.subdomains:
            shown = display_label(sub)
            flat = self._flat(shown)
            why = (
                f"'{shown}' is the official name"
                if flat == brand.flat
                else self._resembles(brand, shown, flat)
            )
            if why is not None:
                return Resemblance(
                    brand.domain, f"{why}, in a subdomain of {parts.registrable}", "subdomain"
                )
        return None

    def _userinfo_resemblance(self, brand: _Brand, host: HostName) -> Resemblance | None:
        if brand.flat not in self._flat(host.userinfo):
            return None
        why = f"'{host.userinfo}@' puts the official name before the real host {host.unicode}"
        return Resemblance(brand.domain, why, "userinfo")

    def _resembles(self, brand: _Brand, shown: str, flat: str) -> str | None:
        """Name plus added words, a near miss, or the short name plus scam words."""
        if len(brand.flat) >= _MIN_CONTAINED and brand.flat in flat:
            return f"'{shown}' is the official name '{brand.label}' plus other words"
        limit = _edit_limit(len(brand.flat))
        tokens = [self._skeleton.skeleton(t) for t in shown.split("-") if t]
        cores = dict.fromkeys([flat, _strip_words(flat, self._words), *tokens])
        for core in cores:
            if limit and len(core) >= _MIN_FUZZY - 2:
                distance = bounded_distance(core, brand.flat, limit)
                if distance <= limit:
                    return f"'{shown}' is {distance} edit(s) from '{brand.label}'"
        if brand.short and self._short_name_with_words(brand.short, flat, tokens):
            return f"'{shown}' is the brand name '{brand.short}' plus scam words"
        return None

    def _short_name_with_words(self, short: str, flat: str, tokens: list[str]) -> bool:
        if short in tokens and len(tokens) > 1:
            others = [t for t in tokens if t != short]
            return any(not _strip_words(t, self._words) for t in others)
        if len(flat) <= len(short):
            return False
        if flat.startswith(short):
            return not _strip_words(flat[len(short) :], self._words)
        return flat.endswith(short) and not _strip_words(flat[: -len(short)], self._words)

    def _flat(self, label: str) -> str:
        return self._skeleton.skeleton(label).replace("-", "").replace("_", "")


def _edit_limit(length: int) -> int:
    """Edits tolerated against an official label of ``length`` letters.

    One edit from six letters and two from nine: two edits on a six-letter name reach
    ordinary words ("ledger" -> "leader"), two on ten letters ("nowallet") still read as it.
    """
    if length < _MIN_FUZZY:
        return 0
    return 1 if length < _MIN_TWO_EDITS else 2


def _strip_words(text: str, words: Sequence[str]) -> str:
    """Remove known words from both ends of ``text`` until none is left to remove.

    Args:
        text: A skeleton.
        words: Skeletons of words, longest first (so "helpdesk" goes before "help").
    """
    changed = True
    while changed and text:
        changed = False
        for word in words:
            if text.startswith(word):
                text = text[len(word) :]
                changed = True
                break
            if text.endswith(word):
                text = text[: -len(word)]
                changed = True
                break
    return text
