"""`findings themes`: theme prevalence in the database, and `findings themes train`, which
learns a theme model from labelled texts (transform/nlp/theme_training.py)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from flows.commands.common import (
    DEFAULT_DB,
    DbOption,
    MinConfidenceOption,
    ThemeIdsOption,
    console,
    fail,
)

themes_app = typer.Typer(help="Theme prevalence (no sub-command), or train a theme model.")


class Kind(StrEnum):
    strength = "strength"
    improvement = "improvement"


def register(app: typer.Typer) -> None:
    app.add_typer(themes_app, name="themes")


@themes_app.callback(invoke_without_command=True)
def themes(
    ctx: typer.Context,
    theme: ThemeIdsOption = None,
    kind: Annotated[
        Kind | None, typer.Option("--kind", "-k", help="Sort and show by this kind of finding.")
    ] = None,
    template: Annotated[
        str | None, typer.Option("--template", help="Only reports of this template, e.g."
                                 " cci-2009 or yjs-2018 (shares are of those reports).")
    ] = None,
    min_confidence: MinConfidenceOption = 0.0,
    db: DbOption = Path(DEFAULT_DB),
) -> None:
    """Theme prevalence: how many reports and areas mention each theme, as strength or not."""
    if ctx.invoked_subcommand:
        return
    from flows.commands.query import readonly
    from publish.themes import theme_summary

    with readonly(db, min_confidence) as con:
        summary = theme_summary(con, theme, template)
    kinds = [kind.value] if kind else ["strength", "improvement"]
    if kind:
        summary = summary.sort_values(
            [f"share_reports_{kind.value}", f"findings_{kind.value}"], ascending=False
        )
    _print_prevalence(summary, kinds)


@themes_app.command("train")
def train(
    labels: Annotated[Path | None, typer.Option(
        "--labels", help="JSON lines: {\"text\": ..., \"themes\": [...]} per line "
                         "(default: the shipped corpus, data/themes/labels.jsonl).")] = None,
    taxonomy: Annotated[Path | None, typer.Option(
        "--taxonomy", help="Theme ids, labels, descriptions and any rules (YAML) "
                           "(default: transform/nlp/themes.yaml).")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Model folder to write (default: ./theme-model; with neither "
                            "--labels nor --taxonomy, the shipped model).")] = None,
    epochs: Annotated[int, typer.Option(min=1, help="Passes over the training texts.")] = 12,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same model.")
                    ] = 0,
) -> None:
    """Train a theme model from labelled texts; `findings retag --model DIR` then uses it.

    Seeded and repeatable. The shipped model is this command with no options (5-10 minutes
    on two cores).
    """
    from transform.nlp.theme_labels import LabelsError
    from transform.nlp.theme_model import SHIPPED_MODEL, TrainingSettings
    from transform.nlp.theme_training import SHIPPED_LABELS, train_theme_model
    from transform.nlp.themes import DEFAULT_THEMES

    shipped = labels is None and taxonomy is None
    labels = labels or SHIPPED_LABELS
    taxonomy = taxonomy or DEFAULT_THEMES
    out = out or (SHIPPED_MODEL if shipped else Path("theme-model"))
    for path, what in ((labels, "labels file"), (taxonomy, "taxonomy file")):
        if not path.is_file():
            fail(f"no {what} at {path}")
    try:
        report = train_theme_model(
            labels, taxonomy, out, TrainingSettings(epochs=epochs, seed=seed),
            log=lambda line: console.print(line, highlight=False, markup=False))
    except (LabelsError, ValueError) as exc:
        fail(str(exc))
    console.print(f"Trained on {report.texts} texts, {report.themes} themes: {report.out} "
                  f"(findings retag --model {report.out})", highlight=False, markup=False)


def _print_prevalence(summary, kinds: list[str]) -> None:
    """One line per theme: reports (and their share) with it as strength / improvement."""
    import pandas as pd

    from publish.formatting import rich_table

    total = int(summary["reports_total"].max()) if len(summary) else 0
    table = pd.DataFrame({"theme": summary["theme"]})
    for kind in kinds:
        short = "strength" if kind == "strength" else "improve"
        table[f"{short}\nreports"] = summary[f"reports_{kind}"]
        table[f"{short}\nshare"] = [f"{v:.0%}" for v in summary[f"share_reports_{kind}"]]
        if len(kinds) == 1:
            table["areas"] = summary[f"areas_{kind}"]
            table["findings"] = summary[f"findings_{kind}"]
    table[f"typical phrases\n({kinds[-1]})"] = summary[f"typical_phrases_{kinds[-1]}"]
    console.print(rich_table(table, f"Theme prevalence across {total} reports",
                             width=console.width))
