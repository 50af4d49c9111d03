"""theme_tagger: marks what a text is about, from the taxonomy in themes.yaml.

Each theme is matched by lemma phrases, "near" word pairs and spaCy token patterns; a match
overlapping one of the theme's exclusions is dropped. Results go to doc.spans["themes"], one span
per match, labelled with the theme id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from spacy.attrs import LEMMA, LOWER
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

DEFAULT_THEMES = Path(__file__).with_name("themes.yaml")
EXCLUDE = "!exclude"


@dataclass(frozen=True)
class NearRule:
    """Any of `words` within `window` tokens of any of `with_`; entries may be multi-word."""

    words: tuple[tuple[str, ...], ...]
    with_: tuple[tuple[str, ...], ...]
    window: int


@dataclass
class Theme:
    id: str
    label: str
    description: str
    phrases: list[str] = field(default_factory=list)
    near: list[NearRule] = field(default_factory=list)
    patterns: list[list[dict]] = field(default_factory=list)
    exclude_phrases: list[str] = field(default_factory=list)
    exclude_patterns: list[list[dict]] = field(default_factory=list)


def load_taxonomy(path: str | Path | None = None) -> list[Theme]:
    """Read and check the taxonomy file; a mistake names the theme and the field."""
    path = Path(path) if path else DEFAULT_THEMES
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    themes: list[Theme] = []
    seen: set[str] = set()
    for i, raw in enumerate(data.get("themes") or []):
        tid = raw.get("id")
        if not tid or not raw.get("label") or not raw.get("description"):
            raise ValueError(f"{path}: theme #{i + 1} needs id, label and description")
        if tid in seen:
            raise ValueError(f"{path}: theme id {tid!r} is used twice")
        seen.add(tid)
        exclude = raw.get("exclude") or {}
        near = [
            NearRule(
                words=tuple(tuple(w.lower().split()) for w in rule["words"]),
                with_=tuple(tuple(w.lower().split()) for w in rule["with"]),
                window=int(rule.get("window", 5)),
            )
            for rule in raw.get("near") or []
        ]
        theme = Theme(
            id=tid,
            label=raw["label"],
            description=" ".join(raw["description"].split()),
            phrases=[str(p) for p in raw.get("phrases") or []],
            near=near,
            patterns=raw.get("patterns") or [],
            exclude_phrases=[str(p) for p in exclude.get("phrases") or []],
            exclude_patterns=exclude.get("patterns") or [],
        )
        if not (theme.phrases or theme.near or theme.patterns):
            raise ValueError(f"{path}: theme {tid!r} has no phrases, near rules or patterns")
        themes.append(theme)
    if not themes:
        raise ValueError(f"{path}: no themes defined")
    return themes


def _lemma_seq_at(lemmas: list[str], i: int, seq: tuple[str, ...]) -> bool:
    return tuple(lemmas[i : i + len(seq)]) == seq


class ThemeTagger:
    def __init__(self, nlp: Language, path: str) -> None:
        self.nlp = nlp
        self.themes = load_taxonomy(path or None)
        self._phrases: PhraseMatcher | None = None
        # one Matcher per pattern list, run only when the doc has a possible first word
        self._patterns: list[tuple[list[frozenset[tuple[str, str]]] | None, Matcher]] = []

    def _lemmatise(self, text: str) -> Doc:
        return self.nlp.get_pipe("lemma_normaliser")(self.nlp.make_doc(text))

    def _build(self) -> None:
        """Compile the matchers on first use: the lemma tables load at nlp.initialize()."""
        phrases = PhraseMatcher(self.nlp.vocab, attr="LEMMA")
        for theme in self.themes:
            if theme.phrases:
                phrases.add(theme.id, [self._lemmatise(p) for p in theme.phrases])
            if theme.exclude_phrases:
                phrases.add(theme.id + EXCLUDE, [self._lemmatise(p) for p in theme.exclude_phrases])
            for key, raw in ((theme.id, theme.patterns), (theme.id + EXCLUDE,
                                                          theme.exclude_patterns)):
                if raw:
                    expanded = _expand_sets(raw)
                    matcher = Matcher(self.nlp.vocab)
                    matcher.add(key, expanded)
                    self._patterns.append((_required_words(expanded), matcher))
        # Near-rule words are lemmatised the same way as the text.
        for theme in self.themes:
            theme.near = [
                NearRule(
                    words=tuple(tuple(t.lemma_ for t in self._lemmatise(" ".join(w)))
                                for w in rule.words),
                    with_=tuple(tuple(t.lemma_ for t in self._lemmatise(" ".join(w)))
                                for w in rule.with_),
                    window=rule.window,
                )
                for rule in theme.near
            ]
        self._phrases = phrases

    @staticmethod
    def _near_spans(positions: dict[str, list[int]], lemmas: list[str], rule: NearRule
                    ) -> list[tuple[int, int]]:
        def occurrences(seqs: tuple[tuple[str, ...], ...]) -> list[tuple[int, int]]:
            return [(i, i + len(seq)) for seq in seqs for i in positions.get(seq[0], ())
                    if _lemma_seq_at(lemmas, i, seq)]

        anchors = occurrences(rule.words)
        if not anchors:
            return []
        partners = occurrences(rule.with_)
        spans = []
        for a_start, a_end in anchors:
            for p_start, p_end in partners:
                gap = p_start - a_end if p_start >= a_end else a_start - p_end
                if 0 <= gap <= rule.window:
                    spans.append((min(a_start, p_start), max(a_end, p_end)))
        return spans

    def __call__(self, doc: Doc) -> Doc:
        if self._phrases is None:
            self._build()
        strings = self.nlp.vocab.strings
        # plain lists, not Token objects: creating those dominated the tagger's time
        ids = doc.to_array([LEMMA, LOWER]).tolist() if len(doc) else []
        lemmas = [strings[row[0]] for row in ids]
        words = {("LEMMA", w) for w in lemmas} | {("LOWER", strings[row[1]]) for row in ids}
        matches = list(self._phrases(doc))
        for gates, matcher in self._patterns:
            if gates is None or any(gate <= words for gate in gates):
                matches.extend(matcher(doc))
        found: dict[str, list[tuple[int, int]]] = {}
        for match_id, start, end in matches:
            found.setdefault(strings[match_id], []).append((start, end))
        positions: dict[str, list[int]] = {}
        for i, lemma in enumerate(lemmas):
            positions.setdefault(lemma, []).append(i)
        for theme in self.themes:
            for rule in theme.near:
                found.setdefault(theme.id, []).extend(self._near_spans(positions, lemmas, rule))
        spans: list[Span] = []
        for theme in self.themes:
            hits = found.get(theme.id)
            if not hits:
                continue
            excluded = found.get(theme.id + EXCLUDE, [])
            kept = [(s, e) for s, e in set(hits)
                    if not any(s < xe and xs < e for xs, xe in excluded)]
            # shortest first, so a "near" pair does not swallow a plain phrase match
            kept.sort(key=lambda se: (se[1] - se[0], se[0]))
            spans.extend(Span(doc, s, e, label=theme.id) for s, e in sorted(_non_overlapping(kept)))
        doc.spans["themes"] = spans
        return doc


def _expand_sets(patterns: list[list[dict]], limit: int = 2000) -> list[list[dict]]:
    """Rewrite {"LEMMA": {"IN": [a, b]}} as one pattern per value.

    Set predicates run in Python for every token; plain values stay in spaCy's compiled
    matcher, which keeps the tagger fast on thousands of texts.
    """
    out: list[list[dict]] = []
    for pattern in patterns:
        variants: list[list[dict]] = [[]]
        for token in pattern:
            choices = [{}]
            for attr, value in token.items():
                if isinstance(value, dict) and set(value) == {"IN"}:
                    choices = [{**c, attr: v} for c in choices for v in value["IN"]]
                else:
                    choices = [{**c, attr: value} for c in choices]
            variants = [v + [c] for v in variants for c in choices]
        out.extend(variants if len(variants) <= limit else [pattern])
    return out


def _required_words(patterns: list[list[dict]]) -> list[frozenset[tuple[str, str]]] | None:
    """Per pattern, the ("LOWER", "plan")-style words a doc must contain for it to match.

    Lets the tagger skip the Matcher on most texts. None when a pattern needs no plain word.
    """
    gates = []
    for pattern in patterns:
        required = set()
        for token in pattern:
            keys = {k.upper(): v for k, v in token.items()}
            if keys.get("OP") in {"?", "*"} or str(keys.get("OP", "")).startswith("{0"):
                continue
            for attr in ("LOWER", "LEMMA"):
                if isinstance(keys.get(attr), str):
                    required.add((attr, keys[attr].lower()))
        if not required:
            return None
        gates.append(frozenset(required))
    return gates


def _non_overlapping(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    taken: list[tuple[int, int]] = []
    for start, end in spans:
        if not any(start < t_end and t_start < end for t_start, t_end in taken):
            taken.append((start, end))
    return taken


@Language.factory("theme_tagger", default_config={"path": ""})
def make_theme_tagger(nlp: Language, name: str, path: str) -> ThemeTagger:
    return ThemeTagger(nlp, path)

