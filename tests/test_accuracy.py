"""Accuracy against gold: Stoke (both engines) must be exact; the corpus >= 99.9%."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.accuracy import compare, flatten_gold, flatten_report, score_pdf
from tests.conftest import STOKE_NAMES

CORPUS_SAMPLE = 20
REQUIRED = 0.999


def _corpus(shared_dir: Path) -> list[tuple[Path, Path]]:
    corpus = shared_dir / "corpus"
    pairs = [(p, p.with_name(p.name[:-4] + ".gold.json")) for p in sorted(corpus.glob("*.pdf"))]
    pairs = [(p, g) for p, g in pairs if g.exists()]
    if not pairs:
        pytest.skip("../shared/corpus is not available")
    return pairs


@pytest.mark.parametrize("name", STOKE_NAMES, ids=["weasyprint", "chromium"])
def test_stoke_is_exact(name, parsed_examples, stoke_gold_path):
    gold = flatten_gold(json.loads(stoke_gold_path.read_text(encoding="utf8")))
    score = compare(gold, flatten_report(parsed_examples[name]), name)
    assert score.mismatches == []
    assert score.total > 200


def test_compare_counts_missing_wrong_and_extra_items():
    gold = {"meta.area": "X", "finding.1.1.strength.1": "a", "glossary.A": "A = b"}
    got = {"meta.area": "Y", "finding.1.1.strength.2": "extra", "glossary.A": "A = b"}
    score = compare(gold, got)
    assert (score.total, score.wrong) == (4, 3)


def test_corpus_sample(shared_dir):
    pairs = _corpus(shared_dir)
    step = max(1, len(pairs) // CORPUS_SAMPLE)
    sample = pairs[::step][:CORPUS_SAMPLE]  # deterministic, spread over both engines
    scores = [score_pdf(pdf, gold) for pdf, gold in sample]
    total = sum(s.total for s in scores)
    wrong = sum(s.wrong for s in scores)
    assert 1 - wrong / total >= REQUIRED, [m for s in scores for m in s.mismatches][:10]


@pytest.mark.slow
def test_whole_corpus(shared_dir):
    scores = [score_pdf(pdf, gold) for pdf, gold in _corpus(shared_dir)]
    total = sum(s.total for s in scores)
    wrong = sum(s.wrong for s in scores)
    assert 1 - wrong / total >= REQUIRED, [m for s in scores for m in s.mismatches][:10]
