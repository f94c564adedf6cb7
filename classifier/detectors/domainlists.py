"""Domain lists: the local blocklist, its refresh command's core, and the allowlist file."""

import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from classifier.detectors.hosts import DomainSplitter, HostParser, normalise_host
from core import WatchdeskError

_MAX_SOURCE_BYTES = 64 * 1024 * 1024
_FETCH_TIMEOUT_S = 30.0
# Patterns, not compiled objects: the re module compiles and caches them on first use.
_LDH_DOMAIN = (
    r"(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+"
    r"(?:[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?|xn--[a-z0-9-]{1,59})"
)
_IPV4 = r"(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}"
# Sink addresses of hosts-file blocklists ("0.0.0.0 evil.com"); data, never bound to.
_HOSTS_FILE_ADDRESSES = frozenset({"0.0.0.0", "127.0.0.1", "::", "::1", "0", "255.255.255.255"})  # noqa: S104


class BlocklistError(WatchdeskError):
    """A domain list cannot be read, fetched or trusted; the message says which and why."""


def data_path(name: str) -> Path:
    """Return the path of a list shipped in ``classifier/data``.

    Args:
        name: ``blocklist.txt`` or ``allowlist.txt``.
    """
    return Path(__file__).resolve().parent.parent / "data" / name


def normalise_domain(entry: str) -> str | None:
    """Return the lowercase IDNA form of a listed domain, or ``None`` if it is not one.

    Args:
        entry: A domain, ``*.domain``, a URL, or an IPv4 address.
    """
    entry = entry.strip().removeprefix("*.")
    host = HostParser().host(entry) if "://" in entry or "/" in entry else normalise_host(entry)
    if host is None:
        return None
    if host.is_ip:
        return host.ascii if re.fullmatch(_IPV4, host.ascii) else None
    return host.ascii if re.fullmatch(_LDH_DOMAIN, host.ascii) else None


def parse_domain_lines(text: str) -> tuple[set[str], list[tuple[int, str]]]:
    """Read a domain list in any of the common shapes.

    One entry a line; ``#`` starts a comment and ``!`` a comment line (Adblock). Accepted
    entries: ``evil.com``, ``*.evil.com``, ``||evil.com^``, hosts-file lines
    (``0.0.0.0 evil.com``) and URLs (their host is listed).

    Args:
        text: The whole list.

    Returns:
        The normalised domains, and the (line number, line) pairs that are not domains.
    """
    valid: set[str] = set()
    invalid: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), 1):
        bad = False
        for entry in _entries(line):
            domain = normalise_domain(entry)
            if domain is None:
                bad = True
            else:
                valid.add(domain)
        if bad:
            invalid.append((number, line.strip()))
    return valid, invalid


def _entries(line: str) -> Iterator[str]:
    """Yield the raw entries of one list line (none for comments and blank lines)."""
    line = line.strip()
    if not line or line.startswith("!"):
        return
    line = line.split("#", 1)[0].strip() if not line.startswith("#") else ""
    if not line:
        return
    if line.startswith("||"):
        yield line[2:].split("^", 1)[0]
        return
    words = line.split()
    if len(words) > 1 and words[0] in _HOSTS_FILE_ADDRESSES:
        yield from words[1:]
        return
    yield from words


def suffix_match(ascii_host: str, entries: frozenset[str]) -> str | None:
    """Return the entry of ``entries`` that ``ascii_host`` equals or is a subdomain of.

    The most specific entry wins ("a.evil.com" before "evil.com").

    Args:
        ascii_host: Lowercase punycode host.
        entries: Lowercase punycode domains.
    """
    if not entries:
        return None
    if ascii_host in entries:
        return ascii_host
    start = ascii_host.find(".")
    while start != -1:
        parent = ascii_host[start + 1 :]
        if parent in entries:
            return parent
        start = ascii_host.find(".", start + 1)
    return None


class Blocklist:
    """Known bad domains; a listed domain blocks its subdomains too.

    Args:
        domains: Domains in any case or script; each is normalised to lowercase IDNA.

    Raises:
        BlocklistError: If an entry is not a domain.
    """

    def __init__(self, domains: Iterable[str] = ()) -> None:
        normalised: set[str] = set()
        for entry in domains:
            domain = normalise_domain(entry)
            if domain is None:
                raise BlocklistError(f"not a domain: {entry!r}")
            normalised.add(domain)
        self._domains = frozenset(normalised)

    @classmethod
    def load(cls, path: Path) -> "Blocklist":
        """Read a blocklist file: one domain a line, ``#`` comments.

        Args:
            path: The file, e.g. ``classifier/data/blocklist.txt``.

        Raises:
            BlocklistError: If the file is missing, not UTF-8, or has lines that are not
                domains (the message names them).
        """
        return cls(load_domain_list(path, what="blocklist"))

    @property
    def domains(self) -> frozenset[str]:
        """The listed domains, lowercase IDNA."""
        return self._domains

    def __len__(self) -> int:
        return len(self._domains)

    def match(self, domain: str) -> str | None:
        """Return the listed entry that ``domain`` falls under, if any.

        Args:
            domain: A host in any case or script (``xn--`` or Unicode).
        """
        host = normalise_host(domain)
        return None if host is None else suffix_match(host.ascii, self._domains)

    def contains(self, domain: str) -> bool:
        """True when ``domain`` or one of its parent domains is listed.

        Args:
            domain: A host in any case or script (``xn--`` or Unicode).
        """
        return self.match(domain) is not None


def load_domain_list(path: Path, *, what: str = "domain list") -> frozenset[str]:
    """Read a domain list file strictly: every non-comment line must be a domain.

    Args:
        path: The file.
        what: Name used in error messages ("blocklist", "allowlist").

    Raises:
        BlocklistError: If the file is missing, unreadable, or holds lines that are not domains.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BlocklistError(f"{what} file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BlocklistError(f"cannot read {what} {path}: {exc}") from exc
    valid, invalid = parse_domain_lines(text)
    if invalid:
        shown = "; ".join(f"line {n}: {line!r}" for n, line in invalid[:5])
        raise BlocklistError(f"{what} {path} has lines that are not domains: {shown}")
    return frozenset(valid)


def refresh_blocklist(
    source: str, dest: Path, *, fetch: Callable[[str], bytes] | None = None
) -> int:
    """Replace the blocklist at ``dest`` with the domains read from ``source``.

    The new list is validated, deduplicated, normalised (lowercase IDNA) and sorted, then
    written atomically: a bad source leaves the old file as it was.

    Args:
        source: A local file path (or ``file://`` URL), or an ``http(s)://`` URL.
        dest: The blocklist file to replace.
        fetch: Reads an URL into bytes; defaults to an httpx GET (30 s timeout, 64 MiB cap).

    Returns:
        The number of domains written.

    Raises:
        BlocklistError: If the source cannot be read, is not a domain list (HTML, binary,
            mostly invalid lines, no domain at all), or ``dest`` cannot be written.
    """
    raw = _read_source(source, fetch or _http_get)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BlocklistError(f"{source} is not UTF-8 text; is it a domain list?") from None
    if text.lstrip().startswith("<"):
        raise BlocklistError(f"{source} looks like an HTML or XML page, not a domain list")
    valid, invalid = parse_domain_lines(text)
    splitter = DomainSplitter()
    # A public suffix ("com", "github.io") in a blocklist would flag half the internet.
    suffixes = {d for d in valid if splitter.is_public_suffix(d)}
    valid -= suffixes
    if not valid:
        raise BlocklistError(f"{source} holds no valid domain; the blocklist was not changed")
    if len(invalid) + len(suffixes) > len(valid):
        shown = "; ".join(f"line {n}: {line!r}" for n, line in invalid[:3])
        raise BlocklistError(
            f"{source}: most lines are not domains ({shown or 'public suffixes only'}); "
            "the blocklist was not changed"
        )
    header = (
        f"# watchdesk blocklist: {len(valid)} domains from {source}\n"
        f"# refreshed {datetime.now(UTC).isoformat(timespec='seconds')}\n"
    )
    _write_atomically(dest, header + "".join(f"{d}\n" for d in sorted(valid)))
    return len(valid)


def _read_source(source: str, fetch: Callable[[str], bytes]) -> bytes:
    """Read a refresh source: an http(s) URL through ``fetch``, anything else from disk."""
    if source.startswith(("http://", "https://")):
        return fetch(source)
    path = Path(source.removeprefix("file://"))
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise BlocklistError(f"blocklist source not found: {path}") from None
    except OSError as exc:
        raise BlocklistError(f"cannot read blocklist source {path}: {exc}") from exc


def _http_get(url: str) -> bytes:
    """GET ``url`` with httpx; only ever run by an operator's refresh command."""
    import httpx  # noqa: PLC0415  (only the refresh command needs an HTTP client)

    chunks: list[bytes] = []
    size = 0
    try:
        with (
            httpx.Client(timeout=_FETCH_TIMEOUT_S, follow_redirects=True) as client,
            client.stream("GET", url) as response,
        ):
            response.raise_for_status()
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > _MAX_SOURCE_BYTES:
                    raise BlocklistError(f"{url} is larger than {_MAX_SOURCE_BYTES} bytes")
                chunks.append(chunk)
    except httpx.HTTPStatusError as exc:
        raise BlocklistError(f"fetching {url} failed: HTTP {exc.response.status_code}") from exc
    except httpx.HTTPError as exc:
        raise BlocklistError(f"fetching {url} failed: {exc}") from exc
    return b"".join(chunks)


def _write_atomically(dest: Path, content: str) -> None:
    """Write ``content`` to a temporary file beside ``dest`` and rename it over ``dest``."""
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".tmp")
    except OSError as exc:
        raise BlocklistError(f"cannot write the blocklist {dest}: {exc}") from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.chmod(0o644)
        tmp.replace(dest)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise BlocklistError(f"cannot write the blocklist {dest}: {exc}") from exc
