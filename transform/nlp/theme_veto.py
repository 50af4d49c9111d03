"""theme_veto: a small learned check on the rule-based theme tags.

For the themes listed in `theme_veto.json`, a logistic regression over the text's lemma
unigrams and bigrams gives the probability that a reader would tag the theme; a rule match is
dropped when that probability is below the theme's threshold. The rules propose, the model
only vetoes: it never adds a theme.

The weights are a shipped data file, trained deterministically (plain gradient descent from
zero, fixed iterations, no randomness) by `train()` from the 2018+ tune split and the CCI
fixture labels - see `bench/theme_accuracy.py --train-veto`. Nothing is downloaded.
Which themes get a veto, and at what threshold, was chosen by 5-fold cross-validation within
the tune split (folds by sentence group), see docs/themes.md.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path

import numpy
from spacy.language import Language
from spacy.tokens import Doc

from transform.nlp.batching import BatchPipe

DEFAULT_VETO = Path(__file__).with_name("theme_veto.json")


def features(lemmas: list[str]) -> set[str]:
    """Lower-case lemma unigrams and bigrams; punctuation dropped, numbers made "#"."""
    words = ["#" if any(c.isdigit() for c in w) else w.lower() for w in lemmas]
    return set(words) | {f"{a} {b}" for a, b in zip(words, words[1:], strict=False)}


def doc_features(doc: Doc) -> set[str]:
    return features([t.lemma_ for t in doc if not (t.is_punct or t.is_space)])


def train(samples: list[set[str]], labels: dict[str, list[bool]], l2: float = 0.3,
          min_df: int = 2, iterations: int = 3000, rate: float = 2.0
          ) -> dict[str, tuple[float, dict[str, float]]]:
    """One logistic regression per theme in `labels`, by full-batch gradient descent from
    zero (fixed step and iterations): deterministic. Returns theme -> (bias, weights)."""
    df = Counter(f for s in samples for f in s)
    vocab = sorted(f for f, c in df.items() if c >= min_df)
    index = {f: i for i, f in enumerate(vocab)}
    x = numpy.zeros((len(samples), len(vocab) + 1))
    x[:, -1] = 1.0
    for row, s in enumerate(samples):
        for f in s:
            if f in index:
                x[row, index[f]] = 1.0
    themes = sorted(labels)
    y = numpy.array([labels[t] for t in themes], dtype=float).T
    w = numpy.zeros((x.shape[1], len(themes)))
    reg = numpy.full((x.shape[1], 1), l2)
    reg[-1] = 0.0
    step = rate / x.sum(1).mean()
    for _ in range(iterations):
        p = 1.0 / (1.0 + numpy.exp(-(x @ w)))
        w -= step * (x.T @ (p - y) + reg * w)
    return {t: (round(float(w[-1, j]), 4),
                {f: round(float(w[i, j]), 4) for f, i in index.items() if abs(w[i, j]) >= 1e-3})
            for j, t in enumerate(themes)}


OFF = "off"  # as `path`: no veto (a user's own taxonomy, which the shipped model never saw)


class ThemeVeto(BatchPipe):
    def __init__(self, nlp: Language, path: str) -> None:
        self.nlp = nlp
        self.path = None if path == OFF else Path(path) if path else DEFAULT_VETO
        exists = self.path is not None and self.path.exists()
        data = json.loads(self.path.read_text(encoding="utf-8")) if exists else {}
        # theme -> (bias, weights, threshold)
        self.models: dict[str, tuple[float, dict[str, float], float]] = {
            theme: (float(m["bias"]), {k: float(v) for k, v in m["weights"].items()},
                    float(m["threshold"]))
            for theme, m in (data.get("themes") or {}).items()
        }

    def probability(self, theme: str, feats: set[str]) -> float:
        bias, weights, _ = self.models[theme]
        z = bias + sum(weights.get(f, 0.0) for f in feats)
        return 1.0 / (1.0 + math.exp(-z))

    def __call__(self, doc: Doc) -> Doc:
        spans = doc.spans.get("themes") if "themes" in doc.spans else None
        if not self.models or not spans:
            return doc
        tagged = {s.label_ for s in spans} & self.models.keys()
        if not tagged:
            return doc
        feats = doc_features(doc)
        vetoed = {t for t in tagged if self.probability(t, feats) < self.models[t][2]}
        if vetoed:
            doc.spans["themes"] = [s for s in spans if s.label_ not in vetoed]
        return doc


@Language.factory("theme_veto", default_config={"path": ""})
def make_theme_veto(nlp: Language, name: str, path: str) -> ThemeVeto:
    return ThemeVeto(nlp, path)
