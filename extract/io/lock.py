"""One run per output: an advisory lock on ``OUT.lock`` for as long as a run writes OUT.

Two runs writing the same OUT would share ``OUT.tmp`` (one crashes, the other leaves a corrupt
line and duplicates). The second run now stops before it writes anything. The lock is flock(2):
the kernel drops it when its holder dies, even by SIGKILL, so a killed run never leaves a lock
that blocks ``--resume``.
"""
from __future__ import annotations

import fcntl
import os


class OutputBusy(Exception):
    pass


class OutputLock:
    def __init__(self, output: str):
        self.path = output + ".lock"
        self.fd: int | None = None

    def acquire(self) -> "OutputLock":
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.read(fd, 64).decode("ascii", "replace").strip()
                os.close(fd)
                raise OutputBusy(f"another run (pid {holder or '?'}) is writing this output") from None
            # the holder we waited behind may have removed the file as it released it: then our
            # lock is on a file nobody else will open; take the one at the path instead
            try:
                same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self.fd = fd
        # a forked worker must not keep the lock alive after this process is gone (killed: its
        # workers may take a moment to notice); the lock belongs to the open file, not the fd
        os.register_at_fork(after_in_child=self._forget)
        return self

    def _forget(self) -> None:
        if self.fd is not None:
            try:
                os.close(self.fd)
            except OSError:
                pass
            self.fd = None

    def release(self) -> None:
        if self.fd is None:
            return
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass
        os.close(self.fd)
        self.fd = None

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()
