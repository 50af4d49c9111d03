"""Researchers' and analysts' interfaces over the findings database: read it, never write it.

    query.py        named queries (sql/queries/*.sql) and ad-hoc SQL on a read-only connection
    formatting.py   a query result as a terminal table, CSV, JSON or Markdown
    themes.py       per-theme summaries and quotes with their citations
    export.py       theme summaries to CSV / XLSX / Parquet / Markdown files
    charts.py       matplotlib pictures (Agg backend, offline)
    html_report.py  a static, self-contained HTML report
    trace.py        the PDF page a finding came from, with the finding highlighted
    outputs.py      checking output paths before anything is written
"""
