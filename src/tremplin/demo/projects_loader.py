"""Load the demo projects, activities, accompaniments and tenant associations.

``load_projects`` is idempotent: records are found again by their natural keys (project (title,
start date); activity (project, date, title); accompaniment (provider, organizer, start date);
association (name, provider); board member (association, name); hours (accompaniment, month);
partner link and funding (project, partner or commitment)), so a second run creates nothing.
Records that are not demo records (``is_demo=False``) are never modified. The records are in
``data/projects.json`` (``projects_data()``); activities of the projects that give a number of
``sessions`` instead are spread by the loader from a fixed seed.

Like the rest of the demo loader it writes in bulk where simple and bypasses the audited
services: loading the demo is not an action of anyone. Each project's territories, local teams
and search key are derived with ``services.project_refresh_places`` (which does not log).
"""

import datetime as dt
import random
from collections import Counter
from decimal import Decimal
from functools import partial

from django.contrib.auth import get_user_model

from tremplin.housing.models import Building, Clientele, HousingProvider
from tremplin.partners.models import Commitment, Partner
from tremplin.projects import funding_links
from tremplin.projects.models import (
    Accompaniment,
    AccompanimentHours,
    BoardMember,
    Determinant,
    Project,
    ProjectActivity,
    ProjectFunding,
    ProjectPartner,
    Scope,
    TenantAssociation,
)
from tremplin.projects.services import project_refresh_counts, project_refresh_places

from .data import read_json
from .rows import demo_row, plan_demo_row

CREATED_KEYS = (
    "projects",
    "project_activities",
    "project_partners",
    "project_funding",
    "accompaniments",
    "accompaniment_hours",
    "tenant_associations",
    "board_members",
)
AGREEMENT_SLUG = "entente-2008-2011"
PROJECT_FIELDS = (
    "summary",
    "kind",
    "scope",
    "status",
    "end_date",
    "lead_organizer",
    "all_tenants",
    "initiated_by_tenants",
    "tenants_on_committee",
    "is_demo",
)
ACCOMPANIMENT_FIELDS = ("end_date", "themes", "association", "note", "is_demo")


FICTITIOUS = "Donnée fictive"
# Activities are never dated after this day (the demo's « today »).
DEMO_TODAY = dt.date.fromisoformat(read_json("projects.json")["demo_today"])


def projects_data() -> dict:
    """The demo's associations, accompaniments, projects (with their sites, partners, funding and
    activities) and the titles of generated sessions, from ``data/projects.json``."""
    return read_json("projects.json")


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def demo_today() -> dt.date:
    return min(DEMO_TODAY, dt.date.today())


def load_projects(created: Counter | None = None) -> dict:
    """Create or reset the demo projects and accompaniments; returns a summary of counts.

    Call it inside a transaction, after the housing directory, the accounts and the partners.
    """
    created = created if created is not None else Counter()
    data = projects_data()
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=[data["organizer"], data["organizer_beauce"]]
        )
    }
    providers = {p.name: p for p in HousingProvider.objects.filter(is_demo=True)}
    buildings: dict[int, list[int]] = {}
    for provider_id, pk in (
        Building.objects.filter(is_demo=True).order_by("provider_id", "address", "pk")
    ).values_list("provider_id", "pk"):
        buildings.setdefault(provider_id, []).append(pk)
    associations = _load_associations(data["associations"], providers, buildings, created)
    projects = _load_projects(data["projects"], users, providers, buildings, created)
    _load_activities(projects, data["session_titles"], created)
    _load_partners_and_funding(projects, created)
    _load_accompaniments(data["accompaniments"], users, providers, associations, created)
    return summary()


def summary() -> dict:
    projects = Project.objects.filter(is_demo=True)
    return {
        "projects": projects.count(),
        "project_activities": ProjectActivity.objects.filter(project__in=projects).count(),
        "accompaniments": Accompaniment.objects.filter(is_demo=True).count(),
        "tenant_associations": TenantAssociation.objects.filter(is_demo=True).count(),
    }


# --- tenant associations -------------------------------------------------------------------


def _load_associations(specs: list, providers: dict, buildings: dict, created: Counter) -> dict:
    """``buildings``: how many of the provider's buildings (first by address) it gathers."""
    specs = [s for s in specs if s["provider"] in providers]
    existing = {
        (a.name, a.provider_id): a
        for a in TenantAssociation.objects.filter(name__in=[s["name"] for s in specs])
    }
    result = {}
    for spec in specs:
        provider = providers[spec["provider"]]
        association = existing.get((spec["name"], provider.pk))
        values = {
            "founded_on": _date(spec["founded_on"]),
            "status": spec["status"],
            "members": spec["members"],
            "is_demo": True,
        }
        association = demo_row(
            association,
            partial(TenantAssociation, name=spec["name"], provider=provider),
            values,
            created,
            "tenant_associations",
        )
        if not association.is_demo:
            continue
        association.buildings.set(buildings.get(provider.pk, [])[: spec["buildings"]])
        result[spec["name"]] = association
        board = {m.name: m for m in association.board.all()}
        new = [
            BoardMember(association=association, name=name, role=role)
            for name, role in spec["board"]
            if name not in board
        ]
        changed = []
        for name, role in spec["board"]:
            if name in board and board[name].role != role:
                board[name].role = role
                changed.append(board[name])
        BoardMember.objects.bulk_create(new)
        BoardMember.objects.bulk_update(changed, ["role"])
        created["board_members"] += len(new)
    return result


# --- projects ------------------------------------------------------------------------------


def _load_projects(specs: list, users: dict, providers: dict, buildings: dict, created) -> dict:
    """Create or reset the demo projects; returns {title: (project, spec)}. A site is
    [provider name, how many of its buildings, first by address]."""
    existing = {
        (p.title, p.start_date): p
        for p in Project.objects.filter(title__in=[s["title"] for s in specs])
    }
    new, changed, chosen = [], [], []
    for spec in specs:
        key = (spec["title"], _date(spec["start"]))
        values = {
            "summary": spec["summary"],
            "kind": spec["kind"],
            "scope": spec.get("scope", Scope.LOCAL),
            "status": spec["status"],
            "end_date": _date(spec["end"]),
            "lead_organizer": users.get(spec["organizer"]),
            "all_tenants": spec.get("all_tenants", False),
            "initiated_by_tenants": spec.get("initiated_by_tenants", False),
            "tenants_on_committee": spec.get("tenants_on_committee", 0),
            "is_demo": True,
        }
        project = plan_demo_row(
            existing.get(key),
            partial(Project, title=key[0], start_date=key[1]),
            values,
            new,
            changed,
        )
        if project is not None:
            chosen.append((project, spec))
    Project.objects.bulk_create(new)
    Project.objects.bulk_update(changed, PROJECT_FIELDS)
    created["projects"] += len(new)

    determinants = dict(Determinant.objects.values_list("code", "pk"))
    clienteles = dict(Clientele.objects.values_list("code", "pk"))
    result = {}
    for project, spec in chosen:
        sites = [(providers[name], n) for name, n in spec["sites"] if name in providers]
        project.providers.set([p for p, _n in sites])
        project.buildings.set([pk for p, n in sites for pk in buildings.get(p.pk, [])[:n]])
        project.determinants.set([determinants[c] for c in spec["determinants"]])
        project.target_groups.set([clienteles[c] for c in spec["groups"]])
        project_refresh_places(project)
        result[spec["title"]] = (project, spec)
    return result


def _sessions(project: Project, spec: dict, session_titles: dict) -> list[tuple]:
    """Fixed-seed activities spread between the project's start and its end (or today)."""
    n = spec.get("sessions", 0)
    if not n or not project.start_date:
        return []
    rng = random.Random(f"demo:{spec['title']}:{spec['start']}")
    end = min(project.end_date or demo_today(), demo_today())
    span = (end - project.start_date).days
    titles = session_titles.get(spec["kind"], ["Activité"])
    rows = []
    for i in range(n):
        day = project.start_date + dt.timedelta(days=span * (2 * i + 1) // (2 * n))
        participants = rng.randint(6, 40)
        tenants = rng.randint(participants * 6 // 10, participants)
        rows.append((day.isoformat(), titles[i % len(titles)], participants, tenants))
    return rows


def _load_activities(projects: dict, session_titles: dict, created: Counter) -> None:
    """An activity: [date, title, participants, tenants]."""
    wanted = {}
    for project, spec in projects.values():
        for day, title, participants, tenants in spec.get("activities", []) + _sessions(
            project, spec, session_titles
        ):
            wanted[(project.pk, _date(day), title)] = (project, participants, tenants)
    existing = {
        (a.project_id, a.date, a.title): a
        for a in ProjectActivity.objects.filter(project__in=[p for p, _spec in projects.values()])
    }
    new, changed = [], []
    note = f"{FICTITIOUS}."
    for key, (project, participants, tenants) in wanted.items():
        activity = existing.get(key)
        if activity is None:
            new.append(
                ProjectActivity(
                    project=project,
                    date=key[1],
                    title=key[2],
                    participants=participants,
                    tenants=tenants,
                    note=note,
                    logged_by=project.lead_organizer,
                )
            )
        elif (activity.participants, activity.tenants, activity.note, activity.logged_by_id) != (
            participants,
            tenants,
            note,
            project.lead_organizer_id,
        ):
            activity.participants, activity.tenants, activity.note = participants, tenants, note
            activity.logged_by = project.lead_organizer
            changed.append(activity)
    ProjectActivity.objects.bulk_create(new)
    ProjectActivity.objects.bulk_update(changed, ["participants", "tenants", "note", "logged_by"])
    project_refresh_counts([p.pk for p, _spec in projects.values()])
    created["project_activities"] += len(new)


def _load_partners_and_funding(projects: dict, created: Counter) -> None:
    partners = {p.name: p for p in Partner.objects.all()}
    commitments = {
        (c.partner.name, c.purpose): c
        for c in Commitment.objects.filter(agreement__slug=AGREEMENT_SLUG).select_related("partner")
    }
    ids = [p.pk for p, _spec in projects.values()]
    roles = {
        (r.project_id, r.partner_id): r for r in ProjectPartner.objects.filter(project__in=ids)
    }
    funding = {
        (f.project_id, f.commitment_id): f for f in ProjectFunding.objects.filter(project__in=ids)
    }
    new_roles, new_funding = [], []
    for project, spec in projects.values():
        for link_spec in spec.get("partners", []):
            partner, role = partners.get(link_spec["partner"]), link_spec["role"]
            if partner is None:
                continue
            link = roles.get((project.pk, partner.pk))
            if link is None:
                new_roles.append(ProjectPartner(project=project, partner=partner, role=role))
            elif link.role != role:
                link.role = role
                link.save(update_fields=["role"])
        for line in spec.get("funding", []):
            commitment = commitments.get((line["partner"], line["purpose"]))
            amount = line["amount"]
            if commitment is None:
                continue
            row = funding.get((project.pk, commitment.pk))
            if row is None:
                new_funding.append(
                    ProjectFunding(project=project, commitment=commitment, amount=Decimal(amount))
                )
            elif row.amount != Decimal(amount):
                row.amount = Decimal(amount)
                row.save(update_fields=["amount"])
    ProjectPartner.objects.bulk_create(new_roles)
    ProjectFunding.objects.bulk_create(new_funding)
    over = funding_links.overdrawn(Commitment.objects.filter(agreement__slug=AGREEMENT_SLUG))
    if over:
        raise ValueError(f"demo funding exceeds these commitments: {over}")
    created["project_partners"] += len(new_roles)
    created["project_funding"] += len(new_funding)


# --- accompaniments ------------------------------------------------------------------------


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def _load_accompaniments(
    specs: list, users: dict, providers: dict, associations: dict, created: Counter
) -> None:
    """``hours``: the monthly hours of the first year, as a cycle."""
    specs = [s for s in specs if s["provider"] in providers and s["organizer"] in users]
    existing = {
        (a.provider_id, a.organizer_id, a.start_date): a
        for a in Accompaniment.objects.filter(
            provider__in={providers[s["provider"]].pk for s in specs}
        )
    }
    chosen, new, changed = [], [], []
    for spec in specs:
        provider, organizer = providers[spec["provider"]], users[spec["organizer"]]
        key = (provider.pk, organizer.pk, _date(spec["start"]))
        association = associations.get(spec["association"]) if spec["association"] else None
        values = {
            "end_date": _date(spec["end"]),
            "themes": spec["themes"],
            "association": association,
            "note": spec["note"],
            "is_demo": True,
        }
        accompaniment = plan_demo_row(
            existing.get(key),
            partial(Accompaniment, provider=provider, organizer=organizer, start_date=key[2]),
            values,
            new,
            changed,
        )
        if accompaniment is not None:
            chosen.append((accompaniment, spec))
    Accompaniment.objects.bulk_create(new)
    Accompaniment.objects.bulk_update(changed, ACCOMPANIMENT_FIELDS)
    created["accompaniments"] += len(new)

    hours = {
        (h.accompaniment_id, h.month): h
        for h in AccompanimentHours.objects.filter(accompaniment__in=[a for a, _s in chosen])
    }
    new_hours, changed_hours = [], []
    for accompaniment, spec in chosen:
        end = min(accompaniment.end_date or demo_today(), demo_today())
        months = _months(accompaniment.start_date, end)[:12]  # the first year at most
        for i, month in enumerate(months):
            amount = Decimal(spec["hours"][i % len(spec["hours"])])
            row = hours.get((accompaniment.pk, month))
            if row is None:
                new_hours.append(
                    AccompanimentHours(accompaniment=accompaniment, month=month, hours=amount)
                )
            elif row.hours != amount:
                row.hours = amount
                changed_hours.append(row)
    AccompanimentHours.objects.bulk_create(new_hours)
    AccompanimentHours.objects.bulk_update(changed_hours, ["hours"])
    created["accompaniment_hours"] += len(new_hours)
