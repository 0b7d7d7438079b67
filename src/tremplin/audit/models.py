"""An append-only journal of sensitive actions (who did what to which record, when, from where)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    at = models.DateTimeField(_("moment"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        # The journal outlives accounts and is never updated: no cascade, no SET NULL.
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    username = models.CharField(_("utilisateur"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("type d'objet"), max_length=80, blank=True)
    object_id = models.CharField(
        _("identifiant de l'objet"), max_length=64, blank=True, db_index=True
    )
    object_repr = models.CharField(_("objet"), max_length=200, blank=True)
    # The person the record is about (a case file's public id), so the privacy officer can
    # list every look at one person's information, whatever record was opened.
    subject_id = models.CharField(_("personne concernée"), max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    data = models.JSONField(_("détails"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["subject_id", "at"], name="audit_subject_at"),
            models.Index(fields=["user", "at"], name="audit_user_at"),
        ]
        verbose_name = _("entrée du journal")
        verbose_name_plural = _("journal des actions")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit entries are append-only.")
