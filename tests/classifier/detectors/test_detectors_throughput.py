"""The detectors are cheap enough to run on every message, and cost nothing to import."""

import subprocess
import sys
import time

from classifier.detectors import (
    Blocklist,
    ImpersonationDetector,
    PhishingDetector,
    SolicitationDetector,
    StaffIdentity,
    data_path,
    load_domain_list,
)
from classifier.entities import extract_entities
from core import Author

TEXTS = (
    "gm gm ☕ anyone else up early?",
    "my withdrawal from OKX is still pending after 2 hours, tx 0x" + "ab" * 32,
    "please DM me your issue and I will fix it fast",
    "go to novawallet-support.com and validate your wallet",
    "官网是 https://novawallet.io，不要相信 novawa11et.io。",
    "永远不要把助记词发给任何人",
    "Check https://etherscan.io/tx/0x1 and https://tronscan.org/#/transaction/abc",
    "fees are way too high this week, switching to another wallet",
    "你好, 我可以帮你找回, 私聊我, 需要你的钱包助记词来恢复跨链资产",
    "Contact our official helpdesk on WhatsApp +44 7418 392011 for any wallet issue",
    "how do I back up my seed phrase? is iCloud backup safe?",
    "thanks for the quick help yesterday, all good now 🙏",
)


def test_two_thousand_messages_well_within_the_budget() -> None:
    phishing = PhishingDetector(
        ["novawallet.io"],
        Blocklist.load(data_path("blocklist.txt")),
        load_domain_list(data_path("allowlist.txt")),
    )
    solicitation = SolicitationDetector(["novawallet.io"], ["nova_support"])
    staff = [
        StaffIdentity("telegram", str(i), (f"staff_{i}", f"Staff Member {i}")) for i in range(40)
    ]
    impersonation = ImpersonationDetector(staff, ["NovaWallet"])
    messages = [(TEXTS[i % len(TEXTS)], str(i % 500)) for i in range(2000)]
    entities = [extract_entities(text) for text, _ in messages]

    started = time.perf_counter()
    for (text, author_id), found in zip(messages, entities, strict=True):
        phishing.detect(text, found)
        solicitation.detect(text)
        impersonation.check(
            "telegram", Author(id=author_id, handle=f"user_{author_id}", display_name="Sam")
        )
    elapsed = time.perf_counter() - started
    # The whole pipeline has 500 µs a message; the detectors use a small share of it. The bound
    # is loose (shared CI machines) but catches an accidental quadratic or per-call rebuild.
    assert elapsed < 2.0, f"{elapsed / len(messages) * 1e6:.0f} µs a message"


def test_import_does_no_work() -> None:
    code = (
        "import sys, classifier.detectors; "
        "print(sorted(m for m in ('tldextract', 'httpx', 'requests') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "[]"
