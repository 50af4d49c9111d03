"""theme_tagger: marks what a text is about, from the taxonomy in themes.yaml.

Each theme is matched by lemma phrases, "near" word pairs and spaCy token patterns; a match
overlapping one of the theme's exclusions is dropped. Results go to doc.spans["themes"], one span
per match, labelled with the theme id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from spacy.attrs import LEMMA, LOWER
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from transform.nlp.batching import BatchPipe
from transform.nlp.yaml_files import read_yaml

for _name in ("confidence", "evidence"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)

DEFAULT_THEMES = Path(__file__).with_name("themes.yaml")
EXCLUDE = "!exclude"
NEAR, PARTNER = "!near", "!with"  # PhraseMatcher keys of a near rule's words and partners


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


def load_taxonomy(path: str | Path | None = None, require_rules: bool = True) -> list[Theme]:
    """Read and check the taxonomy file; a mistake names the theme and the field.

    A taxonomy for a learned model (`require_rules=False`) may give themes without rules.
    """
    path = Path(path) if path else DEFAULT_THEMES
    data = read_yaml(path)
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
        if require_rules and not (theme.phrases or theme.near or theme.patterns):
            raise ValueError(f"{path}: theme {tid!r} has no phrases, near rules or patterns")
        themes.append(theme)
    if not themes:
        raise ValueError(f"{path}: no themes defined")
    return themes


@dataclass(frozen=True)
class _Gate:
    """Lemma and lower-case hashes a doc must all contain for one pattern to match."""

    lemmas: frozenset[int]
    lowers: frozenset[int]


class _Gates:
    """A Matcher's gates, indexed by one word of each so a doc checks only the gates it can
    pass (most docs contain none of the words)."""

    def __init__(self, gates: list[_Gate]) -> None:
        self.by_lemma: dict[int, list[_Gate]] = {}
        self.by_lower: dict[int, list[_Gate]] = {}
        for gate in gates:
            if gate.lemmas:
                self.by_lemma.setdefault(min(gate.lemmas), []).append(gate)
            else:
                self.by_lower.setdefault(min(gate.lowers), []).append(gate)
        self.lemma_keys, self.lower_keys = frozenset(self.by_lemma), frozenset(self.by_lower)

    def open(self, lemmas: set[int], lowers: set[int]) -> bool:
        """True when the doc has every word of at least one gate."""
        if self.lemma_keys.isdisjoint(lemmas) and self.lower_keys.isdisjoint(lowers):
            return False
        for index, words in ((self.by_lemma, lemmas), (self.by_lower, lowers)):
            for key in index.keys() & words:
                if any(g.lemmas <= lemmas and g.lowers <= lowers for g in index[key]):
                    return True
        return False


class ThemeTagger(BatchPipe):
    """Rule matches go to doc.spans[spans_key]: "rule_themes" when a learned model decides
    (theme_classifier reads them), "themes" for a rule-only taxonomy, where the first shortest
    match of each theme becomes its tag, with confidence 1 and the match as evidence."""

    def __init__(self, nlp: Language, path: str, spans_key: str = "themes",
                 require_rules: bool = True) -> None:
        self.nlp = nlp
        self.spans_key = spans_key
        self.themes = load_taxonomy(path or None, require_rules=require_rules)
        self._order = {theme.id: n for n, theme in enumerate(self.themes)}
        self._phrases: PhraseMatcher | None = None
        # one Matcher per pattern list, run only when the doc has a possible first word
        self._patterns: list[tuple[_Gates | None, Matcher]] = []
        # (theme, window, key of its words, key of its partners) per near rule; the words are
        # found by the PhraseMatcher under those keys, like the theme phrases
        self._near: list[tuple[str, int, str, str]] = []

    def _lemmatise(self, text: str) -> Doc:
        return self.nlp.get_pipe("lemma_normaliser")(self.nlp.make_doc(text))

    def _build(self) -> None:
        """Compile the matchers on first use: the lemma tables load at nlp.initialize()."""
        strings = self.nlp.vocab.strings
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
                    required = _required_words(expanded)
                    gates = None if required is None else _Gates([
                        _Gate(frozenset(strings.add(w) for a, w in gate if a == "LEMMA"),
                              frozenset(strings.add(w) for a, w in gate if a == "LOWER"))
                        for gate in required
                    ])
                    self._patterns.append((gates, matcher))
        # Near-rule words are lemmatised the same way as the text.
        for theme in self.themes:
            for n, rule in enumerate(theme.near):
                keys = (f"{theme.id}{NEAR}{n}", f"{theme.id}{NEAR}{n}{PARTNER}")
                for key, words in zip(keys, (rule.words, rule.with_), strict=True):
                    phrases.add(key, [self._lemmatise(" ".join(w)) for w in words if w])
                self._near.append((theme.id, rule.window, *keys))
        self._phrases = phrases

    @staticmethod
    def _near_spans(anchors: list[tuple[int, int]], partners: list[tuple[int, int]],
                    window: int) -> list[tuple[int, int]]:
        """Each anchor with each partner at most `window` tokens away, either side."""
        spans = []
        for a_start, a_end in anchors:
            for p_start, p_end in partners:
                gap = p_start - a_end if p_start >= a_end else a_start - p_end
                if 0 <= gap <= window:
                    spans.append((min(a_start, p_start), max(a_end, p_end)))
        return spans

    def __call__(self, doc: Doc) -> Doc:
        if self._phrases is None:
            self._build()
        strings = self.nlp.vocab.strings
        found: dict[str, list[tuple[int, int]]] = {}
        for match_id, start, end in self._phrases(doc):
            found.setdefault(strings[match_id], []).append((start, end))
        # lemma / lower-case hashes as plain ints to open the pattern gates: Token objects and
        # string lookups per token dominated the tagger's time
        ids = doc.to_array([LEMMA, LOWER]).T.tolist() if len(doc) else [[], []]
        lemma_set, lower_set = set(ids[0]), set(ids[1])
        for gates, matcher in self._patterns:
            if gates is None or gates.open(lemma_set, lower_set):
                for match_id, start, end in matcher(doc):
                    found.setdefault(strings[match_id], []).append((start, end))
        for theme_id, window, words, partners in self._near:
            if words in found and partners in found:
                found.setdefault(theme_id, []).extend(
                    self._near_spans(found[words], found[partners], window))
        spans: list[Span] = []
        for theme_id in sorted(found.keys() & self._order.keys(), key=self._order.__getitem__):
            excluded = found.get(theme_id + EXCLUDE, [])
            kept = [(s, e) for s, e in set(found[theme_id])
                    if not any(s < xe and xs < e for xs, xe in excluded)]
            # shortest first, so a "near" pair does not swallow a plain phrase match
            kept.sort(key=lambda se: (se[1] - se[0], se[0]))
            kept = sorted(_non_overlapping(kept))
            if self.spans_key == "themes" and kept:  # rule-only: one tag per theme
                start, end = min(kept, key=lambda se: (se[1] - se[0], se[0]))
                tag = Span(doc, start, end, label=theme_id)
                tag._.confidence, tag._.evidence = 1.0, f'rule: "{tag.text}"'
                spans.append(tag)
            else:
                spans.extend(Span(doc, s, e, label=theme_id) for s, e in kept)
        doc.spans[self.spans_key] = spans
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


@Language.factory("theme_tagger",
                  default_config={"path": "", "spans_key": "themes", "require_rules": True})
def make_theme_tagger(nlp: Language, name: str, path: str, spans_key: str,
                      require_rules: bool) -> ThemeTagger:
    return ThemeTagger(nlp, path, spans_key, require_rules)

