"""Check where a command is about to write before it writes, so a bad path is one clear line.

Every publish command writes files a user named; a typo should fail before minutes of work,
with a message saying what is wrong, not an OSError traceback at the end.
"""

from __future__ import annotations

import os
from pathlib import Path


class PublishError(Exception):
    """A publish command cannot do what was asked (one sentence, shown to the user).

    `exit_code` follows the CLI's convention: 2 for misuse (bad path, option, name or value,
    no usable database), 1 for a failure while running (an SQL error, a file that will not
    write, a PDF that is missing or not the one ingested).
    """

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def usage_error(message: str) -> PublishError:
    return PublishError(message, exit_code=2)


def output_file(path: str | Path, suffixes: tuple[str, ...]) -> Path:
    """`path` as a file to (over)write: a known suffix, parent folder created if missing."""
    out = Path(path).expanduser()
    if not str(path).strip() or out.name in ("", ".", ".."):
        raise usage_error(f"output path {str(path)!r} is not a file name")
    if out.is_dir():
        raise usage_error(f"output path {out} is a folder, not a file")
    if out.suffix.lower() not in suffixes:
        raise usage_error(
            f"output file {out} must end with {' or '.join(suffixes)} (got {out.suffix or 'none'})"
        )
    _writable_dir(out.parent)
    if out.exists() and not os.access(out, os.W_OK):
        raise usage_error(f"cannot write {out}: the file is read-only")
    return out


def output_dir(path: str | Path) -> Path:
    """`path` as a folder to write into, created if missing."""
    out = Path(path).expanduser()
    if not str(path).strip():
        raise usage_error("output folder is empty")
    if out.exists() and not out.is_dir():
        raise usage_error(f"output path {out} is a file, not a folder")
    _writable_dir(out)
    return out


def _writable_dir(folder: Path) -> None:
    folder = folder if str(folder) else Path(".")
    existing = folder
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise usage_error(f"cannot create folder {folder}: {existing} is a file")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise usage_error(f"cannot write into {existing}: permission denied")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise usage_error(f"cannot create folder {folder}: {exc.strerror or exc}") from exc
