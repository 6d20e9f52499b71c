"""Reading fetched pages in worker processes while the crawler goes on fetching.

A crawl's one process fetches, archives and stores; parsing and extraction are the other half of its
CPU time. :class:`ReaderPool` moves that half to worker processes once a crawl is long enough to pay for
starting them (about a second each: a worker imports the extraction code and unpickles the outlet
registry). Until the first worker answers, pages go on being read in the crawling process, so a short
crawl pays nothing.

A worker that dies (a user's scraper that takes the interpreter down, the kernel's out-of-memory killer)
loses nothing: the pages it held are read again one at a time in a fresh worker, so the page that kills a
worker is known, and that page alone is recorded as a failure (``reader-crashed``).
"""
from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable

__all__ = ["ReaderPool", "auto_processes"]


def auto_processes() -> int:
    """Worker processes worth starting here: one per core the crawler does not use, at most 4."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(0, min(4, cores - 1))


class ReaderPool:
    """An async page reader: ``await pool(page)`` gives what ``read_here(page)`` would.

    Parameters
    ----------
    read_here
        Reads a page in this process.
    read_remote, init, initargs
        Module-level functions (they travel to the workers by name): ``init(*initargs)`` runs once in each
        worker, then ``read_remote(page)`` reads a page there.
    crashed
        ``crashed(page, detail)``: the result recorded for a page whose reading killed a worker.
    processes
        Worker processes; 0 reads every page here.
    after
        Pages read here before the workers start; with 0, the first page waits for a worker.
    """

    def __init__(self, read_here: Callable, read_remote: Callable, init: Callable, initargs: tuple,
                 crashed: Callable[[Any, str], Any], *, processes: int, after: int = 100) -> None:
        self.read_here, self.read_remote, self.crashed = read_here, read_remote, crashed
        self.init, self.initargs = init, initargs
        self.processes, self.after = max(0, processes), max(0, after)
        self.read_locally = 0
        self.read_remotely = 0
        self.crashes = 0
        self.unavailable = ""  # why workers could not start: pages are then read here
        self._pool: ProcessPoolExecutor | None = None
        self._ready: Future | None = None
        self._serial: asyncio.Lock | None = None
        self._recovering = 0  # pages waiting for, or in, the one-at-a-time reading after a crash

    async def __call__(self, page):
        if self.processes and not self.unavailable:
            if self._pool is None and self.read_locally >= self.after:
                self._start()
            ready = self._ready
            if ready is not None and not ready.done() and not self.after:
                await asyncio.wait([asyncio.wrap_future(ready)])
            if ready is not None and ready.done() and not self.unavailable:
                if ready.exception() is not None:
                    self._give_up(f"a worker could not start: {ready.exception()!r}")
                else:
                    return await self._remote(page)
        self.read_locally += 1
        return self.read_here(page)

    def close(self, wait: bool = True) -> None:
        """Stop the workers; pages not yet read are dropped (the crawler has not marked them done). With
        ``wait`` false (a stopped crawl), workers still reading are ended rather than waited for."""
        pool, self._pool, self._ready = self._pool, None, None
        if pool is None:
            return
        if not wait:
            for process in list(getattr(pool, "_processes", {}).values()):  # no public way before 3.14
                process.terminate()
        pool.shutdown(wait=wait, cancel_futures=True)

    # -- inside
    def _start(self) -> None:
        try:
            self._pool = self._new_pool()
            self._ready = self._pool.submit(os.getpid)  # done once a worker has started and read nothing
        except (OSError, RuntimeError, ValueError) as e:  # no processes here (a sandbox, no /dev/shm)
            self._give_up(f"worker processes cannot start here: {e}")

    def _new_pool(self) -> ProcessPoolExecutor:
        # spawn, not fork: the crawler has threads (the progress display), and a fork copies their locks.
        return ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_worker_start, initargs=(os.getpid(), self.init, self.initargs))

    def _give_up(self, why: str) -> None:
        self.unavailable = why
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    async def _remote(self, page):
        if self._serial is None:
            self._serial = asyncio.Lock()
        if self._recovering:  # recovering from a crash: one page at a time, so its cause is known
            return await self._one_at_a_time(page)
        try:
            return await self._try(page)
        except BrokenProcessPool:
            return await self._one_at_a_time(page)

    async def _one_at_a_time(self, page):
        self._recovering += 1
        try:
            async with self._serial:
                ready = self._ready
                if self._pool is not None and ready is not None:  # a fresh pool: see its workers start first
                    await asyncio.wait([asyncio.wrap_future(ready)])
                    if ready.cancelled() or ready.exception() is not None:
                        self._give_up("worker processes die as they start")
                try:
                    return await self._try(page)
                except BrokenProcessPool:
                    self.crashes += 1
                    return self.crashed(page, "reading this page killed the process that read it")
        finally:
            self._recovering -= 1

    async def _try(self, page):
        """``page`` read in the pool, or here when no fresh worker could start; a worker's death replaces
        the pool and raises BrokenProcessPool."""
        pool = self._pool
        if pool is None:
            self.read_locally += 1
            return self.read_here(page)
        try:
            result = await asyncio.get_running_loop().run_in_executor(pool, self.read_remote, page)
        except BrokenProcessPool:
            self._replace(pool)
            raise
        self.read_remotely += 1
        return result

    def _replace(self, broken: ProcessPoolExecutor | None) -> None:
        """A fresh pool in place of ``broken``, unless another page already replaced it."""
        if broken is not self._pool:
            return
        broken.shutdown(wait=False, cancel_futures=True)
        try:
            self._pool = self._new_pool()
            self._ready = self._pool.submit(os.getpid)
        except (OSError, RuntimeError, ValueError) as e:
            self._give_up(f"no worker could start again after one died: {e}")


def _worker_start(parent: int, init: Callable, initargs: tuple) -> None:
    # Ctrl-C reaches the whole process group: the crawler handles it and stops the workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True, name="citegraph-parent-watch").start()
    init(*initargs)


def _exit_with_parent(parent: int) -> None:
    """A crawler killed outright (SIGKILL) cannot stop its workers: they notice, and end."""
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(0)
