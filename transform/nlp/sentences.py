"""Sentence boundaries exactly as spaCy's rule-based Sentencizer sets them, read from arrays.

spaCy's Sentencizer builds a Token object for every token to read its text and `is_punct`;
over the thousands of texts of an ingest that was about a tenth of annotating. This one reads
the same two attributes as integer arrays and applies the same rule (the tests compare the two
on every text of the labelled corpus).
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.attrs import IS_PUNCT, ORTH
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.strings import get_string_id


class ArraySentencizer(Sentencizer):
    """spaCy's Sentencizer, with `predict` reading token arrays; all else is spaCy's."""

    def predict(self, docs):
        """Per doc, whether each token starts a sentence: spaCy's rule, on integer arrays."""
        punct = {get_string_id(char) for char in self.punct_chars}
        guesses = []
        for doc in docs:
            starts = [False] * len(doc)
            if len(doc):
                start, seen_period = 0, False
                starts[0] = True
                for i, (orth, is_punct) in enumerate(doc.to_array([ORTH, IS_PUNCT]).tolist()):
                    in_punct_chars = orth in punct
                    if seen_period and not is_punct and not in_punct_chars:
                        starts[start] = True
                        start, seen_period = i, False
                    elif in_punct_chars:
                        seen_period = True
                starts[start] = True
            guesses.append(starts)
        return guesses


@Language.factory(
    "array_sentencizer",
    assigns=["token.is_sent_start", "doc.sents"],
    default_config={"punct_chars": None, "overwrite": False,
                    "scorer": {"@scorers": "spacy.senter_scorer.v1"}},
    default_score_weights={"sents_f": 1.0, "sents_p": 0.0, "sents_r": 0.0},
)
def make_array_sentencizer(nlp: Language, name: str, punct_chars: list[str] | None,
                           overwrite: bool, scorer: Callable | None) -> ArraySentencizer:
    """Configured as spaCy's "sentencizer" factory is."""
    return ArraySentencizer(name, punct_chars=punct_chars, overwrite=overwrite, scorer=scorer)
