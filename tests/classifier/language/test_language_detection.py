import json
from pathlib import Path

import pytest

from classifier.language import detect_language
from core import Language

DATA = Path(__file__).resolve().parents[3] / "classifier" / "data"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my withdrawal is stuck", Language.EN),
        ("提现一直没到账", Language.ZH),
        ("提現一直沒到帳，客服也不回", Language.ZH),
        ("USDT没到账 0x" + "ab" * 32, Language.ZH),
        ("转账的 gas 太贵了", Language.ZH),  # one loanword does not make a mix
        ("这个 airdrop 是真的吗 bro, looks legit?", Language.MIXED),
        ("我的USDT withdraw 了三个小时 still pending, help", Language.MIXED),
        ("@nova_support https://novawallet.io 谢谢", Language.ZH),
        ("🙂🙂🙂", Language.OTHER),
        ("", Language.OTHER),
        ("Привет, кошелёк не открывается", Language.OTHER),
        ("ウォレットが開かない", Language.OTHER),
    ],
)
def test_language_of_a_message(text: str, expected: Language) -> None:
    assert detect_language(text) is expected


def test_agrees_with_the_writers_labels_on_the_training_data() -> None:
    total = agree = 0
    for path in sorted(DATA.glob("train_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            detected = detect_language(row["text"]).value
            agree += detected == row["lang"] or (row["lang"] == "en" and detected == "other")
            total += 1
    assert total > 2500
    assert agree / total >= 0.93
