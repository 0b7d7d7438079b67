"""A user's role and territorial scope in the program; their open sessions and preferences."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tremplin.territories.models import Territory

from .roles import Role


class Membership(models.Model):
    """Who a user is in the program: one role, and the territories it applies to.

    The coordination covers the whole region whatever its territories; other roles are
    limited to the territories listed here (a housing manager: to the providers that name
    them as managers, in the housing app).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    role = models.CharField(_("rôle"), max_length=32, choices=Role.choices)
    territories = models.ManyToManyField(
        Territory, blank=True, related_name="memberships", verbose_name=_("territoires")
    )
    organization = models.CharField(_("organisation"), max_length=200, blank=True)
    # A worker's clinical supervisor: the supervisor reads the files of the workers who
    # name them here (their team).
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supervised_memberships",
        verbose_name=_("superviseur·e"),
    )

    class Meta:
        verbose_name = _("rôle d'un utilisateur")
        verbose_name_plural = _("rôles des utilisateurs")

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}"

    @property
    def is_coordination(self) -> bool:
        return self.role == Role.COORDINATION

    @property
    def covers_whole_region(self) -> bool:
        return self.role in {Role.COORDINATION, Role.RESEARCHER}

    @property
    def can_read_casework(self) -> bool:
        """Reads individual case files (each file still checked by assignment or team)."""
        return self.role in {Role.WORKER, Role.SUPERVISOR}

    @property
    def is_privacy_officer(self) -> bool:
        return self.role == Role.PRIVACY_OFFICER

    @property
    def requires_two_factor(self) -> bool:
        """Every role that can see personal information from case files signs in with TOTP, and
        so does the coordination: it administers accounts (it can reset another user's second
        factor and password), so its password alone must not open a worker's account."""
        return self.role in {
            Role.COORDINATION,
            Role.WORKER,
            Role.SUPERVISOR,
            Role.PRIVACY_OFFICER,
        }

    @property
    def can_export_research(self) -> bool:
        """De-identified exports (casework.privacy.research), nothing identifiable."""
        return self.role in {Role.RESEARCHER, Role.PRIVACY_OFFICER}

    @property
    def can_read_case_stats(self) -> bool:
        """Counts of individual support, small cells suppressed (casework.privacy.stats)."""
        return self.role in {Role.COORDINATION, Role.SUPERVISOR, Role.PRIVACY_OFFICER}

    @property
    def can_run_events(self) -> bool:
        """Events and surveys are run by the coordination and organizers."""
        return self.role in {Role.COORDINATION, Role.ORGANIZER}

    @property
    def can_read_committees(self) -> bool:
        """Committees (each checked by concertation.permissions)."""
        return self.role in {Role.COORDINATION, Role.ORGANIZER, Role.PARTNER}

    @property
    def can_use_admin(self) -> bool:
        return self.role == Role.COORDINATION

    @property
    def can_read_funding(self) -> bool:
        return self.role in {Role.COORDINATION, Role.ORGANIZER, Role.PARTNER}

    @property
    def can_edit_funding(self) -> bool:
        return self.role == Role.COORDINATION

    @property
    def can_import_directory(self) -> bool:
        return self.role == Role.COORDINATION

    def territory_ids(self) -> set[int]:
        """Territories in scope; cached on the instance for the request."""
        if not hasattr(self, "_territory_ids"):
            self._territory_ids = set(self.territories.values_list("id", flat=True))
        return self._territory_ids


class UserSession(models.Model):
    """One signed-in session of a user, so that they can see and end their sessions.

    Django's session store does not index sessions by user: a row is added at sign-in
    (``user_logged_in``), removed at sign-out, its key follows the session's when it changes
    (second factor, password change), and ``last_seen_at`` is refreshed at most once a minute
    by ``middleware.UserSessionMiddleware``. The session key never leaves the server: pages and
    URLs name a session by its ``public_id``.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="user_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    user_agent = models.CharField(_("navigateur"), max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    created_at = models.DateTimeField(_("connexion"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("dernière activité"), default=timezone.now)

    class Meta:
        verbose_name = _("session ouverte")
        verbose_name_plural = _("sessions ouvertes")
        ordering = ["-last_seen_at", "-pk"]

    def __str__(self):
        # Never the session key: this goes into the audit journal.
        return f"{self.user} – {self.public_id}"


class UserPreference(models.Model):
    """What a user chose once for all their sessions (the interface language)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preference"
    )
    # Empty: no choice yet (the language cookie, French by default, decides).
    language = models.CharField(_("langue"), max_length=8, choices=settings.LANGUAGES, blank=True)

    class Meta:
        verbose_name = _("préférence d'un utilisateur")
        verbose_name_plural = _("préférences des utilisateurs")

    def __str__(self):
        return f"{self.user} – {self.language or '-'}"
