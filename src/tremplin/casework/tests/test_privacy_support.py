"""Builders shared by the privacy tests (no tests here).

Records are created directly with ``Model.objects.create`` so these tests depend only on the
models, not on the case-file services built alongside.
"""

import datetime as dt

from django.urls import reverse

from tremplin.casework.models import (
    Communication,
    Consent,
    ConsentKind,
    ConsentMode,
    FollowUp,
    FollowUpStatus,
    Household,
    Intervention,
    InterventionMode,
    InterventionType,
    Person,
    Referral,
    ReferralOutcome,
    Resource,
    ResourceCategory,
)
from tremplin.core.text import fold


def privacy_officer_urls(person, incident) -> list[tuple[str, str]]:
    """(method, URL) of every page and export reserved to the privacy officer."""
    pid, iid = person.public_id, incident.public_id
    return [
        ("get", reverse("casework:privacy-index")),
        ("get", reverse("casework:privacy-journal")),
        ("get", reverse("casework:privacy-journal") + f"?personne={pid}"),
        ("get", reverse("casework:privacy-emergency-list")),
        ("post", reverse("casework:privacy-emergency-review")),
        ("post", reverse("casework:privacy-bulk-review")),
        ("get", reverse("casework:privacy-destructions")),
        ("get", reverse("casework:privacy-incidents")),
        ("get", reverse("casework:privacy-incident-create")),
        ("post", reverse("casework:privacy-incident-create")),
        ("get", reverse("casework:privacy-incident-edit", args=[iid])),
        ("post", reverse("casework:privacy-incident-edit", args=[iid])),
        ("get", reverse("casework:privacy-communications")),
        ("get", reverse("casework:privacy-persons") + "?q=tremblay"),
        ("get", reverse("casework:privacy-person", args=[pid])),
        ("get", reverse("casework:privacy-person-export", args=[pid, "json"])),
        ("get", reverse("casework:privacy-person-export", args=[pid, "pdf"])),
        ("get", reverse("casework:privacy-person-rectify", args=[pid])),
        ("post", reverse("casework:privacy-person-rectify", args=[pid])),
    ]


def research_urls() -> list[tuple[str, str]]:
    return [
        ("get", reverse("casework:privacy-research")),
        ("get", reverse("casework:privacy-research-export", args=["csv"])),
        ("get", reverse("casework:privacy-research-export", args=["xlsx"])),
    ]


def stats_urls() -> list[tuple[str, str]]:
    return [("get", reverse("casework:privacy-stats"))]


def make_person(
    world,
    first="Jeanne",
    last="Tremblay",
    *,
    territory="ta",
    birth_year=1957,
    household=Household.ALONE,
    **fields,
):
    return Person.objects.create(
        first_name=first,
        last_name=last,
        name_key=fold(f"{last} {first}"),
        birth_year=birth_year,
        territory=world[territory],
        household=household,
        **fields,
    )


def make_consent(person, user, kind=ConsentKind.FOLLOW_UP, *, given_on=None, **fields):
    return Consent.objects.create(
        person=person,
        kind=kind,
        mode=ConsentMode.WRITTEN,
        given_on=given_on or dt.date(2020, 1, 6),
        recorded_by=user,
        **fields,
    )


def make_follow_up(
    person,
    worker,
    *,
    consent=None,
    started_on=dt.date(2020, 1, 6),
    closed_on=None,
    outcome="",
    reasons="isolation",
    **fields,
):
    consent = consent or make_consent(person, worker, given_on=started_on)
    follow_up = FollowUp.objects.create(
        person=person,
        territory=person.territory,
        consent=consent,
        started_on=started_on,
        reasons=reasons,
        status=FollowUpStatus.CLOSED if closed_on else FollowUpStatus.OPEN,
        closed_on=closed_on,
        outcome=outcome,
        **fields,
    )
    follow_up.workers.add(worker)
    return follow_up


def make_intervention(follow_up, user, occurred_on, *, type=InterventionType.INTAKE, **fields):
    fields.setdefault("mode", InterventionMode.HOME_VISIT)
    return Intervention.objects.create(
        follow_up=follow_up, occurred_on=occurred_on, type=type, created_by=user, **fields
    )


def make_resource(world, name="Comptoir alimentaire de Lévis"):
    return Resource.objects.create(
        name=name, name_key=fold(name), category=ResourceCategory.FOOD, territory=world["ta"]
    )


def make_referral(follow_up, resource, user, referred_on, *, outcome=ReferralOutcome.ACCEPTED, **f):
    return Referral.objects.create(
        follow_up=follow_up,
        resource=resource,
        referred_on=referred_on,
        outcome=outcome,
        created_by=user,
        **f,
    )


def make_communication(person, consent, user, *, shared_on=dt.date(2021, 3, 2), **fields):
    fields.setdefault("recipient", "Comptoir alimentaire de Lévis")
    fields.setdefault("what", "Coordonnées et besoin d'aide alimentaire")
    fields.setdefault("why", "Inscription au comptoir")
    return Communication.objects.create(
        person=person, consent=consent, recorded_by=user, shared_on=shared_on, **fields
    )
