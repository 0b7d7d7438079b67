"""Check that the French and English catalogues are complete (no empty or fuzzy entry).

Usage: python scripts/check_catalogues.py [--fill-french]
--fill-french copies each French source string into the French catalogue (French is the
reference language: the source strings are French), leaving plurals and existing entries alone.
"""

import sys
from pathlib import Path

import polib

SRC = Path(__file__).resolve().parent.parent / "src" / "tremplin"
LOCALE = SRC / "locale"


def locale_dirs() -> list[Path]:
    """The project catalogue and any app's own (makemessages writes an app's strings there)."""
    return [LOCALE] + sorted(d for d in SRC.glob("*/locale") if d.is_dir() and d != LOCALE)


def main() -> int:
    fill = "--fill-french" in sys.argv
    problems = []
    for base in locale_dirs():
        for lang in ("fr", "en"):
            for name in ("django.po", "djangojs.po"):
                path = base / lang / "LC_MESSAGES" / name
                if not path.exists():
                    if name == "django.po":
                        problems.append(f"{path}: missing")
                    continue
                po = polib.pofile(str(path))
                if fill and lang == "fr":
                    for entry in po:
                        # A fuzzy entry holds gettext's guess from a similar string: never keep it.
                        fuzzy = "fuzzy" in entry.flags
                        if entry.msgid_plural:
                            if fuzzy or not any(entry.msgstr_plural.values()):
                                entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
                        elif fuzzy or not entry.msgstr:
                            entry.msgstr = entry.msgid
                        if fuzzy:
                            entry.flags.remove("fuzzy")
                        entry.previous_msgid = entry.previous_msgid_plural = None
                    po.save()
                for entry in po:
                    if entry.obsolete:
                        continue
                    empty = (
                        not all(entry.msgstr_plural.values())
                        if entry.msgid_plural
                        else not entry.msgstr
                    )
                    if empty or "fuzzy" in entry.flags:
                        problems.append(f"{path.relative_to(SRC)}:{entry.linenum}: {entry.msgid!r}")
    if problems:
        print(f"{len(problems)} incomplete translation(s):")
        print("\n".join(problems[:200]))
        return 1
    print("Catalogues complete (fr, en).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
