"""The roles of the program (DOMAIN.md) and the Django group each maps to."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATION = "coordination", _("Coordination régionale")
    ORGANIZER = "organizer", _("Organisateur·trice communautaire")
    WORKER = "worker", _("Intervenant·e sociocommunautaire")
    SUPERVISOR = "supervisor", _("Superviseur·e clinique")
    PRIVACY_OFFICER = (
        "privacy_officer",
        _("Responsable de la protection des renseignements personnels"),
    )
    HOUSING_MANAGER = "housing_manager", _("Gestionnaire d'habitation")
    PARTNER = "partner", _("Partenaire")
    RESEARCHER = "researcher", _("Chercheur·e")


# Model permissions granted to each role's group, as "app_label.codename".
# Object-level limits (which provider, which territory) are in each app's permissions.py.
GROUP_PERMISSIONS: dict[str, list[str]] = {
    Role.COORDINATION: [
        f"{app}.{verb}_{model}"
        for app, model in [
            ("territories", "region"),
            ("territories", "territory"),
            ("territories", "mrc"),
            ("territories", "municipality"),
            ("territories", "localteam"),
            ("housing", "housingprovider"),
            ("housing", "building"),
            ("housing", "contact"),
            ("housing", "clientele"),
            ("accounts", "membership"),
            ("projects", "project"),
            ("projects", "projectactivity"),
            ("projects", "accompaniment"),
            ("projects", "tenantassociation"),
            ("partners", "partner"),
            ("partners", "agreement"),
            ("partners", "commitment"),
            ("partners", "disbursement"),
            ("auth", "user"),
        ]
        for verb in ("view", "add", "change", "delete")
    ]
    + ["audit.view_auditentry"],
    Role.ORGANIZER: [
        "housing.view_housingprovider",
        "housing.change_housingprovider",
        "housing.view_building",
        "housing.add_building",
        "housing.change_building",
        "housing.view_contact",
    ],
    Role.WORKER: ["housing.view_housingprovider", "housing.view_building"],
    Role.HOUSING_MANAGER: [
        "housing.view_housingprovider",
        "housing.change_housingprovider",
        "housing.view_building",
        "housing.add_building",
        "housing.change_building",
        "housing.view_contact",
    ],
    Role.SUPERVISOR: ["housing.view_housingprovider", "housing.view_building"],
    Role.PRIVACY_OFFICER: ["housing.view_housingprovider", "housing.view_building"],
    Role.PARTNER: ["housing.view_housingprovider", "housing.view_building"],
    Role.RESEARCHER: ["housing.view_housingprovider", "housing.view_building"],
}


def membership_of(user):
    """The user's ``Membership``: None for no user, anonymous, inactive or role-less users.
    Every app's ``permissions.py`` starts from it."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return getattr(user, "membership", None)


def has_role(user, *roles) -> bool:
    """Whether the user's membership has one of ``roles``."""
    m = membership_of(user)
    return m is not None and m.role in roles
