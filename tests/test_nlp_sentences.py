"""transform/nlp/sentences.py: the array sentencizer splits exactly as spaCy's Sentencizer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import transform.nlp.sentences  # noqa: F401  (registers the factory)
from transform.nlp.theme_model import base_nlp

TEXTS = Path(__file__).resolve().parents[1] / "data" / "themes" / "texts.jsonl"


def _sentences(factory: str, texts: list[str]) -> list[list[tuple[int, int]]]:
    nlp = base_nlp()
    nlp.add_pipe(factory)
    return [[(s.start, s.end) for s in doc.sents] if len(doc) else []
            for doc in nlp.pipe(texts)]


@pytest.mark.parametrize("texts", [
    ["", " ", "x", "No full stop", "Two. Sentences.", "Ends with!? Then this...  And (this.)",
     "RoH. was assessed (see p. 4). Then:\n\n- a list item;\n- another one.",
     "Closing quote.\" Next one.", "Version 1.2 was used. 3. Numbered item"],
])
def test_array_sentencizer_splits_like_spacys_on_edge_cases(texts):
    assert _sentences("array_sentencizer", texts) == _sentences("sentencizer", texts)


def test_array_sentencizer_splits_like_spacys_on_the_labelled_corpus():
    texts = [json.loads(line)["text"] for line in TEXTS.read_text(encoding="utf8").splitlines()
             if line.strip()]
    assert len(texts) > 3000
    assert _sentences("array_sentencizer", texts) == _sentences("sentencizer", texts)
