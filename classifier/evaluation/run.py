"""``watchdesk eval [FILE]``: the model and its peers, side by side, on labelled messages.

Every system is measured in the same run on the same messages, built as production builds
them: the text is redacted first, and a redacted secret forces urgent and security for every
system (the keyword baseline already does this; the peers get the same rule, so the
comparison is about the flags' meaning). The peers are trained on the model's training data
(train+dev) with thresholds chosen the same way; the test split is only ever scored.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import numpy.typing as npt

from classifier.baseline import KeywordClassifier
from classifier.evaluation.metrics import SystemScores, system_scores
from classifier.evaluation.peers import Probabilities, TfidfPeer, ZeroShotPeer
from classifier.evaluation.report import EvalReport, Section, check_goals, write_chart
from classifier.exact import ExactDetectors, WithExactDetectors
from classifier.model.artifacts import default_artifacts_dir
from classifier.model.classifier import ModelClassifier
from classifier.model.dataset import (
    DEFAULT_SEED,
    Example,
    data_hash,
    default_data_dir,
    example_from_row,
    fold_ids,
    label_matrix,
    load_jsonl,
    load_training_data,
    split_examples,
)
from classifier.model.features import EmbeddingCache, Progress
from classifier.model.train import FOLDS
from core import Author, Channel, ChannelKind, Classification, Message, Redaction

Decisions = npt.NDArray[np.int64]
Redactor = Callable[[str], tuple[str, tuple[Redaction, ...]]]
_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class EvalSet:
    """One labelled set to score every system on."""

    title: str
    examples: list[Example]


def load_labelled(path: Path) -> list[Example]:
    """Load a labelled JSONL file, or a replay feed with its ``<stem>.labels.jsonl`` beside it.

    A replay feed (``examples/demo_feed.jsonl``) carries messages without labels; its labels
    file holds ``platform``, ``external_id`` and the three flags of each message.
    """
    labels_path = path.with_name(path.stem + ".labels.jsonl")
    if not labels_path.exists():
        return load_jsonl(path)
    texts: dict[tuple[str, str], str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            texts[(row["platform"], row["external_id"])] = row["text"]
    examples = []
    for number, line in enumerate(labels_path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            label = json.loads(line)
            key = (label["platform"], label["external_id"])
            row = {**label, "id": ":".join(key), "text": texts[key]}
            examples.append(example_from_row(row, f"{labels_path.name}:{number}", path.name))
    return examples


def production_redactor() -> Redactor:
    """Return production's redaction step as ``text -> (redacted text, redactions)``."""
    from classifier.secrets import SecretRedactor  # noqa: PLC0415

    redactor = SecretRedactor.default()

    def redact(text: str) -> tuple[str, tuple[Redaction, ...]]:
        result = redactor.redact(text)
        return result.text, result.redactions

    return redact


def text_detectors(official_domains: Sequence[str]) -> ExactDetectors:
    """Build the text-only exact detectors (phishing links, solicitation) for a brand.

    Impersonation needs the author and the staff list, which labelled files do not carry.

    Args:
        official_domains: The brand's domains (``settings.brand.domains``).
    """
    from classifier.detectors import (  # noqa: PLC0415 (built only for an evaluation)
        Blocklist,
        PhishingDetector,
        SolicitationDetector,
        data_path,
        load_domain_list,
    )

    allow = load_domain_list(data_path("allowlist.txt"), what="allowlist")
    phishing = PhishingDetector(official_domains, Blocklist.load(data_path("blocklist.txt")), allow)
    return ExactDetectors(phishing=phishing, solicitation=SolicitationDetector(official_domains))


def to_messages(examples: Sequence[Example], redact: Redactor) -> list[Message]:
    """Build the messages production would classify: redacted text plus its redactions."""
    messages = []
    for index, example in enumerate(examples):
        text, redactions = redact(example.text)
        messages.append(
            Message(
                platform="eval",
                external_id=str(index),
                channel=Channel(id="eval", kind=ChannelKind.GROUP),
                author=Author(id=f"eval-{index}"),
                text=text,
                created_at=_EPOCH,
                redactions=redactions,
            )
        )
    return messages


def evaluate(
    file: Path | None = None,
    *,
    classifier: ModelClassifier | None = None,
    cache_dir: Path | None = None,
    artifacts_dir: Path | None = None,
    data_dir: Path | None = None,
    detectors: ExactDetectors | None = None,
    external: Sequence[Path] = (),
    report_dir: Path | None = Path("reports"),
    embeddings_dir: Path = Path("var/cache"),
    progress: Progress | None = None,
) -> EvalReport:
    """Score the model and every peer on a labelled set and write the report.

    Args:
        file: Labelled JSONL (``text``, ``urgent``, ``security``, ``complaint``); default: the
            test split of the training data.
        classifier: An already loaded model (otherwise loaded from ``cache_dir`` and
            ``artifacts_dir``).
        cache_dir: The encoder cache.
        artifacts_dir: The heads (default: the committed ones).
        data_dir: The training data (peers are trained on its train+dev).
        detectors: Exact detectors layered on the model, as production wires them
            (``classifier.exact.WithExactDetectors``).
        external: More labelled files (or replay feeds with labels) reported after the first.
        report_dir: Where ``eval.md`` and ``eval.png`` go; None writes nothing.
        embeddings_dir: The embedding cache.
        progress: Called as ``progress(stage, done, total)``.
    """
    report = progress or (lambda _s, _d, _t: None)
    data = default_data_dir() if data_dir is None else data_dir
    raw = load_training_data(data)
    splits = split_examples(raw, DEFAULT_SEED)
    first = EvalSet(file.name, load_labelled(file)) if file else EvalSet("test split", [])
    sets = [first if file else EvalSet("test split", list(splits.test))]
    sets += [EvalSet(p.name, load_labelled(p)) for p in external]
    if classifier is None:
        from classifier.encoder import default_cache_dir  # noqa: PLC0415

        report("load model", 0, 1)
        classifier = ModelClassifier.load(
            cache_dir or default_cache_dir(), artifacts_dir or default_artifacts_dir()
        )
        report("load model", 1, 1)
    redact = production_redactor()
    fit_set = list(splits.train + splits.dev)
    fit_messages = to_messages(fit_set, redact)
    fit_redacted = [replace(e, text=m.text) for e, m in zip(fit_set, fit_messages, strict=True)]
    report("train peers", 0, 2)
    tfidf = TfidfPeer.fit(fit_redacted, fold_ids(fit_redacted, FOLDS, DEFAULT_SEED))
    report("train peers", 1, 2)
    scored = WithExactDetectors(classifier, detectors or ExactDetectors())
    cache = EmbeddingCache(embeddings_dir, classifier.encoder)
    zero_shot = ZeroShotPeer(classifier.encoder)
    zero_shot.tune(fit_redacted, cache.embed([e.text for e in fit_redacted]))
    report("train peers", 2, 2)
    sections = []
    for index, eval_set in enumerate(sets):
        report("score", index, len(sets))
        messages = to_messages(eval_set.examples, redact)
        sections.append(
            _score_set(
                eval_set, messages, model=scored, tfidf=tfidf, zero_shot=zero_shot, cache=cache
            )
        )
    report("score", len(sets), len(sets))
    result = EvalReport(sections=sections, goals=check_goals(sections[0]))
    result.header = [
        f"- model `{classifier.version}` on encoder `{classifier.encoder.version}`",
        f"- trained on data `{classifier.manifest.get('data_sha256', '?')[:12]}`; "
        f"this run's data `{data_hash(raw)[:12]}` (split seed {DEFAULT_SEED})",
        "- peers trained on the same train+dev split; thresholds of every system chosen on "
        "held-out train+dev scores; the test split is only scored",
        "- a redacted secret forces urgent+security for every system; the model also uses "
        "the exact detectors it was given: " + ", ".join(scored.detector_names),
        "- reproduce: `watchdesk train`, then `watchdesk eval` (more sets: `--also FILE`)",
    ]
    if report_dir is not None:
        _write(result, report_dir)
    return result


def _score_set(
    eval_set: EvalSet,
    messages: list[Message],
    *,
    model: WithExactDetectors,
    tfidf: TfidfPeer,
    zero_shot: ZeroShotPeer,
    cache: EmbeddingCache,
) -> Section:
    labels = label_matrix(eval_set.examples)
    langs = [e.lang for e in eval_set.examples]
    texts = [m.text for m in messages]
    forced = np.asarray([[bool(m.redactions)] * 2 + [False] for m in messages], dtype=bool)
    forced = forced.reshape(len(messages), 3)
    systems: list[SystemScores] = [
        system_scores("model", model.version, labels, _decisions(model.classify(messages)), langs),
        system_scores(
            "keyword",
            KeywordClassifier().version,
            labels,
            _decisions(KeywordClassifier().classify(messages)),
            langs,
        ),
        system_scores(
            "tfidf",
            tfidf.version,
            labels,
            _threshold(tfidf.probabilities(texts), tfidf.thresholds, forced),
            langs,
        ),
        system_scores(
            "zero-shot",
            zero_shot.version,
            labels,
            _threshold(zero_shot.similarities(cache.embed(texts)), zero_shot.thresholds, forced),
            langs,
        ),
    ]
    return Section(eval_set.title, len(messages), systems)


def _decisions(results: Sequence[Classification]) -> Decisions:
    rows = [[c.urgent.value, c.security.value, c.complaint.value] for c in results]
    return np.asarray(rows, dtype=np.int64).reshape(len(results), 3)


def _threshold(
    probs: Probabilities, thresholds: Sequence[float], forced: npt.NDArray[np.bool_]
) -> Decisions:
    decided = (probs >= np.asarray(thresholds)) | forced
    return decided.astype(np.int64)


def _write(result: EvalReport, report_dir: Path) -> None:
    report_dir.mkdir(parents=True, exist_ok=True)
    chart = report_dir / "eval.png"
    write_chart(result.sections, chart)
    markdown = report_dir / "eval.md"
    markdown.write_text(result.markdown(chart.name), encoding="utf-8")
    result.markdown_path, result.chart_path = markdown, chart
