"""The outcome of one ingest run, as data and as the markdown a person reads.

The same object feeds the CLI's table, the Prefect artifact and the `ingest_runs` row.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class FileOutcome:
    path: str
    sha256: str
    status: str  # loaded | skipped | replaced | rejected
    reason: str | None = None
    detail: str | None = None
    report_id: str | None = None
    replaced: list[str] = field(default_factory=list)


@dataclass
class IngestSummary:
    run_id: str
    db_path: str
    started_at: datetime
    finished_at: datetime | None = None
    workers: int = 1
    files: list[FileOutcome] = field(default_factory=list)

    def _count(self, *statuses: str) -> int:
        return sum(1 for f in self.files if f.status in statuses)

    @property
    def loaded(self) -> int:
        """New reports in the database (replacements included)."""
        return self._count("loaded", "replaced")

    @property
    def replaced(self) -> int:
        return self._count("replaced")

    @property
    def skipped(self) -> int:
        return self._count("skipped")

    @property
    def rejected(self) -> int:
        return self._count("rejected")

    @property
    def rejections(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == "rejected"]

    @property
    def rejected_by_reason(self) -> dict[str, int]:
        from load.files import reason_category  # old and renamed codes count as one

        return dict(sorted(Counter(reason_category(f.reason) for f in self.rejections).items()))

    @property
    def seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()

    def markdown(self) -> str:
        """A short report for the Prefect UI."""
        lines = [
            f"# Ingest into `{self.db_path}`",
            "",
            "| files | loaded | replaced | skipped | rejected | seconds |",
            "|---:|---:|---:|---:|---:|---:|",
            f"| {len(self.files)} | {self.loaded} | {self.replaced} | {self.skipped} "
            f"| {self.rejected} | {self.seconds or 0:.1f} |",
        ]
        if self.rejections:
            lines += ["", "## Rejected files", "", "| file | reason | detail |", "|---|---|---|"]
            for f in self.rejections:
                detail = (f.detail or "").replace("|", "\\|")
                lines.append(f"| `{f.path}` | {f.reason} | {detail} |")
        return "\n".join(lines) + "\n"
