"""Load the demo resource directory and the fictitious case files of the two demo workers.

``load_casework`` is idempotent: resources are found again by their folded name and territory,
persons by their folded name (demo persons only), consents by (person, kind, organization),
follow-ups by (person, reasons), and interventions, referrals and communications by their
rank within their follow-up or person; a second run creates nothing and resets the demo
records to the data below. Dates are relative to the day of loading, so next steps stay
current (some overdue, some to come). Records that are not demo records are never modified.

Every person, note and telephone number here is fictitious (last names say so: « Exemple »,
« Fictif »…); the resources are real *kinds* of services of the region, with fictitious
addresses and 555 telephone numbers. Like the other loaders, this bypasses the audited
services: loading the demo is not anyone's action on a file.

The two workers (``intervenant`` in Grand Littoral, ``intervenante-beauce`` in Beauce) each
see only their own files; their supervisor (``superviseure``) sees both.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from functools import partial

from django.contrib.auth import get_user_model
from django.utils import timezone

from tremplin.casework.models import (
    Communication,
    Consent,
    FollowUp,
    FollowUpStatus,
    Intervention,
    Person,
    Referral,
    Resource,
)
from tremplin.casework.services import follow_up_refresh
from tremplin.core.text import fold
from tremplin.housing.models import Building
from tremplin.territories.models import Municipality, Territory

from .data import read_csv, read_json
from .rows import demo_row

CREATED_KEYS = (
    "casework_resources",
    "casework_persons",
    "casework_consents",
    "casework_follow_ups",
    "casework_interventions",
    "casework_referrals",
    "casework_communications",
)
FICTITIOUS = "Coordonnées fictives (démonstration)."

# The resources (``data/casework_resources.csv``: real kinds of services of the region, with
# fictitious details; an empty territory is a regional resource) and each worker's fictitious
# files (``data/casework_files.json``). Days are counted back from the day of loading; a next
# step ``next_step_in`` days ahead is negative when it is overdue.
RESOURCES = read_csv("casework_resources.csv")
FILES = read_json("casework_files.json")

_today = timezone.localdate


def _ago(days: int) -> dt.date:
    return _today() - dt.timedelta(days=days)


def load_casework(created: Counter | None = None) -> dict:
    """Create or reset the demo resources and case files; returns a summary of counts.

    Call it inside a transaction, after the housing directory and the accounts.
    """
    created = created if created is not None else Counter()
    resources = _load_resources(created)
    users = {u.username: u for u in get_user_model().objects.filter(username__in=list(FILES))}
    follow_up_ids = []
    persons = 0
    for username, specs in FILES.items():
        worker = users.get(username)
        membership = getattr(worker, "membership", None) if worker else None
        if worker is None or membership is None or not membership.territory_ids():
            continue
        territory = Territory.objects.filter(pk__in=membership.territory_ids()).order_by("pk")
        territory = territory.first()
        buildings = list(
            Building.objects.filter(is_demo=True, municipality__mrc__territory=territory)
            .select_related("municipality__mrc")
            .order_by("address", "pk")[:20]
        )
        for index, spec in enumerate(specs):
            building = buildings[(index * 3) % len(buildings)] if buildings else None
            person = _load_person(spec, worker, territory, building, created)
            if person is None:
                continue
            persons += 1
            consents = _load_consents(person, spec["consents"], worker, created)
            follow_up = consents.get(("follow_up", ""))
            for fu_spec in spec["follow_ups"]:
                fu = _load_follow_up(person, fu_spec, follow_up, worker, created)
                follow_up_ids.append(fu.pk)
                _load_interventions(fu, fu_spec["interventions"], worker, created)
                _load_referrals(fu, fu_spec["referrals"], resources, worker, created)
            _load_communications(person, spec["communications"], consents, worker, created)
    follow_up_refresh(follow_up_ids)
    return {
        "resources": len(resources),
        "persons": persons,
        "follow_ups": len(follow_up_ids),
        "interventions": Intervention.objects.filter(follow_up_id__in=follow_up_ids).count(),
    }


# --------------------------------------------------------------------------- resources


def _load_resources(created: Counter) -> dict[str, Resource]:
    territories = dict(Territory.objects.values_list("slug", "pk"))
    munis = Municipality.objects.in_bulk(
        [r["municipality"] for r in RESOURCES if r["municipality"]], field_name="code"
    )
    existing = {(r.name_key, r.territory_id): r for r in Resource.objects.all()}
    out = {}
    for row in RESOURCES:
        name, category, slug, muni = (
            row["name"],
            row["category"],
            row["territory"],
            row["municipality"],
        )
        address, phone, description = row["address"], row["phone"], row["description"]
        if slug and slug not in territories:
            continue
        territory_id = territories.get(slug) if slug else None
        key = (fold(name), territory_id)
        values = {
            "name": name,
            "category": category,
            "municipality": munis.get(muni),
            "address": address,
            "phone": phone,
            "description": f"{description} {FICTITIOUS}",
            "is_active": True,
            "is_demo": True,
        }
        out[name] = demo_row(
            existing.get(key),
            partial(Resource, name_key=key[0], territory_id=territory_id),
            values,
            created,
            "casework_resources",
        )
    return out


# --------------------------------------------------------------------------- persons


def _load_person(spec, worker, territory, building, created) -> Person | None:
    name_key = fold(f"{spec['last_name']} {spec['first_name']}")
    person = Person.objects.filter(name_key=name_key).order_by("pk").first()
    if person is not None and not person.is_demo:
        return None  # a real person with this name: leave everything alone
    values = {
        "first_name": spec["first_name"],
        "last_name": spec["last_name"],
        "name_key": name_key,
        "birth_year": spec["birth_year"],
        "building": building,
        "unit": spec["unit"],
        "territory": building.municipality.mrc.territory if building else territory,
        "municipality": building.municipality if building else None,
        "preferred_language": spec["language"],
        "household": spec["household"],
        "safe_contact_notes": spec["safe_contact"],
        "created_by": worker,
        "notice_acknowledged_by": worker,
        "is_demo": True,
    }
    if person is None:
        person = Person(**values)
        created["casework_persons"] += 1
    else:
        for field, value in values.items():
            setattr(person, field, value)
    first_day = max(c["given"] for c in spec["consents"])
    person.notice_acknowledged_at = timezone.make_aware(
        dt.datetime.combine(_ago(first_day), dt.time(10, 0))
    )
    person.save()
    return person


def _load_consents(person, specs, worker, created) -> dict:
    existing = {(c.kind, c.organization): c for c in person.consents.all()}
    out = {}
    for spec in specs:
        kind, organization, mode = spec["kind"], spec["organization"], spec["mode"]
        given, withdrawn = spec["given"], spec["withdrawn"]
        consent = existing.get((kind, organization))
        if consent is None:
            consent = Consent(person=person, kind=kind, organization=organization)
            created["casework_consents"] += 1
        consent.mode = mode
        consent.given_on = _ago(given)
        consent.recorded_by = worker
        consent.withdrawn_on = _ago(withdrawn) if withdrawn is not None else None
        consent.withdrawal_recorded_by = worker if withdrawn is not None else None
        consent.save()
        out[(kind, organization)] = consent
    return out


def _load_follow_up(person, spec, consent, worker, created) -> FollowUp:
    fu = FollowUp.objects.filter(person=person, reasons=spec["reasons"]).order_by("pk").first()
    if fu is None:
        fu = FollowUp(person=person, reasons=spec["reasons"])
        created["casework_follow_ups"] += 1
    fu.consent = consent
    fu.territory = person.territory
    fu.started_on = _ago(spec["start"])
    fu.goals = spec["goals"]
    if spec["closed"]:
        days, outcome = spec["closed"]["days"], spec["closed"]["outcome"]
        fu.status, fu.closed_on, fu.outcome = FollowUpStatus.CLOSED, _ago(days), outcome
    else:
        fu.status, fu.closed_on, fu.outcome = FollowUpStatus.OPEN, None, ""
    fu.is_demo = True
    fu.save()
    fu.workers.set([worker])
    return fu


def _sync(existing: list, wanted: list, build, fields: list[str], model, counter_key, created):
    """Match rows by rank: update the first ones, create what is missing, delete the rest."""
    new, changed = [], []
    for rank, values in enumerate(wanted):
        if rank < len(existing):
            row = existing[rank]
            for field, value in values.items():
                setattr(row, field, value)
            changed.append(row)
        else:
            new.append(build(values))
    model.objects.bulk_create(new)
    if changed:
        model.objects.bulk_update(changed, fields)
    extra = [row.pk for row in existing[len(wanted) :]]
    if extra:
        model.objects.filter(pk__in=extra).delete()
    created[counter_key] += len(new)


def _load_interventions(fu, specs, worker, created) -> None:
    fields = ["occurred_on", "type", "mode", "duration_minutes", "note", "next_step",
              "next_step_on", "created_by"]  # fmt: skip
    wanted = [
        {
            "occurred_on": _ago(s["days"]),
            "type": s["type"],
            "mode": s["mode"],
            "duration_minutes": s["minutes"],
            "note": s["note"],
            "next_step": s["next_step"],
            "next_step_on": _today() + dt.timedelta(days=s["next_step_in"])
            if s["next_step_in"] is not None
            else None,
            "created_by": worker,
        }
        for s in specs
    ]
    _sync(
        list(fu.interventions.order_by("pk")),
        wanted,
        lambda values: Intervention(follow_up=fu, **values),
        fields,
        Intervention,
        "casework_interventions",
        created,
    )


def _load_referrals(fu, specs, resources, worker, created) -> None:
    wanted = [
        {
            "referred_on": _ago(s["days"]),
            "resource": resources[s["resource"]],
            "reason": s["reason"],
            "outcome": s["outcome"],
            "created_by": worker,
        }
        for s in specs
        if s["resource"] in resources
    ]
    _sync(
        list(fu.referrals.order_by("pk")),
        wanted,
        lambda values: Referral(follow_up=fu, **values),
        ["referred_on", "resource", "reason", "outcome", "created_by"],
        Referral,
        "casework_referrals",
        created,
    )


def _load_communications(person, specs, consents, worker, created) -> None:
    wanted = [
        {
            "consent": consents[("sharing", s["organization"])],
            "recipient": s["organization"],
            "what": s["what"],
            "why": s["why"],
            "shared_on": _ago(s["days"]),
            "recorded_by": worker,
        }
        for s in specs
        if ("sharing", s["organization"]) in consents
    ]
    _sync(
        list(person.communications.order_by("pk")),
        wanted,
        lambda values: Communication(person=person, **values),
        ["consent", "recipient", "what", "why", "shared_on", "recorded_by"],
        Communication,
        "casework_communications",
        created,
    )
