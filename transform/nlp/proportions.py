"""proportion_extractor: "just over half", "well over three-quarters" ... as share intervals.

A phrase is [hedge] [modifier] base, all read from proportions.yaml. For each phrase we also
record whether its clause is negated ("did not include ... in over one-third") and what it
applies to where the clause says so ("that was timely" -> "timely"). Clauses are found from
punctuation and conjunctions, not a parser, so this works with spacy.blank("en").
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

from spacy.attrs import IS_PUNCT, LEMMA, LOWER, ORTH, SENT_START, SPACY
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from transform.nlp.batching import BatchPipe
from transform.nlp.yaml_files import read_yaml

DEFAULT_LEXICON = Path(__file__).with_name("proportions.yaml")

for _attr in ("share_low", "share_high", "applies_to", "negated"):
    if not Span.has_extension(_attr):
        Span.set_extension(_attr, default=None)

AUXILIARIES = {"be", "have", "do"}
# words that may sit inside an auxiliary chain: "had only then been", "did not"
CHAIN = AUXILIARIES | {"not", "n't", "only", "then", "also", "still", "never", "always", "each",
                       "all", "sometimes", "often", "usually", "generally"}
CLAUSE_PUNCT = {",", ";", ":", "(", ")"}
CONJUNCTIONS = {"and", "but", "whilst", "while", "although", "or"}
SUBORDINATORS = {"where", "when", "whereas", "although", "because", "unless", "if", "which",
                 "whilst", "while", "as"}
LEAD_INS = {"in", "of", "during", "for", "at", "throughout", "then"}
TRAILING = {"in", "of", "for", "during", "at", "throughout", "on", "to", ",", "and", "only",
            "then"}
LEADING = {",", "and", "then", "only", "also"}


@dataclass(frozen=True)
class Base:
    name: str
    value: float | None
    exact: tuple[float, float]
    needs_unit: bool
    not_after: frozenset[str]


@dataclass(frozen=True)
class Lexicon:
    bases: dict[str, Base]
    base_phrases: dict[str, list[str]]
    modifiers: list[tuple[tuple[str, ...], tuple[float, float]]]  # longest phrase first
    hedges: frozenset[str]
    units: frozenset[str]
    negations: frozenset[str]


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """Read the lexicon file; each base needs a value or an exact interval."""
    path = Path(path) if path else DEFAULT_LEXICON
    data = read_yaml(path)
    tolerance = float(data.get("exact_tolerance", 0.02))
    bases, phrases = {}, {}
    for raw in data.get("bases") or []:
        name, value = raw["name"], raw.get("value")
        if raw.get("exact"):
            low, high = (float(x) for x in raw["exact"])
        elif value is not None:
            low, high = value - tolerance, value + tolerance
        else:
            raise ValueError(f"{path}: base {name!r} needs a value or an exact interval")
        bases[name] = Base(name, None if value is None else float(value),
                           (max(0.0, low), min(1.0, high)), bool(raw.get("needs_unit")),
                           frozenset(raw.get("not_after") or []))
        phrases[name] = [str(p) for p in raw["phrases"]]
    modifiers = [
        (tuple(str(p).lower().split()), (float(m["offset"][0]), float(m["offset"][1])))
        for m in data.get("modifiers") or []
        for p in m["phrases"]
    ]
    modifiers.sort(key=lambda m: -len(m[0]))
    return Lexicon(bases, phrases, modifiers, frozenset(data.get("hedges") or []),
                   frozenset(data.get("units") or []), frozenset(data.get("negations") or []))


def share_interval(lexicon: Lexicon, base: str, modifier: tuple[float, float] | None
                   ) -> tuple[float, float]:
    """The share interval of base + optional modifier offset, clipped to 0..1."""
    b = lexicon.bases[base]
    if modifier is None or b.value is None:
        return round(b.exact[0], 4), round(b.exact[1], 4)
    low, high = b.value + modifier[0], b.value + modifier[1]
    return round(max(0.0, low), 4), round(min(1.0, high), 4)


class ProportionExtractor(BatchPipe):
    def __init__(self, nlp: Language, path: str) -> None:
        self.lexicon = load_lexicon(path or None)
        # modifiers by their last word, longest first: "well over" is tried before "over"
        self._modifiers: dict[str, list[tuple[tuple[str, ...], tuple[float, float]]]] = {}
        for words, offset in self.lexicon.modifiers:
            self._modifiers.setdefault(words[-1], []).append((words, offset))
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for name, phrases in self.lexicon.base_phrases.items():
            self.matcher.add(name, [nlp.make_doc(p) for p in phrases])
        self._words = WordCache()
        self._percent_words = {nlp.vocab.strings.add(w) for w in ("%", "cent")}

    # -- finding phrases -------------------------------------------------------------------
    def _counts_as_share(self, t: Tokens, base: Base, start: int, end: int) -> bool:
        """Apply the base's context rules ("all relevant cases", not "all relevant staff")."""
        if start > 0 and t.lower[start - 1] in base.not_after:
            return False
        if not base.needs_unit:
            return True
        if end == t.n or t.punct[end] or t.lower[end] in {"of", "these", "those"}:
            return True
        for i in range(end, min(t.n, end + 5)):
            if t.lemma[i] in self.lexicon.units:
                return True
            if t.lower[i] in {"of", "where", "when", "that", "which"} or t.punct[i]:
                return False
        return False

    def _modifier_before(self, t: Tokens, start: int) -> tuple[int, tuple[float, float] | None]:
        if start == 0:
            return start, None
        for words, offset in self._modifiers.get(t.lower[start - 1], ()):
            s = start - len(words)
            if s >= 0 and tuple(t.lower[s:start]) == words:
                return s, offset
        return start, None

    def _percent(self, doc: Doc, t: Tokens) -> list[tuple[int, int, float]]:
        if "%" not in t.lower and "cent" not in t.lower:
            return []
        found = []
        for i in range(t.n - 1):
            is_pct = t.lower[i + 1] == "%" or (t.lower[i + 1] == "per" and i + 2 < t.n
                                               and t.lower[i + 2] == "cent")
            if is_pct and doc[i].like_num:
                try:
                    value = float(t.lower[i]) / 100
                except ValueError:
                    continue
                found.append((i, i + 2 if t.lower[i + 1] == "%" else i + 3, value))
        return found

    def __call__(self, doc: Doc) -> Doc:
        matches = self.matcher(doc)
        if not matches and (not len(doc) or self._percent_words.isdisjoint(
                doc.to_array(LOWER).tolist())):
            doc.spans["proportions"] = []  # no phrase and no percentage: nothing to read
            return doc
        t = Tokens(doc, self._words)
        strings = doc.vocab.strings
        candidates = [Span(doc, s, e, label=strings[m]) for m, s, e in matches]
        found: list[tuple[int, int, str, float, float]] = []
        for span in filter_spans(candidates):
            base = self.lexicon.bases[span.label_]
            if not self._counts_as_share(t, base, span.start, span.end):
                continue
            start, modifier = span.start, None
            if base.value is not None:  # fixed words ("the great majority") take no modifier
                start, modifier = self._modifier_before(t, span.start)
            if start > 0 and t.lower[start - 1] in self.lexicon.hedges:
                start -= 1
            low, high = share_interval(self.lexicon, base.name, modifier)
            found.append((start, span.end, base.name, low, high))
        for s, e, value in self._percent(doc, t):
            start, modifier = self._modifier_before(t, s)
            low, high = value, value
            if modifier:
                low, high = value + modifier[0], value + modifier[1]
            found.append((start, e, "percent", max(0.0, round(low, 4)), min(1.0, round(high, 4))))
        found.sort()
        spans: list[Span] = []
        for start, end, label, low, high in found:
            span = Span(doc, start, end, label=label)
            ext = span._
            ext.share_low, ext.share_high = low, high
            spans.append(span)
        _annotate_clauses(t, spans, self.lexicon.negations)
        doc.spans["proportions"] = spans
        return doc


class WordCache:
    """String of a word's hash, remembered across docs: a dict lookup is several times cheaper
    than asking the StringStore for every token of every text."""

    def __init__(self) -> None:
        self._text: dict[int, str] = {}

    def __call__(self, doc: Doc, ids: list[int]) -> list[str]:
        text = self._text
        try:
            return list(map(text.__getitem__, ids))
        except KeyError:
            strings = doc.vocab.strings
            for key in ids:
                if key not in text:
                    text[key] = strings[key]
            return list(map(text.__getitem__, ids))


class Tokens:
    """Plain lists of a doc's token attributes: the clause rules read them many times."""

    def __init__(self, doc: Doc, words: WordCache | None = None) -> None:
        self.doc = doc
        self.words = words = words or WordCache()
        self.n = n = len(doc)
        columns = (doc.to_array([LOWER, LEMMA, IS_PUNCT, SENT_START, ORTH, SPACY]).T.tolist()
                   if n else [[]] * 6)
        self.lower = words(doc, columns[0])
        self.lemma = words(doc, columns[1])
        self.punct = [v == 1 for v in columns[2]]
        # first token of each sentence; sentence() finds a token's sentence from these
        self._starts = [i for i, v in enumerate(columns[3]) if i == 0 or v == 1]
        self._orth, self._space = columns[4], columns[5]  # for text(), without Token objects

    def sentence(self, i: int) -> tuple[int, int]:
        """(start, end) token indices of the sentence holding token i."""
        k = bisect_right(self._starts, i) - 1
        end = self._starts[k + 1] if k + 1 < len(self._starts) else self.n
        return self._starts[k], end

    def participle(self, i: int) -> bool:
        """A past-tense verb or participle, guessed from its ending (no tagger in the pipeline)."""
        word = self.lower[i]
        return word.endswith("ed") and len(word) > 4 and word not in {"need", "indeed"}

    def verb(self, i: int) -> bool:
        return self.lemma[i] in AUXILIARIES or self.participle(i)

    def text(self, start: int, end: int) -> str | None:
        """Text of tokens start..end without leading/trailing glue words and punctuation."""
        while end > start and (self.lower[end - 1] in TRAILING or self.punct[end - 1]):
            end -= 1
        while start < end and (self.lower[start] in LEADING or self.punct[start]):
            start += 1
        if start >= end:
            return None
        # what doc[start:end].text gives: each token and its trailing space, bar the last's
        words = self.words(self.doc, self._orth[start:end])
        spaces = self._space[start:end]
        spaces[-1] = 0
        return "".join(w + " " if sp else w for w, sp in zip(words, spaces, strict=True))

    def skip_chain(self, i: int, stop: int) -> int:
        while i < stop and (self.lemma[i] in CHAIN or self.lower[i] in CHAIN):
            i += 1
        return i


# -- clause reading: negation and what the share applies to ----------------------------------
def _starts_clause(t: Tokens, i: int, phrase_starts: set[int]) -> bool:
    """A conjunction starts a new clause when a proportion phrase follows it directly."""
    j = i + 1
    while j < t.n and t.lower[j] in LEAD_INS:
        j += 1
    return j in phrase_starts


def _clause_bounds(t: Tokens, span: Span, phrase_starts: set[int]) -> tuple[int, int]:
    sent_start, sent_end = t.sentence(span.start)
    start = sent_start
    for i in range(span.start - 1, sent_start - 1, -1):
        if t.lower[i] in CLAUSE_PUNCT or (t.lower[i] in CONJUNCTIONS
                                          and _starts_clause(t, i, phrase_starts)):
            start = i + 1
            break
    end = sent_end
    for i in range(span.end, sent_end):
        word = t.lower[i]
        if (word in CLAUSE_PUNCT or word in SUBORDINATORS
                or (word in CONJUNCTIONS and _starts_clause(t, i, phrase_starts))):
            end = i
            break
    return start, end


def _applies_to(t: Tokens, span: Span, start: int, end: int) -> str | None:
    """The predicate the share is about: "that was timely" > "had been effective in" > verb."""
    for i in range(start, end - 1):
        if t.lower[i] in {"that", "which"} and t.lemma[i + 1] == "be":
            return t.text(t.skip_chain(i + 1, end), end)
    before = [i for i in range(start, span.start) if t.lemma[i] in AUXILIARIES]
    if before:
        return t.text(t.skip_chain(before[-1], span.start), span.start)
    participles = [i for i in range(start, span.start) if t.participle(i)]
    if participles:
        return t.text(participles[0], span.start)
    after = [i for i in range(span.end, end) if t.lemma[i] in AUXILIARIES]
    if after:
        return t.text(t.skip_chain(after[0], end), end)
    for i in range(span.end, end):
        if t.participle(i):
            return t.text(i, end)
    return None


def _annotate_clauses(t: Tokens, spans: list[Span], negations: frozenset[str]) -> None:
    starts = {s.start for s in spans}
    previous: Span | None = None
    for span in spans:
        start, end = _clause_bounds(t, span, starts)
        outside = [i for i in range(start, end) if not span.start <= i < span.end]
        has_verb = any(t.verb(i) for i in outside)
        ext = span._
        if not has_verb and previous is not None and (
                t.sentence(previous.start)[0] == t.sentence(span.start)[0]):
            # "..., and parents/carers in over one-third": the verb (and its "not") is shared
            before = previous._
            ext.negated, ext.applies_to = before.negated, before.applies_to
            previous = span
            continue
        if not has_verb:
            # "Home visits were carried out ..., in well over three-quarters": the verb is
            # before the comma
            start = t.sentence(span.start)[0]
            outside = [i for i in range(start, end) if not span.start <= i < span.end]
        ext.negated = any(t.lower[i] in negations for i in outside)
        ext.applies_to = _applies_to(t, span, start, end)
        previous = span


@Language.factory("proportion_extractor", default_config={"path": ""})
def make_proportion_extractor(nlp: Language, name: str, path: str) -> ProportionExtractor:
    return ProportionExtractor(nlp, path)
