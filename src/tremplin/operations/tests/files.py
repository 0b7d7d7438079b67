"""The private files (attachments, agreements) the backup tests put under ``MEDIA_ROOT``."""

from __future__ import annotations

import os
from pathlib import Path


def write_private_files(root: Path) -> dict[str, bytes]:
    """Two files under ``root``, one of random bytes; {relative name: content}."""
    files = {
        "projets/pieces/compte-rendu.pdf": b"%PDF-1.4 compte rendu\n" + os.urandom(2000),
        "partenaires/ententes/entente-2009.pdf": b"%PDF-1.4 entente\n",
    }
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return files
