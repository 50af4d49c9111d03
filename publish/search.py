"""Full-text search over findings, recommendations, good practice and service users' points.

A query is read the way a search box reads it: `"quoted words"` are a phrase (the words next to
each other, in that order), other words count one by one, and common words ("the", "of") are
dropped outside phrases. Each word is stemmed like the index (load/search_index.py), so
"victim" finds "victims" and "exploited" finds "exploitation". Texts are ranked by BM25
(the `search_rank` macro in sql/search.sql), texts containing every word and phrase first.
Each hit carries its citation (area, year, template, criterion, kind, item number, page, file)
and a snippet with the matched words marked `**like this**`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from publish.outputs import PublishError, usage_error

SOURCES: tuple[str, ...] = ("finding", "recommendation", "good_practice", "service_users")
KINDS: tuple[str, ...] = ("strength", "improvement", "children_and_young_people", "victims")
TOKEN = re.compile(r'"[^"]*"?|[^\s"]+')
SNIPPET_CHARS = 240
MARK = "**"
COLUMNS: tuple[str, ...] = (
    "score", "source", "area", "year", "template", "region", "criterion", "kind", "seq", "page",
    "snippet", "text", "file_name", "report_id", "source_id", "matched",
)


@dataclass
class Query:
    """A parsed query: units of stems (one per word, several per phrase) and what was typed."""

    text: str
    units: list[list[str]] = field(default_factory=list)
    phrases: list[bool] = field(default_factory=list)


@dataclass
class Filters:
    sources: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    templates: list[str] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)


def parse_query(text: str, stopwords: set[str] | frozenset[str] = frozenset()) -> Query:
    """'victims "management oversight"' -> units [['victim'], ['manag', 'oversight']]."""
    from load.search_index import stem, words

    query = Query(text)
    for token in TOKEN.findall(text):
        phrase = token.startswith('"')
        found = [w for w, _, _ in words(token)]
        if not phrase:
            found = [w for w in found if w not in stopwords]
        if not found:
            continue
        if phrase:
            query.units.append([stem(w) for w in found])
            query.phrases.append(True)
        else:  # a hyphenated or apostrophe'd word ("well-being") is a phrase of its parts
            query.units.append([stem(w) for w in found])
            query.phrases.append(len(found) > 1)
    return query


def stopwords(con) -> frozenset[str]:
    """The stop words of the search_stopwords() macro (one list, in sql/search.sql)."""
    return frozenset(con.execute("SELECT search_stopwords()").fetchone()[0])


def search(con, text: str, filters: Filters | None = None, limit: int = 20):
    """Rank every indexed text against `text`; a DataFrame of at most `limit` hits (COLUMNS)."""
    import pandas as pd

    return pd.DataFrame(search_rows(con, text, filters, limit), columns=list(COLUMNS))


def search_rows(
    con, text: str, filters: Filters | None = None, limit: int = 20
) -> list[tuple[Any, ...]]:
    """The hits of `search` as plain tuples in COLUMNS order: no pandas, so the command line's
    cold start stays short (pandas alone costs about half a second to import)."""
    import duckdb

    filters = filters or Filters()
    if limit < 1:
        raise usage_error("--limit must be at least 1")
    query = parse_query(text, stopwords(con))
    if not query.units:
        raise usage_error(f"nothing to search for in {text!r} (only common words?)")
    _check_filters(con, filters)
    where, params = _where(filters)
    params.update(units=query.units, limit=limit)
    sql = f"""
        SELECT round(r.score, 3) AS score, t.source, t.area, t.year, t.template, t.region,
               t.criterion, t.kind, t.seq, t.page, t.text, t.file_name, t.report_id,
               t.source_id, r.matched
        FROM search_rank($units) r
        JOIN v_search_texts t USING (source, source_id)
        {where}
        ORDER BY r.matched DESC, r.score DESC, t.report_id, t.source_id
        LIMIT $limit
    """
    try:
        cursor = con.execute(sql, params)
        names = [d[0] for d in cursor.description]
        found = cursor.fetchall()
    except duckdb.CatalogException as exc:
        if "search_" in str(exc):
            raise usage_error(
                "this database has no search index; upgrade it with `findings migrate`"
            ) from None
        raise PublishError(f"SQL error: {str(exc).splitlines()[0]}") from None
    rows = []
    for values in found:
        hit = dict(zip(names, values, strict=True))
        hit["snippet"] = snippet(hit["text"], query)
        rows.append(tuple(hit[c] for c in COLUMNS))
    return rows


def _check_filters(con, filters: Filters) -> None:
    for source in filters.sources:
        if source not in SOURCES:
            raise usage_error(f"unknown source {source!r} (sources: {', '.join(SOURCES)})")
    for kind in filters.kinds:
        if kind not in KINDS:
            raise usage_error(f"unknown kind {kind!r} (kinds: {', '.join(KINDS)})")
    if filters.themes:
        known = {row[0] for row in con.execute("SELECT theme FROM themes").fetchall()}
        for theme in filters.themes:
            if theme not in known:
                raise usage_error(f"unknown theme {theme!r} (see `findings themes`)")


def _where(filters: Filters) -> tuple[str, dict[str, Any]]:
    clauses: list[str] = []
    params: dict[str, Any] = {}
    if filters.sources:
        clauses.append("list_contains($sources, t.source)")
        params["sources"] = list(filters.sources)
    if filters.kinds:
        clauses.append("list_contains($kinds, t.kind)")
        params["kinds"] = list(filters.kinds)
    if filters.themes:
        clauses.append(
            "EXISTS (SELECT 1 FROM text_themes th WHERE th.source = t.source"
            " AND th.source_id = t.source_id AND list_contains($themes, th.theme)"
            " AND theme_confident(th.confidence))"
        )
        params["themes"] = list(filters.themes)
    if filters.templates:  # 'cci' matches 'cci-2009'
        clauses.append("len(list_filter($templates, lambda x: t.template = x"
                       " OR starts_with(t.template, x || '-'))) > 0")
        params["templates"] = list(filters.templates)
    if filters.areas:  # any part of the name, any case
        clauses.append("len(list_filter($areas, lambda x: t.area ILIKE '%' || x || '%')) > 0")
        params["areas"] = list(filters.areas)
    if filters.years:
        clauses.append("list_contains($years, t.year)")
        params["years"] = [int(y) for y in filters.years]
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def unit_spans(text: str, query: Query) -> list[tuple[int, int, int]]:
    """(start, end, unit number) of every occurrence of a unit of `query` in `text`."""
    from load.search_index import stem, words

    found = words(text)
    stems = [stem(w) for w, _, _ in found]
    spans = []
    for number, unit in enumerate(query.units):
        width = len(unit)
        for i in range(len(stems) - width + 1):
            if stems[i:i + width] == unit:
                spans.append((found[i][1], found[i + width - 1][2], number))
    return sorted(spans)


def match_spans(text: str, query: Query) -> list[tuple[int, int]]:
    """Character spans of `text` where a unit of `query` occurs (phrases as one span)."""
    merged: list[tuple[int, int]] = []
    for start, end, _ in unit_spans(text, query):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def snippet(text: str, query: Query, width: int = SNIPPET_CHARS) -> str:
    """About `width` characters of `text` where most of the query's words and phrases are,
    matches marked **so**."""
    spans = match_spans(text, query)
    start, end = 0, len(text)
    if len(text) > width:
        units = unit_spans(text, query)
        # the window (starting a third of its width before a match) holding the most units
        best = max(units, key=lambda u: (len({n for s, e, n in units
                                                if s >= u[0] - width // 3
                                                and e <= u[0] - width // 3 + width}), -u[0]),
                   default=(0, 0, 0))
        first = best[0]
        start = max(0, first - width // 3)
        if start:  # begin at a word
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < first else start
        end = min(len(text), start + width)
        if end < len(text):
            space = text.rfind(" ", start, end)
            end = space if space > best[1] else end
    out, cursor = [], start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        out += [text[cursor:s], MARK, text[s:e], MARK]
        cursor = e
    out.append(text[cursor:end])
    return ("…" if start > 0 else "") + "".join(out) + ("…" if end < len(text) else "")
