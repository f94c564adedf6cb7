"""Host names out of URLs and free text: refanging, user-info tricks, IDNA, registrable parts."""

import re
import unicodedata
from dataclasses import dataclass, replace

import idna

# Characters a host label may be written with in a chat: ASCII, the scripts that supply
# lookalikes, full-width and mathematical letters (NFKC folds them) and invisible joiners
# (stripped). CJK is deliberately absent so "访问novawallet.io领取" yields the bare domain.
_LABEL_CHARS = (
    "a-z0-9\u00c0-\u02af\u0370-\u03ff\u0400-\u052f\u0531-\u058f\u13a0-\u13ff"
    "\u1d00-\u1dbf\u1e00-\u1eff\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
    "\U0001d400-\U0001d7ff\u200b-\u200d\u2060\u00ad"
)
_DOTS = "\uff0e\uff61\u3002"
# "[.]", "(.)", "{.}", "[dot]", "(dot)": the ways people defang a link so it is not clickable.
_DEFANGED_DOT = r"\s?[\[({]\s?(?:\.|dot)\s?[\])}]\s?"
_SEP = rf"(?:\.|[{_DOTS}]|{_DEFANGED_DOT})"
_LABEL = rf"[{_LABEL_CHARS}](?:[{_LABEL_CHARS}-]*[{_LABEL_CHARS}])?"
_SCHEME = r"(?:h(?:tt|xx)ps?|fxp|ftp)(?:://|\[:\]//|\[://\]|:\[//\])"
_TAIL_STOP = "\\s<>\"'，。）)】」』、！？…；：“”‘’`"
_CANDIDATE = (
    rf"(?<![{_LABEL_CHARS}.\-])"
    rf"(?P<scheme>{_SCHEME})?"
    rf"(?P<userinfo>[^\s/?#@]{{1,200}}@)?"
    rf"(?P<host>{_LABEL}(?:{_SEP}{_LABEL})+)"
    r"(?P<port>:\d{1,5})?"
    rf"(?P<path>[/?#\\][^{_TAIL_STOP}]*)?"
)
_IPV4 = r"\d{1,3}(?:\.\d{1,3}){3}"
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_TRAILING = ".,;:!?"


@dataclass(frozen=True)
class HostName:
    """The host of a URL, in the forms the detectors compare.

    Attributes:
        ascii: Lowercase IDNA (punycode) form: what lists are matched against.
        unicode: The form a browser may display, with ``xn--`` labels decoded.
        userinfo: Whatever stood before ``@`` in the authority ("novawallet.io@evil.com").
        invalid_idna: A label is not valid IDNA (browsers show it as punycode, if at all).
        is_ip: The host is an IP address literal.
        path: What followed the authority (path, query, fragment), as written.
    """

    ascii: str
    unicode: str
    userinfo: str = ""
    invalid_idna: bool = False
    is_ip: bool = False
    path: str = ""


@dataclass(frozen=True)
class Candidate:
    """A link or bare domain found in free text.

    Attributes:
        start: Offset of the first character in the text.
        end: Offset after the last character.
        value: The text as written (trailing punctuation dropped).
        defanged: Written with ``[.]``, ``hxxp`` and the like.
        has_scheme: Starts with a scheme (``https://``).
        has_path: Carries a path, query or fragment.
        tld: The last label as written, to tell "novawallet.It works" from a link.
    """

    start: int
    end: int
    value: str
    defanged: bool
    has_scheme: bool
    has_path: bool
    tld: str


class HostParser:
    """Finds link candidates in text and turns URLs into ``HostName`` values."""

    def __init__(self) -> None:
        self._candidate = re.compile(_CANDIDATE, re.IGNORECASE)
        self._defanged_dot = re.compile(_DEFANGED_DOT, re.IGNORECASE)
        self._host_end = re.compile(rf"[^{_LABEL_CHARS}.\-{_DOTS}]", re.IGNORECASE)
        self._scheme = re.compile(r"^[a-z][a-z0-9+.\-]*(?:://|\[:\]//|\[://\]|:\[//\])", re.I)
        self._authority_end = re.compile(r"[/?#\\\s]")
        self._sep = re.compile(_SEP, re.IGNORECASE)

    def candidates(self, text: str) -> list[Candidate]:
        """Return every link-shaped substring of ``text``, bare and defanged ones included.

        Args:
            text: A message text.
        """
        found: list[Candidate] = []
        for match in self._candidate.finditer(text):
            value = match.group(0).rstrip(_TRAILING)
            host = match.group("host")
            defanged = bool(self._defanged_dot.search(host)) or _is_defanged(match.group("scheme"))
            tld = self._sep.split(host)[-1]
            found.append(
                Candidate(
                    start=match.start(),
                    end=match.start() + len(value),
                    value=value,
                    defanged=defanged,
                    has_scheme=match.group("scheme") is not None,
                    has_path=bool(match.group("path")),
                    tld=tld,
                )
            )
        return found

    def host(self, url: str) -> HostName | None:
        """Parse the host out of a URL, a bare domain or a defanged link.

        The host is what follows the last ``@`` of the authority, the way browsers read it,
        so ``https://novawallet.io@evil.com`` is ``evil.com`` with user-info
        ``novawallet.io``.

        Args:
            url: Anything from ``hxxps://nova[.]io:8443/x`` to ``novawallet.io``.

        Returns:
            The host, or ``None`` when no host can be read.
        """
        text = self._defanged_dot.sub(".", url.strip())
        text, schemes = self._scheme.subn("", text, count=1)
        text = text.removeprefix("//")
        authority = self._authority_end.split(text, maxsplit=1)[0]
        path = text[len(authority) :]
        userinfo, _, raw_host = authority.rpartition("@")
        if raw_host.startswith("["):
            literal = raw_host[1:].partition("]")[0].lower()
            return HostName(literal, literal, userinfo, is_ip=True) if literal else None
        raw_host = self._host_end.split(raw_host.partition(":")[0], maxsplit=1)[0]
        host = normalise_host(raw_host, userinfo)
        if host is None or (not schemes and "." not in host.ascii):
            # Without a scheme only a dotted name is a host: "see you soon" is not a link.
            return None
        return host if not path else replace(host, path=path)


def normalise_host(raw_host: str, userinfo: str = "") -> HostName | None:
    """Fold a written host to its ASCII and Unicode forms.

    Args:
        raw_host: The host as written: any case, full-width dots, invisible characters.
        userinfo: User-info that preceded it, kept as evidence.

    Returns:
        The host, or ``None`` when nothing is left of it.
    """
    host = raw_host
    for invisible in _INVISIBLE:
        if invisible in host:
            host = host.replace(invisible, "")
    for dot in _DOTS:
        host = host.replace(dot, ".")
    if not host.isascii():
        host = unicodedata.normalize("NFKC", host)
    host = host.lower().strip(".")
    if not host or ".." in host:
        return None
    if re.fullmatch(_IPV4, host):
        return HostName(host, host, userinfo, is_ip=True)
    if host.isascii() and "xn--" not in host:
        return HostName(host, host, userinfo)
    return _idna_forms(host, userinfo)


def _idna_forms(host: str, userinfo: str) -> HostName:
    """Build the punycode and display forms of a host with non-ASCII or ``xn--`` labels."""
    invalid = False
    ascii_labels: list[str] = []
    unicode_labels: list[str] = []
    for label in host.split("."):
        if label.startswith("xn--"):
            shown, ok = _decode_label(label)
            ascii_labels.append(label)
            unicode_labels.append(shown)
        elif label.isascii():
            ascii_labels.append(label)
            unicode_labels.append(label)
            continue
        else:
            encoded, ok = _encode_label(label)
            ascii_labels.append(encoded)
            unicode_labels.append(label)
        invalid = invalid or not ok
    return HostName(".".join(ascii_labels), ".".join(unicode_labels), userinfo, invalid)


def display_label(label: str) -> str:
    """Return how a browser could show one ASCII label (``xn--`` labels decoded)."""
    return _decode_label(label)[0] if label.startswith("xn--") else label


def _decode_label(label: str) -> tuple[str, bool]:
    """Decode one ``xn--`` label; the bool says whether it is valid IDNA."""
    try:
        return idna.decode(label), True
    except (idna.IDNAError, UnicodeError):
        pass
    try:
        # Browsers refuse to display these, but the characters still say what it imitates.
        return label[4:].encode("ascii").decode("punycode"), False
    except UnicodeError:
        return label, False


def _encode_label(label: str) -> tuple[str, bool]:
    """Encode one Unicode label; the bool says whether it is valid IDNA."""
    try:
        return idna.encode(label, uts46=True).decode("ascii"), True
    except (idna.IDNAError, UnicodeError):
        return "xn--" + label.encode("punycode").decode("ascii"), False


def _is_defanged(scheme: str | None) -> bool:
    return scheme is not None and ("xx" in scheme.lower() or "[" in scheme)


@dataclass(frozen=True)
class HostParts:
    """A host split at its public suffix (PSL, private suffixes included).

    Attributes:
        subdomains: Labels left of the registrable label, outermost first.
        label: The registrable label ("novawallet" of "help.novawallet.co.uk").
        suffix: The public suffix ("co.uk", "github.io"); empty when none is known.
    """

    subdomains: tuple[str, ...]
    label: str
    suffix: str

    @property
    def registrable(self) -> str:
        """The registrable domain ("novawallet.co.uk"), or the label when no suffix is known."""
        return f"{self.label}.{self.suffix}" if self.suffix else self.label


class DomainSplitter:
    """Splits ASCII hosts with the Public Suffix List snapshot bundled in ``tldextract``.

    The list is never fetched: ``suffix_list_urls=()`` and no cache directory, so nothing
    touches the network or the disk at run time.
    """

    def __init__(self) -> None:
        # Imported here: tldextract (and requests under it) costs a quarter second to import.
        import tldextract  # noqa: PLC0415

        self._extract = tldextract.TLDExtract(
            cache_dir=None, suffix_list_urls=(), include_psl_private_domains=True
        )

    def split(self, ascii_host: str) -> HostParts:
        """Split an ASCII host into subdomains, registrable label and public suffix.

        Args:
            ascii_host: Lowercase punycode host, e.g. ``a.b.novawallet.co.uk``.
        """
        result = self._extract(ascii_host)
        subdomains = tuple(result.subdomain.split(".")) if result.subdomain else ()
        return HostParts(subdomains, result.domain, result.suffix)

    def is_public_suffix(self, ascii_host: str) -> bool:
        """True when ``ascii_host`` is itself a public suffix ("com", "github.io")."""
        result = self._extract(ascii_host)
        return not result.domain and bool(result.suffix)
