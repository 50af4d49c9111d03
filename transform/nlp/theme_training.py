"""`findings themes train`: labelled texts + taxonomy -> a model folder the tagger loads.

1. Read the taxonomy and the labels (every mistake found before any training).
   The network reads each text with a marker word per theme whose rules matched in it
   (theme_model.model_input), so it learns how far to trust each rule.
2. Calibrate on the labels' own training part: train on four fifths of its paraphrase
   groups, score the fifth, and choose there (a) the threshold that gives the best micro-F1
   and (b) the themes whose rules measurably help, i.e. where "rule matched and score above
   the rule threshold" adds more agreeing tags than wrong ones.
3. Train the final model on the whole training part and save it with those settings.

The held-out part (split "held_out") is never read here: bench/theme_accuracy.py scores it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy

from transform.nlp import theme_model
from transform.nlp.theme_labels import LabelledText, read_labels
from transform.nlp.themes import Theme, load_taxonomy

#: the labelled corpus the shipped model is trained on (in a source checkout)
SHIPPED_LABELS = Path(__file__).resolve().parents[2] / "data" / "themes" / "labels.jsonl"
THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)
RULE_THRESHOLDS = (0.0, 0.02, 0.05, 0.1, 0.2)
#: a rule is kept for a theme when it adds at least this many more agreeing tags than wrong
MIN_RULE_GAIN = 2
CALIBRATION_SHARE = 20  # percent of paraphrase groups scored in step 2


@dataclass
class TrainingReport:
    texts: int
    themes: int
    threshold: float
    rule_themes: list[str]
    calibration_f1: float
    seconds: float
    out: str


def fold_of(group: str, folds: int = 100) -> int:
    """A paraphrase group's fixed bucket (0..folds-1), from a hash of its key."""
    return int(hashlib.sha256(group.encode("utf-8")).hexdigest()[:8], 16) % folds


def read_rules(taxonomy: str, texts: Sequence[str], themes: Sequence[str]
               ) -> tuple[numpy.ndarray, list[list[str]] | None]:
    """What the taxonomy's rules say of each text, from one pass of the rules pipeline:
    (texts x themes) booleans (did a rule of the theme match), and each text's sentences with
    their rule matches' marker words, as the network reads them (None when `taxonomy` is "":
    no rules, no markers)."""
    from transform.nlp.pipeline import get_rules_nlp

    hits = numpy.zeros((len(texts), len(themes)), dtype=bool)
    if not taxonomy:
        return hits, None
    column = {t: j for j, t in enumerate(themes)}
    sentences = []
    for row, doc in enumerate(get_rules_nlp(taxonomy).pipe(texts, batch_size=256)):
        for span in doc.spans["rule_themes"]:
            if span.label_ in column:
                hits[row, column[span.label_]] = True
        sentences.append(theme_model.sentence_inputs(doc, rule_features=True))
    return hits, sentences


def micro_f1(gold: numpy.ndarray, predicted: numpy.ndarray) -> float:
    tp = int((gold & predicted).sum())
    fp = int((~gold & predicted).sum())
    fn = int((gold & ~predicted).sum())
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def calibrate(scores: numpy.ndarray, gold: numpy.ndarray, rules: numpy.ndarray,
              themes: Sequence[str]) -> tuple[float, dict[str, float], dict[str, float], float]:
    """(threshold, rule threshold per helping theme, rule precision per helping theme,
    micro-F1), chosen on the calibration fold.

    Per theme, the rule override (rule threshold 0: the rule tags alone) with the largest net
    gain in agreeing tags (added true tags minus added false ones) is kept when that gain is at
    least MIN_RULE_GAIN. The network already reads every rule match (its marker words), so an
    override is kept only where the fold shows it still adds. (Before the markers, a rule
    also tagged alone whenever 80 % of its matches agreed with the readers; with them, that
    lowered the calibration fold's micro-F1 from 0.879 to 0.874.)
    """
    threshold = max(THRESHOLDS, key=lambda t: (micro_f1(gold, scores >= t), -abs(t - 0.5)))
    chosen: dict[str, float] = {}
    precision: dict[str, float] = {}
    for j, theme in enumerate(themes):
        best_gain, best = MIN_RULE_GAIN - 1, None
        for rule_threshold in sorted(RULE_THRESHOLDS, reverse=True):  # ties: the stricter
            added = rules[:, j] & (scores[:, j] < threshold) & (scores[:, j] >= rule_threshold)
            gain = int((added & gold[:, j]).sum()) - int((added & ~gold[:, j]).sum())
            if gain > best_gain:
                best_gain, best = gain, rule_threshold
        if best is not None:
            chosen[theme] = best
            fired = rules[:, j]
            precision[theme] = round(float((fired & gold[:, j]).sum() / max(1, fired.sum())), 3)
    limits = numpy.array([chosen.get(t, numpy.inf) for t in themes])
    tagged = theme_model.decide(scores, rules, threshold, limits)
    return threshold, chosen, precision, micro_f1(gold, tagged)


def train_theme_model(labels_path: str | Path, taxonomy_path: str | Path, out: str | Path,
                      settings: theme_model.TrainingSettings | None = None,
                      log: Callable[[str], None] = print) -> TrainingReport:
    started = time.perf_counter()
    settings = settings or theme_model.TrainingSettings()
    taxonomy: list[Theme] = load_taxonomy(taxonomy_path, require_rules=False)
    themes = [t.id for t in taxonomy]
    rows = read_labels(labels_path, themes)
    train_rows = [r for r in rows if r.split == "train"]
    log(f"{len(train_rows)} training texts ({len(rows) - len(train_rows)} held out, not read), "
        f"{len(themes)} themes")

    uses_rules = any(t.phrases or t.near or t.patterns for t in taxonomy)
    hits, sentences = read_rules(str(taxonomy_path) if uses_rules else "",
                                 [r.text for r in train_rows], themes)
    # salted: the labels' own held-out split may use the same hash of the group
    checked = [fold_of("calibrate:" + r.group) < CALIBRATION_SHARE for r in train_rows]
    check_at = [i for i, c in enumerate(checked) if c]
    fit_at = [i for i, c in enumerate(checked) if not c]
    if not check_at or not fit_at:
        raise ValueError(f"{labels_path}: too few paraphrase groups to calibrate on; "
                         f"give more labelled texts (or fewer per group)")
    fit = [train_rows[i] for i in fit_at]
    check = [train_rows[i] for i in check_at]
    log(f"calibrating: training on {len(fit)} texts, scoring {len(check)}")
    model = theme_model.train(_with_rule_words(fit, hits[fit_at], themes), themes, settings,
                              _epoch_log(log))
    scores = theme_model.scores(model, [r.text for r in check], themes,
                                [sentences[i] for i in check_at] if sentences else None)
    gold = _gold(check, themes)
    rules = hits[check_at]
    threshold, rule_thresholds, rule_precision, f1 = calibrate(scores, gold, rules, themes)
    plain = micro_f1(gold, scores >= threshold)
    log(f"threshold {threshold}: calibration micro-F1 {plain:.3f} by the model alone, {f1:.3f} "
        f"with the rules of {len(rule_thresholds)} themes "
        f"({', '.join(f'{t} {v}' for t, v in rule_thresholds.items()) or 'none'})")

    log(f"training the final model on all {len(train_rows)} training texts")
    model = theme_model.train(_with_rule_words(train_rows, hits, themes), themes, settings,
                              _epoch_log(log))
    model_settings = theme_model.ModelSettings(
        themes=themes, threshold=threshold, rule_thresholds=rule_thresholds,
        rule_features=uses_rules,
        evidence_words=theme_model.learn_evidence_words(train_rows, themes),
        trained={"labels": Path(labels_path).name, "texts": len(train_rows),
                 "settings": settings.__dict__, "calibration_micro_f1": round(f1, 4),
                 "calibration_micro_f1_model_alone": round(plain, 4),
                 "rule_precision": rule_precision},
    )
    theme_model.save(model, model_settings, Path(taxonomy_path), Path(out))
    seconds = round(time.perf_counter() - started, 1)
    log(f"saved {out} in {seconds}s")
    return TrainingReport(len(train_rows), len(themes), threshold, sorted(rule_thresholds),
                          round(f1, 4), seconds, str(out))


def _with_rule_words(rows: Sequence[LabelledText], hits: numpy.ndarray, themes: Sequence[str]
                     ) -> list[LabelledText]:
    """The rows as the network reads them: each text with the marker words of its rule
    matches (`hits`, from read_rules; a text no rule matched is unchanged)."""
    return [dataclasses.replace(r, text=theme_model.model_input(
                r.text, [t for t, hit in zip(themes, row, strict=True) if hit]))
            for r, row in zip(rows, hits, strict=True)]


def _gold(rows: Sequence[LabelledText], themes: Sequence[str]) -> numpy.ndarray:
    return numpy.array([[t in r.themes for t in themes] for r in rows], dtype=bool).reshape(
        len(rows), len(themes))


def _epoch_log(log: Callable[[str], None]) -> Callable[[int, float], None]:
    return lambda epoch, loss: log(f"  epoch {epoch}: loss {loss:.3f}")
