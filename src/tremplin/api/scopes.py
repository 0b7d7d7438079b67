"""The fixed list of token scopes (area:verb) and which roles may hold each.

A scope only narrows: the rights of an API call are the owner's role's rights (the same
permission functions as the pages, asked at each call) ∩ the token's scopes. ``allowed`` says
whether the owner's role, today, gives anything under a scope; every object is then still
checked by the owning app's selectors (404 outside the user's scope).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from tremplin.accounts.two_factor import confirmed_device


def _member(user) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and getattr(user, "membership", None) is not None
    )


def _directory(user) -> bool:
    from tremplin.housing.permissions import can_read_directory

    return can_read_directory(user)


def _funding(user) -> bool:
    from tremplin.partners.permissions import can_read_funding

    return can_read_funding(user)


def _projects(user) -> bool:
    from tremplin.projects.permissions import can_read

    return can_read(user)


def _projects_write(user) -> bool:
    from tremplin.projects.permissions import can_create

    return can_create(user)


def _concertation(user) -> bool:
    from tremplin.concertation.permissions import can_use

    return can_use(user)


def _events(user) -> bool:
    from tremplin.events.permissions import can_read

    return can_read(user)


def _surveys(user) -> bool:
    from tremplin.surveys.permissions import is_survey_staff

    return is_survey_staff(user)


def _indicators(user) -> bool:
    from tremplin.evaluation.permissions import can_read_evaluation

    return can_read_evaluation(user)


def _casework(user) -> bool:
    """Workers and supervisors, and only once their authenticator app is set up: a token is
    a password that skips the second factor, so it is given only to accounts that have one."""
    from tremplin.casework.permissions import is_caseworker

    return is_caseworker(user) and confirmed_device(user) is not None


@dataclass(frozen=True)
class Scope:
    id: str
    label: object
    allowed: Callable


SCOPES: dict[str, Scope] = {
    s.id: s
    for s in [
        Scope("territories:read", _("Territoires, MRC, municipalités, ÉLÉ"), _member),
        Scope("directory:read", _("Répertoire : organismes, immeubles, logements"), _directory),
        Scope("funding:read", _("Partenaires, ententes, engagements, financement"), _funding),
        Scope("projects:read", _("Projets et activités"), _projects),
        Scope("projects:write", _("Ajouter des activités aux projets"), _projects_write),
        Scope("concertation:read", _("Comités, rencontres, suivis de décisions"), _concertation),
        Scope("events:read", _("Événements, arrêts, inscriptions"), _events),
        Scope("events:write", _("Présences aux événements"), _events),
        Scope("surveys:read", _("Questionnaires, campagnes, résultats"), _surveys),
        Scope("surveys:write", _("Saisir des questionnaires papier"), _surveys),
        Scope("indicators:read", _("Indicateurs et leurs valeurs"), _indicators),
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
