"""Atomic file writes: the target is always the old file or the complete new one.

Every file lexiscan writes (a saved matcher, a lexicon, Parquet, the CLI's output) goes first
to a temporary file in the target's own folder (a rename is atomic only within one file
system), is flushed and fsynced, and is then renamed over the target; the folder is fsynced
so the rename itself survives a power cut. Any failure, Ctrl-C included, removes the
temporary file and leaves the old target untouched. Only a process killed outright (SIGKILL,
power loss) can leave a temporary file behind; its name carries the writer's process id, and
the next write to the same target removes those of processes that no longer run.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

PathLike = str | os.PathLike[str]

_TEMP_SUFFIX = ".lexiscan-tmp"


def _default_mode() -> int:
    # The permissions a plain open() would give a new file; the umask can only be read by
    # setting it, so it is read once, at import, before any thread of ours runs.
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


_NEW_FILE_MODE = _default_mode()


@contextlib.contextmanager
def atomic_path(path: PathLike) -> Iterator[Path]:
    """A temporary path beside `path`; when the block ends without error it replaces `path`.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("new")
    >>> target.read_text(), sorted(p.name for p in target.parent.iterdir())
    ('new', ['out.txt'])
    """
    if os.path.exists(path) and not os.path.isfile(path):
        yield Path(path)  # a device or pipe (/dev/stdout) has nothing to replace: written as is
        return
    target = Path(os.path.realpath(path))  # write through a symlink, not over it
    folder = target.parent
    if not folder.is_dir():
        raise FileNotFoundError(f"no such folder: {folder} (to write {path})")
    _remove_stale_temps(target)
    # Ctrl-C may land between any two Python-level calls, so the name is chosen first (the pid
    # and 48 random bits: no other writer has it), the file is made by one C call inside the
    # `try`, and its removal calls nothing written in Python before the unlink.
    name = os.path.join(
        folder, f".{target.name}.{os.getpid()}.{secrets.token_hex(6)}{_TEMP_SUFFIX}"
    )
    try:
        os.close(os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        mode = target.stat().st_mode & 0o7777 if target.exists() else _NEW_FILE_MODE
        os.chmod(name, mode)
        yield Path(name)
        _fsync_file(name)
        os.replace(name, target)
    except BaseException:
        try:
            os.unlink(name)
        except OSError:
            pass
        raise
    _fsync_folder(folder)


def write_bytes(path: PathLike, data: bytes) -> None:
    """Write `data` to `path` atomically (see the module doc).

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "data.bin"
    >>> write_bytes(target, b"abc"); target.read_bytes()
    b'abc'
    """
    with atomic_path(path) as tmp, open(tmp, "wb") as f:
        f.write(data)


def write_text(path: PathLike, text: str) -> None:
    """Write `text` as UTF-8 to `path` atomically, newlines as given (see the module doc).

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> write_text(target, "a,b\\r\\n"); target.read_bytes()
    b'a,b\\r\\n'
    """
    write_bytes(path, text.encode("utf-8"))


def _fsync_file(path: PathLike) -> None:
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def _fsync_folder(folder: Path) -> None:
    # Not every system lets a folder be opened (Windows does not); there the rename is as
    # durable as the system makes it.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove_stale_temps(target: Path) -> None:
    """Remove temporary files for `target` left by writers that were killed."""
    if os.name == "nt":
        return  # os.kill(pid, 0) would end the process there, not probe it
    prefix = f".{target.name}."
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if not (name.startswith(prefix) and name.endswith(_TEMP_SUFFIX)):
            continue
        pid_text = name[len(prefix) :].split(".", 1)[0]
        if pid_text.isdigit() and not _process_runs(int(pid_text)):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


def _process_runs(pid: int) -> bool:
    if pid == os.getpid():
        return True  # another thread of ours may be writing it now
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # it exists (owned by someone else) or we cannot tell: keep the file
    return True
