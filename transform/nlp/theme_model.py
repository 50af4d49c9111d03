"""The learned theme model: train spaCy's `textcat_multilabel` from labelled texts, save it
next to its taxonomy and decision settings, and load it back.

A saved model is a folder:
    model/            spaCy pipeline (tokenizer + textcat_multilabel), `nlp.to_disk`
    themes.yaml       the taxonomy it was trained on (ids, labels, descriptions, any rules)
    settings.json     threshold, rule use, evidence words per theme, training record

Training is seeded and single-threaded, so one command gives the same model again. It needs
no pretrained vectors and no network: the CNN embeds words from their own letters (prefix,
suffix, shape) and a bag-of-words layer learns the n-grams.
"""

from __future__ import annotations

import bisect
import json
import math
import random
import re
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy

from transform.nlp.theme_labels import LabelledText

SHIPPED_MODEL = Path(__file__).with_name("theme_model")
COMPONENT = "textcat_multilabel"

#: spaCy's textcat_multilabel, written out so the shipped model does not change when a new
#: spaCy release changes its defaults. Ensemble = a CNN over subword hash embeddings plus a
#: bag of uni- and bigrams.
MODEL_CONFIG = {
    "@architectures": "spacy.TextCatEnsemble.v2",
    "nO": None,
    "tok2vec": {
        "@architectures": "spacy.Tok2Vec.v2",
        "embed": {
            "@architectures": "spacy.MultiHashEmbed.v2",
            "width": 64,
            "rows": [2000, 2000, 1000, 1000, 1000],
            "attrs": ["NORM", "LOWER", "PREFIX", "SUFFIX", "SHAPE"],
            "include_static_vectors": False,
        },
        "encode": {
            "@architectures": "spacy.MaxoutWindowEncoder.v2",
            "width": 64,
            "window_size": 1,
            "maxout_pieces": 3,
            "depth": 2,
        },
    },
    "linear_model": {
        "@architectures": "spacy.TextCatBOW.v3",
        "exclusive_classes": False,
        "length": 131072,
        "ngram_size": 2,
        "no_output_layer": False,
        "nO": None,
    },
}


@dataclass
class TrainingSettings:
    """How a model is trained; recorded in settings.json so a run can be repeated."""

    epochs: int = 12
    seed: int = 0
    dropout: float = 0.2
    batch_start: int = 8
    batch_stop: int = 32
    learn_rate: float = 0.001


@dataclass
class ModelSettings:
    """What the tagger needs beside the network: when a score becomes a tag, and why."""

    themes: list[str]
    threshold: float = 0.5
    #: theme -> the lower threshold that applies when one of its rules matched: only themes
    #: whose rules measurably help (a transparent override; 0 = the rule alone decides)
    rule_thresholds: dict[str, float] = field(default_factory=dict)
    #: theme -> {word or bigram: weight}, the words that most mark the theme in training
    evidence_words: dict[str, dict[str, float]] = field(default_factory=dict)
    trained: dict = field(default_factory=dict)
    #: the network reads each sentence with a marker word per theme whose rules matched in it
    #: (`model_input`); False for a taxonomy without rules, and for models trained before
    rule_features: bool = False

    def rule_limits(self) -> numpy.ndarray:
        """Each theme's rule threshold in `themes` order (inf: its rules are not used)."""
        return numpy.array([self.rule_thresholds.get(t, numpy.inf) for t in self.themes])

    def to_json(self) -> str:
        return json.dumps(self.__dict__, indent=1, sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> ModelSettings:
        return cls(**json.loads(text))


def decide(scores: numpy.ndarray, rules: numpy.ndarray, threshold: float,
           rule_limits: numpy.ndarray) -> numpy.ndarray:
    """The tagging rule, on (texts x themes) arrays: a theme is tagged when its score reaches
    the threshold, or when one of its rules matched and the score reaches the theme's rule
    threshold (`ModelSettings.rule_limits`)."""
    return (scores >= threshold) | (rules & (scores >= rule_limits[None, :]))


def base_nlp():
    """Blank English with the project's tokenizer tweak: training and tagging share it."""
    import spacy
    from spacy.util import compile_suffix_regex

    nlp = spacy.blank("en")
    # "RoH." and "LoR." end sentences: split the full stop off mixed-case acronyms too
    suffixes = [*nlp.Defaults.suffixes, r"(?<=[a-z][A-Z])\."]
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    return nlp


def train(texts: Sequence[LabelledText], themes: Sequence[str],
          settings: TrainingSettings | None = None,
          progress: Callable[[int, float], None] | None = None):
    """A tokenizer + textcat_multilabel pipeline trained on `texts` (seeded, repeatable)."""
    from spacy.training import Example
    from spacy.util import fix_random_seed, minibatch
    from thinc.api import Adam, compounding

    settings = settings or TrainingSettings()
    fix_random_seed(settings.seed)
    nlp = base_nlp()
    nlp.add_pipe("sentencizer")  # best_scores scores each sentence of a long text too
    textcat = nlp.add_pipe(COMPONENT, config={"model": MODEL_CONFIG, "threshold": 0.5})
    for theme in themes:
        textcat.add_label(theme)
    examples = [Example.from_dict(nlp.make_doc(t.text),
                                  {"cats": {th: float(th in t.themes) for th in themes}})
                for t in texts]
    nlp.initialize(lambda: examples)
    optimizer = Adam(settings.learn_rate)
    order = random.Random(settings.seed)
    for epoch in range(settings.epochs):
        order.shuffle(examples)
        losses: dict[str, float] = {}
        sizes = compounding(settings.batch_start, settings.batch_stop, 1.001)
        for batch in minibatch(examples, size=sizes):
            nlp.update(batch, drop=settings.dropout, sgd=optimizer, losses=losses)
        if progress:
            progress(epoch + 1, losses.get(COMPONENT, 0.0))
    return nlp


def best_scores(nlp, texts: Sequence[str], batch_size: int = 256,
                sentences: Sequence[Sequence[str]] | None = None,
                make_doc: Callable[[str], Any] | None = None) -> list[dict[str, float]]:
    """Per text, each theme's highest score over the text's sentences (`sentences`, per text,
    when the caller has split them already; else the model's sentencizer splits them).
    `make_doc`: the tokenizer to read the sentences with, when not the model's own.

    A long finding is about what any of its sentences is about: scored whole, one theme's
    sentence is diluted by the others (on the Stoke findings recall rose from 0.47 to 0.62).
    Scoring each sentence, and not the whole text as well, reads each word once: the same
    calibration micro-F1 (0.866 against 0.865) for about two thirds of the time. A sentence
    repeated within the call is scored once.
    """
    if sentences is None:
        splitter = nlp.get_pipe("sentencizer")
        sentences = [[s.text for s in splitter(nlp.make_doc(text)).sents] for text in texts]
    owners: list[list[int]] = []
    unique: dict[str, int] = {}
    for text, parts in zip(texts, sentences, strict=True):
        owners.append([unique.setdefault(part, len(unique)) for part in (parts or [text])])
    with nlp.select_pipes(enable=[COMPONENT]):
        inputs = list(unique) if make_doc is None else [make_doc(part) for part in unique]
        scored = [doc.cats for doc in nlp.pipe(inputs, batch_size=batch_size)]
    best: list[dict[str, float]] = []
    for parts in owners:
        cats = dict(scored[parts[0]])
        for part in parts[1:]:
            for theme, value in scored[part].items():
                if value > cats[theme]:
                    cats[theme] = value
        best.append(cats)
    return best


def scores(nlp, texts: Sequence[str], themes: Sequence[str],
           sentences: Sequence[Sequence[str]] | None = None) -> numpy.ndarray:
    """(texts x themes) best_scores as an array (`sentences` as for best_scores)."""
    out = numpy.zeros((len(texts), len(themes)), dtype="float32")
    for row, cats in enumerate(best_scores(nlp, texts, sentences=sentences)):
        out[row] = [cats.get(t, 0.0) for t in themes]
    return out


# --- rule matches as input ------------------------------------------------------------------

def rule_word(theme: str) -> str:
    """The marker word that tells the network a rule of `theme` matched (no text has it)."""
    return f"rulematch_{theme}"


def model_input(text: str, rule_themes: Iterable[str]) -> str:
    """A sentence (or, in training, a whole text) as the network reads it: its words, then a
    marker word per theme whose rules matched in it.

    The network learns from the labels how far to trust each rule and in which company, so
    a rule that is right on report wording but loose on fresh wording is weighed, not obeyed
    (on the calibration fold: 0.871 micro-F1 against 0.856 without the markers).
    """
    marks = sorted(set(rule_themes))
    return " ".join([text, *(rule_word(t) for t in marks)]) if marks else text


def sentence_inputs(doc, rule_features: bool, text: str | None = None) -> list[str]:
    """The network's input for each sentence of `doc` (sentences set; rule matches, if any,
    in doc.spans["rule_themes"]). `text`: doc.text, if the caller has it (spaCy rebuilds it
    from every token on each call)."""
    text = doc.text if text is None else text
    bounds = sentence_bounds(doc)
    # a span's text is text[start_char:end_char]; slicing skips a Token object per token
    texts = [text[span.start_char:span.end_char] for span in (doc[s:e] for s, e in bounds)]
    if not rule_features:
        return texts
    matched: list[set[str]] = [set() for _ in bounds]
    ends = [e for _, e in bounds]
    for span in doc.spans.get("rule_themes", []):
        matched[bisect.bisect_right(ends, span.start)].add(span.label_)
    return [model_input(part, m) for part, m in zip(texts, matched, strict=True)]


def sentence_bounds(doc) -> list[tuple[int, int]]:
    """(start, end) token indices of each of `doc.sents`, read from the sentence-start flags
    in one array (iterating doc.sents makes a Token object for every token)."""
    from spacy.attrs import SENT_START

    if not len(doc) or not doc.has_annotation("SENT_START"):
        return [(s.start, s.end) for s in doc.sents]  # empty, or spaCy's own error
    flags = doc.to_array(SENT_START).astype("int64")
    starts = [0, *(int(i) + 1 for i in numpy.flatnonzero(flags[1:] == 1))]
    return list(zip(starts, [*starts[1:], len(doc)], strict=True))


# --- evidence: the words that most mark each theme ------------------------------------------

_WORD = re.compile(r"[a-z][a-z'-]*[a-z]|[a-z]")
_STOP = frozenset((
    "a", "all", "an", "and", "any", "are", "as", "at", "be", "been", "but", "by", "can",
    "could", "each", "for", "from", "had", "has", "have", "he", "her", "him", "his", "i", "in",
    "into", "is", "it", "its", "may", "might", "more", "most", "no", "not", "of", "on", "or",
    "our", "she", "should", "some", "such", "than", "that", "the", "their", "them", "then",
    "there", "these", "they", "this", "those", "to", "us", "very", "was", "we", "well", "were",
    "what", "when", "where", "whether", "which", "who", "will", "with", "within", "would",
    "you", "your",
))


def evidence_terms(text: str) -> list[str]:
    """Lower-case words and bigrams of content words, as evidence is matched on."""
    words = _WORD.findall(text.lower())
    terms = [w for w in words if w not in _STOP and len(w) > 2]
    terms += [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)
              if a not in _STOP and b not in _STOP]
    return terms


def learn_evidence_words(texts: Sequence[LabelledText], themes: Sequence[str],
                         keep: int = 400, min_count: int = 3) -> dict[str, dict[str, float]]:
    """Per theme, the terms whose presence most raises the odds of the theme (smoothed log
    odds ratio, terms in at least `min_count` texts of the theme)."""
    docs = [set(evidence_terms(t.text)) for t in texts]
    df_all = Counter(term for d in docs for term in d)
    n = len(texts)
    out: dict[str, dict[str, float]] = {}
    for theme in themes:
        pos = [d for d, t in zip(docs, texts, strict=True) if theme in t.themes]
        df_pos = Counter(term for d in pos for term in d)
        n_pos, n_neg = len(pos), n - len(pos)
        weights = {}
        for term, c_pos in df_pos.items():
            if c_pos < min_count:
                continue
            c_neg = df_all[term] - c_pos
            ratio = math.log((c_pos + 0.5) / (n_pos + 1)) - math.log((c_neg + 0.5) / (n_neg + 1))
            if ratio > 1.0:
                weights[term] = round(ratio, 3)
        best = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:keep]
        out[theme] = dict(best)
    return out


# --- saving and loading ---------------------------------------------------------------------

def save(nlp, settings: ModelSettings, taxonomy_file: Path, out: Path) -> None:
    """Write the model folder in full beside `out`, then move it in: never half-written."""
    out = Path(out)
    tmp = out.with_name(out.name + f".tmp-{int(time.time() * 1000)}")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    try:
        nlp.to_disk(tmp / "model")
        shutil.copyfile(taxonomy_file, tmp / "themes.yaml")
        (tmp / "settings.json").write_text(settings.to_json() + "\n", encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)


def load_settings(folder: Path) -> ModelSettings:
    return ModelSettings.from_json((Path(folder) / "settings.json").read_text(encoding="utf-8"))


def is_model(folder: str | Path) -> bool:
    folder = Path(folder)
    return all((folder / name).exists() for name in ("model", "themes.yaml", "settings.json"))
