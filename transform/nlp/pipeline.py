"""Builds the spaCy pipeline once per process: blank English + our components and data files.

Nothing needs a trained model, so this runs offline. Changing a data file path gives a new
pipeline (the cache is keyed by the paths).
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.util import compile_suffix_regex

# Importing the modules registers the factories with spaCy.
from transform.nlp import acronyms, lemmas, proportions, theme_veto, themes  # noqa: F401


@lru_cache(maxsize=4)
def get_nlp(themes_path: str = "", lexicon_path: str = "", glossary_path: str = "",
            veto_path: str = "") -> Language:
    """The annotation pipeline; an empty path means the data file shipped in transform/nlp/.

    The shipped veto model was trained on the shipped taxonomy's tags, so a user's own themes
    file gets no veto unless a veto file is given with it.
    """
    if themes_path and not veto_path:
        veto_path = "off"
    nlp = spacy.blank("en")
    # "RoH." and "LoR." end sentences: split the full stop off mixed-case acronyms too
    suffixes = [*nlp.Defaults.suffixes, r"(?<=[a-z][A-Z])\."]
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.add_pipe("lemma_normaliser")
    nlp.add_pipe("theme_tagger", config={"path": themes_path})
    nlp.add_pipe("theme_veto", config={"path": veto_path})
    nlp.add_pipe("proportion_extractor", config={"path": lexicon_path})
    nlp.add_pipe("acronym_expander", config={"path": glossary_path})
    nlp.initialize()
    # The lemmatizer's lookup tables are loaded by initialize(); lemma_normaliser applies them
    # to whole docs at once, so the per-token lemmatizer is not run as well.
    nlp.disable_pipe("lemmatizer")
    return nlp
