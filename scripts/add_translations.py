"""Add French source strings and their English translations to the project's catalogues.

Usage: python scripts/add_translations.py FILE.json [FILE.json …]

Each file holds {"French source string": "English translation", …}; for a plural, the value
is {"plural": "French plural source", "en": ["English singular", "English plural"]}. Existing
entries are updated, new ones appended; the catalogues are then compiled. Several people (or
helpers) may run it at once: the catalogues are locked while they are written.
"""

import fcntl
import json
import subprocess
import sys
from pathlib import Path

import polib

SRC = Path(__file__).resolve().parent.parent / "src" / "tremplin"
LOCALE = SRC / "locale"


def merge(po: polib.POFile, strings: dict, lang: str) -> int:
    by_id = {e.msgid: e for e in po}
    added = 0
    for msgid, value in strings.items():
        entry = by_id.get(msgid)
        if entry is None:
            entry = polib.POEntry(msgid=msgid)
            if isinstance(value, dict):
                entry.msgid_plural = value["plural"]
            po.append(entry)
            by_id[msgid] = entry
            added += 1
        if entry.msgid_plural:
            en = value["en"] if isinstance(value, dict) else [value, value]
            fr = [msgid, entry.msgid_plural]
            entry.msgstr_plural = dict(enumerate(fr if lang == "fr" else en))
        else:
            entry.msgstr = msgid if lang == "fr" else value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.obsolete = False
    return added


def main(paths: list[str]) -> int:
    strings = {}
    for path in paths:
        strings.update(json.loads(Path(path).read_text(encoding="utf-8")))
    with open(LOCALE / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for lang in ("fr", "en"):
            path = LOCALE / lang / "LC_MESSAGES" / "django.po"
            po = polib.pofile(str(path))
            added = merge(po, strings, lang)
            po.save()
            print(f"{path.relative_to(SRC)}: {added} new, {len(strings) - added} updated")
        tremplin = Path(sys.executable).parent / "tremplin"
        subprocess.run(
            [str(tremplin), "compilemessages", "--ignore", ".venv", "-v", "0"], cwd=SRC, check=True
        )
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1:]))
