"""Labelled texts for training a theme model: read and check a JSON-lines labels file.

One object per line: {"text": "...", "themes": ["victims", ...]}, optionally with "id",
"group" (paraphrases of one statement share a group, so they stay on one side of a split)
and "split" ("train" or "held_out"). A mistake is reported as one line naming file:line and
what to do, before anything is trained or written.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

#: fewest texts a theme needs before a model can learn it (and cross-validate it)
MIN_EXAMPLES = 10
SPLITS = ("train", "held_out")


class LabelsError(ValueError):
    """A labels file that cannot be trained on; the message names file:line and the fix."""


@dataclass(frozen=True)
class LabelledText:
    text: str
    themes: frozenset[str]
    id: str
    group: str
    split: str = "train"
    register: str = ""
    kind: str = ""


def read_labels(path: str | Path, theme_ids: list[str] | set[str],
                min_examples: int = MIN_EXAMPLES) -> list[LabelledText]:
    """Every labelled text of `path`, checked against the taxonomy's theme ids."""
    path = Path(path)
    known = set(theme_ids)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise LabelsError(f"{path}: cannot read the labels file ({exc})") from None
    rows: list[LabelledText] = []
    first_line: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise LabelsError(f'{where}: not valid JSON ({exc.msg}); each line must be one '
                              f'object like {{"text": "...", "themes": ["victims"]}}') from None
        rows.append(_row(raw, where, number, known))
        for theme in rows[-1].themes:
            first_line.setdefault(theme, number)
    if not rows:
        raise LabelsError(f"{path}: no labelled texts; add lines like "
                          f'{{"text": "...", "themes": ["victims"]}}')
    counts = Counter(t for r in rows if r.split == "train" for t in r.themes)
    for theme in sorted(known):
        if counts[theme] < min_examples:
            line = f":{first_line[theme]}" if theme in first_line else ""
            raise LabelsError(
                f"{path}{line}: theme {theme!r} has {counts[theme]} training example"
                f"{'' if counts[theme] == 1 else 's'}, fewer than the {min_examples} a model "
                f"needs; label more texts with it or remove it from the taxonomy")
    return rows


def _row(raw: object, where: str, number: int, known: set[str]) -> LabelledText:
    if not isinstance(raw, dict):
        raise LabelsError(f'{where}: expected an object like {{"text": "...", "themes": [...]}}')
    text, themes = raw.get("text"), raw.get("themes")
    if not isinstance(text, str) or not text.strip():
        raise LabelsError(f'{where}: "text" must be a non-empty string')
    if not isinstance(themes, list) or not all(isinstance(t, str) for t in themes):
        raise LabelsError(f'{where}: "themes" must be a list of theme ids ([] for none)')
    unknown = sorted(set(themes) - known)
    if unknown:
        raise LabelsError(f"{where}: unknown theme {unknown[0]!r}; use one of the taxonomy's "
                          f"ids or add it to the taxonomy file")
    split = raw.get("split", "train")
    if split not in SPLITS:
        raise LabelsError(f'{where}: "split" must be "train" or "held_out", not {split!r}')
    ident = str(raw.get("id") or number)
    return LabelledText(" ".join(text.split()), frozenset(themes), ident,
                        str(raw.get("group") or ident), split,
                        str(raw.get("register") or ""), str(raw.get("kind") or ""))
