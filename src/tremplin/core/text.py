"""Text helpers: accent- and case-insensitive search keys."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(value: str | None) -> str:
    """Lower-case, strip accents and collapse spaces: ``"  Lévis "`` → ``"levis"``.

    Search keys are stored folded so that the same ``LIKE`` works on SQLite and PostgreSQL,
    without depending on the ``unaccent`` extension or ICU collations.
    """
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFKD", str(value))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = stripped.replace("œ", "oe").replace("æ", "ae").replace("’", "'")
    return _SPACES.sub(" ", stripped.casefold()).strip()
