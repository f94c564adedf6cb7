from datetime import UTC, datetime

import pytest

from classifier.baseline import KeywordClassifier
from classifier.detectors import (
    Blocklist,
    ImpersonationDetector,
    PhishingDetector,
    SolicitationDetector,
    StaffIdentity,
)
from classifier.exact import ExactDetectors, WithExactDetectors
from core import Author, Channel, ChannelKind, Message


@pytest.fixture(scope="module")
def classifier() -> WithExactDetectors:
    detectors = ExactDetectors(
        phishing=PhishingDetector(
            ["novawallet.io"], Blocklist(["known-drainer.xyz"]), ["etherscan.io"]
        ),
        impersonation=ImpersonationDetector(
            [StaffIdentity("telegram", "1", ("nova_support", "Nova Support | Mia"))],
            brand_names=["NovaWallet"],
        ),
        solicitation=SolicitationDetector(["novawallet.io"], ["@nova_support"]),
    )
    return WithExactDetectors(KeywordClassifier(), detectors)


def _message(
    text: str,
    author_id: str = "42",
    handle: str = "alice",
    name: str = "Alice",
    staff: bool = False,
) -> Message:
    return Message(
        platform="telegram",
        external_id="1:1",
        channel=Channel(id="1", kind=ChannelKind.GROUP),
        author=Author(id=author_id, handle=handle, display_name=name, is_staff=staff),
        text=text,
        created_at=datetime(2026, 11, 20, tzinfo=UTC),
    )


@pytest.mark.parametrize(
    ("message", "kinds", "forced_by"),
    [
        (_message("claim at https://novawallet-airdrop.com now"), ["phishing_url"], "phishing_url"),
        (_message("see https://known-drainer.xyz/claim"), ["phishing_url"], "phishing_url"),
        (
            _message("hi, how can I help?", "99", "nova_supp0rt", "Nova Support | Mia"),
            ["impersonation"],
            "impersonation",
        ),
        (_message("DM me your 12 words and I will fix it"), ["solicitation"], None),
        (_message("gm all, check https://novawallet.io/download"), [], None),
        (_message("tx https://etherscan.io/tx/0x" + "ab" * 32), [], None),
        (
            _message(
                "DM us your ticket number", "1", "nova_support", "Nova Support | Mia", staff=True
            ),
            [],
            None,
        ),
        (_message("admins will never DM you first, never share your seed"), [], None),
    ],
)
def test_exact_findings_force_security(
    classifier: WithExactDetectors, message: Message, kinds: list[str], forced_by: str | None
) -> None:
    (result,) = classifier.classify([message])
    assert [d.kind.value for d in result.detections] == kinds
    if kinds:
        assert result.security.value
    if forced_by is not None:
        assert result.security.forced_by in (forced_by, None)  # the rules may have set it already


def test_url_entities_carry_verdicts(classifier: WithExactDetectors) -> None:
    (result,) = classifier.classify(
        [_message("official https://novawallet.io vs https://novawa11et.io")]
    )
    verdicts = {e.value: e.verdict for e in result.entities if e.kind.value == "url"}
    assert verdicts["https://novawallet.io"] == "official"
    assert verdicts["https://novawa11et.io"] == "lookalike"


def test_version_is_the_inner_classifiers(classifier: WithExactDetectors) -> None:
    assert classifier.version == KeywordClassifier().version
