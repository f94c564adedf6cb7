"""Impersonators: authors whose handle or display name copies a staff member's."""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from classifier.detectors.skeleton import NearIndex, Skeletonizer
from core import Author, Detection, DetectionKind

# Words that claim a role; stripped before comparing what is left of two names.
_ROLE_WORDS = (
    "official", "support", "admin", "admins", "administrator", "team", "mod", "mods",
    "moderator", "moderators", "staff", "help", "helpdesk", "desk", "care", "service",
    "services", "customer", "cs", "agent", "manager", "ceo", "founder", "dev", "developer",
    "assist", "assistant", "bot", "kefu", "guanfang", "verified", "real", "helpline", "hq",
    "官方", "客服", "管理员", "管理", "技术支持", "支持", "团队", "助手", "小助手", "售后",
    "工作人员", "经理", "认证",
)  # fmt: skip
# Words that pose as an official channel rather than a person ("NOVA Airdrop").
_CHANNEL_WORDS = (
    "airdrop", "airdrops", "event", "events", "news", "announcement", "announcements",
    "giveaway", "rewards", "promo", "updates", "空投", "公告", "活动", "福利",
)  # fmt: skip
_GENERIC_BRAND_WORDS = ("wallet", "app", "pay", "finance", "swap", "exchange", "labs", "io")
_WORD_PATTERN = r"[a-z0-9|@$]+|[\u3400-\u4dbf\u4e00-\u9fff]+"
_MIN_EQUAL = 5
_MIN_CORE = 3
_MIN_FUZZY = 6
_MIN_BRAND = 4
_MIN_GLUED_FUZZY = 10
_CACHE_LIMIT = 16384


@dataclass(frozen=True)
class StaffIdentity:
    """One staff account on one platform.

    Attributes:
        platform: ``telegram``, ``discord``, ``twitter`` or ``reddit``.
        author_id: The account's platform id (never confusable, unlike names).
        names: Its handles and display names.
    """

    platform: str
    author_id: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class _Name:
    """A name reduced to what a reader sees: skeleton tokens, with and without role words."""

    shown: str
    tokens: tuple[str, ...]
    glued: str
    core_tokens: frozenset[str]
    core: str
    has_role: bool
    has_channel: bool


@dataclass(frozen=True)
class _StaffName:
    name: _Name
    staff: StaffIdentity


class _NameReader:
    """Turns handles and display names into ``_Name`` values."""

    def __init__(self, skeleton: Skeletonizer) -> None:
        self._skeleton = skeleton
        self._roles = frozenset(skeleton.skeleton(w) for w in _ROLE_WORDS)
        # Short Latin roles ("cs", "mod", "bot") only count as whole words: as affixes they
        # eat ordinary names ("modesto", "abbott"). Chinese roles are glued by nature ("官方客服").
        affixes = (r for r in self._roles if len(r) >= 4 or not r.isascii())
        self._role_affixes = sorted(affixes, key=len, reverse=True)
        self._role_affix_tuple = tuple(self._role_affixes)
        self._role_tuple = tuple(self._roles)
        self._long_roles = NearIndex(((r, r) for r in self._roles if len(r) >= _MIN_FUZZY), 1)
        self._token = re.compile(_WORD_PATTERN)
        self._channels = frozenset(skeleton.skeleton(w) for w in _CHANNEL_WORDS)

    def read(self, shown: str) -> _Name:
        """Reduce a handle or display name to skeleton tokens, with and without roles."""
        folded = self._skeleton.letters(shown)
        # Digit-only tokens ("24/7", "_01") and lone symbols ("|" as a separator) are
        # decoration; digits inside a word ("n0va") are disguise and get mapped.
        raw = [t for t in self._token.findall(folded) if any(c.isalpha() for c in t)]
        tokens = tuple(self._leet_token(t) for t in raw)
        core: list[str] = []
        has_role = False
        for token in tokens:
            stripped = self._strip_roles(token)
            if stripped and self._misspelt_role(stripped):
                stripped = ""
            has_role = has_role or stripped != token
            if stripped:
                core.append(stripped)
        return _Name(
            shown=shown,
            tokens=tokens,
            glued="".join(tokens),
            core_tokens=frozenset(core),
            core="".join(core),
            has_role=has_role,
            has_channel=any(t in self._channels for t in tokens),
        )

    def _leet_token(self, token: str) -> str:
        """Map one token; a number after a role word is decoration ("mod1", "alexmod99").

        Elsewhere a trailing digit may be a disguised letter ("suppor7"), so it is only
        dropped where what is left ends with a role word.
        """
        stripped = token.rstrip("0123456789")
        if stripped != token:
            letters = self._skeleton.leet(stripped)
            if letters.endswith(self._role_tuple):
                return letters
        return self._skeleton.leet(token)

    def _misspelt_role(self, token: str) -> bool:
        """Misspelt roles ("Suport", "Offical") one edit from a long role word still count."""
        if len(token) < _MIN_FUZZY - 1:
            return False
        return next(self._long_roles.near(token, lambda _: 1), None) is not None

    def _strip_roles(self, token: str) -> str:
        """Drop role words: whole tokens, and glued ones ("novasupport" -> "nova")."""
        if token in self._roles:
            return ""
        while token.startswith(self._role_affix_tuple) or token.endswith(self._role_affix_tuple):
            stripped = self._strip_one_role(token)
            if not stripped:
                return ""
            if stripped == token:
                break
            token = stripped
        return token

    def _strip_one_role(self, token: str) -> str:
        # Keep at least three Latin letters so "supportive" does not become "ive"; a Chinese
        # token may be all roles ("官方客服").
        prefix_rest, suffix_rest = (_MIN_CORE + 1, _MIN_CORE) if token.isascii() else (0, 0)
        for role in self._role_affixes:
            if token.startswith(role) and len(token) - len(role) >= prefix_rest:
                return token[len(role) :]
            if token.endswith(role) and len(token) - len(role) >= suffix_rest:
                return token[: -len(role)]
        return token


class ImpersonationDetector:
    """Flags authors whose names are confusable with a staff member's.

    Args:
        staff: Every staff account; their ids are exempt, their names protected.
        brand_names: Optional brand names ("NovaWallet"): a non-staff name made of the brand
            and a role or channel word ("Nova Help Desk", "NOVA Airdrop") is flagged too.
    """

    def __init__(self, staff: Sequence[StaffIdentity], brand_names: Sequence[str] = ()) -> None:
        self._reader = _NameReader(Skeletonizer())
        self._staff_ids = frozenset((s.platform, s.author_id) for s in staff)
        self._index = _StaffIndex(
            [
                _StaffName(self._reader.read(name), member)
                for member in staff
                for name in member.names
                if name.strip()
            ]
        )
        self._brands = _brand_skeletons(brand_names, Skeletonizer())
        self._cache: dict[tuple[str, str, str, str], tuple[Detection | None]] = {}

    def check(self, platform: str, author: Author) -> Detection | None:
        """Return an impersonation detection for ``author``, or ``None``.

        Args:
            platform: Where the author posted.
            author: The author; staff (by id or ``is_staff``) is never flagged.
        """
        if author.is_staff or (platform, author.id) in self._staff_ids:
            return None
        key = (platform, author.id, author.handle, author.display_name)
        hit = self._cache.get(key)
        if hit is not None:
            return hit[0]
        found = self._check(author)
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        # Wrapped in a tuple so a cached "no detection" is told from a miss in one lookup.
        self._cache[key] = (found,)
        return found

    def _check(self, author: Author) -> Detection | None:
        fields = (("handle", author.handle), ("display name", author.display_name))
        names = [(field, self._reader.read(value)) for field, value in fields if value.strip()]
        # Most telling evidence first: an exact copy, then a brand claim, then a near copy.
        for field, name in names:
            copied = self._index.same(name)
            if copied is not None:
                return _staff_detection(field, name, copied)
        for field, name in names:
            brand = self._claimed_brand(name)
            if brand is not None:
                evidence = f"{field} {name.shown!r} claims to be {brand} staff but is not staff"
                return Detection(
                    kind=DetectionKind.IMPERSONATION, detail="brand", evidence=evidence
                )
        for field, name in names:
            copied = self._index.resembled(name)
            if copied is not None:
                return _staff_detection(field, name, copied)
        return None

    def _claimed_brand(self, name: _Name) -> str | None:
        if not (name.has_role or name.has_channel):
            return None
        for shown, skeleton in self._brands:
            in_glued = len(skeleton) > _MIN_BRAND and skeleton in name.glued
            if in_glued or skeleton in name.core_tokens:
                return shown
        return None


class _StaffIndex:
    """Staff names indexed so a lookup costs the same with 3 or 300 staff names."""

    def __init__(self, names: list[_StaffName]) -> None:
        self._by_glued: dict[str, _StaffName] = {}
        self._by_tokens: dict[str, _StaffName] = {}
        self._by_core_token: dict[str, list[_StaffName]] = {}
        self._by_long_core: dict[str, _StaffName] = {}
        for staff in names:
            name = staff.name
            if len(name.glued) >= _MIN_EQUAL:
                self._by_glued.setdefault(name.glued, staff)
                self._by_tokens.setdefault(_sorted(name), staff)
            if len(name.core) >= _MIN_CORE:
                for token in name.core_tokens:
                    self._by_core_token.setdefault(token, []).append(staff)
            if len(name.core) >= _MIN_FUZZY:
                self._by_long_core.setdefault(name.core, staff)
        longest_first = sorted(self._by_long_core, key=len, reverse=True)
        self._long_cores = re.compile("|".join(map(re.escape, longest_first))) if names else None
        self._near_core = NearIndex(self._by_long_core.items(), 2)
        self._near_glued = NearIndex(
            ((s.name.glued, s) for s in names if len(s.name.glued) >= _MIN_GLUED_FUZZY), 2
        )

    def same(self, name: _Name) -> _StaffName | None:
        """The staff name with the same skeleton, or the same words in another order."""
        if len(name.glued) < _MIN_EQUAL:
            return None
        return self._by_glued.get(name.glued) or self._by_tokens.get(_sorted(name))

    def resembled(self, name: _Name) -> _StaffName | None:
        """A staff name inside a role-claiming name, or one or two edits away from it.

        The most specific staff name wins: "novaadmin_kenn" copies "novaadmin_ken", not
        "nova_support", although both cores are in it.
        """
        found: list[_StaffName] = []
        if name.has_role:
            for token in name.core_tokens:
                found.extend(
                    staff
                    for staff in self._by_core_token.get(token, ())
                    if staff.name.core_tokens <= name.core_tokens
                )
            inside = self._long_cores.search(name.glued) if self._long_cores else None
            if inside is not None and inside.group(0):
                found.append(self._by_long_core[inside.group(0)])
            found.extend(staff for staff, _ in self._near_core.near(name.core, _edit_limit))
        if found:
            return max(found, key=lambda staff: len(staff.name.core))
        return next((staff for staff, _ in self._near_glued.near(name.glued, _glued_limit)), None)


def _staff_detection(field: str, name: _Name, copied: _StaffName) -> Detection:
    staff = copied.staff
    evidence = (
        f"{field} {name.shown!r} is confusable with staff {copied.name.shown!r} "
        f"({staff.platform} id {staff.author_id})"
    )
    return Detection(kind=DetectionKind.IMPERSONATION, detail="staff", evidence=evidence)


def _glued_limit(key: str) -> int:
    """Edits tolerated against a whole staff name without a role word: it must be long."""
    return 1 if len(key) < 12 else 2


def _edit_limit(key: str) -> int:
    """Edits tolerated against a staff name: one for short names, two from nine letters."""
    return 1 if len(key) < 9 else 2


def _sorted(name: _Name) -> str:
    return " ".join(sorted(name.tokens))


def _brand_skeletons(names: Sequence[str], skeleton: Skeletonizer) -> tuple[tuple[str, str], ...]:
    """Each brand's full and short skeletons ("novawallet", "nova"), paired with its name."""
    out: list[tuple[str, str]] = []
    generic = [skeleton.skeleton(w) for w in _GENERIC_BRAND_WORDS]
    for shown in names:
        full = "".join(re.findall(_WORD_PATTERN, skeleton.skeleton(shown)))
        if len(full) < _MIN_BRAND:
            continue
        out.append((shown, full))
        for word in generic:
            if full.endswith(word) and len(full) - len(word) >= _MIN_BRAND:
                out.append((shown, full[: -len(word)]))
    return tuple(out)
