"""Atomic writes: a file appears whole or not at all (temp file + rename in the same folder).

Each file is flushed to disk before it is renamed into place. A batch of many files (3,321
plans) may defer that flush with ``deferred_sync()``: the files are still renamed only once
whole, and are all flushed when the batch ends, instead of waiting on the disk once per file.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from criteria.errors import InputError
from criteria.files import os_reason


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


_DEFERRED: list[list[Path]] = []  # the files written inside ``deferred_sync()`` (innermost last)


@contextmanager
def deferred_sync() -> Iterator[None]:
    """Within the block, files are written atomically but flushed to disk together at its end."""
    written: list[Path] = []
    _DEFERRED.append(written)
    try:
        yield
    finally:
        _DEFERRED.pop()
        for path in written:
            try:
                fd = os.open(path, os.O_RDONLY)
            except OSError:
                continue  # removed since: nothing to flush
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def write_atomic(path: str | Path, data: bytes | str, encoding: str = "utf-8") -> Path:
    payload = data.encode(encoding) if isinstance(data, str) else data
    return write_atomic_with(path, lambda handle: handle.write(payload))


def write_atomic_with(path: str | Path, writer: Callable) -> Path:
    """Call ``writer(binary_handle)`` on a temp file, then move it into place."""
    path = Path(path)
    if path.is_dir():
        raise InputError.single(str(path), "", "đây là một thư mục; cần tên tệp sẽ ghi")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:  # the folder cannot be made or written (e.g. /proc): name the target, not the temp
        raise InputError.single(str(path), "", f"không ghi được tệp ({os_reason(exc)})") from None
    try:
        os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes 0600; a written file gets the usual mode
        with os.fdopen(fd, "wb") as handle:
            writer(handle)
            handle.flush()
            if not _DEFERRED:
                os.fsync(handle.fileno())
        os.replace(temp, path)
        if _DEFERRED:
            _DEFERRED[-1].append(path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise InputError.single(str(path), "", f"không ghi được tệp ({os_reason(exc)})") from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path
