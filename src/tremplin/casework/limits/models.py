"""``BulkReadLift``: a supervisor or the privacy officer lets one worker open more files.

Imported by ``casework/models/__init__.py`` so that Django registers it with the app.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tremplin.core.models import TimeStampedModel

REASON_MAX_LENGTH = 500


class BulkReadLift(TimeStampedModel):
    """Raises ``worker``'s hourly limit by ``extra_files`` distinct files until ``expires_at``
    (one hour after the lift, the length of the counting window). Never updated: a new need
    is a new lift, and each one is in the audit journal with its reason."""

    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # About the work (« dossiers transférés d'une collègue en congé »), never about a person:
    # the form says so, and the same text goes to the audit journal.
    reason = models.TextField(_("raison"), max_length=REASON_MAX_LENGTH)
    extra_files = models.PositiveSmallIntegerField(_("dossiers supplémentaires"))
    expires_at = models.DateTimeField(_("jusqu'à"))

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["worker", "expires_at"], name="casework_lift_lookup")]
        verbose_name = _("levée du blocage de lecture massive")
        verbose_name_plural = _("levées du blocage de lecture massive")

    def __str__(self):
        return f"{self.worker} (+{self.extra_files})"
