"""theme_classifier: the themes a text is about, from the learned model, with a confidence and
the evidence that carried each tag.

Runs after `theme_tagger`, whose rule matches it reads from doc.spans["rule_themes"]. For each
text the model scores every theme on each of its sentences (a long finding is about what any
of its sentences is about), each read with a marker word per theme whose rules matched in it
(theme_model.sentence_inputs); the text's score for a theme is the highest of these. A theme is
tagged when the score reaches the model's threshold, or, for the themes whose rules help
(settings.rule_thresholds), when a rule matched and the score reaches that theme's rule
threshold.

Each tag becomes one span in doc.spans["themes"] with `confidence` (the score, or the rule's
measured precision when a rule carried it and that is higher) and `evidence`: the rule match,
else the words of the text that most mark the theme in the training data.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import numpy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch, registry

from transform.nlp import theme_model
from transform.nlp import themes as _themes  # noqa: F401  (registers Span._.confidence/evidence)
from transform.nlp.annotations import SOURCE_TEXT

MAX_EVIDENCE_WORDS = 3
NO_TOKENIZER = "findings.no_tokenizer.v1"


@registry.tokenizers(NO_TOKENIZER)
def _no_tokenizer() -> Callable[[Language], Callable[[str], Doc]]:
    """For a pipeline that is only handed docs made elsewhere: text given to it is an error,
    not text split at spaces and scored badly without a word."""

    def create(nlp: Language) -> Callable[[str], Doc]:
        def refuse(text: str) -> Doc:
            raise TypeError("the theme model reads docs made by the annotation pipeline's "
                            "tokenizer: pass make_doc to theme_model.best_scores")

        return refuse

    return create


class ThemeClassifier:
    def __init__(self, nlp: Language, path: str) -> None:
        import spacy

        self.nlp = nlp
        self.folder = Path(path) if path else theme_model.SHIPPED_MODEL
        self.settings = theme_model.load_settings(self.folder)
        # The model reads docs this pipeline's tokenizer makes (the same base_nlp tokenizer it
        # was trained with), so it is loaded without building a tokenizer of its own: English's
        # 5,000 special cases, added twice, were ~0.3 s of every ingest's start.
        self.model = spacy.load(self.folder / "model", exclude=["tokenizer"],
                                config={"nlp": {"tokenizer": {"@tokenizers": NO_TOKENIZER}}})
        self.themes = list(self.settings.themes)
        self.rule_limits = self.settings.rule_limits()
        self.rule_precision: dict[str, float] = self.settings.trained.get("rule_precision", {})

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, stream: Iterable[Doc], batch_size: int = 256) -> Iterator[Doc]:
        for batch in minibatch(stream, size=batch_size):
            texts = [doc.user_data.get(SOURCE_TEXT) or doc.text for doc in batch]
            best = theme_model.best_scores(
                self.model, texts, batch_size,
                sentences=[theme_model.sentence_inputs(doc, self.settings.rule_features, text)
                           for doc, text in zip(batch, texts, strict=True)],
                make_doc=self.nlp.make_doc)
            for doc, text, doc_scores in zip(batch, texts, best, strict=True):
                self._tag(doc, text, doc_scores)
            yield from batch

    def _tag(self, doc: Doc, text: str, doc_scores: dict[str, float]) -> None:
        rules: dict[str, list[Span]] = {}
        for span in doc.spans.get("rule_themes", []):
            rules.setdefault(span.label_, []).append(span)
        scores = numpy.array([[float(doc_scores.get(t, 0.0)) for t in self.themes]])
        ruled = numpy.array([[t in rules for t in self.themes]])
        tagged = theme_model.decide(scores, ruled, self.settings.threshold, self.rule_limits)[0]
        spans = []
        terms: set[str] | None = None  # the text's evidence terms, made once when needed
        for theme, score, is_tagged in zip(self.themes, scores[0], tagged, strict=True):
            if not is_tagged:
                continue
            confidence = float(score)
            if score < self.settings.threshold:  # carried by its rule
                confidence = max(confidence, self.rule_precision.get(theme, 0.0))
            if theme in rules:
                span = min(rules[theme], key=lambda s: (len(s), s.start))
                evidence = f'rule: "{span.text}"'
                span = Span(doc, span.start, span.end, label=theme)
            else:
                if terms is None:
                    terms = set(theme_model.evidence_terms(text))
                span, evidence = self._word_evidence(doc, text, theme, terms)
            span._.confidence = round(confidence, 4)
            span._.evidence = evidence
            spans.append(span)
        doc.spans["themes"] = spans

    def _word_evidence(self, doc: Doc, text: str, theme: str, terms: set[str]
                       ) -> tuple[Span, str]:
        """The text's words that most mark `theme` in training, and a span at the first."""
        weights = self.settings.evidence_words.get(theme, {})
        present = terms & weights.keys()
        words = sorted(present, key=lambda t: (-weights[t], t))[:MAX_EVIDENCE_WORDS]
        whole = Span(doc, 0, len(doc), label=theme)
        if not words:
            return whole, "model: no single word stands out"
        found = re.search(r"\b" + re.escape(words[0]).replace(r"\ ", r"\W+") + r"\b",
                          text, flags=re.IGNORECASE)
        span = doc.char_span(found.start(), found.end(), label=theme,
                             alignment_mode="expand") if found else None
        return span or whole, "words: " + ", ".join(f'"{w}"' for w in words)


@Language.factory("theme_classifier", default_config={"path": ""})
def make_theme_classifier(nlp: Language, name: str, path: str) -> ThemeClassifier:
    return ThemeClassifier(nlp, path)
