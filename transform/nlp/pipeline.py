"""Builds the spaCy pipeline once per process: blank English + our components and data files.

Themes come from the learned model shipped in transform/nlp/theme_model/ (or a user's model
folder), with the taxonomy's rules as one of its inputs; a taxonomy given without a model is
tagged by its rules alone, as before models existed. Nothing is downloaded, so this runs
offline. Changing a path gives a new pipeline (the cache is keyed by the paths).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from spacy.language import Language

# Importing the modules registers the factories with spaCy.
from transform.nlp import (  # noqa: F401
    acronyms,
    lemmas,
    proportions,
    sentences,
    theme_classifier,
    theme_model,
    themes,
)

RULES_ONLY = "off"  # as `model_path`: tag with the taxonomy's rules, no model


def theme_source(themes_path: str = "", model_path: str = "") -> tuple[str, str]:
    """(taxonomy file, model folder or "") that tag the themes.

    A model folder brings its own taxonomy. A taxonomy file alone is rule-only (the shipped
    model never saw its themes). Neither: the shipped model, or the shipped rules when no
    model is shipped.
    """
    if model_path and model_path != RULES_ONLY:
        folder = Path(model_path)
        if not theme_model.is_model(folder):
            raise ValueError(f"{folder}: not a theme model folder (expected model/, "
                             f"themes.yaml and settings.json; train one with "
                             f"`findings themes train`)")
        return str(folder / "themes.yaml"), str(folder)
    if themes_path or model_path == RULES_ONLY:
        return themes_path, ""
    shipped = theme_model.SHIPPED_MODEL
    if theme_model.is_model(shipped):
        return str(shipped / "themes.yaml"), str(shipped)
    return "", ""


@lru_cache(maxsize=4)
def get_nlp(themes_path: str = "", lexicon_path: str = "", glossary_path: str = "",
            model_path: str = "") -> Language:
    """The annotation pipeline; empty paths mean the data files shipped in transform/nlp/."""
    taxonomy, model = theme_source(themes_path, model_path)
    nlp = theme_model.base_nlp()
    nlp.add_pipe("array_sentencizer")
    if model:
        _add_rule_tagger(nlp, taxonomy, spans_key="rule_themes")
        nlp.add_pipe("theme_classifier", config={"path": model})
    else:
        _add_rule_tagger(nlp, taxonomy, spans_key="themes")
    nlp.add_pipe("proportion_extractor", config={"path": lexicon_path})
    nlp.add_pipe("acronym_expander", config={"path": glossary_path})
    return _initialised(nlp)


@lru_cache(maxsize=4)
def get_rules_nlp(themes_path: str) -> Language:
    """Sentences and the taxonomy's rules; matches go to doc.spans["rule_themes"] (themes
    without rules simply never match). Training uses it for the model's rule input and to
    measure what the rule overrides add."""
    nlp = theme_model.base_nlp()
    nlp.add_pipe("array_sentencizer")
    _add_rule_tagger(nlp, themes_path, spans_key="rule_themes")
    return _initialised(nlp)


def _add_rule_tagger(nlp: Language, taxonomy: str, spans_key: str) -> None:
    """Lemmas, then the taxonomy's rules. Rule matches go to `spans_key`: "themes" when they
    are the tags (rules only, so every theme needs a rule), "rule_themes" when they feed the
    model or are measured."""
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.add_pipe("lemma_normaliser")
    nlp.add_pipe("theme_tagger", config={"path": taxonomy, "spans_key": spans_key,
                                         "require_rules": spans_key == "themes"})


def _initialised(nlp: Language) -> Language:
    nlp.initialize()
    # The lemmatizer's lookup tables are loaded by initialize(); lemma_normaliser applies them
    # to whole docs at once, so the per-token lemmatizer is not run as well.
    nlp.disable_pipe("lemmatizer")
    return nlp


def taxonomy_of(nlp: Language):
    """The themes (transform.nlp.themes.Theme) the pipeline tags with."""
    return nlp.get_pipe("theme_tagger").themes


def theme_rows(nlp: Language) -> list[tuple[str, str, str]]:
    """(id, label, description) of each theme the pipeline tags with: the `themes` table."""
    return [(t.id, t.label, t.description) for t in taxonomy_of(nlp)]
