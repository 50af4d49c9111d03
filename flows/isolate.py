"""Read and parse one PDF in a child process that is killed when it overruns its time limit.

A hostile or pathological PDF (a page that draws a form a billion times, a decompression bomb)
can keep pdfminer busy for hours inside C or Python code that no exception reaches. The only
sure stop is to run the work in a process of its own and kill that process. The limit is on the
child's processor time, enforced by the kernel (RLIMIT_CPU), so a busy machine does not turn
slow-but-fine files into timeouts, and an orphaned child still stops; a wall-clock deadline of
ten times the limit catches a child that hangs without computing. Children are forked
from a forkserver that has the readers already imported, so starting one costs milliseconds,
and memory a bad file grabbed goes back to the system with the child.

Daemonic workers (Dask's) may not start multiprocessing children; there the child is a plain
`python -m flows.isolate` subprocess instead (slower to start, same limits).
"""

from __future__ import annotations

import math
import multiprocessing
import pickle
import signal
import subprocess
import sys
import threading
from typing import Any

from transform.model import Report

TIMEOUT = "timeout"
CRASHED = "worker_crashed"
# "__main__": the server imports the program's main module once (for the CLI, ~75 ms of
# imports); otherwise every child would import it again before starting its file
_PRELOAD = ["__main__", "flows.reader_preload"]


class FileTimeout(Exception):
    """Reading or parsing one file took longer than the limit (or its process died)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


class ReaderError(Exception):
    """An unexpected exception in the child, re-raised here by name and message."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}" if message else name)


def read_and_parse(
    path: str,
    sha256: str,
    max_pages: int | None,
    time_limit: float | None,
    reader: str | None = None,
) -> Report:
    """read_pdf + parse_document, in a child process when `time_limit` (seconds) is set.

    `reader`: the character source (extract.reader.READERS; None: FINDINGS_READER or the
    default). Raises what they raise (UnreadablePDF, NotAReport, ...), FileTimeout or
    ReaderError.
    """
    if not time_limit or time_limit <= 0:
        return _read_and_parse(path, sha256, max_pages, reader)
    job = (path, sha256, max_pages, math.ceil(time_limit), reader)
    wall = 10 * time_limit + 30
    if multiprocessing.current_process().daemon:
        return _unwrap(_in_subprocess(job, wall))
    return _unwrap(_in_forked_child(job, wall))


_running: set[Any] = set()  # reader children alive now (several when threads read at once)
_running_lock = threading.Lock()


def stop_running_children() -> None:
    """Kill every reader child still running: the run was interrupted, no one will wait for
    their answers (the threads waiting for them see EOF and end)."""
    with _running_lock:
        children = list(_running)
    for child in children:
        if child.is_alive():
            child.kill()


def _in_forked_child(job: tuple, wall: float) -> tuple:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD)
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, job), name="findings-read", daemon=True)
    with _running_lock:
        child.start()
        _running.add(child)
    sender.close()  # only the child writes; our copy closed so its death reads as EOF
    try:
        if not receiver.poll(wall):
            raise _timeout(job[3], wall)
        try:
            return receiver.recv()
        except EOFError:
            child.join(5)
            raise _died(child.exitcode, job[3]) from None
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()
        with _running_lock:
            _running.discard(child)


def _in_subprocess(job: tuple, wall: float) -> tuple:
    child = subprocess.Popen(
        [sys.executable, "-m", "flows.isolate"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        out, _ = child.communicate(pickle.dumps(job), timeout=wall)
    except subprocess.TimeoutExpired:
        raise _timeout(job[3], wall) from None
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    if child.returncode != 0 or not out:
        raise _died(child.returncode, job[3])
    return pickle.loads(out)  # our own child's answer


_RAISE = "(raise --time-limit / FINDINGS_TIME_LIMIT for a very large file)"


def _timeout(cpu_seconds: int, wall: float) -> FileTimeout:
    return FileTimeout(
        TIMEOUT, f"reading and parsing did not finish in {wall:g} s (limit {cpu_seconds} s of"
        f" processor time); stopped {_RAISE}",
    )


def _died(exitcode: int | None, cpu_seconds: int) -> FileTimeout:
    """The child ended without an answer: out of processor time, or killed/crashed."""
    if exitcode == -signal.SIGXCPU:  # the kernel's signal at the CPU limit
        return FileTimeout(
            TIMEOUT, f"reading and parsing took more than the limit of {cpu_seconds} s of"
            f" processor time; stopped {_RAISE}",
        )
    return FileTimeout(CRASHED, f"the process reading the file died (exit code {exitcode})")


def _read_and_parse(
    path: str, sha256: str, max_pages: int | None, reader: str | None = None
) -> Report:
    from extract import read_document
    from transform.model import NotAReport
    from transform.templates import parse_document

    document = read_document(path, sha256=sha256, max_pages=max_pages, reader=reader)
    try:
        return parse_document(document)
    except NotAReport as exc:  # read, then refused: say which reader read it
        exc.reader, exc.fallback = document.reader, document.fallback
        raise


def _outcome(
    path: str, sha256: str, max_pages: int | None, cpu_limit: int, reader: str | None = None
) -> tuple:
    """Runs in the child: ("ok", report) or the error as plain data."""
    import resource

    from extract.errors import UnreadablePDF
    from transform.model import NotAReport

    resource.setrlimit(resource.RLIMIT_CPU, (cpu_limit, cpu_limit + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # dying of SIGXCPU leaves no core file
    try:
        return ("ok", _read_and_parse(path, sha256, max_pages, reader))
    except UnreadablePDF as exc:
        return ("unreadable", exc.reason, exc.detail, exc.reader, exc.fallback)
    except NotAReport as exc:
        return ("not_a_report", exc.reason, exc.detail, exc.reader, exc.fallback)
    except BaseException as exc:  # noqa: BLE001 - a parser bug becomes the file's reason
        return ("error", type(exc).__name__, str(exc))


def _child(sender: Any, job: tuple) -> None:
    sender.send(_outcome(*job))
    sender.close()


def _unwrap(outcome: tuple) -> Report:
    """The child's answer as the value or exception the in-process call would have given."""
    from extract.errors import UnreadablePDF
    from transform.model import NotAReport

    kind = outcome[0]
    if kind == "ok":
        return outcome[1]
    if kind == "unreadable":
        raise UnreadablePDF(*outcome[1:])
    if kind == "not_a_report":
        raise NotAReport(*outcome[1:])
    raise ReaderError(outcome[1], outcome[2])


if __name__ == "__main__":  # the subprocess form: a pickled job on stdin, the outcome on stdout
    sys.stdout.buffer.write(pickle.dumps(_outcome(*pickle.loads(sys.stdin.buffer.read()))))
