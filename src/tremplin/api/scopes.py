"""The fixed list of token scopes (area:verb) and which roles may hold each.

A scope only narrows: the rights of an API call are the owner's role's rights (the same
permission functions as the pages, asked at each call) ∩ the token's scopes. ``allowed`` says
whether the owner's role, today, gives anything under a scope; every object is then still
checked by the owning app's selectors (404 outside the user's scope).
"""

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from django.utils.translation import gettext_lazy as _

from tremplin.accounts.two_factor import confirmed_device


def _member(user) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and getattr(user, "membership", None) is not None
    )


def _casework(user) -> bool:
    """Workers and supervisors, and only once their authenticator app is set up: a token is
    a password that skips the second factor, so it is given only to accounts that have one."""
    from tremplin.casework.permissions import is_caseworker

    return is_caseworker(user) and confirmed_device(user) is not None


@dataclass(frozen=True)
class Scope:
    id: str
    label: object
    # Who may hold it: the owning app's permission function, or its name "<app>.<function>"
    # in ``tremplin.<app>.permissions``, imported when first asked (no app's permissions
    # are imported when this module loads).
    permission: str | Callable

    def allowed(self, user) -> bool:
        check = self.permission
        if isinstance(check, str):
            app, name = check.split(".")
            check = getattr(import_module(f"tremplin.{app}.permissions"), name)
        return check(user)


SCOPES: dict[str, Scope] = {
    s.id: s
    for s in [
        Scope("territories:read", _("Territoires, MRC, municipalités, ÉLÉ"), _member),
        Scope(
            "directory:read",
            _("Répertoire : organismes, immeubles, logements"),
            "housing.can_read_directory",
        ),
        Scope(
            "funding:read",
            _("Partenaires, ententes, engagements, financement"),
            "partners.can_read_funding",
        ),
        Scope("projects:read", _("Projets et activités"), "projects.can_read"),
        Scope("projects:write", _("Ajouter des activités aux projets"), "projects.can_create"),
        Scope(
            "concertation:read",
            _("Comités, rencontres, suivis de décisions"),
            "concertation.can_use",
        ),
        Scope("events:read", _("Événements, arrêts, inscriptions"), "events.can_read"),
        Scope("events:write", _("Présences aux événements"), "events.can_read"),
        Scope("surveys:read", _("Questionnaires, campagnes, résultats"), "surveys.is_survey_staff"),
        Scope("surveys:write", _("Saisir des questionnaires papier"), "surveys.is_survey_staff"),
        Scope(
            "indicators:read", _("Indicateurs et leurs valeurs"), "evaluation.can_read_evaluation"
        ),
        Scope("casework:read", _("Suivis individuels (lecture, journalisée)"), _casework),
        Scope("casework:write", _("Suivis individuels : interventions"), _casework),
    ]
}


def allowed_scopes(user) -> list[Scope]:
    """The scopes ``user``'s role gives today, in the fixed order."""
    return [s for s in SCOPES.values() if s.allowed(user)]


def is_allowed(user, scope_id: str) -> bool:
    scope = SCOPES.get(scope_id)
    return scope is not None and bool(scope.allowed(user))
