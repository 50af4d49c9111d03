"""Precision and recall of the theme tagger against a hand-labelled set of texts.

Shared by bench/theme_accuracy.py (prints the table) and the tests (hold the bar).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from transform.nlp.annotations import TextToTag


@dataclass
class ThemeScore:
    theme: str
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def load_labelled(path: str | Path) -> list[tuple[TextToTag, set[str]]]:
    """A labelled fixture: findings with text and the themes a reader judged them to be about."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    out = []
    for i, f in enumerate(data["findings"]):
        key = f"{f['criterion']}:{f['kind'][0].upper()}:{f['n']}" if "criterion" in f else str(
            f.get("n", i + 1))
        out.append((TextToTag("finding", key, f["text"]), set(f["themes"])))
    return out


def score(labelled: list[tuple[TextToTag, set[str]]], predicted: dict[str, set[str]],
          themes: list[str]) -> dict[str, ThemeScore]:
    """Per-theme counts; a theme no text is labelled with still counts its false positives."""
    scores = {t: ThemeScore(t, 0, 0, 0) for t in themes}
    for item, gold in labelled:
        got = predicted.get(item.source_id, set())
        for theme in themes:
            s = scores[theme]
            if theme in gold and theme in got:
                s.tp += 1
            elif theme in got:
                s.fp += 1
            elif theme in gold:
                s.fn += 1
    return scores


def micro(scores: dict[str, ThemeScore]) -> ThemeScore:
    return ThemeScore("micro", sum(s.tp for s in scores.values()),
                      sum(s.fp for s in scores.values()), sum(s.fn for s in scores.values()))
