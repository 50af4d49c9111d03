"""Precision and recall of the theme tagger against a hand-labelled set of texts.

Shared by bench/theme_accuracy.py (prints the table) and the tests (hold the bar).
"""

from __future__ import annotations

import hashlib
import json
import re
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

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


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


@dataclass
class MacroScore:
    """Unweighted mean over the themes the set has labels for (rare themes count as much)."""

    precision: float
    recall: float
    f1: float


def macro(scores: dict[str, ThemeScore]) -> MacroScore:
    present = [s for s in scores.values() if s.tp + s.fn]
    if not present:
        return MacroScore(1.0, 1.0, 1.0)
    n = len(present)
    return MacroScore(sum(s.precision for s in present) / n, sum(s.recall for s in present) / n,
                      sum(s.f1 for s in present) / n)


# --- 2018+ register: the corpus-yjs golds, split by sentence --------------------------------

#: share of sentence groups (hash bucket out of 100) kept apart from tuning
HELD_OUT_BUCKETS = 35
#: word-set overlap (Jaccard) at which two sentences count as one wording
SAME_WORDING = 0.6
_SERVICE = re.compile(r"\b(yos|yjs|yot|youth offending service|youth justice service)\b")


def normalise(text: str) -> str:
    """Lower case, whitespace collapsed, the service's name (YOS, YJS ...) made generic."""
    return _SERVICE.sub("service", " ".join(text.lower().split()))


def split_of(group_key: str) -> str:
    """"tune" or "held_out", fixed by a hash of a sentence group's key."""
    bucket = int(hashlib.sha256(group_key.encode("utf-8")).hexdigest()[:8], 16) % 100
    return "held_out" if bucket < HELD_OUT_BUCKETS else "tune"


def wording_groups(keys: list[str], threshold: float = SAME_WORDING) -> dict[str, str]:
    """Each normalised sentence -> the key of its group (the group's smallest key).

    The reports reuse one wording with another quantifier ("in a minority of" / "in over a
    third of the ... cases"); sentences whose word sets overlap by `threshold` or more are
    joined (transitively), so variants of one wording land on the same side of the split.
    """
    keys = sorted(set(keys))
    words = [frozenset(re.findall(r"\w+", k)) for k in keys]
    parent = list(range(len(keys)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(keys)):
        for j in range(i + 1, len(keys)):
            a, b = words[i], words[j]
            if len(a & b) >= threshold * len(a | b):
                ri, rj = root(i), root(j)
                parent[max(ri, rj)] = min(ri, rj)
    return {k: keys[root(i)] for i, k in enumerate(keys)}


def load_yjs_findings(folder: str | Path) -> dict[str, list[tuple[TextToTag, set[str]]]]:
    """Distinct finding sentences of the corpus-yjs golds with their themes, by split.

    Returns {"tune": [...], "held_out": [...]}; empty lists when the folder has no golds.
    Split by sentence, never by report (one sentence recurs across reports): identical
    sentences are kept once, and near-identical wordings (`wording_groups`) go to the same
    side, so no held-out wording was seen while tuning. A sentence labelled differently in two
    reports is refused rather than silently taking one label.
    """
    seen: dict[str, tuple[str, set[str]]] = {}
    for path in sorted(Path(folder).glob("*.gold.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        for f in gold.get("findings") or []:
            text = " ".join(f["text"].split())
            themes = set(f.get("themes") or [])
            if text in seen and seen[text][1] != themes:
                raise ValueError(f"{path.name}: {text[:60]!r} labelled {sorted(themes)} here "
                                 f"and {sorted(seen[text][1])} elsewhere")
            seen.setdefault(text, (text, themes))
    groups = wording_groups([normalise(t) for t in seen])
    out: dict[str, list[tuple[TextToTag, set[str]]]] = {"tune": [], "held_out": []}
    for text in sorted(seen):
        sid = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
        part = split_of(groups[normalise(text)])
        out[part].append((TextToTag("finding", sid, text), seen[text][1]))
    return out
