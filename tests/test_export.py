"""`findings export themes` in every format, read back and checked against the gold reports."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from flows.cli import app
from publish.export import export_themes
from publish.outputs import PublishError
from publish.themes import theme_summary
from tests.publish_data import gold_reports

runner = CliRunner()


@pytest.fixture(scope="module")
def gold_findings():
    """(area, year, criterion, kind, seq) -> text, from the gold files."""
    result = {}
    for gold in gold_reports():
        for crit in gold["criteria"]:
            for key, kind in (("strengths", "strength"), ("improvements", "improvement")):
                for item in crit.get(key, []):
                    key_ = (gold["area"], gold["year"], crit["code"], kind, item["n"])
                    result[key_] = item["text"]
    return result


def test_csv_quotes_are_the_reports_words_with_citations(con, tmp_path, gold_findings):
    path = export_themes(con, tmp_path / "out" / "themes.csv", "csv", ["victims", "diversity"])
    assert path.parent.name == "out"  # missing folder created
    flat = pd.read_csv(path)
    assert set(flat["theme"]) == {"victims", "diversity"}
    for _, row in flat.iterrows():
        key = (row["area"], row["year"], str(row["criterion"]), row["kind"], row["seq"])
        assert gold_findings[key] == row["text"]
        assert row["file_name"].endswith(".pdf") and row["page"] >= 1
    victims = flat[flat["theme"] == "victims"]
    assert victims["reports_improvement"].iloc[0] == victims.loc[
        victims["kind"] == "improvement", "area"].nunique()
    assert (victims["reports_total"] == 20).all()
    # the matched word is in the quote
    assert all("victim" in t.lower() or "restorative" in t.lower() or "harm" in t.lower()
               or "injur" in t.lower() for t in victims["text"])


def test_xlsx_has_summary_and_one_sheet_per_theme_frozen_and_fitted(con, tmp_path):
    from openpyxl import load_workbook

    path = export_themes(con, tmp_path / "themes.xlsx", "xlsx")
    book = load_workbook(path, read_only=False)
    themes = [r[0] for r in con.execute("SELECT theme FROM themes").fetchall()]
    assert book.sheetnames[0] == "Summary"
    assert {name for name in book.sheetnames[1:]} == {t[:31] for t in themes}
    summary = book["Summary"]
    assert summary.freeze_panes == "A2"
    assert [c.value for c in summary[1]][:3] == ["theme", "label", "reports_strength"]
    sheet = book["victims"]
    assert sheet.freeze_panes == "A2"
    headers = [c.value for c in sheet[1]]
    text_col = headers.index("text")
    letter = sheet.cell(row=1, column=text_col + 1).column_letter
    assert sheet.column_dimensions[letter].width >= 60  # long quotes get a wide column
    year_letter = sheet.cell(row=1, column=headers.index("year") + 1).column_letter
    assert sheet.column_dimensions[year_letter].width < 15
    quotes = pd.read_excel(path, sheet_name="victims")
    csv = export_themes(con, tmp_path / "v.csv", "csv", ["victims"])
    assert len(quotes) == len(pd.read_csv(csv))


def test_parquet_and_markdown(con, tmp_path):
    parquet = export_themes(con, tmp_path / "t.parquet", None, ["timeliness"])
    table = pd.read_parquet(parquet)
    assert set(table["theme"]) == {"timeliness"} and len(table) > 50
    md = export_themes(con, tmp_path / "t.md", "md", ["timeliness"]).read_text()
    assert md.startswith("# Themes in the inspection findings")
    assert "## Timeliness (`timeliness`)" in md
    t = theme_summary(con, ["timeliness"]).iloc[0]
    assert (f"| Timeliness | {t['reports_strength']} | {t['areas_strength']} | "
            f"{t['findings_strength']} | {t['share_reports_strength']:.0%} |") in md
    first = table.iloc[0]
    assert f"> {first['text']}" in md
    assert f"criterion {first['criterion']}" in md and str(first["file_name"]) in md


def test_bad_outputs_are_clear_errors(con, tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    with pytest.raises(PublishError, match="is a file"):
        export_themes(con, blocker / "themes.csv", "csv")
    with pytest.raises(PublishError, match="must end with .xlsx"):
        export_themes(con, tmp_path / "themes.csv", "xlsx")
    with pytest.raises(PublishError, match="unknown export format"):
        export_themes(con, tmp_path / "themes.doc", None)
    with pytest.raises(PublishError, match="unknown theme 'weather'"):
        export_themes(con, tmp_path / "t.csv", "csv", ["weather"])
    with pytest.raises(PublishError, match="is a folder"):
        export_themes(con, tmp_path, "csv")


def test_cli_export(db, tmp_path):
    out = tmp_path / "x" / "themes.xlsx"
    result = runner.invoke(app, ["export", "themes", "--format", "xlsx", "--out", str(out),
                                 "--theme", "victims", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert out.exists() and "Wrote" in result.stdout
    bad = runner.invoke(app, ["export", "themes", "--out", "/proc/nope/themes.csv",
                              "--db", str(db)])
    assert bad.exit_code == 2 and "Traceback" not in bad.output
    assert "cannot" in bad.stderr
