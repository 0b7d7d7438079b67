"""The kinds the global search shows, each read through its own app's selector, given the
user: a group the user may not read is left out (not shown empty), and each group holds only
what the user's list of that kind holds, so that a search never reveals a hidden record,
not even by a count. Other apps are imported inside the functions (the search app is
imported by them)."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def _providers(user):
    from tremplin.housing import selectors

    return selectors.providers_for_user(user)


def _buildings(user):
    from tremplin.housing import selectors

    return selectors.buildings_for_user(user)


def _projects(user):
    from tremplin.projects import selectors

    return selectors.projects_for_user(user)


def _events(user):
    from tremplin.events import selectors

    return selectors.events_for_user(user)


def _committees(user):
    from tremplin.concertation import selectors

    return selectors.committees_for_user(user)


def _partners(user):
    from tremplin.partners import selectors

    return selectors.partners_for_user(user)


def _persons(user):
    from tremplin.casework import selectors

    return selectors.persons_in_caseload(user)


def _building_label(b) -> str:
    return b.name or b.address


@dataclass(frozen=True)
class Group:
    kind: str
    label: str
    scope: object  # user → queryset (raises Http404 when the user may not read the kind)
    detail: str  # URL name taking the public id
    list_url: str = ""  # URL name of the list that takes ?q=
    describe: object = None  # object → a short line under the title

    def queryset(self, user):
        try:
            return self.scope(user)
        except Http404:
            return None

    def url(self, obj) -> str:
        return reverse(self.detail, args=[obj.public_id])

    def more_url(self, text: str) -> str:
        return reverse(self.list_url) + "?" + urlencode({"q": text}) if self.list_url else ""


GROUPS = (
    Group(
        "provider",
        _("Organismes"),
        _providers,
        "housing:provider-detail",
        "housing:directory",
        lambda p: p.municipality.name,
    ),
    Group(
        "building",
        _("Immeubles"),
        _buildings,
        "housing:building-detail",
        "housing:directory",
        lambda b: f"{b.municipality.name} · {b.provider.name}",
    ),
    Group("project", _("Projets"), _projects, "projects:project-detail", "projects:project-list"),
    Group("event", _("Événements"), _events, "events:event-detail", "events:event-list"),
    Group(
        "committee",
        _("Comités"),
        _committees,
        "concertation:committee-detail",
        "concertation:committee-list",
    ),
    Group(
        "partner", _("Partenaires"), _partners, "partners:partner-detail", "partners:partner-list"
    ),
    Group(
        "person", _("Personnes suivies"), _persons, "casework:person-detail", "casework:caseload"
    ),
)
