"""Blocklist files, their refresh from a file or a local HTTP server, and the allowlist."""

import re
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from classifier.detectors import (
    Blocklist,
    BlocklistError,
    data_path,
    load_domain_list,
    refresh_blocklist,
)
from classifier.detectors.domainlists import parse_domain_lines

OLD = "# old list\nold-bad.com\n"


class _Feed(BaseHTTPRequestHandler):
    """Serves fixed bodies by path: the smallest fake of a blocklist feed."""

    bodies: ClassVar[dict[str, tuple[int, bytes]]] = {}

    def do_GET(self) -> None:
        status, body = self.bodies.get(self.path, (404, b"not found"))
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""


@pytest.fixture(scope="module")
def feed() -> Iterator[str]:
    _Feed.bodies = {
        "/list.txt": (200, b"# feed\nfeed-bad.com\nFEED-BAD.com\n*.drainer.xyz\n"),
        "/hosts": (200, b"0.0.0.0 hosts-bad.com\n127.0.0.1 a.hosts-bad.net b.hosts-bad.net\n"),
        "/html": (200, b"<!doctype html><html><body>Just a moment...</body></html>"),
        "/empty": (200, b"# nothing here\n"),
        "/broken": (500, b"oops"),
    }
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Feed)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def dest(tmp_path: Path) -> Path:
    path = tmp_path / "blocklist.txt"
    path.write_text(OLD, encoding="utf-8")
    return path


def _domains(path: Path) -> set[str]:
    return set(Blocklist.load(path).domains)


def test_load_matches_domains_and_subdomains(tmp_path: Path) -> None:
    path = tmp_path / "list.txt"
    path.write_text("# comment\n\nEvil.COM  # inline comment\nxn--nvawallet-02h.io\n", "utf-8")
    blocklist = Blocklist.load(path)
    assert len(blocklist) == 2
    assert blocklist.contains("evil.com")
    assert blocklist.contains("a.b.EVIL.com")
    assert blocklist.contains("nоvawallet.io")  # Cyrillic о, listed as punycode
    assert not blocklist.contains("notevil.com")
    assert not blocklist.contains("com")
    assert blocklist.match("x.evil.com") == "evil.com"


def test_load_refuses_missing_and_invalid_files(tmp_path: Path) -> None:
    with pytest.raises(BlocklistError, match="not found"):
        Blocklist.load(tmp_path / "missing.txt")
    bad = tmp_path / "bad.txt"
    bad.write_text("good.com\nthis is not a domain\n", "utf-8")
    with pytest.raises(BlocklistError, match="line 2"):
        Blocklist.load(bad)


def test_constructor_normalises_and_refuses_garbage() -> None:
    assert Blocklist(["*.Evil.com", "https://x.bad.io/path", "nоva.io"]).domains == {
        "evil.com",
        "x.bad.io",
        "xn--nva-sed.io",
    }
    with pytest.raises(BlocklistError, match="not a domain"):
        Blocklist(["no spaces allowed.com"])


@pytest.mark.parametrize(
    ("line", "domains"),
    [
        ("evil.com", {"evil.com"}),
        ("*.evil.com", {"evil.com"}),
        ("||evil.com^", {"evil.com"}),
        ("||evil.com^$third-party", {"evil.com"}),
        ("0.0.0.0 evil.com", {"evil.com"}),
        ("127.0.0.1 a.evil.com b.evil.com", {"a.evil.com", "b.evil.com"}),
        ("https://evil.com/login?x=1", {"evil.com"}),
        ("ÉVIL.com", {"xn--vil-9la.com"}),
        ("203.0.113.9", {"203.0.113.9"}),
        ("evil.com # known drainer", {"evil.com"}),
        ("! adblock comment", set()),
        ("# comment", set()),
        ("", set()),
    ],
)
def test_parse_domain_lines_accepts_common_formats(line: str, domains: set[str]) -> None:
    valid, invalid = parse_domain_lines(line)
    assert (valid, invalid) == (domains, [])


@pytest.mark.parametrize(
    "line", ["localhost", "not a domain", "evil..com", "-evil.com", "999.1.1.1"]
)
def test_parse_domain_lines_reports_invalid_lines(line: str) -> None:
    valid, invalid = parse_domain_lines(f"ok.com\n{line}\n")
    assert valid == {"ok.com"}
    assert invalid == [(2, line)]


def test_refresh_from_a_file(tmp_path: Path, dest: Path) -> None:
    source = tmp_path / "source.txt"
    source.write_text("b.com\nA.com\na.com\n0.0.0.0 c.com\n\n# x\n", "utf-8")
    assert refresh_blocklist(str(source), dest) == 3
    text = dest.read_text("utf-8")
    assert text.startswith("# watchdesk blocklist: 3 domains from ")
    assert [line for line in text.splitlines() if not line.startswith("#")] == [
        "a.com",
        "b.com",
        "c.com",
    ]
    assert _domains(dest) == {"a.com", "b.com", "c.com"}
    assert not list(tmp_path.glob(".blocklist.txt.*"))  # no temporary file left behind


def test_refresh_from_a_file_url_and_into_a_new_directory(tmp_path: Path) -> None:
    source = tmp_path / "source.txt"
    source.write_text("a.com\n", "utf-8")
    dest = tmp_path / "new" / "dir" / "blocklist.txt"
    assert refresh_blocklist(f"file://{source}", dest) == 1
    assert _domains(dest) == {"a.com"}


def test_refresh_from_a_local_http_server(feed: str, dest: Path) -> None:
    assert refresh_blocklist(f"{feed}/list.txt", dest) == 2
    assert _domains(dest) == {"feed-bad.com", "drainer.xyz"}
    assert refresh_blocklist(f"{feed}/hosts", dest) == 3
    assert _domains(dest) == {"hosts-bad.com", "a.hosts-bad.net", "b.hosts-bad.net"}


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/broken", "HTTP 500"),
        ("/missing", "HTTP 404"),
        ("/html", "HTML"),
        ("/empty", "no valid domain"),
    ],
)
def test_refresh_with_a_bad_url_keeps_the_old_file(
    feed: str, dest: Path, path: str, message: str
) -> None:
    with pytest.raises(BlocklistError, match=message):
        refresh_blocklist(f"{feed}{path}", dest)
    assert dest.read_text("utf-8") == OLD


def test_refresh_with_an_unreachable_server_keeps_the_old_file(dest: Path) -> None:
    # A port that was just free: nothing listens there, so the connection is refused.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/list.txt"
    with pytest.raises(BlocklistError, match=re.escape(f"fetching {url} failed")):
        refresh_blocklist(url, dest)
    assert dest.read_text("utf-8") == OLD


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe\x00binary", "not UTF-8"),
        (b"hello world\nthis is prose\nnot.a list either\n", "most lines are not domains"),
        (b"com\ngithub.io\n", "no valid domain"),
        (b"", "no valid domain"),
    ],
)
def test_refresh_with_a_bad_file_keeps_the_old_file(
    tmp_path: Path, dest: Path, content: bytes, message: str
) -> None:
    source = tmp_path / "source.txt"
    source.write_bytes(content)
    with pytest.raises(BlocklistError, match=message):
        refresh_blocklist(str(source), dest)
    assert dest.read_text("utf-8") == OLD


def test_refresh_with_a_missing_file_keeps_the_old_file(tmp_path: Path, dest: Path) -> None:
    with pytest.raises(BlocklistError, match="source not found"):
        refresh_blocklist(str(tmp_path / "nope.txt"), dest)
    assert dest.read_text("utf-8") == OLD


def test_refresh_drops_public_suffixes_but_keeps_the_rest(tmp_path: Path, dest: Path) -> None:
    source = tmp_path / "source.txt"
    source.write_text("evil.com\nbad.io\nstill-bad.net\ngithub.io\n", "utf-8")
    assert refresh_blocklist(str(source), dest) == 3
    assert "github.io" not in _domains(dest)


def test_refresh_uses_the_given_fetch_for_urls(dest: Path) -> None:
    seen: list[str] = []

    def fetch(url: str) -> bytes:
        seen.append(url)
        return b"fetched.com\n"

    assert refresh_blocklist("https://feeds.example/list", dest, fetch=fetch) == 1
    assert seen == ["https://feeds.example/list"]
    assert _domains(dest) == {"fetched.com"}


def test_shipped_lists_load() -> None:
    allow = load_domain_list(data_path("allowlist.txt"), what="allowlist")
    assert {"etherscan.io", "tronscan.org", "bscscan.com", "solscan.io", "t.me"} <= allow
    assert {"github.com", "google.com", "youtube.com", "twitter.com", "x.com"} <= allow
    assert {"reddit.com", "binance.com", "metamask.io", "trustwallet.com", "coingecko.com"} <= allow
    assert not {"github.io", "vercel.app", "forms.gle", "bit.ly"} & allow
    assert len(Blocklist.load(data_path("blocklist.txt"))) == 0
