"""Worker processes for the CPU-bound steps (extraction, index analysis, parsing import records): one policy.

`WorkerPool.submit(fn, *args, deadline=...)` runs a call in a worker process and returns a `Future`. For
every pool alike:

- **A dead worker's task runs once more, in another worker.** A worker killed (by a person, the OOM killer)
  is replaced and its task sent again; a task that loses a second worker fails with `WorkerDied`, which the
  caller reports as the page's, line's or chunk's reason. Each worker runs one task at a time on its own
  pipe, so a death is charged to the one task it was running, never to the others.
- **A deadline per task.** A task still running `deadline` seconds after it began (its arguments read) has its
  worker killed and replaced, and fails with `WorkerTimeout`: one page cannot hold a run.
- **Interrupts belong to the parent.** Ctrl-C at a terminal reaches the whole process group; the parent
  decides how to stop and `close()` kills the workers at once (they hold nothing to save). Workers are
  started from a thread that blocks SIGINT and SIGTERM, and a started process inherits that mask, so even a
  worker still loading Python never sees them (ignoring them in the worker's own code would leave its first
  moments exposed, and a traceback on the terminal).
- **Workers end with the parent.** A parent killed outright (SIGKILL) cannot close its pool: an idle worker
  sees its pipe close, a busy one notices its parent has gone within half a second, and both exit.

Workers are fresh interpreters (`python -c`), not forks: the parent runs threads (an event loop, an
archive writer), and forking a threaded process is unsafe. Unlike multiprocessing's spawn they do not
re-run the parent's `__main__`, so pools work the same from a console script, a script without a
`__main__` guard, a REPL or a notebook.
"""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from socket import socketpair
from typing import Any, TypeVar

from .errors import WorkerDied, WorkerError, WorkerTimeout
from .memory import return_freed_memory

__all__ = ["WorkerPool", "InThread", "RETRIES"]

T = TypeVar("T")

RETRIES = 1  # times a task is sent again after its worker died
_STARTED = b""  # a worker's message when it has read a task and begins it (results are never empty)
_SIGNALS = {signal.SIGINT, signal.SIGTERM}  # left to the parent
# Runs in the worker before anything else of wiredesk: the parent's import path, then the serving loop.
_BOOT = ("import signal, sys\n"
         "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
         "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
         "from multiprocessing.connection import Connection\n"
         "conn = Connection(int(sys.argv[1]))\n"
         "sys.path[:] = conn.recv()\n"
         "from wiredesk.core.workers import serve\n"
         "serve(conn, int(sys.argv[2]))\n")


@dataclass
class _Task:
    future: Future
    call: bytes  # the pickled (fn, args, kwargs)
    deadline: float | None
    name: str  # the function, for messages
    deaths: int = 0


@dataclass
class _Worker:
    process: subprocess.Popen
    conn: Connection
    task: _Task | None = None
    began: float | None = None  # when the task's arguments were read and the call began
    spent: bool = False  # stopped or dead: never given work again


@dataclass
class _Result:
    ok: bool
    value: Any
    trace: str = ""


@contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM held back for the block and delivered after it. Python raises them in the main
    thread at any line, even inside `Thread.start()`, which would leave a thread that `close()` can neither
    join (not started) nor know of (started, not yet recorded). Blocking the signals would not do: the
    kernel hands them to another thread, and Python still raises them here."""
    if threading.current_thread() is not threading.main_thread():
        yield  # the signals' exceptions are raised in the main thread only
        return
    held: list[int] = []
    previous = {number: signal.signal(number, lambda number, frame: held.append(number)) for number in _SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, signal.SIG_DFL if handler is None else handler)
        for number in held:
            signal.raise_signal(number)


class WorkerPool:
    """Up to `size` worker processes, started as tasks arrive; `close()` (or the `with` block) ends them."""

    def __init__(self, size: int, *, name: str = "wiredesk-worker", warm: Callable[[], object] | None = None) -> None:
        """`warm`, a module-level function, runs in each worker before its first task (loading what the tasks
        load on first use), so that a deadline times the task's own work."""
        if size < 1:
            raise ValueError("a pool needs at least one worker")
        self.size = size
        self.name = name
        self._warm = pickle.dumps(warm, protocol=pickle.HIGHEST_PROTOCOL)
        self._lock = threading.Lock()
        self._pending: deque[_Task] = deque()
        self._workers: list[_Worker] = []
        self._closing = False
        self._wake_read, self._wake_write = os.pipe()
        os.set_blocking(self._wake_write, False)
        self._manager: threading.Thread | None = None

    def submit(self, fn: Callable[..., T], /, *args: Any, deadline: float | None = None, **kwargs: Any) -> Future[T]:
        """Run `fn(*args, **kwargs)` in a worker. `fn` and its arguments must pickle (a module-level function).

        The future fails with `WorkerTimeout` when the call runs longer than `deadline` seconds, with
        `WorkerDied` when two workers died running it, or with the exception the call raised.
        """
        call = pickle.dumps((fn, args, kwargs), protocol=pickle.HIGHEST_PROTOCOL)
        task = _Task(Future(), call, deadline, getattr(fn, "__qualname__", repr(fn)))
        with self._lock:
            if self._closing:
                raise RuntimeError("the worker pool is closed")
            self._pending.append(task)
            if self._manager is None:
                with _signals_held():
                    manager = threading.Thread(target=self._manage, name=f"{self.name}-manager", daemon=True)
                    manager.start()
                    self._manager = manager
        self._wake()
        return task.future

    def close(self) -> None:
        """Cancel the tasks not begun, kill the workers (busy or not) and wait for them. Idempotent."""
        with self._lock:
            if self._closing:
                return
            self._closing = True
            pending = list(self._pending)
            self._pending.clear()
            manager = self._manager
        for task in pending:
            task.future.cancel()
        self._wake()
        if manager is not None:
            manager.join()
        else:
            self._shut()
        # only now: a descriptor closed while another thread may still write to it could be reused meanwhile
        for fd in (self._wake_read, self._wake_write):
            os.close(fd)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # the manager thread: the only one that starts, feeds, reads and stops workers ---------------------

    def _wake(self) -> None:
        try:
            os.write(self._wake_write, b"x")
        except BlockingIOError:
            pass  # the pipe is full of wake-ups already

    def _manage(self) -> None:
        # Blocked here, so that every worker started from this thread inherits the block (see the docstring).
        # Python runs signal handlers in the main thread whichever thread the kernel picks, so the parent's
        # own Ctrl-C is untouched.
        signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
        crash: BaseException | None = None
        try:
            while True:
                with self._lock:
                    if self._closing:
                        return
                self._assign()
                busy = {worker.conn: worker for worker in self._workers}
                for ready in wait([self._wake_read, *busy], self._until_deadline()):
                    if ready == self._wake_read:
                        os.read(self._wake_read, 4096)
                    else:
                        self._receive(busy[ready])
                self._enforce_deadlines()
        except BaseException as exc:  # a bug here must fail the tasks, not leave their callers waiting forever
            crash = exc
            with self._lock:
                self._closing = True
            raise
        finally:
            self._shut(crash)

    def _assign(self) -> None:
        """Give pending tasks to idle workers, starting workers up to `size`."""
        while True:
            with self._lock:
                if not self._pending:
                    return
                idle = next((w for w in self._workers if w.task is None and not w.spent), None)
                if idle is None and len(self._workers) >= self.size:
                    return
                task = self._pending.popleft()
            if not task.future.running() and not task.future.set_running_or_notify_cancel():
                continue  # cancelled by the caller while it waited (a task sent again is running already)
            if idle is None:
                try:
                    idle = self._start_worker()
                except OSError as exc:
                    task.future.set_exception(WorkerError(f"cannot start a worker process: {exc.strerror or exc}"))
                    continue
            idle.task, idle.began = task, None
            try:
                idle.conn.send_bytes(task.call)
            except OSError:
                self._lost(idle)

    def _start_worker(self) -> _Worker:
        ours, theirs = socketpair()
        try:
            process = subprocess.Popen([sys.executable, "-c", _BOOT, str(theirs.fileno()), str(os.getpid())],
                                       pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL)
        except OSError:
            ours.close()
            raise
        finally:
            theirs.close()
        conn = Connection(ours.detach())
        worker = _Worker(process, conn)
        self._workers.append(worker)
        try:
            conn.send(list(sys.path))
            conn.send_bytes(self._warm)
        except OSError:
            pass  # it died as it started (killed, out of memory): sending it a task fails, and `_assign` retries
            # that task as a dead worker's
        return worker

    def _receive(self, worker: _Worker) -> None:
        try:
            data = worker.conn.recv_bytes()
        except (EOFError, OSError):
            self._lost(worker)
            return
        if data == _STARTED:
            worker.began = time.monotonic()
            return
        task, worker.task, worker.began = worker.task, None, None
        if task is None:
            return
        try:
            result: _Result = pickle.loads(data)
        except Exception as exc:  # e.g. an exception type that cannot be rebuilt here
            task.future.set_exception(WorkerError(f"{task.name}: its result could not be read: {exc}"))
            return
        if result.ok:
            task.future.set_result(result.value)
        else:
            error = result.value
            error.__cause__ = _RemoteTraceback(result.trace)
            task.future.set_exception(error)

    def _lost(self, worker: _Worker) -> None:
        """A worker died (or its pipe broke): replace it, and run its task again or fail it."""
        self._remove(worker)
        task = worker.task
        if task is None:
            return
        task.deaths += 1
        if task.deaths > RETRIES:
            task.future.set_exception(WorkerDied(
                f"its worker process died {task.deaths} times (killed, or out of memory)"))
            return
        with self._lock:
            self._pending.appendleft(task)

    def _until_deadline(self) -> float | None:
        ends = [w.began + w.task.deadline for w in self._workers
                if w.task is not None and w.task.deadline is not None and w.began is not None]
        if not ends:
            return None
        return max(0.0, min(ends) - time.monotonic())

    def _enforce_deadlines(self) -> None:
        now = time.monotonic()
        for worker in list(self._workers):
            task = worker.task
            if task is None or task.deadline is None or worker.began is None or now - worker.began < task.deadline:
                continue
            self._remove(worker)
            task.future.set_exception(WorkerTimeout(f"it took longer than {task.deadline:g} s", seconds=task.deadline))

    def _remove(self, worker: _Worker) -> None:
        worker.spent = True
        if worker in self._workers:
            self._workers.remove(worker)
        if worker.process.poll() is None:
            worker.process.kill()
        worker.process.wait()
        worker.conn.close()

    def _shut(self, crash: BaseException | None = None) -> None:
        reason = f"the worker pool failed: {crash!r}" if crash else "stopped, the worker pool was closed"
        for worker in list(self._workers):
            self._remove(worker)
            task = worker.task
            if task is not None and not task.future.done():
                task.future.set_exception(WorkerError(f"{task.name}: {reason}"))
        with self._lock:
            pending = list(self._pending)
            self._pending.clear()
        for task in pending:
            if task.future.running() or not task.future.cancel():
                task.future.set_exception(WorkerError(f"{task.name}: {reason}"))


class InThread:
    """`WorkerPool`'s interface over one thread of this process, for tests and debugging: no deadline, no
    isolation (a task that crashes the interpreter takes this process with it)."""

    def __init__(self, *, name: str = "wiredesk-worker") -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._executor = ThreadPoolExecutor(1, thread_name_prefix=name)

    def submit(self, fn: Callable[..., T], /, *args: Any, deadline: float | None = None, **kwargs: Any) -> Future[T]:
        return self._executor.submit(fn, *args, **kwargs)

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> InThread:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _RemoteTraceback(Exception):
    """The worker's traceback, attached as the cause of an exception a task raised, for the logs."""

    def __init__(self, trace: str) -> None:
        super().__init__(trace)

    def __str__(self) -> str:
        return f'\n"""\n{self.args[0]}"""'


# the worker side ----------------------------------------------------------------------------------------

def serve(conn: Connection, parent: int) -> None:
    """A worker's life: warm up, then read a task, say it began, run it, send its result; until the pipe
    closes."""
    threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True, name="wiredesk-orphan-watch").start()
    return_freed_memory()  # before the warm-up, whose parsing the worker drops at once (see memory.py)
    try:
        warm = pickle.loads(conn.recv_bytes())
        if warm is not None:
            warm()
    except (EOFError, OSError):
        return
    except Exception:  # noqa: S110 - only a head start: a real fault shows again, reported, in the first task
        pass
    while True:
        try:
            data = conn.recv_bytes()
        except (EOFError, OSError):
            return  # the parent closed the pool or died
        try:
            fn, args, kwargs = pickle.loads(data)
            conn.send_bytes(_STARTED)
            result = _Result(True, fn(*args, **kwargs))
        except BaseException as exc:  # the task's failure is the caller's to report; the worker goes on
            result = _Result(False, exc, traceback.format_exc())
        try:
            payload = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # a result or exception that does not pickle
            payload = pickle.dumps(_Result(False, WorkerError(f"the result could not be sent: {exc}"),
                                           traceback.format_exc()))
        try:
            conn.send_bytes(payload)
        except OSError:
            return


def _exit_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)
