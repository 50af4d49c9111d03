"""Case-insensitive lemmas, so theme patterns match "Victims" and "RMPs" like "victim" and "rmp".

Lemmas come from spaCy's lookup lemmatizer tables (spacy-lookups-data), applied to the
lower-cased word: the lemmatizer itself only knows lower-case words and leaves capitalised ones
alone, and it maps "well" to "good" and "'s" to "have", which would blur "well-being" and
"children's". Lemmas are set for the whole doc in one array write and memoised per word, which
is several times faster than the per-token lemmatizer on thousands of texts.
"""

from __future__ import annotations

import re

import numpy
from spacy.attrs import LEMMA, ORTH
from spacy.language import Language
from spacy.tokens import Doc

from transform.nlp.batching import BatchPipe

# Lemmas the lookup table gets wrong for this register.
OVERRIDES = {"well": "well", "'s": "'s", "’s": "'s", "being": "being", "data": "data",
             "later": "later", "ete": "ete", "assessing": "assess"}
PLURAL_ACRONYM = re.compile(r"^[A-Z][A-Za-z]*[A-Z]s$")  # RMPs, VMPs, YOTs


class LemmaNormaliser(BatchPipe):
    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self._table = None
        self._memo: dict[int, int] = {}  # ORTH hash -> LEMMA hash

    def _lookup(self):
        """The lemmatizer's lookup table, available once the pipeline is initialised."""
        if self._table is None:
            self._table = self.nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
        return self._table

    def lemma(self, text: str) -> str:
        lower = text.lower()
        if lower in OVERRIDES:
            return OVERRIDES[lower]
        if PLURAL_ACRONYM.match(text):
            return lower[:-1]
        return self._lookup().get(lower, lower)

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        strings, memo = doc.vocab.strings, self._memo
        orths = doc.to_array(ORTH).tolist()
        for orth in set(orths).difference(memo):  # words no earlier text had
            memo[orth] = strings.add(self.lemma(strings[orth]))
        lemmas = list(map(memo.__getitem__, orths))
        doc.from_array([LEMMA], numpy.array(lemmas, dtype="uint64").reshape(-1, 1))
        return doc


@Language.factory("lemma_normaliser")
def make_lemma_normaliser(nlp: Language, name: str) -> LemmaNormaliser:
    return LemmaNormaliser(nlp)
