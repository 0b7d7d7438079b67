"""The history of imports: one record per file, from its upload to its commit and its undo."""

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tremplin.core.fields import actor
from tremplin.core.models import PublicModel

UNDO_DAYS = 30


class ImportRecord(PublicModel):
    """A file imported (or being mapped and checked) for one entity.

        Who, when, the file's name and SHA-256, its headers and the mapping used (so that the next
        file with the same headers is mapped alike), the counts, the rejected rows with their
        reasons (downloadable to be corrected), and what the commit wrote with a fingerprint of each
    record (to undo it while nothing of it has changed). The file
        itself is kept only until the commit."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("à vérifier")
        APPLIED = "applied", _("importée")
        UNDONE = "undone", _("annulée")

    entity = models.CharField(_("données"), max_length=40)
    user = actor(on_delete=models.PROTECT)
    via_command = models.BooleanField(default=False)
    filename = models.CharField(_("fichier"), max_length=255)
    checksum = models.CharField(_("empreinte SHA-256"), max_length=64)
    size = models.PositiveIntegerField(default=0)
    content = models.BinaryField(blank=True, default=b"")
    sheet = models.CharField(max_length=100, blank=True)
    headers = models.JSONField(default=list, blank=True)
    headers_key = models.CharField(max_length=64, db_index=True)
    mapping = models.JSONField(default=dict, blank=True)  # header → field key, "" when ignored
    options = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    counts = models.JSONField(default=dict, blank=True)
    rejected = models.JSONField(default=list, blank=True)  # [{"line", "cells", "reasons"}]
    written = models.JSONField(default=dict, blank=True)
    # {"app.model": {pk: [fingerprint, label]}} of what the commit wrote: an undo is refused
    # when any of it has changed or gone since (``core.tabular.undo``).
    fingerprints = models.JSONField(default=dict, blank=True)
    committed_at = models.DateTimeField(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = actor(on_delete=models.PROTECT)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["entity", "headers_key", "-committed_at"])]

    def __str__(self):
        return self.filename

    @property
    def checksum_display(self) -> str:
        """In groups of 16 characters, so that it wraps on a phone."""
        return " ".join(self.checksum[i : i + 16] for i in range(0, len(self.checksum), 16))

    @property
    def undo_deadline(self):
        return self.committed_at + dt.timedelta(days=UNDO_DAYS) if self.committed_at else None

    @property
    def can_still_undo(self) -> bool:
        return (
            self.status == self.Status.APPLIED
            and self.committed_at is not None
            and timezone.now() <= self.undo_deadline
        )
