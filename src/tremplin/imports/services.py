"""Writes of the import history: start (upload), map, commit, undo. Every commit and undo is
journaled; the entity's own importer does the writing through its app's services."""

import datetime as dt
import hashlib

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.audit.services import log_action
from tremplin.core import tabular
from tremplin.core.tabular.mapping import build_mapping, headers_fingerprint
from tremplin.core.tabular.reading import locate_header, open_source

from .models import UNDO_DAYS, ImportRecord
from .registry import importer_class

DRAFT_LIFETIME = dt.timedelta(days=7)


def saved_mapping(entity: str, headers: list[str]) -> dict | None:
    """The mapping of the last committed import of this entity with the same headers."""
    record = (
        ImportRecord.objects.filter(
            entity=entity,
            headers_key=headers_fingerprint(headers),
            status__in=[ImportRecord.Status.APPLIED, ImportRecord.Status.UNDONE],
        )
        .order_by("-committed_at")
        .only("mapping")
        .first()
    )
    return record.mapping if record else None


def _check_permission(importer, user) -> None:
    if user is not None and not importer.can_import(user):
        raise PermissionDenied


def import_start(
    *, user, entity: str, content: bytes, filename: str, sheet: str = "", options=None
) -> ImportRecord:
    """Open the uploaded file, find its header row and propose a mapping (from the last one
    used for the same headers, then labels and aliases); rows are not read yet.
    Raises ``tabular.FileError`` (French) for a file that cannot be read."""
    importer = importer_class(entity)(user=user, options=options)
    _check_permission(importer, user)
    fields = importer.field_set()
    source = open_source(content, filename, known=fields.known(), sheet=sheet or None)
    located = locate_header(source, fields.known())
    if located is None:
        raise tabular.FileError(_("Le fichier est vide."))
    _line, headers = located
    mapping, _errors = build_mapping(headers, fields, saved=saved_mapping(entity, headers))
    # Drafts abandoned for a week go, with their files.
    ImportRecord.objects.filter(
        status=ImportRecord.Status.DRAFT, created_at__lt=timezone.now() - DRAFT_LIFETIME
    ).delete()
    return ImportRecord.objects.create(
        entity=entity,
        user=user,
        filename=filename[:255],
        checksum=hashlib.sha256(content).hexdigest(),
        size=len(content),
        content=content,
        sheet=source.sheet,
        headers=headers,
        headers_key=headers_fingerprint(headers),
        mapping={h: k for h, k in zip(headers, mapping, strict=False) if h},
        options={**(options or {}), "sheets": source.sheet_names},
    )


def sample_rows(record: ImportRecord, count: int = 5) -> list[list[str]]:
    """The first rows under the header, as read (to help map the columns); never checked."""
    try:
        source = open_source(bytes(record.content), record.filename, sheet=record.sheet or None)
        located = locate_header(source, {tabular.header_key(h) for h in record.headers})
    except tabular.FileError:
        return []
    rows = []
    width = len(record.headers)
    for line, cells in source.rows():
        if located and line <= located[0]:
            continue
        rows.append((list(cells) + [""] * width)[:width])
        if len(rows) >= count:
            break
    return rows


def import_set_mapping(*, record: ImportRecord, mapping: dict[str, str]) -> list[str]:
    """Keep the mapping chosen on the mapping page; the French errors that still stop it."""
    importer = importer_class(record.entity)(user=record.user, options=record.options)
    _columns, errors = build_mapping(record.headers, importer.field_set(), chosen=mapping)
    record.mapping = mapping
    record.save(update_fields=["mapping", "updated_at"])
    return errors


def record_fields(record: ImportRecord):
    """The fields of a draft's entity (some depend on its options, e.g. a campaign's)."""
    return importer_class(record.entity)(user=record.user, options=record.options).field_set()


def mapping_errors(record: ImportRecord) -> list[str]:
    return build_mapping(record.headers, record_fields(record), chosen=record.mapping)[1]


def _importer(record_or_entity, user, options):
    importer = importer_class(record_or_entity)(user=user, options=options)
    _check_permission(importer, user)
    return importer


def import_check(*, user, record: ImportRecord) -> tabular.Report:
    """The dry run of a draft with its mapping: nothing written."""
    importer = _importer(record.entity, user, {**record.options, "filename": record.filename})
    return tabular.dry_run(
        importer,
        bytes(record.content),
        record.filename,
        chosen=record.mapping,
        sheet=record.sheet or None,
    )


def _rejected(report) -> list[dict]:
    return [{"line": r.line, "cells": r.cells or [], "reasons": r.reasons} for r in report.rejected]


@transaction.atomic
def import_commit(*, user, record: ImportRecord, request=None) -> tabular.Report:
    """Check the draft again and write every accepted row, all or nothing, with its record."""
    record = ImportRecord.objects.select_for_update().get(pk=record.pk)
    if record.status != ImportRecord.Status.DRAFT:
        raise tabular.FileError(_("Ce fichier a déjà été importé."))
    importer = _importer(record.entity, user, {**record.options, "filename": record.filename})
    report = tabular.commit(
        importer,
        bytes(record.content),
        record.filename,
        chosen=record.mapping,
        sheet=record.sheet or None,
    )
    if report.file_errors:
        return report
    _finish(record, report)
    log_action(record, "imports.commit", user=user, request=request, data=_journal(record))
    return report


def _finish(record: ImportRecord, report) -> None:
    record.status = ImportRecord.Status.APPLIED
    record.counts = report.counts()
    record.rejected = _rejected(report)
    record.written = report.written
    record.fingerprints = report.fingerprints
    record.headers = report.headers
    record.headers_key = headers_fingerprint(report.headers)
    record.mapping = report.mapping_by_header()
    record.committed_at = timezone.now()
    record.content = b""  # the file may hold more than what was imported: it is not kept
    record.full_clean(exclude=["user", "undone_by", "content"])
    record.save()


def _journal(record) -> dict:
    return {
        "entity": record.entity,
        "filename": record.filename,
        "checksum": record.checksum,
        **record.counts,
    }


def import_file(
    *,
    user,
    entity: str,
    content: bytes,
    filename: str,
    chosen: dict | None = None,
    sheet: str = "",
    dry_run: bool = False,
    options: dict | None = None,
) -> tuple[tabular.Report, ImportRecord | None]:
    """The command line's import: the dry run (nothing written, no record), or the commit and
    its record. The mapping given completes the last one used for the same headers."""
    importer = _importer(entity, user, {**(options or {}), "filename": filename})
    if user is None and getattr(importer, "needs_user", False):
        raise tabular.FileError(
            _("Ces données demandent un auteur responsable de l'importation : indiquez --user NOM.")
        )
    saved = None
    try:
        fields = importer.field_set()
        source = open_source(content, filename, known=fields.known(), sheet=sheet or None)
        located = locate_header(
            source, fields.known() | {tabular.header_key(h) for h in chosen or {}}
        )
        if located:
            saved = saved_mapping(entity, located[1])
    except tabular.FileError:
        pass  # the runner says why
    kwargs = {"chosen": chosen, "saved": saved, "sheet": sheet or None}
    if dry_run:
        return tabular.dry_run(importer, content, filename, **kwargs), None
    with transaction.atomic():
        report = tabular.commit(importer, content, filename, **kwargs)
        if report.file_errors:
            return report, None
        record = ImportRecord(
            entity=entity,
            user=user,
            via_command=True,
            filename=filename[:255],
            checksum=hashlib.sha256(content).hexdigest(),
            size=len(content),
            sheet=report.sheet,
            options=options or {},
        )
        _finish(record, report)
        log_action(record, "imports.commit", user=user, data=_journal(record))
    return report, record


def import_undo(*, user, record: ImportRecord, request=None) -> list[str]:
    """Take back a commit within 30 days when nothing it wrote has changed or gone since (its
    fingerprints) and nothing new points to what it created. Returns the French reasons it
    cannot, one per record (then nothing is written), or [] once undone."""
    with transaction.atomic():
        record = ImportRecord.objects.select_for_update().get(pk=record.pk)
        if record.status == ImportRecord.Status.UNDONE:
            return [_("Cette importation a déjà été annulée.")]
        if record.status != ImportRecord.Status.APPLIED:
            return [_("Ce fichier n'a pas été importé : il n'y a rien à annuler.")]
        if not record.can_still_undo:
            return [
                _(
                    "Une importation ne peut être annulée que dans les %(days)s jours : celle-ci "
                    "date du %(date)s."
                )
                % {"days": UNDO_DAYS, "date": timezone.localdate(record.committed_at).isoformat()}
            ]
        importer = _importer(record.entity, user, dict(record.options))
        reasons = tabular.undo(
            importer, record.written, record.fingerprints, since=record.committed_at
        )
        if reasons:
            return reasons
        record.status = ImportRecord.Status.UNDONE
        record.undone_at = timezone.now()
        record.undone_by = user
        record.fingerprints = {}  # of nothing any more (and they name records)
        record.save(
            update_fields=["status", "undone_at", "undone_by", "fingerprints", "updated_at"]
        )
        log_action(record, "imports.undo", user=user, request=request, data=_journal(record))
    return []
