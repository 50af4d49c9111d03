"""Pictures of the findings database, drawn with matplotlib's Agg backend (no display, offline).

Each chart is a function (connection, options) -> matplotlib Figure built from a named query, so
the numbers in a picture can always be reproduced with `findings query`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from publish.outputs import PublishError, output_file, usage_error
from publish.query import run_named

CHART_SUFFIXES: tuple[str, ...] = (".png", ".svg")
DOMAIN_LABELS: dict[str, str] = {
    "safeguarding": "Safeguarding",
    "risk_of_harm": "Risk of Harm to others",
    "likelihood_of_reoffending": "Likelihood of Reoffending",
}
LEVEL_COLOURS: dict[str, str] = {
    "minimum": "#1a9850", "moderate": "#fdae61", "substantial": "#f46d43", "drastic": "#a50026",
}


def _figure(width: float, height: float):
    """A Figure bound to the Agg canvas; pyplot (and its global state) is never used."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    matplotlib.rcParams["svg.fonttype"] = "none"  # SVG text stays text (searchable, small)
    return Figure(figsize=(width, height), layout="constrained")


def theme_heatmap(con, by: str = "region", kind: str = "improvement"):
    """Theme x region (or year, or framework): share of reports with at least one finding of
    `kind` on it."""
    if by not in ("region", "year", "template"):
        raise usage_error(f"--by must be region, year or template, not {by!r}")
    rows = run_named(con, "theme_prevalence_by_year_region", {"kind": kind})
    if rows.empty:
        raise PublishError("no reports with themes in the database: nothing to draw")
    rows[by] = rows[by].astype("string").fillna("unknown")
    grouped = rows.groupby(["label", by], as_index=False)[["reports", "reports_with_theme"]].sum()
    grouped["share"] = grouped["reports_with_theme"] / grouped["reports"]
    share = grouped.pivot(index="label", columns=by, values="share")
    share = share.loc[share.mean(axis=1).sort_values(ascending=False).index]
    sizes = grouped.drop_duplicates(by).set_index(by)["reports"].reindex(share.columns)

    label_inches = 0.065 * max(len(str(label)) for label in share.index)  # fontsize 8
    fig = _figure(max(7.5, 1.8 + label_inches + 0.85 * len(share.columns)),
                  1.4 + 0.36 * len(share.index))
    ax = fig.add_subplot()
    image = ax.imshow(share.to_numpy(dtype=float), cmap="YlOrRd", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(len(share.columns)),
                  [f"{c}\n(n={int(n)})" for c, n in zip(share.columns, sizes, strict=True)],
                  rotation=45 if by == "region" else 0, ha="right" if by == "region" else "center",
                  fontsize=8)
    ax.set_yticks(range(len(share.index)), list(share.index), fontsize=8)
    for (i, j), value in _cells(share):
        ax.text(j, i, f"{value:.0%}", ha="center", va="center", fontsize=7,
                color="white" if value > 0.6 else "black")
    noun = "an area for improvement" if kind == "improvement" else "a strength"
    by_name = "framework" if by == "template" else by
    # over the whole figure: with few columns the axes are narrower than the title
    fig.suptitle(f"Share of reports with {noun} on each theme, by {by_name}", fontsize=10)
    fig.colorbar(image, ax=ax, shrink=0.6, label="share of reports", format="{x:.0%}")
    return fig


def _cells(frame):
    for i, row in enumerate(frame.to_numpy(dtype=float)):
        for j, value in enumerate(row):
            if value == value:  # not NaN
                yield (i, j), value


def headline_bands(con, domain: str = ""):
    """Each area's headline scores on the national lowest-highest band, average marked."""
    rows = run_named(con, "headline_vs_national", {"domain": domain})
    if rows.empty:
        raise PublishError("no headline scores in the database: nothing to draw")
    domains = [d for d in DOMAIN_LABELS if d in set(rows["domain"])]
    rows["report"] = rows["area"].fillna("?") + " " + rows["year"].astype("string").fillna("?")
    reports = sorted(set(rows["report"]), reverse=True)
    fig = _figure(3.6 * len(domains) + 1.8, 1.2 + 0.28 * len(reports))
    axes = fig.subplots(1, len(domains), sharey=True, squeeze=False)[0]
    position = {name: i for i, name in enumerate(reports)}
    for ax, domain_id in zip(axes, domains, strict=True):
        part = rows[rows["domain"] == domain_id]
        y = [position[r] for r in part["report"]]
        ax.barh(y, part["national_highest"] - part["national_lowest"], left=part["national_lowest"],
                height=0.6, color="#dddddd", label="national lowest to highest")
        ax.scatter(part["national_average"], y, marker="|", s=160, color="#333333",
                   label="national average", zorder=3)
        colours = [LEVEL_COLOURS.get(level, "#4575b4") for level in part["improvement"]]
        ax.scatter(part["score"], y, s=28, color=colours, zorder=4, label="area's score")
        for yy, score in zip(y, part["score"], strict=True):
            if score == score:
                ax.text(score + 1.5, yy, f"{int(score)}", va="center", fontsize=7)
        ax.set_xlim(0, 105)
        if len(reports) > 30:  # a tall chart: repeat the scale at the top
            ax.tick_params(axis="x", labeltop=True)
        ax.set_title(DOMAIN_LABELS[domain_id], fontsize=10)
        ax.set_xlabel("score (%)", fontsize=8)
        ax.grid(axis="x", color="#eeeeee")
        ax.set_axisbelow(True)
    axes[0].set_yticks(range(len(reports)), reports, fontsize=8)
    axes[0].set_ylim(-0.7, len(reports) - 0.3)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=3, fontsize=8,
               title="dot colour: improvement needed (green minimum ... dark red drastic)",
               title_fontsize=8)
    fig.suptitle("Headline scores against the national band of the time", fontsize=11)
    return fig


def theme_balance(con):
    """Per theme: findings as strength against findings as area for improvement."""
    rows = run_named(con, "theme_strengths_vs_improvements")
    if rows.empty:
        raise PublishError("no themes in the database: nothing to draw")
    rows = rows.iloc[::-1]
    fig = _figure(7.5, 1.2 + 0.32 * len(rows))
    ax = fig.add_subplot()
    y = range(len(rows))
    ax.barh([v + 0.2 for v in y], rows["strengths"], height=0.4, color="#1a9850",
            label="strengths")
    ax.barh([v - 0.2 for v in y], rows["improvements"], height=0.4, color="#d73027",
            label="areas for improvement")
    ax.set_yticks(list(y), list(rows["label"]), fontsize=8)
    ax.set_xlabel("findings mentioning the theme", fontsize=8)
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title("Strengths and areas for improvement per theme", fontsize=10)
    return fig


CHARTS: dict[str, Callable] = {
    "theme-heatmap": theme_heatmap,
    "headline-bands": headline_bands,
    "theme-balance": theme_balance,
}


def draw(con, name: str, **options):
    """The Figure of chart `name` (see CHARTS)."""
    if name not in CHARTS:
        raise usage_error(f"no chart {name!r} (charts: {', '.join(CHARTS)})")
    return CHARTS[name](con, **options)


def save(fig, out: str | Path, dpi: int = 130) -> Path:
    """Write `fig` as PNG or SVG, by the file's suffix."""
    path = output_file(out, CHART_SUFFIXES)
    try:
        fig.savefig(path, dpi=dpi, format=path.suffix.lstrip(".").lower())
    except OSError as exc:
        raise PublishError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path


def svg_text(fig) -> str:
    """`fig` as an SVG document string (for inlining in HTML)."""
    import io

    buffer = io.StringIO()
    fig.savefig(buffer, format="svg")
    return buffer.getvalue()
