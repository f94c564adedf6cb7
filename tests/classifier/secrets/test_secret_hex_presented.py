"""Table-driven tests of the asymmetric decision on 64-hex strings (``Cues.hex_presented``).

An attached public label makes a string public; otherwise any key cue within reach makes it a
key, even when a public word stands nearer.
"""

import hashlib

import pytest

from classifier.secrets import SecretRedactor
from classifier.secrets.cues import Cues, Presented

KEY = hashlib.sha256(b"weakly presented key").hexdigest()
HASH = hashlib.sha256(b"a tx hash").hexdigest()


@pytest.fixture(scope="module")
def redactor() -> SecretRedactor:
    return SecretRedactor.default()


@pytest.mark.parametrize(
    "text",
    [
        # The reported messages: a public word is nearer than the key cue.
        "please delete my last message, i pasted my key by accident instead of the address 🙈 "
        f"it was {KEY}",
        "Support on discord asked for my private key to fix the pending tx so I sent it to him: "
        f"{KEY} and now he stopped replying. was that ok??",
        f"客服要私钥才能处理卡住的交易，我就发给他了：{KEY}",
        f"客服要私钥才能处理卡住的交易，我就发给他了：0x{KEY}",
        # Variants.
        f"the admin needs my private key to push the stuck transaction through, here it is {KEY}",
        f"i copied my private key instead of the txid, it is {KEY} should i move my funds?",
        f"oops, that was my private key and not the tx hash lol {KEY}",
        f"this is my private key, not the tx hash: {KEY}",
        f"someone in DM asked for my secret key to verify the swap, i gave him {KEY}",
        f"moderator: send me the key of your wallet to sync the transaction. me: 0x{KEY}",
        f"sorry i posted my key instead of my address, it's {KEY.upper()} pls delete",
        f"刚才把私钥当成交易哈希发出去了 {KEY} 要不要换钱包",
        f"私鑰不小心貼到群裡了，本來要貼交易哈希的：{KEY}",
        f"他让我把私钥发到这个地址验证一下 {KEY}",
        f"钱包私钥 交易一直失败 {KEY}",
        f"the guy asked me for the key to my wallet to check my deposit, so I gave him {KEY}",
        # "deposit"/"withdrawal" name a transfer but are no label of a string: leaking a key
        # costs more than hiding a tx hash.
        f"I shared my key with the mod to fix the pending withdrawal 0x{KEY}",
        f"Here's my secret key, support needs it to refund the failed deposit: {KEY}",
        # A key label attached before the string beats a public label after it.
        f"私钥：{KEY} 地址：TS8iSRSdZwUYLxKMsSmn5TFaAU8CNHjD5R",
        f"private key: {KEY} (the tx hash is below)",
        f"my private key is {KEY} (not the tx hash)",
    ],
)
def test_weakly_presented_keys_are_redacted(redactor: SecretRedactor, text: str) -> None:
    out = redactor.redact(text)
    assert KEY not in out.text.lower()
    assert "[redacted: private key, 64 hex]" in out.text


@pytest.mark.parametrize(
    "text",
    [
        f"never share your private key. My withdrawal is stuck, tx hash: {HASH}",
        f"never share your private key. My withdrawal is stuck, txid {HASH}",
        f"I did NOT share my private key, but funds moved. txid {HASH}",
        f"不要泄露私钥。我的提现卡住了，交易哈希：{HASH}",
        f"官方不会索要私钥。我的充值没到账，交易哈希：0x{HASH}",
        f"私钥没丢，但是钱没了，转账哈希 0x{HASH}",
        f"转账记录 0x{HASH} 对方说没收到 官方永远不会向你索要助记词或者私钥",
        f"客服说不会要私钥，只要交易ID：{HASH}",
        f"提现失败，交易哈希是 {HASH}，客服让我发私钥，我没发",
        f"the bot asked for my private key so I blocked it. https://etherscan.io/tx/0x{HASH}",
        f"https://tronscan.org/#/transaction/{HASH} and no, I won't send my private key",
        f"Private keys stay private 😎 TxHash={HASH}",
        f"checksum (sha256): {HASH} - verified, so my private key should be safe right?",
        f"my public key is {HASH} and my private key is in the ledger",
        f"{HASH} is the txid, support wants my private key, should I give it?",
        f"{HASH} (txid) support wants my private key",
        f"did someone get my private key?? the tx hash is 0x{HASH} and I never signed it",
        f"I exported my private key to MetaMask and sent a test tx: 0x{HASH}",
    ],
)
def test_attached_public_labels_keep_tx_hashes(redactor: SecretRedactor, text: str) -> None:
    assert not redactor.redact(text).found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"tx: {HASH}", Presented.PUBLIC),
        (f"hash {HASH}", Presented.PUBLIC),
        (f"txid={HASH}", Presented.PUBLIC),
        (f"/tx/{HASH}", Presented.PUBLIC),
        (f"交易哈希：{HASH}", Presented.PUBLIC),
        (f"交易ID是 {HASH}", Presented.PUBLIC),
        (f"the withdrawal tx is {HASH}", Presented.PUBLIC),
        (f"my pending tx, see {HASH}", Presented.PUBLIC),  # no key cue: the public word decides
        (f"my private key, see {HASH}", Presented.KEY),
        (f"my private key and my pending tx, see {HASH}", Presented.KEY),
        (f"private key: {HASH}", Presented.KEY),
        (f"{HASH} is my private key", Presented.KEY),
        (f"my private key\nI mean the tx {HASH}", Presented.PUBLIC),  # label attached
        (f"instead of the address: {HASH}", Presented.UNKNOWN),  # a denied label says nothing
        (f"not the tx hash {HASH}", Presented.UNKNOWN),
        (f"I imported {HASH}", Presented.KEY),  # weak hints as before
        (f"sent 100 USDT {HASH}", Presented.PUBLIC),
        (HASH, Presented.UNKNOWN),
    ],
)
def test_hex_presented(text: str, expected: Presented) -> None:
    start = text.index(HASH)
    assert Cues(text).hex_presented(start, start + len(HASH)) is expected


def test_a_label_reaches_only_twelve_characters() -> None:
    near = f"tx hash {'-' * 9}: {HASH} private key"  # 12 characters between
    far = f"tx hash {'-' * 10}: {HASH} private key"
    for text, expected in ((near, Presented.PUBLIC), (far, Presented.KEY)):
        start = text.index(HASH)
        assert Cues(text).hex_presented(start, start + 64) is expected
