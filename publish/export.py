"""Write theme summaries to a file a researcher opens elsewhere: CSV, XLSX, Parquet, Markdown.

CSV and Parquet are single tables, so they hold the quotes (one row per finding and theme) with
the theme's summary figures repeated on each row; XLSX has a summary sheet plus one sheet per
theme; Markdown is a readable document with the summary table and each theme's quotes.
"""

from __future__ import annotations

from pathlib import Path

from publish.formatting import cell, to_markdown
from publish.outputs import PublishError, output_file, usage_error
from publish.themes import citation, theme_quotes, theme_summary

EXPORT_FORMATS: tuple[str, ...] = ("csv", "xlsx", "parquet", "md")
SUMMARY_COLUMNS: tuple[str, ...] = (
    "theme", "label", "reports_strength", "areas_strength", "findings_strength",
    "share_reports_strength", "reports_improvement", "areas_improvement",
    "findings_improvement", "share_reports_improvement", "reports_total",
    "typical_phrases_strength", "median_share_strength", "typical_phrases_improvement",
    "median_share_improvement",
)
QUOTE_COLUMNS: tuple[str, ...] = (
    "kind", "area", "year", "region", "criterion", "criterion_title", "seq", "page", "file_name",
    "proportion_phrases", "matched_texts", "confidence", "evidence", "text", "finding_id",
    "template", "standard_rating",
)


def export_themes(con, out: str | Path, fmt: str | None = None,
                  themes: list[str] | None = None, template: str | None = None) -> Path:
    """Write the summary and quotes of `themes` (all by default) to `out`; returns the path.

    Every quote carries its report's template; `template` limits the export to one family.
    """
    fmt = (fmt or Path(out).suffix.lstrip(".")).lower()
    if fmt not in EXPORT_FORMATS:
        raise usage_error(f"unknown export format {fmt!r} (formats: {', '.join(EXPORT_FORMATS)})")
    path = output_file(out, (f".{fmt}",))
    summary = theme_summary(con, themes, template)
    quotes = theme_quotes(con, list(summary["theme"]), template=template)
    writer = {"csv": _csv, "xlsx": _xlsx, "parquet": _parquet, "md": _markdown}[fmt]
    try:
        writer(summary, quotes, path)
    except OSError as exc:
        raise PublishError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path


def quotes_with_summary(summary, quotes):
    """One row per quote with its theme's summary figures in front (the flat table)."""
    flat = summary[list(SUMMARY_COLUMNS)].merge(
        quotes[["theme", *QUOTE_COLUMNS]], on="theme", how="left"
    )
    return flat


def _csv(summary, quotes, path: Path) -> None:
    quotes_with_summary(summary, quotes).to_csv(path, index=False)


def _parquet(summary, quotes, path: Path) -> None:
    quotes_with_summary(summary, quotes).to_parquet(path, index=False)


def _xlsx(summary, quotes, path: Path) -> None:
    import pandas as pd

    with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
        _sheet(writer, "Summary", summary[list(SUMMARY_COLUMNS)])
        used: set[str] = {"Summary"}
        for theme in summary["theme"]:
            name = _sheet_name(theme, used)
            rows = quotes[quotes["theme"] == theme][list(QUOTE_COLUMNS)]
            _sheet(writer, name, rows.reset_index(drop=True))


def _sheet_name(theme: str, used: set[str]) -> str:
    """Excel sheet names: at most 31 characters, unique, none of []:*?/\\."""
    base = "".join("_" if ch in "[]:*?/\\" else ch for ch in theme)[:31]
    name, n = base, 2
    while name.lower() in {u.lower() for u in used}:
        suffix = f"_{n}"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name)
    return name


def _sheet(writer, name: str, df) -> None:
    """One sheet: bold frozen header, autofilter, column widths fitted to the text (capped)."""
    df.to_excel(writer, sheet_name=name, index=False)
    sheet = writer.sheets[name]
    book = writer.book
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet.freeze_panes(1, 0)
    if len(df.columns):
        sheet.autofilter(0, 0, max(len(df), 1), len(df.columns) - 1)
    for i, col in enumerate(df.columns):
        longest = max([len(str(col))] + [len(cell(v)) for v in df[col].head(500)])
        width = min(max(longest + 2, 8), 80)
        sheet.set_column(i, i, width, wrap if longest > 80 else None)


def _markdown(summary, quotes, path: Path) -> None:
    lines = ["# Themes in the inspection findings", "",
             f"{int(summary['reports_total'].max() if len(summary) else 0)} reports loaded. "
             "Shares are of all loaded reports.", "",
             to_markdown(_percent(summary[list(SUMMARY_COLUMNS[1:11])])
                         .rename(columns={"label": "theme"}))]
    for _, theme in summary.iterrows():
        lines += ["", f"## {theme['label']} (`{theme['theme']}`)", "", str(theme["description"]),
                  "",
                  f"- As a strength: {theme['reports_strength']} reports, "
                  f"{theme['areas_strength']} areas ({theme['share_reports_strength']:.0%}); "
                  f"typical phrases: {cell(theme['typical_phrases_strength']) or 'none'}",
                  f"- As an area for improvement: {theme['reports_improvement']} reports, "
                  f"{theme['areas_improvement']} areas "
                  f"({theme['share_reports_improvement']:.0%}); "
                  f"typical phrases: {cell(theme['typical_phrases_improvement']) or 'none'}"]
        for kind, heading in (("strength", "Strengths"), ("improvement", "Areas for improvement")):
            rows = quotes[(quotes["theme"] == theme["theme"]) & (quotes["kind"] == kind)]
            if len(rows):
                lines += ["", f"### {heading}", ""]
                lines += [f"> {row['text']}\n>\n> — {citation(row)}\n"
                          for _, row in rows.iterrows()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _percent(frame):
    """Share columns as '45%' for reading (the other formats keep the 0..1 numbers)."""
    frame = frame.copy()
    for col in [c for c in frame.columns if c.startswith("share_")]:
        frame[col] = [f"{v:.0%}" if v == v else "" for v in frame[col]]
    return frame
