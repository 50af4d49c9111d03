"""What the NLP layer hands back: plain, picklable records with the source text's id and offsets.

Kept free of spaCy objects so worker processes can return them and the loader can write them
without importing spaCy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Source = Literal["finding", "recommendation", "good_practice", "passage"]
SOURCES: tuple[str, ...] = ("finding", "recommendation", "good_practice", "passage")
# doc.user_data key of the text a doc was made from: components read it there, since spaCy's
# doc.text joins every token again on each call
SOURCE_TEXT = "source_text"


@dataclass(frozen=True)
class TextToTag:
    """One text to annotate and the id of the row it belongs to."""

    source: Source
    source_id: str
    text: str


@dataclass(frozen=True)
class ThemeMatch:
    """One theme a text is about: how sure the tagger is, and what carried the tag.

    matched_text/start_char/end_char locate the evidence in the text (the rule match or the
    first evidence word; the whole text when no word stands out).
    """

    source: Source
    source_id: str
    theme: str
    matched_text: str
    start_char: int
    end_char: int
    confidence: float | None = None  # 0-1: the model's score (1 for a rule-only taxonomy)
    evidence: str = ""  # 'rule: "..."' or 'words: "...", "..."'


@dataclass(frozen=True)
class ProportionMatch:
    """A share-of-cases phrase ("just over half") and the interval it stands for."""

    source: Source
    source_id: str
    phrase: str
    share_low: float
    share_high: float
    applies_to: str | None
    negated: bool
    start_char: int
    end_char: int


@dataclass(frozen=True)
class AcronymMatch:
    source: Source
    source_id: str
    acronym: str
    expansion: str
    from_glossary: bool  # True: the report's own glossary; False: the default glossary file
    start_char: int
    end_char: int


@dataclass
class ReportAnnotations:
    """All annotations of one report's texts (or of any batch of texts)."""

    report_id: str | None = None
    themes: list[ThemeMatch] = field(default_factory=list)
    proportions: list[ProportionMatch] = field(default_factory=list)
    acronyms: list[AcronymMatch] = field(default_factory=list)
    # (id, label, description) of every theme the tagger knows: the loader fills the `themes`
    # table of a new database from it, without loading the pipeline itself
    taxonomy: list[tuple[str, str, str]] = field(default_factory=list)

    def themes_of(self, source_id: str) -> set[str]:
        return {m.theme for m in self.themes if m.source_id == source_id}
