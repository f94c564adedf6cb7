"""Skeletons, the bounded edit distance and the near-miss index the detectors share."""

import pytest

from classifier.detectors.skeleton import NearIndex, Skeletonizer, bounded_distance


@pytest.fixture(scope="module")
def skeleton() -> Skeletonizer:
    return Skeletonizer()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("novawallet", "novawallet"),
        ("NovaWallet", "novawallet"),
        ("nоvawallet", "novawallet"),  # Cyrillic о
        ("novaωallet", "novawallet"),  # Greek ω
        ("NOVAWALLET", "novawallet"),
        ("novawa11et", "novawallet"),
        ("n0vawaIIet", "novawallet"),  # zero and capital I
        ("novavvallet", "novawallet"),
        ("novawa||et", "novawallet"),
        ("nováwállet", "novawallet"),
        ("ｎｏｖａｗａｌｌｅｔ", "novawallet"),
        ("𝐧𝐨𝐯𝐚𝐰𝐚𝐥𝐥𝐞𝐭", "novawallet"),
        ("nova\u200bwallet", "novawallet"),
        ("rnetamask", "metamask"),
        ("Supp0rt", "support"),
        ("ΝΟVΑ", "nova"),  # Greek capitals
        ("ѕupроrt", "support"),  # Cyrillic ѕ, р, о
    ],
)
def test_skeleton(skeleton: Skeletonizer, text: str, expected: str) -> None:
    # i and l share a skeleton, so compare skeletons rather than spellings.
    assert skeleton.skeleton(text) == skeleton.skeleton(expected)


def test_different_names_keep_different_skeletons(skeleton: Skeletonizer) -> None:
    assert skeleton.skeleton("novawallet") != skeleton.skeleton("novawalet")
    assert skeleton.skeleton("mia") != skeleton.skeleton("nova")


def test_letters_keeps_separators_and_digits(skeleton: Skeletonizer) -> None:
    assert skeleton.letters("Nova Supp0rt | Mia") == "nova supp0rt | mia"


@pytest.mark.parametrize(
    ("a", "b", "limit", "expected"),
    [
        ("novawallet", "novawallet", 2, 0),
        ("novawallet", "novawalet", 2, 1),
        ("novawallet", "novawlalet", 2, 1),  # one transposition
        ("novawallet", "nowallet", 2, 2),
        ("novawallet", "supernova", 2, 3),
        ("abc", "abcdef", 2, 3),
        ("", "ab", 2, 2),
        ("kitten", "sitting", 5, 3),
    ],
)
def test_bounded_distance(a: str, b: str, limit: int, expected: int) -> None:
    assert bounded_distance(a, b, limit) == expected
    assert bounded_distance(b, a, limit) == expected


def test_near_index_finds_keys_within_the_limit() -> None:
    index = NearIndex(
        [("novawallet", "brand"), ("jonathanwhitfield", "jon"), ("novawallet", "b2")], 2
    )
    assert sorted(index.near("novawalet", lambda _: 2)) == [("b2", 1), ("brand", 1)]
    assert list(index.near("jonathonwhitfeld", lambda _: 2)) == [("jon", 2)]
    assert list(index.near("jonathonwhitfeld", lambda _: 1)) == []
    assert list(index.near("somethingelse", lambda _: 2)) == []
    assert list(index.near("nvoawallt", lambda _: 2)) == [("brand", 2), ("b2", 2)]
