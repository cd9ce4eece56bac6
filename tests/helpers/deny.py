"""Run the CLI with the operating system refusing access under a path, as it does for a user
without permission (the tests run as root in CI, where chmod refuses nothing).

    python tests/helpers/deny.py list|search PREFIX -- batch ARGS...

``list``: directories under PREFIX cannot be listed (EACCES from scandir/listdir).
``search``: nothing under PREFIX can be reached (EACCES from stat/open too), as when PREFIX is a
directory without the x bit.
"""
import errno
import os
import sys


def main() -> int:
    mode, prefix = sys.argv[1], os.path.abspath(sys.argv[2])
    argv = sys.argv[sys.argv.index("--") + 1:]

    def denied(path) -> bool:
        try:
            p = os.path.abspath(os.fsdecode(path))
        except TypeError:
            return False
        return p == prefix or p.startswith(prefix + os.sep)

    def refuse(path):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fsdecode(path))

    real_scandir, real_listdir, real_stat, real_open = os.scandir, os.listdir, os.stat, os.open

    def scandir(path="."):
        if denied(path):
            refuse(path)
        return real_scandir(path)

    def listdir(path="."):
        if denied(path):
            refuse(path)
        return real_listdir(path)

    def stat(path, *a, **k):
        if mode == "search" and denied(path) and os.path.abspath(os.fsdecode(path)) != prefix:
            refuse(path)
        return real_stat(path, *a, **k)

    def open_(path, flags, mode_=0o777, *a, **k):
        if mode == "search" and denied(path):
            refuse(path)
        return real_open(path, flags, mode_, *a, **k)

    os.scandir, os.listdir, os.stat, os.open = scandir, listdir, stat, open_
    from extract.cli import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
