from collections.abc import Sequence
from pathlib import Path

import numpy as np

from classifier.model.features import TOKEN_BUDGET, EmbeddingCache, model_text


class CountingEncoder:
    """A stand-in encoder: deterministic vectors, and a record of what it was asked."""

    version = "fake@1"
    dim = 8

    def __init__(self) -> None:
        self.seen: list[str] = []

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        self.seen.extend(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            out[row, len(text) % self.dim] = 1.0
        return out


def test_short_text_is_kept_whole_and_normalised() -> None:
    assert model_text("  ｈｅｌｌｏ\u200b wallet  ") == "hello wallet"
    assert model_text("") == ""


def test_long_text_keeps_head_and_tail() -> None:
    text = "START " + "filler words here " * 2000 + " support never answered END"
    cut = model_text(text)
    assert cut.startswith("START")
    assert cut.endswith("support never answered END")
    assert " … " in cut
    assert len(cut) < TOKEN_BUDGET * 5


def test_long_chinese_text_is_cut_by_its_own_budget() -> None:
    cut = model_text("钱" * 5000 + "客服不回")
    assert cut.endswith("客服不回")
    assert len(cut) < TOKEN_BUDGET + 10


def test_100_kb_text_is_cheap() -> None:
    assert len(model_text("a" * 100_000)) < 3000


def test_cache_embeds_each_text_once_across_runs(tmp_path: Path) -> None:
    encoder = CountingEncoder()
    first = EmbeddingCache(tmp_path, encoder).embed(["one", "two", "one"])
    assert sorted(encoder.seen) == ["one", "two"]
    again = EmbeddingCache(tmp_path, encoder).embed(["two", "one", "three"])
    assert sorted(encoder.seen) == ["one", "three", "two"]
    np.testing.assert_array_equal(again[1], first[0])
    np.testing.assert_array_equal(again[0], first[1])


def test_damaged_cache_is_rebuilt(tmp_path: Path) -> None:
    encoder = CountingEncoder()
    cache = EmbeddingCache(tmp_path, encoder)
    cache.path.write_bytes(b"not a zip")
    assert cache.embed(["x"]).shape == (1, 8)


def test_rich_progress_draws_one_bar_per_stage() -> None:
    import io

    from rich.console import Console

    from classifier.model.progress import RichProgress

    out = io.StringIO()
    with RichProgress(Console(file=out, width=100, force_terminal=False)) as progress:
        progress("embed", 0, 10)
        progress("embed", 10, 10)
        progress("fit heads", 1, 1)
    text = out.getvalue()
    assert "embed" in text
    assert "fit heads" in text
