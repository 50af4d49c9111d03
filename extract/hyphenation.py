"""Join wrapped lines into running text, undoing line-end hyphenation by evidence.

A line ending in a hyphen is either a word split by the layout engine ("assess-/ment") or a
real compound that happened to break at its hyphen ("self-/assessment"). We decide with:
1. the document's own vocabulary: does the joined or the hyphenated form occur unbroken?
2. the document's typesetting: a document whose many line-end hyphens never split a word
   ("assess-/ment") was not hyphenated automatically, so its line-end hyphens are real ones;
3. an English word list (spaCy's lookup tables, shipped offline by spacy-lookups-data);
4. the hyphen glyph as a weak hint (U+2010 / soft hyphen are usually automatic hyphenation).
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

HYPHENS = "-\u2010\u00ad\u2011"
_AUTO_HINT = "\u2010\u00ad"
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'\u2019]*(?:[-\u2010\u2011][A-Za-z][A-Za-z'\u2019]*)*")
_TAIL = re.compile(r"([A-Za-z]+)[" + HYPHENS + r"]$")
_HEAD = re.compile(r"^([A-Za-z]+)")
# A line's first word with the hyphenated compound it may start ("of-court" of "out-/of-court").
_HEAD_COMPOUND = re.compile(r"^([A-Za-z]+(?:[-\u2010\u2011][A-Za-z]+)+)")
_SLASHED = re.compile(r"([A-Za-z]+)/(\s?)([A-Za-z]+)")
# Closed compounds spaCy's lemma tables leave out but any English reader knows as one word.
_EXTRA_WORDS = frozenset({"cannot"})
# When "none of the line-end hyphens splits a word" says a document was set without automatic
# hyphenation: there are at least MIN_LINE_END_HYPHENS of them, and they end at most
# MAX_HYPHENATED_SHARE of its lines. Automatic hyphenation ends 9-15 % of a report's lines with
# a hyphen, more than half of them splitting a word; documents set without it, 0-1.1 % (every
# corpus we have, all producers). A short text with a few hyphens stays undecided.
MIN_LINE_END_HYPHENS = 3
MAX_HYPHENATED_SHARE = 0.03


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Lower-case English word forms from spaCy's lemma tables (loaded once per process)."""
    words: set[str] = set()
    try:
        from spacy_lookups_data import en
    except ImportError:  # the word list is a hint; without it document evidence still works
        return frozenset()
    for name in ("lemma_lookup", "lemma_index", "lemma_exc"):
        path = en.get(name) if isinstance(en, dict) else None
        if path is None:
            continue
        gz = str(path) + ".gz"
        try:
            with gzip.open(gz, "rt", encoding="utf8") as handle:
                table = json.load(handle)
        except OSError:
            continue
        if name == "lemma_lookup":
            words.update(k.lower() for k in table)
            words.update(v.lower() for v in table.values())
        elif name == "lemma_index":
            for forms in table.values():
                words.update(w.lower() for w in forms)
        else:
            for mapping in table.values():
                for form, lemmas in mapping.items():
                    words.add(form.lower())
                    words.update(lemma.lower() for lemma in lemmas)
    return frozenset(w for w in words if w.isalpha()) | _EXTRA_WORDS


class Vocabulary:
    """How often each word form occurs unbroken in one document (lower case)."""

    def __init__(self, lines: Iterable[str] = ()) -> None:
        self.counts: Counter[str] = Counter()
        # "parents/carers" printed unbroken vs "parents/ carers" with a space, inside a line
        self.slashed: Counter[str] = Counter()
        self.slash_spaced: Counter[str] = Counter()
        self.lines = 0
        self.line_end_hyphens = 0
        self.split_words = 0  # line-end hyphens that split one word: "assess-/ment"
        self._tail: str | None = None
        for line in lines:
            self.add(line)

    @property
    def hyphenates_automatically(self) -> bool | None:
        """Whether the layout engine split words at line ends; None without enough evidence."""
        if self.split_words:
            return True
        if MIN_LINE_END_HYPHENS <= self.line_end_hyphens <= MAX_HYPHENATED_SHARE * self.lines:
            return False
        return None

    def add(self, line: str) -> None:
        """Count the line's words, and whether the previous line's end hyphen split a word."""
        self.lines += 1
        self._count_line_end_hyphen(line)
        for left, space, right in _SLASHED.findall(line):
            key = f"{left}/{right}".lower()
            (self.slash_spaced if space else self.slashed)[key] += 1
        text = line.rstrip()
        if text and text[-1] in HYPHENS:  # the last fragment is not a whole word
            text = text[: -1].rsplit(" ", 1)[0] if " " in text else ""
        for token in _TOKEN.findall(text):
            self.counts[token.lower().replace("\u2010", "-").replace("\u2011", "-")] += 1

    def _count_line_end_hyphen(self, line: str) -> None:
        if self._tail:
            head = _HEAD.match(line.lstrip())
            # without a word list a split cannot be told, so nothing is counted
            if head and (words := english_words()):
                self.line_end_hyphens += 1
                left, right = self._tail.lower(), head.group(1).lower()
                if len(right) >= 2 and right not in words and left + right in words:
                    self.split_words += 1
        text = line.rstrip()
        if not text or text[-1] not in HYPHENS:  # most lines: nothing more to look at
            self._tail = None
            return
        text = " ".join(text.split())
        tail = _TAIL.search(text)
        attached = tail and (len(text) == len(tail.group(0)) or not text[-2].isspace())
        self._tail = tail.group(1) if attached else None

    def __getitem__(self, word: str) -> int:
        return self.counts.get(word, 0)


def keep_hyphen(
    left: str, right: str, glyph: str, vocabulary: Vocabulary, compound: str | None = None
) -> bool:
    """Decide whether "left<hyphen>/right" is a real compound (True) or one split word.

    `compound` is the whole hyphenated word the next line starts with ("of-court"), whose
    unbroken forms ("out-of-court" / "outof-court") are the best evidence when present.
    """
    if glyph not in _AUTO_HINT and vocabulary.hyphenates_automatically is False:
        return True
    if compound:
        whole_hyphened = vocabulary[f"{left}-{compound}".lower()]
        whole_joined = vocabulary[f"{left}{compound}".lower()]
        if whole_hyphened != whole_joined:
            return whole_hyphened > whole_joined
    joined = (left + right).lower()
    hyphened = f"{left}-{right}".lower()
    in_doc_joined, in_doc_hyphened = vocabulary[joined], vocabulary[hyphened]
    if in_doc_joined != in_doc_hyphened:
        return in_doc_hyphened > in_doc_joined
    words = english_words()
    left_l, right_l = left.lower(), right.lower()
    score = 0.0  # > 0: keep the hyphen
    if right_l not in words or len(right_l) < 2:
        score -= 2.0
    elif joined in words:
        score -= 1.5
    else:  # both halves are words but together they are not one
        score += 1.0
    if left_l in words and right_l in words and len(right_l) > 2:
        score += 1.5
    if right[:1].isupper():
        score += 1.0
    score += -1.5 if glyph in _AUTO_HINT else 0.5
    return score > 0


def _slash_unbroken(out: str, line: str, vocabulary: Vocabulary) -> bool:
    """A line ending at a slash: the document prints "parents/carers" unbroken more than
    "parents/ carers" with a space (without evidence either way, the space stays)."""
    left, right = re.search(r"([A-Za-z]*)/$", out), _HEAD.match(line)
    if not left or not left.group(1) or not right:
        return False
    key = f"{left.group(1)}/{right.group(1)}".lower()
    return vocabulary.slashed[key] > vocabulary.slash_spaced[key]


def join_lines(lines: Iterable[str], vocabulary: Vocabulary | None = None) -> str:
    """Join lines into one string: collapse whitespace, undo line-end hyphenation."""
    vocabulary = vocabulary or Vocabulary()
    out = ""
    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            continue
        if not out:
            out = line
            continue
        tail = _TAIL.search(out)
        head = _HEAD.match(line)
        if tail and head and (len(out) == len(tail.group(0)) or not out[-2].isspace()):
            glyph = out[-1]
            compound = _HEAD_COMPOUND.match(line)
            whole = compound.group(1) if compound else None
            whole = whole.replace("\u2010", "-").replace("\u2011", "-") if whole else None
            if keep_hyphen(tail.group(1), head.group(1), glyph, vocabulary, whole):
                out = out[:-1] + "-" + line
            else:
                out = out[:-1] + line
        elif out[-1] in HYPHENS and out[-2:-1].isalpha() and line[:1].isalnum():
            out = out[:-1] + "-" + line
        elif out[-1] == "/" and _slash_unbroken(out, line, vocabulary):
            out = out + line
        else:
            out = out + " " + line
    return out.replace("\u2010", "-").replace("\u2011", "-")
