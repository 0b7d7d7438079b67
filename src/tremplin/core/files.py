"""Writing a file so that no reader ever sees it half-written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _write(handle, content: bytes) -> None:
    handle.write(content)


def write_atomically(path: Path, content: bytes) -> None:
    """Write ``content`` beside ``path`` and rename it into place: a process killed midway
    leaves the previous file (or none), never a truncated one; only a hidden
    ``.NAME.….partiel`` may remain."""
    path = Path(path)
    fd, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partiel")
    try:
        with os.fdopen(fd, "wb") as handle:
            _write(handle, content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(partial, 0o644)
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
