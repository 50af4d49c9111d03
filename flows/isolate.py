"""Read and parse one PDF in a child process that is killed when it overruns its time limit.

A hostile or pathological PDF (a page that draws a form a billion times, a decompression bomb)
can keep pdfminer busy for hours inside C or Python code that no exception reaches. The only
sure stop is to run the work in a process of its own and kill that process. The limit is on the
child's processor time, enforced by the kernel (RLIMIT_CPU), so a busy machine does not turn
slow-but-fine files into timeouts, and an orphaned child still stops; a wall-clock deadline of
ten times the limit catches a child that hangs without computing.

Reader children are forked from a forkserver that has the readers already imported, and each
one reads file after file (`ReaderProcess`): a fresh process per file cost ~45 ms of processor
time (the fork, and the page faults of a new heap), a third of reading a 2018+ report. The CPU
limit is set again before every file, counted from what the child has used so far. A child that
overran is killed and replaced; one that has grown past `RETIRE_RSS` (a large file's pages)
ends after its answer, so that memory goes back to the system.

Daemonic workers (Dask's) may not start multiprocessing children; there the child is a plain
`python -m flows.isolate` subprocess instead (slower to start, same limits).
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
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


RETIRE_RSS = 400 * 1024 * 1024  # bytes: a reader child this big ends after its answer
READER_NICENESS = 5  # added to a reader child's nice value (lower priority)

_idle: list[ReaderProcess] = []  # reader children waiting for a file
_running: set[ReaderProcess] = set()  # reading one now (several when threads read at once)
_lock = threading.Lock()


def stop_running_children() -> None:
    """Kill every reader child still reading: the run was interrupted, no one will wait for
    their answers (the threads waiting for them see EOF and end)."""
    with _lock:
        busy = list(_running)
    for reader in busy:
        reader.kill()


def idle_readers() -> list[ReaderProcess]:
    """The reader children waiting for their next file."""
    with _lock:
        return list(_idle)


def close_idle_readers() -> None:
    """End the reader children waiting for a file (a run is over: give their memory back)."""
    with _lock:
        idle = list(_idle)
        _idle.clear()
    for reader in idle:
        reader.close()


def _forget_readers_after_fork() -> None:
    """A forked copy of this process does not own these children: it must start its own."""
    _idle.clear()
    _running.clear()


os.register_at_fork(after_in_child=_forget_readers_after_fork)


class ReaderProcess:
    """One long-lived reader child and the pipe to it; used by one thread at a time."""

    def __init__(self) -> None:
        context = forkserver_context()
        self._pipe, child_end = context.Pipe(duplex=True)
        self.process = context.Process(
            target=_serve, args=(child_end,), name="findings-read", daemon=True
        )
        self.process.start()
        child_end.close()  # the child's end lives in the child; its death reads as EOF here

    def read(self, job: tuple, wall: float) -> tuple[tuple, bool]:
        """(outcome, retire) for one job; FileTimeout when it overran or the child died."""
        try:
            self._pipe.send(job)
            if not self._pipe.poll(wall):
                raise _timeout(job[3], wall)
            return self._pipe.recv()
        except (EOFError, OSError):  # it died: before the job (a broken pipe) or during it
            self.process.join(5)
            raise _died(self.process.exitcode, job[3]) from None

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()

    def close(self) -> None:
        self.kill()
        self.process.join()
        self._pipe.close()


def forkserver_context() -> Any:
    """The multiprocessing context whose server has the readers imported (also used by the
    annotator process, flows/annotator.py)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD)
    return context


def start_forkserver() -> None:
    """Start the forkserver now, without waiting: its imports (~0.3 s) then run while the
    caller does other work (opening the database), not when the first file is handed over."""
    import multiprocessing.forkserver

    forkserver_context()
    multiprocessing.forkserver.ensure_running()


def _in_forked_child(job: tuple, wall: float) -> tuple:
    with _lock:
        reader = _idle.pop() if _idle else None
    if reader is not None and not reader.process.is_alive():  # killed while it waited
        reader.close()
        reader = None
    if reader is None:
        reader = ReaderProcess()
    with _lock:
        _running.add(reader)
    retire = True
    try:
        outcome, retire = reader.read(job, wall)
    finally:
        with _lock:
            _running.discard(reader)
            if not retire:
                _idle.append(reader)
        if retire:  # also after a timeout, a crash or an interruption
            reader.close()
    return outcome


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
    """Runs in the child: ("ok", report) or the error as plain data.

    The kernel stops the child (SIGXCPU) once it has used `cpu_limit` more seconds than now.
    """
    import resource

    from extract.errors import UnreadablePDF
    from transform.model import NotAReport

    soft = math.ceil(_cpu_used()) + cpu_limit
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard - 1)  # SIGXCPU (a timeout) before the hard limit's SIGKILL
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # dying of SIGXCPU leaves no core file
    try:
        return ("ok", _read_and_parse(path, sha256, max_pages, reader))
    except UnreadablePDF as exc:
        return ("unreadable", exc.reason, exc.detail, exc.reader, exc.fallback)
    except NotAReport as exc:
        return ("not_a_report", exc.reason, exc.detail, exc.reader, exc.fallback)
    except BaseException as exc:  # noqa: BLE001 - a parser bug becomes the file's reason
        return ("error", type(exc).__name__, str(exc))


def _serve(pipe: Any) -> None:
    """A reader child's life: answer one job after another until the pipe closes.

    It runs at a lower priority (`READER_NICENESS`): readers are many and ahead of the rest,
    while annotating is one serial stage; left equal, two readers and the annotator shared two
    cores evenly and the annotator finished alone, 2-3 s after the last file was read.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the parent ends its children
    with contextlib.suppress(OSError):
        os.nice(READER_NICENESS)
    while True:
        try:
            job = pipe.recv()
        except (EOFError, OSError):  # the parent closed the pipe, or died
            return
        outcome = _outcome(*job)
        retire = _rss() > RETIRE_RSS or not _room_for(job[3])
        try:
            pipe.send((outcome, retire))
        except OSError:
            return


def _cpu_used() -> float:
    """Processor seconds this process has used."""
    import resource

    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def _room_for(cpu_limit: int) -> bool:
    """Whether a whole `cpu_limit` more fits under this process's hard CPU limit (a machine
    with `ulimit -t`): a long-lived reader near it is replaced rather than given a file that
    it could not finish."""
    import resource

    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    return hard == resource.RLIM_INFINITY or hard - _cpu_used() > cpu_limit + 1


def _rss() -> int:
    """This process's resident memory now, in bytes (0 where /proc is missing)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


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
