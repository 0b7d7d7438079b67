"""Which column of the file feeds which field of the entity.

A column is mapped, in this order: by the person (``--map "Nom=provider"``, or the select of
the mapping page), by the last mapping used for a file with the same headers, by the field's
French label, then by one of its aliases. A field is fed by one column at most.
"""

import hashlib
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from tremplin.core.text import fold

from .reading import FileError

IGNORE = ""  # the mapping of a column that feeds no field


@dataclass(frozen=True)
class Field:
    """A field an import fills: its key (``provider``), its French column label (the header of
    Tremplin's own exports), other spellings met in spreadsheets, and a French description."""

    key: str
    label: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    help: str = ""


def header_key(text) -> str:
    """``"Nom de l'organisme"`` → ``"nomdelorganisme"``; ``"2 1/2 et moins"`` → ``"2½etmoins"``."""
    folded = fold(text).replace("1⁄2", "½").replace("1/2", "½")
    return re.sub(r"[^0-9a-z½]", "", folded)


def headers_fingerprint(headers: list[str]) -> str:
    """The same headers, whatever their case, accents or order: the key of a saved mapping."""
    keys = sorted(header_key(h) for h in headers if header_key(h))
    return hashlib.sha256("\x1f".join(keys).encode()).hexdigest()


class MappingError(FileError):
    """The columns cannot feed the entity's fields (nothing is read or written)."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass
class Fields:
    """An entity's fields, found by key, by French label or by alias."""

    fields: list[Field]
    by_key: dict = field(init=False)
    by_header: dict = field(init=False)

    def __post_init__(self):
        self.by_key = {f.key: f for f in self.fields}
        self.by_header = {}
        for f in self.fields:
            self.by_header.setdefault(header_key(f.label), f.key)
        for f in self.fields:
            for alias in f.aliases:
                self.by_header.setdefault(header_key(alias), f.key)

    def known(self) -> set[str]:
        return set(self.by_header)

    def resolve(self, name: str) -> str | None:
        """A field named by its key (``provider``) or its French label (``Organisme``)."""
        name = (name or "").strip()
        if name in self.by_key:
            return name
        for f in self.fields:
            if header_key(f.label) == header_key(name) or f.key == fold(name):
                return f.key
        return None

    def label(self, key: str) -> str:
        return self.by_key[key].label

    def required(self) -> list[Field]:
        return [f for f in self.fields if f.required]


def parse_map_options(options: list[str]) -> dict[str, str]:
    """``["Nom=provider", "Nb log.=Total des logements", "Notes="]`` → {header: field or ""}."""
    pairs = {}
    for option in options or []:
        header, sep, target = option.partition("=")
        if not sep or not header.strip():
            raise MappingError(
                [
                    _("Correspondance illisible : « %(option)s » (attendu : « En-tête=champ »).")
                    % {"option": option}
                ]
            )
        pairs[header.strip()] = target.strip()
    return pairs


def _quoted(names) -> str:
    return ", ".join(f"« {n} »" for n in names)


def build_mapping(
    headers: list[str],
    fields: Fields,
    *,
    chosen: dict[str, str] | None = None,
    saved: dict[str, str] | None = None,
) -> tuple[list[str], list[str]]:
    """Each column's field key ("" when ignored), and the French errors that stop the import.

    ``chosen`` maps headers (as written, or spelled loosely) to a field key or label, or to
    ``""`` to ignore the column; ``saved`` is the mapping of a file with the same headers."""
    errors: list[str] = []
    keys_of = [header_key(h) for h in headers]

    seen: dict[str, int] = {}
    for index, key in enumerate(keys_of):
        if not key:
            continue
        if key in seen:
            errors.append(
                _(
                    "Deux colonnes portent le même en-tête « %(header)s » (colonnes %(first)s et "
                    "%(second)s) : renommez l'une d'elles."
                )
                % {"header": headers[index], "first": seen[key] + 1, "second": index + 1}
            )
        else:
            seen[key] = index

    mapping = [IGNORE] * len(headers)
    decided = [False] * len(headers)
    for header, target in (chosen or {}).items():
        index = seen.get(header_key(header))
        if index is None:
            errors.append(
                _("« %(header)s » n'est pas un en-tête du fichier. En-têtes du fichier : %(all)s.")
                % {"header": header, "all": _quoted(h for h in headers if h)}
            )
            continue
        decided[index] = True
        if not target or fold(target) in {"ignorer", "ignore", "-"}:
            continue
        key = fields.resolve(target)
        if key is None:
            errors.append(
                _(
                    "Champ inconnu : « %(field)s » (pour la colonne « %(header)s »). Champs : "
                    "%(fields)s."
                )
                % {
                    "field": target,
                    "header": header,
                    "fields": _quoted(f.key for f in fields.fields),
                }
            )
            continue
        mapping[index] = key
    saved_keys = {header_key(h): k for h, k in (saved or {}).items()}
    for index, key in enumerate(keys_of):
        if decided[index] or not key:
            continue
        if key in saved_keys:
            target = saved_keys[key]
            mapping[index] = target if target in fields.by_key else IGNORE
            decided[index] = True
    taken = {k for k in mapping if k}
    for index, key in enumerate(keys_of):
        if decided[index] or not key:
            continue
        target = fields.by_header.get(key)
        if target and target not in taken:
            mapping[index] = target
            taken.add(target)

    errors += mapping_errors(headers, mapping, fields)
    return mapping, errors


def mapping_errors(headers: list[str], mapping: list[str], fields: Fields) -> list[str]:
    """Two columns feeding one field; required fields fed by no column (with the headers)."""
    errors = []
    columns: dict[str, list[str]] = {}
    for header, key in zip(headers, mapping, strict=False):
        if key:
            columns.setdefault(key, []).append(header or "?")
    for key, named in columns.items():
        if len(named) > 1:
            errors.append(
                _("Les colonnes %(columns)s correspondent toutes au même champ « %(field)s ».")
                % {"columns": _quoted(named), "field": fields.label(key)}
            )
    missing = [f.label for f in fields.required() if f.key not in columns]
    if missing:
        errors.append(
            _("Champ obligatoire sans colonne : %(missing)s. En-têtes du fichier : %(headers)s.")
            % {"missing": _quoted(missing), "headers": _quoted(h for h in headers if h) or "—"}
        )
    return errors
