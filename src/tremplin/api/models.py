"""Personal access tokens (*jetons d'accès*) and the answers kept for idempotent writes."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tremplin.core.fields import actor


class AccessToken(models.Model):
    """A token a user made for a program (Excel, Power BI, a phone app).

    Only a SHA-256 hash of the secret is kept (the secret is 256 random bits, so a slow hash
    adds nothing); ``prefix`` — ``trp_`` and the first characters — is shown everywhere so a
    leaked token can be recognised and revoked. Expiry is required (at most a year).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens"
    )
    name = models.CharField(_("nom"), max_length=100)
    prefix = models.CharField(_("préfixe"), max_length=16, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(_("portées"), default=list)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    created_by = actor()
    expires_at = models.DateTimeField(_("expire le"))
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    revoked_by = actor()
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(_("dernière adresse"), null=True, blank=True)

    class Meta:
        verbose_name = _("jeton d'accès")
        verbose_name_plural = _("jetons d'accès")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        # Never the secret: this goes into the audit journal.
        return f"{self.prefix}… ({self.name})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class IdempotentAnswer(models.Model):
    """The answer given to a write sent with an ``Idempotency-Key``: the same key from the same
    token gets the same answer again, without writing twice (a phone retrying after a lost
    answer). Kept a day (``services.IDEMPOTENCY_HOURS``)."""

    token = models.ForeignKey(AccessToken, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64)  # method, path and body
    status = models.PositiveSmallIntegerField()
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="api_idempotency_unique")
        ]

    def __str__(self):
        return f"{self.token.prefix}… {self.key}"
