"""A query result (pandas DataFrame, or `Rows` where pandas' import time matters) as text: a
terminal table, CSV, JSON or Markdown.

Kept apart from the query runner so every command that prints rows prints them the same way.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import Any

FORMATS: tuple[str, ...] = ("table", "csv", "json", "markdown")


class Rows:
    """Rows with named columns and the few DataFrame manners the printers use, without pandas
    (whose import alone is about half a second of a command's cold start)."""

    def __init__(self, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        self.columns = list(columns)
        self.rows = [tuple(row) for row in rows]

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def empty(self) -> bool:
        return not self.rows

    def itertuples(self, index: bool = False, name: str | None = None) -> Iterator[tuple]:
        return iter(self.rows)

    def __getitem__(self, columns: list[str]) -> Rows:
        at = [self.columns.index(c) for c in columns]
        return Rows(columns, [tuple(row[i] for i in at) for row in self.rows])

    def is_numeric(self, column: str) -> bool:
        i = self.columns.index(column)
        values = [row[i] for row in self.rows if row[i] is not None]
        return bool(values) and all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in values
        )

    def to_csv(self, index: bool = False) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.columns)
        writer.writerows([[cell(v) for v in row] for row in self.rows])
        return buffer.getvalue()


def _is_numeric(df, column: str) -> bool:
    if isinstance(df, Rows):
        return df.is_numeric(column)
    return df[column].dtype.kind in "iuf"


def cell(value: Any) -> str:
    """One value as short text: no 'nan', floats without noise, lists joined."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return f"{value:.4g}" if abs(value) < 1e6 else f"{value:.0f}"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, list | tuple):
        return "; ".join(cell(v) for v in value)
    try:
        if value != value:  # pandas NA / NaT
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


def plain(value: Any) -> Any:
    """One value as a JSON-safe Python value (NaN -> None, dates -> ISO text)."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "item"):
        value = value.item()
    try:
        if value is not None and value != value:
            return None
    except (TypeError, ValueError):
        pass
    return value


def to_csv(df) -> str:
    return df.to_csv(index=False)


def to_json(df) -> str:
    records = [{col: plain(v) for col, v in zip(df.columns, row, strict=True)}
               for row in df.itertuples(index=False, name=None)]
    return json.dumps(records, indent=2, ensure_ascii=False, default=str) + "\n"


def to_markdown(df) -> str:
    def esc(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(esc(str(c)) for c in df.columns) + " |",
             "|" + "|".join("---" for _ in df.columns) + "|"]
    lines += ["| " + " | ".join(esc(cell(v)) for v in row) + " |"
              for row in df.itertuples(index=False, name=None)]
    return "\n".join(lines) + "\n"


def rich_table(df, title: str | None = None, width: int = 160):
    """A rich Table, one line per row, fitted to `width` columns: long texts are cut with an
    ellipsis (CSV or JSON give them whole). Too many columns to fit -> one block per row."""
    from rich.table import Table
    from rich.text import Text

    rows = [[cell(v) for v in row] for row in df.itertuples(index=False, name=None)]
    headers = [str(c) for c in df.columns]
    numeric = [_is_numeric(df, c) for c in df.columns]
    widths = fit_widths(headers, rows, numeric, width)
    if widths is None:
        return _records(headers, rows, title)
    table = Table(title=title)
    for header, w, num in zip(headers, widths, numeric, strict=True):
        table.add_column(header, justify="right" if num else "left", width=w, no_wrap=True,
                         overflow="ellipsis")
    for row in rows:
        table.add_row(*(Text(value) for value in row))  # values are data, never rich markup
    return table


def fit_widths(headers: list[str], rows: list[list[str]], numeric: list[bool],
               width: int) -> list[int] | None:
    """Column widths that fit `width`: the widest column gives way first, but no number is cut
    and no text column goes below 8; None when even that does not fit."""
    values = [max([len(r[i]) for r in rows], default=0) for i in range(len(headers))]
    natural = [min(max([len(line) for line in h.split("\n")] + [values[i]]), 60)
               for i, h in enumerate(headers)]
    floors = [max(values[i], 4) if numeric[i] else min(8, natural[i])
              for i in range(len(headers))]
    budget = width - (3 * len(headers) + 1)
    widths = list(natural)
    while sum(widths) > budget:
        candidates = [i for i, w in enumerate(widths) if w > floors[i]]
        if not candidates:
            return None
        widths[max(candidates, key=lambda i: widths[i])] -= 1
    return widths


def _records(headers: list[str], rows: list[list[str]], title: str | None):
    """Rows as 'column: value' blocks (like psql's expanded display) for very wide results."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, show_header=False, box=None)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for n, row in enumerate(rows, start=1):
        table.add_row(Text(f"-[ row {n} ]-"), "")
        for header, value in zip(headers, row, strict=True):
            table.add_row(Text(header), Text(value))
    return table


def render(df, fmt: str, title: str | None = None) -> str:
    """`df` in format `fmt` as a string (the terminal table is rendered at 160 columns)."""
    if fmt == "csv":
        return to_csv(df)
    if fmt == "json":
        return to_json(df)
    if fmt == "markdown":
        return to_markdown(df)
    if fmt == "table":
        from rich.console import Console

        buffer = io.StringIO()
        Console(file=buffer, width=160, force_terminal=False).print(rich_table(df, title, 160))
        return buffer.getvalue()
    raise ValueError(f"unknown format {fmt!r} (formats: {', '.join(FORMATS)})")
