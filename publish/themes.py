"""Per-theme summaries and quotes, as DataFrames every publishing format starts from.

The numbers come from the named queries theme_summary.sql and theme_quotes.sql, so what a file,
chart or web page shows is exactly what `findings query theme_summary` prints.
"""

from __future__ import annotations

from collections.abc import Sequence

from publish.outputs import PublishError, usage_error
from publish.query import run_named

KINDS: tuple[str, ...] = ("strength", "improvement")


def known_themes(con) -> list[str]:
    return [row[0] for row in con.execute("SELECT theme FROM themes ORDER BY theme").fetchall()]


def check_themes(con, themes: Sequence[str] | None) -> list[str]:
    """The requested theme ids (all when none are given); an unknown id is a clear error."""
    known = known_themes(con)
    if not known:
        raise PublishError("the database has no themes: ingest reports (or run `findings retag`)")
    if not themes:
        return known
    for theme in themes:
        if theme not in known:
            raise usage_error(f"unknown theme {theme!r} (themes: {', '.join(known)})")
    return list(dict.fromkeys(themes))


def theme_summary(con, themes: Sequence[str] | None = None, template: str | None = None):
    """One row per theme: reports/areas as strength and as improvement, shares, phrases.

    `template` ('cci-2009', 'yjs-2018') limits it to one report family; shares are then of
    that family's reports.
    """
    wanted = check_themes(con, themes)
    df = run_named(con, "theme_summary", {"template": check_template(con, template)})
    return df[df["theme"].isin(wanted)].reset_index(drop=True)


def theme_quotes(con, themes: Sequence[str] | None = None, kind: str | None = None,
                 template: str | None = None):
    """Every finding about the themes, with its citation (area, year, criterion or standard,
    page, file) and the report's template."""
    wanted = check_themes(con, themes)
    if kind and kind not in KINDS:
        raise usage_error(f"kind must be strength or improvement, not {kind!r}")
    df = run_named(con, "theme_quotes",
                   {"kind": kind or "", "template": check_template(con, template)})
    return df[df["theme"].isin(wanted)].reset_index(drop=True)


def check_template(con, template: str | None) -> str:
    """'' for every template, else a template the database holds (a typo is a clear error)."""
    if not template:
        return ""
    known = [row[0] for row in
             con.execute("SELECT DISTINCT template FROM reports ORDER BY 1").fetchall()]
    if template not in known:
        raise usage_error(f"no reports of template {template!r} (templates: {', '.join(known)})")
    return template


def code_noun(template: str | None) -> str:
    """What a finding's code is called in its framework: a CCI criterion, a youth (2018+ or
    2025) standard, the section of any other report (the generic layer files findings by
    the heading they sit under)."""
    template = str(template or "")
    if template.startswith("yjs"):
        return "standard"
    return "criterion" if template.startswith("cci") or not template else "section"


def citation(row) -> str:
    """'Stoke on Trent 2011, criterion 1.1, area for improvement 3, page 12 (file.pdf)'."""
    kind = "strength" if row["kind"] == "strength" else "area for improvement"
    return (f"{row['area']} {row['year']}, {code_noun(row.get('template'))} {row['criterion']}, "
            f"{kind} {row['seq']}, page {row['page']} ({row['file_name']})")
