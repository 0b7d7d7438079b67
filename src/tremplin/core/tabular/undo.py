"""Undoing a commit: what it wrote is fingerprinted when it commits, and an undo is refused —
with a French reason per record — when any of it has changed or gone since, or when other
records now point to what it created.

An importer names what it wrote (``Importer.written_records``): the records its undo would
delete or put back, as ``Written`` groups. The fingerprint of a record is a short hash of its
stored values (every concrete field but the primary key and the modification time, and the
keys of its many-to-many links), so an edit through any page, service, the admin or a later
import is seen, whether or not it touched ``updated_at``; putting the values back (another
import undone) makes it match again. Fields the application keeps up to date on its own
(counts, search keys) are left out by the importer (``ignore``).
"""

import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

CHUNK = 2000  # records read at a time (and at most SQLite's 32,766 parameters)
LABEL_LENGTH = 100
LIMIT = 10  # reasons listed one by one; the rest are counted


@dataclass
class Written:
    """Records of one model that a commit wrote (created, or changed and to be put back)."""

    model: type
    pks: list
    describe: Callable = str  # the record as the reasons name it
    related: tuple[str, ...] = ()  # select_related() for ``describe``
    ignore: tuple[str, ...] = ()  # fields kept up to date by the application (counts…)
    # Records about people (subscribers, attendees): their names are not kept in the history,
    # so a record deleted since is counted, not named.
    personal: bool = False


def _fields(model, ignore):
    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and not getattr(f, "auto_now", False) and f.name not in ignore
    ]


def _links(model, ignore):
    return [f for f in model._meta.many_to_many if f.name not in ignore]


def _plain(value):
    return bytes(value) if isinstance(value, memoryview) else value


def _current(written: Written, pks, *, lock: bool = False):
    """Each record of ``pks`` that still exists, with its fingerprint."""
    fields = _fields(written.model, written.ignore)
    links = _links(written.model, written.ignore)
    manager = written.model._base_manager
    pks = list(pks)
    for start in range(0, len(pks), CHUNK):
        chunk = pks[start : start + CHUNK]
        linked = {}
        for link in links:
            through = link.remote_field.through
            source, target = link.m2m_field_name(), link.m2m_reverse_field_name()
            targets = defaultdict(list)
            rows = through._base_manager.filter(**{f"{source}__in": chunk}).values_list(
                source, target
            )
            for owner, other in rows:
                targets[owner].append(other)
            linked[link.name] = targets
        queryset = manager.filter(pk__in=chunk).select_related(*written.related)
        if lock:
            queryset = queryset.select_for_update(of=("self",))
        for obj in queryset.order_by("pk"):
            parts = [repr(_plain(f.value_from_object(obj))) for f in fields]
            parts += [repr(sorted(linked[link.name].get(obj.pk, []))) for link in links]
            digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=8).hexdigest()
            yield obj, digest


def _key(model) -> str:
    return model._meta.label_lower


def fingerprints(records: list[Written]) -> dict:
    """``{"app.model": {"pk": [fingerprint, label]}}`` of what a commit wrote, taken inside
    its transaction once everything is written."""
    out: dict[str, dict] = {}
    for written in records:
        stored = out.setdefault(_key(written.model), {})
        for obj, digest in _current(written, written.pks):
            label = "" if written.personal else str(written.describe(obj))[:LABEL_LENGTH]
            stored[str(obj.pk)] = [digest, label]
    return out


def changes(records: list[Written], stored: dict, *, since=None) -> list[str]:
    """French reasons, one per record changed or deleted since the fingerprints ``stored`` were
    taken (the records are locked until the end of the transaction). A commit recorded without
    fingerprints (before they were kept) is judged on ``updated_at`` after ``since``."""
    if not stored:
        reasons: list[str] = []
        for written in records:
            if since is not None and any(
                f.name == "updated_at" for f in written.model._meta.fields
            ):
                changed_since(
                    written.model._base_manager.filter(pk__in=written.pks),
                    since,
                    written.describe,
                    reasons,
                )
        return reasons
    named: list[str] = []
    unnamed = 0
    for written in records:
        before = stored.get(_key(written.model), {})
        kind = capfirst(written.model._meta.verbose_name)
        seen = set()
        for obj, digest in _current(written, [int(pk) for pk in before], lock=True):
            seen.add(str(obj.pk))
            if before[str(obj.pk)][0] != digest:
                named.append(
                    _("%(kind)s « %(name)s » : enregistrement modifié depuis l'importation.")
                    % {"kind": kind, "name": written.describe(obj)}
                )
        gone = [pk for pk in before if pk not in seen]
        anonymous = 0
        for pk in gone:
            label = before[pk][1]
            if label:
                named.append(
                    _("%(kind)s « %(name)s » : enregistrement supprimé depuis l'importation.")
                    % {"kind": kind, "name": label}
                )
            else:
                anonymous += 1
        if anonymous:
            named.append(
                ngettext(
                    "%(kind)s : %(count)s enregistrement supprimé depuis l'importation.",
                    "%(kind)s : %(count)s enregistrements supprimés depuis l'importation.",
                    anonymous,
                )
                % {"kind": capfirst(written.model._meta.verbose_name_plural), "count": anonymous}
            )
    if len(named) > LIMIT:
        unnamed = len(named) - LIMIT
        named = named[:LIMIT] + [
            ngettext(
                "… et %(count)s autre enregistrement modifié ou supprimé depuis l'importation.",
                "… et %(count)s autres enregistrements modifiés ou supprimés depuis l'importation.",
                unnamed,
            )
            % {"count": unnamed}
        ]
    return named


def undo(importer, written: dict, stored: dict, *, since) -> list[str]:
    """Take a commit back when nothing it wrote has changed since and nothing new points to it:
    the French reasons it cannot (then nothing is written), else [] once undone."""
    from .runner import Importer

    if type(importer).undo is Importer.undo:
        return [_("Cette importation ne peut pas être annulée.")]
    with transaction.atomic():
        records = importer.written_records(written)
        reasons = changes(records, stored, since=since) + importer.undo_obstacles(written)
        if reasons:
            return reasons
        importer.undo(written)
    return []


def changed_since(queryset, since, describe, reasons: list[str], *, limit: int = LIMIT) -> None:
    """Add a French reason for each record of ``queryset`` modified after ``since``."""
    changed = list(queryset.filter(updated_at__gt=since).order_by("pk")[: limit + 1])
    for obj in changed[:limit]:
        reasons.append(
            _("« %(name)s » a été modifié depuis l'importation.") % {"name": describe(obj)}
        )
    if len(changed) > limit:
        reasons.append(_("… et d'autres enregistrements modifiés depuis."))


def still_linked(model, pks, describe, reasons: list[str], *, ignore=(), limit: int = LIMIT):
    """Add a French reason for each record of ``pks`` that other records now point to (a
    project, a case file, a survey site…): deleting it would lose or refuse them."""
    found = 0
    for rel in model._meta.related_objects:
        if rel.related_model in ignore or not pks:
            continue
        name = rel.field.name
        linked = (
            rel.related_model._default_manager.filter(**{f"{name}__in": pks})
            .values_list(name, flat=True)
            .distinct()[:limit]
        )
        for pk in linked:
            obj = model._default_manager.filter(pk=pk).first()
            if obj is None or found >= limit:
                continue
            found += 1
            reasons.append(
                _("« %(name)s » est maintenant lié à d'autres données (%(what)s).")
                % {"name": describe(obj), "what": rel.related_model._meta.verbose_name_plural}
            )
