"""Helpers and fixtures shared by the case-file tests (not the privacy officer's).

``case_world``: worker_a's file on Marie Fictive (follow-up, two interventions, a referral, a
sharing consent and a communication) and worker_b's file on Paul Inventé, with a resource in
each territory.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tremplin.casework import services
from tremplin.casework.models import (
    Consent,
    ConsentKind,
    ConsentMode,
    FollowUp,
    Intervention,
    Person,
    Referral,
    Resource,
    ResourceCategory,
)

TODAY = timezone.localdate


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def make_file(
    user,
    *,
    first="Marie",
    last="Fictive",
    building=None,
    territory=None,
    started=None,
    consent_on=None,
    reasons="isolation",
    workers=None,
    birth_year=1950,
    goals="",
) -> tuple[Person, FollowUp]:
    """A person, their follow-up consent and first follow-up, created by ``user``."""
    started = started or days_ago(90)
    person = services.person_create(
        user=user,
        person=Person(
            first_name=first,
            last_name=last,
            birth_year=birth_year,
            building=building,
            territory=territory or (building.municipality.mrc.territory if building else None),
            unit="12",
        ),
        consent=Consent(mode=ConsentMode.VERBAL, given_on=consent_on or started),
        follow_up=FollowUp(started_on=started, reasons=reasons, goals=goals),
        workers=workers or [user],
        notice_acknowledged=True,
    )
    return person, person.follow_ups.get()


def some_files(user, building, count) -> list[Person]:
    """``count`` people (Personne0, Personne1, …) of ``building``, each followed by ``user``."""
    return [
        make_file(user, first=f"Personne{i}", last="Fictive", building=building)[0]
        for i in range(count)
    ]


def open_file(client, person):
    """The person's file page, as ``client`` opens it (each opening counts as a read)."""
    return client.get(reverse("casework:person-detail", args=[person.public_id]))


def add_intervention(follow_up, user, *, on=None, note="", next_step="", next_step_on=None,
                     type="intake", mode="phone", duration=30) -> Intervention:  # fmt: skip
    follow_up.refresh_from_db()
    return services.intervention_add(
        user=user,
        intervention=Intervention(
            follow_up=follow_up,
            occurred_on=on or days_ago(10),
            type=type,
            mode=mode,
            duration_minutes=duration,
            note=note,
            next_step=next_step,
            next_step_on=next_step_on,
        ),
    )


def make_resource(name, territory=None, category=ResourceCategory.FOOD, **fields) -> Resource:
    from tremplin.core.text import fold

    return Resource.objects.create(
        name=name, name_key=fold(name), category=category, territory=territory, **fields
    )


@pytest.fixture
def case_world(world, personas):
    wa, wb = personas["worker_a"], personas["worker_b"]
    food_a = make_resource("Comptoir alimentaire de Lévis", world["ta"])
    food_b = make_resource("Comptoir alimentaire de Saint-Georges", world["tb"])
    crisis = make_resource("Centre de crise régional", None, ResourceCategory.CRISIS)
    person_a, fu_a = make_file(wa, building=world["building_a"], started=days_ago(120))
    i1 = add_intervention(fu_a, wa, on=days_ago(100), note="Première rencontre.", type="intake")
    i2 = add_intervention(
        fu_a,
        wa,
        on=days_ago(30),
        note="Appel de suivi.",
        next_step="Rappeler",
        next_step_on=days_ago(5),
        type="information",
    )
    referral = services.referral_add(
        user=wa,
        referral=Referral(
            follow_up=fu_a, resource=food_a, referred_on=days_ago(29), reason="Panier"
        ),
    )
    sharing = services.consent_record(
        user=wa,
        person=person_a,
        consent=Consent(
            kind=ConsentKind.SHARING,
            organization="Comptoir alimentaire de Lévis",
            mode=ConsentMode.WRITTEN,
            given_on=days_ago(29),
        ),
    )
    communication = services.communication_record(
        user=wa,
        person=person_a,
        consent=sharing,
        what="Nom et besoin d'un panier",
        why="Inscription au comptoir",
        shared_on=days_ago(28),
    )
    person_b, fu_b = make_file(
        wb, first="Paul", last="Inventé", building=world["building_b"], started=days_ago(60)
    )
    ib = add_intervention(fu_b, wb, on=days_ago(20), note="Visite.", type="intake")
    fu_a.refresh_from_db()
    fu_b.refresh_from_db()
    return {
        "person_a": person_a,
        "fu_a": fu_a,
        "i1": i1,
        "i2": i2,
        "referral_a": referral,
        "sharing_a": sharing,
        "follow_up_consent_a": fu_a.consent,
        "communication_a": communication,
        "person_b": person_b,
        "fu_b": fu_b,
        "ib": ib,
        "food_a": food_a,
        "food_b": food_b,
        "crisis": crisis,
    }
