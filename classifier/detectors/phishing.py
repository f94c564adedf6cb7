"""Phishing links: official, allowlisted, blocklisted, lookalike or unknown."""

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Literal

from classifier.detectors.domainlists import (
    Blocklist,
    BlocklistError,
    normalise_domain,
    suffix_match,
)
from classifier.detectors.hosts import Candidate, DomainSplitter, HostName, HostParser
from classifier.detectors.lookalike import OPAQUE_HOSTS, LookalikeMatcher, Resemblance
from classifier.detectors.skeleton import Skeletonizer
from core import Detection, DetectionKind, Entity, EntityKind

VerdictKind = Literal["official", "allowlisted", "blocklisted", "lookalike", "unknown"]
_CACHE_LIMIT = 8192
# Two-letter words that end English sentences typed without a space ("I use Nova.It works").
_SENTENCE_TLD_LENGTH = 2


@dataclass(frozen=True)
class UrlVerdict:
    """What a link's host is, and why.

    Attributes:
        kind: ``official``, ``allowlisted``, ``blocklisted``, ``lookalike`` or ``unknown``.
        reason: One sentence a moderator can act on.
        domain: The host, lowercase IDNA (punycode); empty when no host could be read.
    """

    kind: VerdictKind
    reason: str
    domain: str

    @property
    def is_phishing(self) -> bool:
        """True for the kinds that make a ``phishing_url`` detection."""
        return self.kind in ("blocklisted", "lookalike")


class PhishingDetector:
    """Gives every link in a message a verdict and flags lookalikes and blocklisted hosts.

    Args:
        official_domains: The brand's domains; they and their subdomains are ``official``.
        blocklist: Known bad domains (``Blocklist.load``).
        allowlist: Domains never flagged (e.g. ``classifier/data/allowlist.txt``), unless a
            subdomain left of the listed domain imitates the brand.

    Raises:
        BlocklistError: If an official or allowlisted entry is not a domain.
    """

    def __init__(
        self,
        official_domains: Sequence[str],
        blocklist: Blocklist,
        allowlist: Collection[str] = (),
    ) -> None:
        self._parser = HostParser()
        self._splitter = DomainSplitter()
        officials = [_domain(d, "official domain") for d in official_domains]
        split = [(d, self._splitter.split(d)) for d in officials]
        # The brand owns the registrable domain of each official host ("help.novawallet.io").
        self._official = frozenset(officials) | {p.registrable for _, p in split if p.suffix}
        self._allow = frozenset(_domain(d, "allowlist entry") for d in allowlist)
        self._blocklist = blocklist
        self._matcher = LookalikeMatcher(split, Skeletonizer())
        self._cache: dict[tuple[str, str, str], tuple[UrlVerdict, bool]] = {}

    def verdict(self, url: str) -> UrlVerdict:
        """Judge one link, bare domain or defanged link.

        Args:
            url: ``https://…``, ``novawallet-support.com``, ``hxxps://nova[.]xyz`` …
        """
        host = self._parser.host(url)
        if host is None:
            return UrlVerdict("unknown", "no host name in the link", "")
        return self._host_verdict(host)[0]

    def detect(
        self, text: str, entities: Sequence[Entity]
    ) -> tuple[tuple[Detection, ...], tuple[Entity, ...]]:
        """Find phishing links in a message.

        URL entities get their verdict; bare and defanged domains the entity extractor
        missed are added as URL entities when they are domains worth showing.

        Args:
            text: The message text the entities were extracted from.
            entities: Its entities (``classifier.entities.extract_entities``).

        Returns:
            One ``phishing_url`` detection per distinct bad host, and the entities with
            verdicts, in text order.
        """
        judged: list[tuple[Entity, UrlVerdict]] = []
        out: list[Entity] = []
        for entity in entities:
            if entity.kind is not EntityKind.URL:
                out.append(entity)
                continue
            verdict = self.verdict(entity.value)
            judged_entity = entity.model_copy(update={"verdict": verdict.kind})
            judged.append((judged_entity, verdict))
            out.append(judged_entity)
        if _may_hold_link(text):
            taken = [(e.start, e.end) for e, _ in judged]
            for candidate in self._parser.candidates(text):
                if any(candidate.start < end and start < candidate.end for start, end in taken):
                    continue
                found = self._candidate_entity(candidate)
                if found is not None:
                    judged.append(found)
                    out.append(found[0])
        out.sort(key=lambda e: e.start)
        return _detections(judged), tuple(out)

    def _candidate_entity(self, candidate: Candidate) -> tuple[Entity, UrlVerdict] | None:
        plain = not (candidate.has_scheme or candidate.defanged)
        if plain and len(candidate.tld) == _SENTENCE_TLD_LENGTH and candidate.tld.istitle():
            return None
        host = self._parser.host(candidate.value)
        if host is None:
            return None
        verdict, is_domain = self._host_verdict(host)
        if not is_domain and plain:
            return None
        if plain and verdict.kind == "unknown" and not candidate.has_path:
            # A bare "word.tld" with nothing known about it is more often prose than a link.
            return None
        entity = Entity(
            kind=EntityKind.URL,
            value=candidate.value,
            verdict=verdict.kind,
            start=candidate.start,
            end=candidate.end,
        )
        return entity, verdict

    def _host_verdict(self, host: HostName) -> tuple[UrlVerdict, bool]:
        """Verdict of a host, and whether it is a real domain (has a public suffix)."""
        # The path only matters on short-link and form hosts; elsewhere it would churn the cache.
        opaque = suffix_match(host.ascii, OPAQUE_HOSTS) is not None
        key = (host.ascii, host.userinfo, host.path if opaque else "")
        cached = self._cache.get(key)
        if cached is None:
            cached = self._judge(host)
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            self._cache[key] = cached
        return cached

    def _judge(self, host: HostName) -> tuple[UrlVerdict, bool]:
        listed = self._most_specific(host.ascii)
        if listed is not None and listed[0] != "allowlisted":
            return listed[1], True
        if host.is_ip:
            resemblance = self._matcher.match_userinfo(host)
            if resemblance is not None:
                return _lookalike(host, resemblance), True
            return UrlVerdict("unknown", "an IP address, not a name", host.ascii), True
        parts = self._splitter.split(host.ascii)
        if not parts.suffix:
            return UrlVerdict("unknown", "no known public suffix", host.ascii), False
        resemblance = self._matcher.match(host, parts)
        if resemblance is None and host.path and parts.registrable in OPAQUE_HOSTS:
            resemblance = self._matcher.match_path(host.path)
        if listed is not None and not _overrides_allowlist(resemblance, host, self._allow):
            return listed[1], True
        if resemblance is not None:
            return _lookalike(host, resemblance), True
        reason = "not official, not listed, no resemblance to the official domains"
        if host.invalid_idna:
            reason += "; a label is not valid IDNA"
        return UrlVerdict("unknown", reason, host.ascii), True

    def _most_specific(self, ascii_host: str) -> tuple[VerdictKind, UrlVerdict] | None:
        """The list entry covering the host with the most labels; ties: official, allow, block.

        A listed subdomain overrides its parent ("old.novawallet.io" blocklisted while
        "novawallet.io" is official), and the operator's allowlist overrides a feed that
        lists a shared host.
        """
        found: list[tuple[int, int, VerdictKind, str]] = []
        lists: tuple[tuple[int, VerdictKind, str | None], ...] = (
            (2, "official", suffix_match(ascii_host, self._official)),
            (1, "allowlisted", suffix_match(ascii_host, self._allow)),
            (0, "blocklisted", self._blocklist.match(ascii_host)),
        )
        for rank, kind, entry in lists:
            if entry is not None:
                found.append((entry.count(".") + 1, rank, kind, entry))
        if not found:
            return None
        _, _, kind, entry = max(found)
        reasons = {
            "official": f"an official domain ({entry})",
            "allowlisted": f"on the allowlist ({entry})",
            "blocklisted": f"on the blocklist ({entry})",
        }
        return kind, UrlVerdict(kind, reasons[kind], ascii_host)


def _overrides_allowlist(
    resemblance: Resemblance | None, host: HostName, allow: frozenset[str]
) -> bool:
    """An allowlisted host still imitates the brand through user-info or an unlisted subdomain.

    ``https://novawallet.io@google.com`` and ``novawallet-support.github.com`` are not what the
    allowlist vouches for; ``novawallet.xyz`` listed on purpose is.
    """
    if resemblance is None or resemblance.where == "label":
        return False
    return resemblance.where == "userinfo" or host.ascii not in allow


def _lookalike(host: HostName, resemblance: Resemblance) -> UrlVerdict:
    reason = f"imitates {resemblance.official}: {resemblance.reason}"
    if host.unicode != host.ascii:
        reason += f" (displayed as {host.unicode})"
    if host.invalid_idna:
        reason += "; a label is not valid IDNA"
    return UrlVerdict("lookalike", reason, host.ascii)


def _domain(entry: str, what: str) -> str:
    domain = normalise_domain(entry)
    if domain is None:
        raise BlocklistError(f"{what} is not a domain: {entry!r}")
    return domain


def _may_hold_link(text: str) -> bool:
    """Cheap pre-filter: no dot of any kind and no "dot" means no link."""
    return "." in text or "。" in text or "．" in text or "｡" in text or "dot" in text.lower()


def _detections(judged: list[tuple[Entity, UrlVerdict]]) -> tuple[Detection, ...]:
    out: list[Detection] = []
    seen: set[str] = set()
    for entity, verdict in sorted(judged, key=lambda item: item[0].start):
        if not verdict.is_phishing or verdict.domain in seen:
            continue
        seen.add(verdict.domain)
        out.append(
            Detection(
                kind=DetectionKind.PHISHING_URL,
                detail=verdict.kind,
                start=entity.start,
                end=entity.end,
                evidence=f"{verdict.domain}: {verdict.reason}",
            )
        )
    return tuple(out)
