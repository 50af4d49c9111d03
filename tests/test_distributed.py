"""The ingest flow on a Dask cluster gives the same database as a run on this machine.

The test starts a real `distributed.LocalCluster` (two worker processes, its own scheduler on
127.0.0.1), ingests both bundled sample PDFs through `--dask-address`, and compares every table
of that database, row for row, with an ordinary process-pool run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.commands.common import quiet_prefect

quiet_prefect()  # before Prefect is imported: quiet console, patient temporary server

from flows.ingest import ingest_reports  # noqa: E402
from load.db import connect  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
# Run bookkeeping differs between any two runs by nature; everything else must match.
RUN_TABLES = {"ingest_runs", "schema_info"}


def snapshot(db: Path) -> dict[str, list[tuple]]:
    """Every table's rows (sorted), without timestamp columns, which record when not what."""
    con = connect(db, read_only=True)
    try:
        tables = [
            name
            for (name,) in con.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_type = 'BASE TABLE' ORDER BY table_name"
            ).fetchall()
            if name not in RUN_TABLES
        ]
        result = {}
        for table in tables:
            columns = [
                f'"{name}"'
                for name, dtype in con.execute(
                    "SELECT column_name, data_type FROM information_schema.columns "
                    "WHERE table_name = ? ORDER BY ordinal_position",
                    [table],
                ).fetchall()
                if not dtype.startswith("TIMESTAMP")
            ]
            rows = con.execute(f'SELECT {", ".join(columns)} FROM "{table}"').fetchall()
            result[table] = sorted(rows, key=repr)
        return result
    finally:
        con.close()


@pytest.mark.timeout(900)
def test_dask_cluster_run_equals_a_local_run(tmp_path: Path) -> None:
    from distributed import Client, LocalCluster, get_task_stream

    pdfs = sorted(str(p) for p in EXAMPLES.glob("stoke-on-trent-*.pdf"))
    assert len(pdfs) == 2
    dask_db, local_db = tmp_path / "dask.duckdb", tmp_path / "local.duckdb"

    with LocalCluster(
        n_workers=2,
        processes=True,
        threads_per_worker=1,
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        address = cluster.scheduler_address
        with Client(address) as client, get_task_stream(client) as stream:
            on_dask = ingest_reports(pdfs, db_path=str(dask_db), dask_address=address)
            worker_addresses = set(client.scheduler_info()["workers"])
    local = ingest_reports(pdfs, db_path=str(local_db), workers=2)

    # the two parse tasks really ran, on the cluster's worker processes
    parsed = [t for t in stream.data if str(t["key"]).startswith("parse_report_file")]
    assert len(parsed) == 2, stream.data
    assert {t["worker"] for t in parsed} <= worker_addresses
    for summary in (on_dask, local):
        assert (summary.loaded, summary.rejected) == (2, 0), summary.rejections
    got, want = snapshot(dask_db), snapshot(local_db)
    assert got.keys() == want.keys()
    assert len(want["reports"]) == 1  # the two layouts share an ISBN: the later one replaces
    assert len(want["findings"]) > 50
    for table in want:
        assert got[table] == want[table], f"table {table} differs"
