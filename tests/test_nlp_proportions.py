"""Proportion phrases of the Stoke findings (listed by hand) and the lexicon's ordering."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import data_path
from transform.nlp import TextToTag, annotate_texts
from transform.nlp.proportions import load_lexicon, share_interval

FIXTURES = Path(__file__).parent / "fixtures"
GOLD = data_path("reports/stoke-on-trent-2011.gold.json")
EXPECTED = json.loads((FIXTURES / "proportions_stoke.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def stoke():
    if not GOLD.exists():
        pytest.skip(f"{GOLD} not available")
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    items = [
        TextToTag("finding", f"{c['code']}:{kind[0].upper()}:{f['n']}", f["text"])
        for c in gold["criteria"] for kind in ("strengths", "improvements") for f in c[kind]
    ]
    ann = annotate_texts(items)
    by_key: dict[str, list] = {item.source_id: [] for item in items}
    for p in ann.proportions:
        by_key[p.source_id].append(p)
    return items, by_key


def test_every_hand_listed_phrase_is_found_and_nothing_else(stoke):
    items, by_key = stoke
    assert set(EXPECTED["findings"]) == {i.source_id for i in items}
    for key, phrases in EXPECTED["findings"].items():
        found = [p.phrase.lower() for p in by_key[key]]
        assert found == phrases, key


def test_offsets_point_at_the_phrase(stoke):
    items, by_key = stoke
    texts = {i.source_id: i.text for i in items}
    for key, matches in by_key.items():
        for p in matches:
            assert texts[key][p.start_char : p.end_char] == p.phrase
            assert 0.0 <= p.share_low <= p.share_high <= 1.0


@pytest.mark.parametrize("example", EXPECTED["clauses"],
                         ids=lambda e: f"{e['key']}-{e['phrase']}")
def test_negation_and_what_the_share_applies_to(stoke, example):
    _, by_key = stoke
    match = next(p for p in by_key[example["key"]] if p.phrase.lower() == example["phrase"])
    assert match.negated is example["negated"]
    if "applies_to" in example:
        assert match.applies_to == example["applies_to"]


def intervals(phrases: list[str]) -> list[tuple[float, float]]:
    ann = annotate_texts([TextToTag("finding", str(i), f"It was done in {p} of cases.")
                          for i, p in enumerate(phrases)])
    got = {p.source_id: (p.share_low, p.share_high) for p in ann.proportions}
    assert len(got) == len(phrases), ann.proportions
    return [got[str(i)] for i in range(len(phrases))]


@pytest.mark.parametrize("scale", [
    ["less than one-third", "one-third", "over one-third", "well over one-third"],
    ["well under half", "just under half", "half", "just over half", "well over half"],
    ["less than one-quarter", "one-quarter", "one-third", "half", "two-thirds",
     "three-quarters", "well over three-quarters", "almost all", "all"],
])
def test_intervals_are_ordered(scale):
    got = intervals(scale)
    for (low_a, high_a), (low_b, high_b) in zip(got, got[1:], strict=False):
        assert low_a <= low_b and high_a <= high_b and (low_a, high_a) != (low_b, high_b)


def test_modifiers_compose_with_bases_from_the_lexicon():
    lexicon = load_lexicon()
    # no combination is listed in the file: "well over" + "two-thirds" is composed
    assert "well over two-thirds" not in str(lexicon.base_phrases)
    (low, high), = intervals(["well over two-thirds"])
    assert (low, high) == share_interval(lexicon, "two-thirds", (0.07, 0.15))
    assert low > 2 / 3


def test_superlatives_and_other_alls_are_not_shares():
    ann = annotate_texts([
        TextToTag("finding", "a", "The most common reason was that the plan was unclear."),
        TextToTag("finding", "b", "All reasonable action had been taken."),
        TextToTag("finding", "c", "Details were sent to all relevant staff and agencies."),
    ])
    assert ann.proportions == []


def test_percentages_are_shares():
    ann = annotate_texts([TextToTag("finding", "a", "Plans were timely in 45% of cases.")])
    (p,) = ann.proportions
    assert p.phrase == "45%" and p.share_low == p.share_high == 0.45
