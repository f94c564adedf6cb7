"""The real model (ONNX e5 + committed heads) on a small set, bad input and the detectors."""

from collections.abc import Sequence
from datetime import UTC, datetime

import pytest

from classifier.exact import ExactDetectors, WithExactDetectors
from classifier.model import ModelClassifier
from classifier.model.dataset import default_data_dir, load_training_data, split_examples
from classifier.secrets import SecretRedactor
from core import (
    Author,
    Channel,
    ChannelKind,
    Classifier,
    Detection,
    DetectionKind,
    Entity,
    Language,
    Message,
)


def _message(text: str, index: int = 0, author: Author | None = None) -> Message:
    redacted = SecretRedactor.default().redact(text)
    return Message(
        platform="telegram",
        external_id=str(index),
        channel=Channel(id="c", kind=ChannelKind.GROUP),
        author=author or Author(id=f"u{index}"),
        text=redacted.text,
        created_at=datetime(2024, 5, 1, tzinfo=UTC),
        redactions=redacted.redactions,
    )


def test_is_a_classifier_with_a_versioned_name(model_classifier: ModelClassifier) -> None:
    classifier: Classifier = model_classifier
    assert classifier.version.startswith("e5-heads@")
    assert len(classifier.version) == len("e5-heads@") + 12
    assert classifier.classify([]) == []


def test_small_test_split_sample_is_mostly_right(model_classifier: ModelClassifier) -> None:
    test = split_examples(load_training_data(default_data_dir())).test
    sample = list(test[::17])[:30]
    results = model_classifier.classify([_message(e.text, i) for i, e in enumerate(sample)])
    assert len(results) == len(sample)
    correct = sum(
        (r.urgent.value, r.security.value, r.complaint.value) == tuple(map(bool, e.labels))
        for r, e in zip(results, sample, strict=True)
    )
    # The test split scores ~0.92 macro-F1; 30 messages are few, so the bar is loose.
    assert correct >= 21, f"{correct}/30 messages fully right"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my wallet just got drained, all my USDT was sent to an address I don't know", (1, 1, 0)),
        ("从交易所提了2000U到钱包，3个小时了还没到账", (1, 0, 0)),
        ("fees on this app are a total rip-off, uninstalling today", (0, 0, 1)),
        ("gm everyone, happy friday", (0, 0, 0)),
    ],
)
def test_clear_cases(
    model_classifier: ModelClassifier, text: str, expected: tuple[int, ...]
) -> None:
    (result,) = model_classifier.classify([_message(text)])
    assert (result.urgent.value, result.security.value, result.complaint.value) == tuple(
        map(bool, expected)
    )
    assert result.urgent.forced_by is None


def test_batch_keeps_order_and_matches_single_calls(model_classifier: ModelClassifier) -> None:
    texts = ["gm", "我的助记词泄露了怎么办", "support never answers, worst wallet ever", ""]
    batch = model_classifier.classify([_message(t, i) for i, t in enumerate(texts)])
    singles = [model_classifier.classify([_message(t, i)])[0] for i, t in enumerate(texts)]
    # Texts are embedded one by one, so a batch gives exactly the scores of single calls.
    for one, other in zip(batch, singles, strict=True):
        assert one == other


BAD_INPUT = [
    "",
    "   \n\t ",
    "🚀🚀🔥💎🙌",
    "مرحبا، محفظتي لا تعمل منذ أمس",  # right-to-left
    "שלום, הארנק שלי נפרץ",
    "mixed 混合 текст テキスト 🙂 \u202eevil\u202c",
    "zero\u200bwidth\u200bspaces",
    "lone \ud800 surrogate and a NUL \x00",
    "A" * 100_000,
    "我的钱包 " * 20_000,
]


@pytest.mark.parametrize("text", BAD_INPUT, ids=[f"bad{i}" for i in range(len(BAD_INPUT))])
def test_any_text_gets_a_classification(model_classifier: ModelClassifier, text: str) -> None:
    (result,) = model_classifier.classify([_message(text)])
    for flag in (result.urgent, result.security, result.complaint):
        assert 0.0 <= flag.score <= 1.0
    assert result.model_version == model_classifier.version
    assert isinstance(result.language, Language)


def test_secret_at_the_end_of_a_huge_text_forces_urgent_and_security(
    model_classifier: ModelClassifier,
) -> None:
    seed = "legal winner thank year wave sausage worth useful legal winner thank yellow"
    (result,) = model_classifier.classify([_message("gm " * 40_000 + "my phrase is " + seed)])
    assert result.urgent.value
    assert result.security.value
    assert result.urgent.forced_by == result.security.forced_by == "secret"
    assert {d.kind for d in result.detections} == {DetectionKind.SEED_PHRASE}


class _Recorder:
    """Fake detectors that find something and record what text they were given."""

    def __init__(self) -> None:
        self.lengths: list[int] = []

    def detect(self, text: str, entities: Sequence[Entity] = ()) -> tuple:  # type: ignore[type-arg]
        self.lengths.append(len(text))
        found = (Detection(kind=DetectionKind.PHISHING_URL, detail="lookalike"),)
        return found, tuple(entities)


class _Solicitation:
    def detect(self, text: str) -> tuple[Detection, ...]:
        return (Detection(kind=DetectionKind.SOLICITATION, detail="asks for a seed"),)


class _Impersonation:
    def check(self, platform: str, author: Author) -> Detection | None:
        if "support" not in author.handle:
            return None
        return Detection(kind=DetectionKind.IMPERSONATION, detail=author.handle)


def test_exact_detectors_force_security_and_read_the_whole_text(
    model_classifier: ModelClassifier,
) -> None:
    phishing = _Recorder()
    combined = WithExactDetectors(
        model_classifier,
        ExactDetectors(
            phishing=phishing, impersonation=_Impersonation(), solicitation=_Solicitation()
        ),
    )
    long_text = "hello " * 30_000 + "https://n0vawallet-claim.io"
    author = Author(id="x", handle="nova_support_desk")
    (result,) = combined.classify([_message(long_text, author=author)])
    assert phishing.lengths == [len(long_text)]
    assert result.security.value
    assert result.security.forced_by == "phishing_url"
    assert not result.urgent.forced_by
    kinds = {d.kind for d in result.detections}
    assert kinds == {
        DetectionKind.PHISHING_URL,
        DetectionKind.SOLICITATION,
        DetectionKind.IMPERSONATION,
    }
    assert combined.detector_names == ["secrets", "phishing", "impersonation", "solicitation"]
