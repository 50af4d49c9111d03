"""The full-text search index: words of every searchable text, stemmed, with their positions.

`index_reports` is called by the loader (load/report.py) inside the transaction that inserts
the reports; `rebuild_index` by
`findings retag` and by the migration that adds the index to an older database. What is
searchable is the view `v_search_sources` (sql/search.sql), so every report family whose texts
land in the shared tables is indexed without code here knowing about it.

Word forms are joined by Porter's stemmer (1980; implemented below, deterministic, nothing to
download): "victims" -> victim, "exploited" and "exploitation" -> exploit, "management" and
"managers" -> manag. spaCy's lookup lemmas (transform/nlp/lemmas.py) were not used: they leave
"exploitation" apart from "exploited", map "better" to "well" and "well" to "good", and take
~0.8 s to load, which a one-second cold search cannot afford.
"""

from __future__ import annotations

import re
from functools import lru_cache

import duckdb

from load.bulk import insert_arrays, insert_columns

# a word: letters/digits, with inner apostrophes kept ("people's", "don't"); must agree with the
# regular expression in the search_units macro (sql/search.sql)
WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
IRREGULAR = {"children": "child", "women": "woman", "men": "man"}
INDEX_TABLES = ("search_documents", "search_postings")


def words(text: str) -> list[tuple[str, int, int]]:
    """(lower-cased word, start, end) for every word of `text`, in order."""
    folded = text.replace("’", "'").lower()
    return [(m.group(), m.start(), m.end()) for m in WORD.finditer(folded)]


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The index term of a lower-cased word."""
    if word.endswith("'s"):
        word = word[:-2]
    word = word.replace("'", "")
    if word in IRREGULAR:
        return IRREGULAR[word]
    if len(word) <= 2 or not word.isalpha() or not word.isascii():
        return word
    return porter(word)


# --- Porter's stemmer (M. F. Porter, "An algorithm for suffix stripping", 1980) ---------------


def _cons(w: str, i: int) -> bool:
    c = w[i]
    if c in "aeiou":
        return False
    if c == "y":
        return i == 0 or not _cons(w, i - 1)
    return True


def _measure(stem_: str) -> int:
    """m in [C](VC)^m[V]."""
    n, i, length = 0, 0, len(stem_)
    while i < length and _cons(stem_, i):
        i += 1
    while i < length:
        while i < length and not _cons(stem_, i):
            i += 1
        if i >= length:
            break
        while i < length and _cons(stem_, i):
            i += 1
        n += 1
    return n


def _has_vowel(stem_: str) -> bool:
    return any(not _cons(stem_, i) for i in range(len(stem_)))


def _double_cons(w: str) -> bool:
    return len(w) >= 2 and w[-1] == w[-2] and _cons(w, len(w) - 1)


def _cvc(w: str) -> bool:
    return (len(w) >= 3 and _cons(w, len(w) - 3) and not _cons(w, len(w) - 2)
            and _cons(w, len(w) - 1) and w[-1] not in "wxy")


STEP2 = (("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"),
         ("izer", "ize"), ("bli", "ble"), ("alli", "al"), ("entli", "ent"), ("eli", "e"),
         ("ousli", "ous"), ("ization", "ize"), ("ation", "ate"), ("ator", "ate"),
         ("alism", "al"), ("iveness", "ive"), ("fulness", "ful"), ("ousness", "ous"),
         ("aliti", "al"), ("iviti", "ive"), ("biliti", "ble"), ("logi", "log"))
STEP3 = (("icate", "ic"), ("ative", ""), ("alize", "al"), ("iciti", "ic"), ("ical", "ic"),
         ("ful", ""), ("ness", ""))
STEP4 = ("ement", "ance", "ence", "able", "ible", "ment", "ant", "ent", "ism", "ate", "iti",
         "ous", "ive", "ize", "ion", "al", "er", "ic", "ou")


def _replace(w: str, rules, min_measure: int) -> str:
    for suffix, repl in rules:
        if w.endswith(suffix):
            base = w[: -len(suffix)]
            return base + repl if _measure(base) > min_measure else w
    return w


def porter(w: str) -> str:
    # step 1a
    if w.endswith("sses") or w.endswith("ies"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith("ss"):
        w = w[:-1]
    # step 1b
    if w.endswith("eed"):
        if _measure(w[:-3]) > 0:
            w = w[:-1]
    else:
        for suffix in ("ed", "ing"):
            if w.endswith(suffix) and _has_vowel(w[: -len(suffix)]):
                w = w[: -len(suffix)]
                if w.endswith(("at", "bl", "iz")):
                    w += "e"
                elif _double_cons(w) and w[-1] not in "lsz":
                    w = w[:-1]
                elif _measure(w) == 1 and _cvc(w):
                    w += "e"
                break
    # step 1c
    if w.endswith("y") and _has_vowel(w[:-1]):
        w = w[:-1] + "i"
    w = _replace(w, STEP2, 0)
    w = _replace(w, STEP3, 0)
    # step 4
    for suffix in STEP4:
        if w.endswith(suffix):
            base = w[: -len(suffix)]
            if _measure(base) > 1 and (suffix != "ion" or base.endswith(("s", "t"))):
                w = base
            break
    # step 5
    if w.endswith("e"):
        base = w[:-1]
        if _measure(base) > 1 or (_measure(base) == 1 and not _cvc(base)):
            w = base
    if w.endswith("ll") and _measure(w) > 1:
        w = w[:-1]
    return w


# --- writing the index ------------------------------------------------------------------------


def index_texts(con: duckdb.DuckDBPyConnection, rows: list[tuple[str, str, str, str]]) -> int:
    """Index (source, source_id, report_id, text) rows; returns the number of words written."""
    import numpy  # here, so a search (which only stems its query) never imports it

    documents: dict[str, list] = {"source": [], "source_id": [], "report_id": [], "length": []}
    source_ids: list[str] = []  # the postings, column by column
    report_ids: list[str] = []
    terms: list[str] = []
    positions: list[int] = []
    seen: dict[str, str] = {}
    for source, source_id, report_id, text in rows:
        found = [seen.get(word) or seen.setdefault(word, stem(word))
                 for word, _, _ in words(text or "")]
        documents["source"].append(source)
        documents["source_id"].append(source_id)
        documents["report_id"].append(report_id)
        documents["length"].append(len(found))
        source_ids += [source_id] * len(found)
        report_ids += [report_id] * len(found)
        terms += found
        positions += range(len(found))
    insert_columns(con, "search_documents", documents)
    # thousands of rows per report: numpy columns convert faster than Python lists
    insert_arrays(con, "search_postings", {
        "source_id": numpy.array(source_ids, dtype=object),
        "report_id": numpy.array(report_ids, dtype=object),
        "term": numpy.array(terms, dtype=object),
        "pos": numpy.array(positions, dtype="int64"),
    })
    if seen:
        con.execute(
            "INSERT INTO search_vocabulary SELECT v.word, v.term"
            " FROM (SELECT unnest(?) AS word, unnest(?) AS term) v"
            " WHERE NOT EXISTS (SELECT 1 FROM search_vocabulary s WHERE s.word = v.word)",
            [list(seen), list(seen.values())],
        )
    return len(positions)


def index_reports(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> int:
    """Index the texts of reports just inserted (no index rows of theirs to delete yet)."""
    rows = con.execute(
        "SELECT source, source_id, report_id, text FROM v_search_sources"
        " WHERE report_id IN (SELECT unnest(?::VARCHAR[]))",
        [report_ids],
    ).fetchall()
    return index_texts(con, rows)


def rebuild_index(con: duckdb.DuckDBPyConnection) -> int:
    """Re-index every text (call inside a transaction); returns the number of words written."""
    for table in (*INDEX_TABLES, "search_vocabulary"):
        con.execute(f"DELETE FROM {table}")
    rows = con.execute(
        "SELECT source, source_id, report_id, text FROM v_search_sources"
        " ORDER BY report_id, source, source_id"
    ).fetchall()
    return index_texts(con, rows)
