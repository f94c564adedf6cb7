"""PhishingDetector: URL verdicts, bare and defanged links, entities and detections."""

import pytest

from classifier.detectors import Blocklist, PhishingDetector, data_path, load_domain_list
from classifier.entities import extract_entities
from core import DetectionKind, Entity, EntityKind

OFFICIAL = ("novawallet.io", "help.novawallet.io")


@pytest.fixture(scope="module")
def detector() -> PhishingDetector:
    return PhishingDetector(
        OFFICIAL,
        Blocklist(["evil-drainer.com", "claim-rewards.xyz", "old.novawallet.io"]),
        load_domain_list(data_path("allowlist.txt")),
    )


@pytest.mark.parametrize(
    ("url", "kind", "domain"),
    [
        # official domains, their subdomains, any case or width, ports and paths
        ("https://novawallet.io", "official", "novawallet.io"),
        ("https://novawallet.io/download?ref=x#top", "official", "novawallet.io"),
        ("https://help.novawallet.io/articles/1", "official", "help.novawallet.io"),
        ("app.novawallet.io", "official", "app.novawallet.io"),
        ("HTTPS://NOVAWALLET.IO/", "official", "novawallet.io"),
        ("https://novawallet.io:8443/x", "official", "novawallet.io"),
        ("ｎｏｖａｗａｌｌｅｔ．ｉｏ", "official", "novawallet.io"),
        ("novawallet.io.", "official", "novawallet.io"),
        ("https://evil.com@novawallet.io/", "official", "novawallet.io"),
        # allowlisted explorers, platforms, exchanges
        ("https://etherscan.io/tx/0xabc", "allowlisted", "etherscan.io"),
        ("https://tronscan.org/#/transaction/abc", "allowlisted", "tronscan.org"),
        ("bscscan.com", "allowlisted", "bscscan.com"),
        ("solscan.io/account/x", "allowlisted", "solscan.io"),
        ("https://github.com/novawallet/app", "allowlisted", "github.com"),
        ("https://www.google.com/search?q=nova", "allowlisted", "www.google.com"),
        ("https://youtube.com/watch?v=1", "allowlisted", "youtube.com"),
        ("https://t.me/NovaWalletCommunity", "allowlisted", "t.me"),
        ("https://twitter.com/NovaWallet", "allowlisted", "twitter.com"),
        ("https://x.com/NovaWallet", "allowlisted", "x.com"),
        ("https://www.reddit.com/r/NovaWallet", "allowlisted", "www.reddit.com"),
        ("binance.com", "allowlisted", "binance.com"),
        ("https://metamask.io", "allowlisted", "metamask.io"),
        ("trustwallet.com", "allowlisted", "trustwallet.com"),
        ("https://www.coingecko.com/en/coins/x", "allowlisted", "www.coingecko.com"),
        ("https://revoke.cash", "allowlisted", "revoke.cash"),
        # blocklisted, subdomains included; a listed subdomain of an official domain too
        ("https://evil-drainer.com/claim", "blocklisted", "evil-drainer.com"),
        ("https://app.evil-drainer.com", "blocklisted", "app.evil-drainer.com"),
        ("claim-rewards.xyz", "blocklisted", "claim-rewards.xyz"),
        ("https://old.novawallet.io/login", "blocklisted", "old.novawallet.io"),
        # brand plus added words, either side, glued, in a subdomain
        ("novawallet-support.com", "lookalike", "novawallet-support.com"),
        ("support-novawallet.io", "lookalike", "support-novawallet.io"),
        ("https://novawallet.verify-wallet.com", "lookalike", "novawallet.verify-wallet.com"),
        ("novawalletairdrop.xyz", "lookalike", "novawalletairdrop.xyz"),
        ("https://novawallet-help.com/ticket", "lookalike", "novawallet-help.com"),
        ("nova-wallet-sync.io", "lookalike", "nova-wallet-sync.io"),
        ("https://novawallet.io.secure-login.com/", "lookalike", "novawallet.io.secure-login.com"),
        # the short brand name plus scam words
        ("nova-verify-wallet.com", "lookalike", "nova-verify-wallet.com"),
        ("nova-support-ticket.com", "lookalike", "nova-support-ticket.com"),
        ("nova-cn-airdrop.com", "lookalike", "nova-cn-airdrop.com"),
        ("novaairdrop.xyz", "lookalike", "novaairdrop.xyz"),
        # the official label on another suffix
        ("novawallet.xyz", "lookalike", "novawallet.xyz"),
        ("https://novawallet.co.uk", "lookalike", "novawallet.co.uk"),
        # confusables: digits, Cyrillic, Greek, rn/m, vv/w, hyphens, accents
        ("novawa11et.io", "lookalike", "novawa11et.io"),
        ("n0vawallet.io", "lookalike", "n0vawallet.io"),
        ("nоvawallet.io", "lookalike", "xn--nvawallet-02h.io"),  # Cyrillic о
        ("novaωallet.io", "lookalike", "xn--novaallet-o4g.io"),  # Greek ω
        ("novavvallet.io", "lookalike", "novavvallet.io"),
        ("nova-wallet.io", "lookalike", "nova-wallet.io"),
        ("novawället.io", "lookalike", "xn--novawllet-z2a.io"),
        # punycode as written, valid and not
        ("https://xn--nvawallet-02h.io/claim", "lookalike", "xn--nvawallet-02h.io"),
        ("xn--novawllet-5ya.io", "lookalike", "xn--novawllet-5ya.io"),
        # edit distance on long labels
        ("novawalet.io", "lookalike", "novawalet.io"),
        ("novawalllet.io", "lookalike", "novawalllet.io"),
        ("novawlalet.com", "lookalike", "novawlalet.com"),
        ("novawalet-support.com", "lookalike", "novawalet-support.com"),
        # user-info tricks: the host is what follows the last @
        ("https://novawallet.io@evil-drainer.com", "blocklisted", "evil-drainer.com"),
        ("https://novawallet.io@google.com/x", "lookalike", "google.com"),
        ("https://novawallet.io@203.0.113.7/", "lookalike", "203.0.113.7"),
        ("http://203.0.113.7/claim", "unknown", "203.0.113.7"),
        # brand-named links on shorteners and form hosts
        ("https://forms.gle/nova-helpdesk", "lookalike", "forms.gle"),
        ("bit.ly/novawallet-support", "lookalike", "bit.ly"),
        ("https://forms.gle/AbC123", "unknown", "forms.gle"),
        # shared hosting: the subdomain is what counts
        ("novawallet-support.github.io", "lookalike", "novawallet-support.github.io"),
        ("https://novawallet.github.com", "lookalike", "novawallet.github.com"),
        ("https://someone.github.io/project", "unknown", "someone.github.io"),
        # defanged
        ("hxxps://novawallet[.]xyz/claim", "lookalike", "novawallet.xyz"),
        ("novawallet-support(.)com", "lookalike", "novawallet-support.com"),
        ("hxxp[:]//evil-drainer[.]com", "blocklisted", "evil-drainer.com"),
        # unrelated and ordinary domains
        ("https://example.org", "unknown", "example.org"),
        ("supernova.com", "unknown", "supernova.com"),
        ("novaposhta.ua", "unknown", "novaposhta.ua"),
        ("nova.xyz", "unknown", "nova.xyz"),
        ("wallet.app", "unknown", "wallet.app"),
        ("http://[2001:db8::1]/x", "unknown", "2001:db8::1"),
        ("not a url at all", "unknown", ""),
        ("", "unknown", ""),
    ],
)
def test_verdict(detector: PhishingDetector, url: str, kind: str, domain: str) -> None:
    verdict = detector.verdict(url)
    assert (verdict.kind, verdict.domain) == (kind, domain), verdict.reason
    assert verdict.reason


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("novawallet-support.com", ["novawallet", "plus other words"]),
        ("novawallet.xyz", ["another suffix", ".xyz"]),
        ("nоvawallet.io", ["confusable", "displayed as nоvawallet.io"]),
        ("novawalet.io", ["1 edit"]),
        ("xn--novawllet-5ya.io", ["not valid IDNA"]),
        ("https://novawallet.io@google.com", ["before the real host google.com"]),
        ("novawallet.verify-wallet.com", ["subdomain of verify-wallet.com"]),
        ("https://app.evil-drainer.com", ["blocklist (evil-drainer.com)"]),
    ],
)
def test_reason_explains_the_verdict(
    detector: PhishingDetector, url: str, words: list[str]
) -> None:
    reason = detector.verdict(url).reason
    for word in words:
        assert word in reason


def test_allowlist_overrides_a_less_specific_blocklist_entry() -> None:
    detector = PhishingDetector(
        OFFICIAL,
        Blocklist(["example.com", "bad.docs.example.org"]),
        ["docs.example.com", "example.org"],
    )
    assert detector.verdict("https://docs.example.com/x").kind == "allowlisted"
    assert detector.verdict("https://www.example.com").kind == "blocklisted"
    assert detector.verdict("https://bad.docs.example.org").kind == "blocklisted"
    assert detector.verdict("https://docs.example.org").kind == "allowlisted"


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("ledgr.com", "lookalike"),
        ("ledegr.com", "lookalike"),
        ("leader.com", "unknown"),
        ("ledger-support.com", "lookalike"),
        ("edger.com", "lookalike"),
    ],
)
def test_short_official_labels_tolerate_one_edit(url: str, kind: str) -> None:
    detector = PhishingDetector(["ledger.com"], Blocklist())
    assert detector.verdict(url).kind == kind


def test_an_allowlisted_lookalike_label_stays_allowed() -> None:
    detector = PhishingDetector(OFFICIAL, Blocklist(), ["novawallet.xyz"])
    assert detector.verdict("https://novawallet.xyz").kind == "allowlisted"


def _detect(detector: PhishingDetector, text: str) -> tuple[list[str], list[tuple[str, str]]]:
    detections, entities = detector.detect(text, extract_entities(text))
    assert all(d.kind is DetectionKind.PHISHING_URL for d in detections)
    urls = [(e.value, e.verdict or "") for e in entities if e.kind is EntityKind.URL]
    return [d.evidence.split(":", 1)[0] for d in detections], urls


@pytest.mark.parametrize(
    ("text", "flagged", "urls"),
    [
        (
            "go to novawallet-support.com to fix it",
            ["novawallet-support.com"],
            [("novawallet-support.com", "lookalike")],
        ),
        (
            "请访问novawallet-support.com领取空投",
            ["novawallet-support.com"],
            [("novawallet-support.com", "lookalike")],
        ),
        (
            "官网：https://novawallet.io，假的：https://novawallet.xyz。",
            ["novawallet.xyz"],
            [("https://novawallet.io", "official"), ("https://novawallet.xyz", "lookalike")],
        ),
        (
            "（novawa11et.io）「nova-pass.xyz」",
            ["novawa11et.io", "nova-pass.xyz"],
            [("novawa11et.io", "lookalike"), ("nova-pass.xyz", "lookalike")],
        ),
        (
            "careful: hxxps://novawallet[.]xyz/claim is phishing",
            ["novawallet.xyz"],
            [("hxxps://novawallet[.]xyz/claim", "lookalike")],
        ),
        (
            "write to support@novawallet-help.com",
            ["novawallet-help.com"],
            [("support@novawallet-help.com", "lookalike")],
        ),
        (
            "https://novawallet.io@evil-drainer.com/x and again https://evil-drainer.com",
            ["evil-drainer.com"],
            [
                ("https://novawallet.io@evil-drainer.com/x", "blocklisted"),
                ("https://evil-drainer.com", "blocklisted"),
            ],
        ),
        (
            "check https://etherscan.io/tx/0x1 and www.novawallet.io",
            [],
            [("https://etherscan.io/tx/0x1", "allowlisted"), ("www.novawallet.io", "official")],
        ),
        ("forms.gle/AbC123 is a form", [], [("forms.gle/AbC123", "unknown")]),
        # prose with dots is not a link
        ("I use Nova.It works fine. e.g. v1.2.3 is out, see readme.md", [], []),
        ("gm gm ☕ anyone else up early?", [], []),
        ("这个钱包不错。好用", [], []),
    ],
)
def test_detect(
    detector: PhishingDetector, text: str, flagged: list[str], urls: list[tuple[str, str]]
) -> None:
    assert _detect(detector, text) == (flagged, urls)


def test_detect_keeps_other_entities_and_text_order(detector: PhishingDetector) -> None:
    address = "0x" + "ab" * 20
    text = f"send to {address} then open novawallet-support.com"
    detections, entities = detector.detect(text, extract_entities(text))
    assert [e.kind for e in entities] == [EntityKind.ADDRESS, EntityKind.URL]
    assert entities[0].verdict is None
    (detection,) = detections
    assert text[detection.start or 0 : detection.end] == "novawallet-support.com"
    assert detection.detail == "lookalike"
    assert detection.evidence.startswith("novawallet-support.com: imitates novawallet.io")


def test_detect_judges_given_url_entities(detector: PhishingDetector) -> None:
    text = "link: https://novawallet-airdrop.com/claim"
    entity = Entity(
        kind=EntityKind.URL, value="https://novawallet-airdrop.com/claim", start=6, end=42
    )
    detections, entities = detector.detect(text, [entity])
    assert entities == (entity.model_copy(update={"verdict": "lookalike"}),)
    assert len(detections) == 1


def test_one_detection_per_domain(detector: PhishingDetector) -> None:
    text = "novawallet.xyz novawallet.xyz https://novawallet.xyz/a"
    detections, entities = detector.detect(text, extract_entities(text))
    assert len(detections) == 1
    assert len(entities) == 3


def test_bad_official_domain_is_a_clear_error() -> None:
    from classifier.detectors import BlocklistError

    with pytest.raises(BlocklistError, match="official domain"):
        PhishingDetector(["not a domain"], Blocklist())
    with pytest.raises(BlocklistError, match="allowlist entry"):
        PhishingDetector(OFFICIAL, Blocklist(), ["exa mple.com"])
