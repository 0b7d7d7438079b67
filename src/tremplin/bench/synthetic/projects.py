"""Synthetic projects at the scale of Québec, for the benchmarks (``tremplin bench projects``).

``generate_projects("province")`` adds, to a database filled by
``synthetic.generate_province`` at the same scale, about 50,000 projects and 500,000 activities
over 10 fiscal years (2016-2017 → 2026-2027), with their sites (buildings of one provider),
territories, determinants and target groups, and 4 organizers per region. Everything is
invented and flagged ``is_demo``.

As for the directory, the totals are split evenly between the regions of the scale's
``split_over`` and each region is planned with its own generator seeded by ``(seed, region
code)`` from rows read in a stable order (their generated ``public_id``), so the ``"region"``
scale is region 12 of the ``"province"`` scale (1/17 of it).

Derived fields that ``projects.services.project_refresh_places`` maintains (territories,
``search_key``, ``territory_names``) are computed in Python with the same shape and written in
bulk.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import uuid
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from tremplin.bench.synthetic.names import bench_accounts
from tremplin.bench.synthetic.province import BATCH_SIZE, shapes
from tremplin.core.text import fold
from tremplin.housing.models import Building, Clientele
from tremplin.projects.models import Determinant, Project, ProjectActivity, Status
from tremplin.projects.services import project_refresh_counts, territory_names
from tremplin.territories.models import Territory

FIRST_DAY = dt.date(2016, 4, 1)
TODAY = dt.date(2026, 11, 23)


@dataclass(frozen=True)
class ProjectShape:
    projects: int  # in total, split over the scale's ``split_over`` regions
    activities: int
    organizers: int  # per region


PROJECT_SCALES: dict[str, ProjectShape] = {
    "province": ProjectShape(50_000, 500_000, 4),
    "region": ProjectShape(50_000, 500_000, 4),
    "tiny": ProjectShape(24, 200, 2),
    "small": ProjectShape(90, 900, 2),
}

# (title, kind, determinants, target groups)
THEMES = [
    ("Cuisine collective", "food", ["securite-alimentaire", "education"], ["familles"]),
    ("Jardin communautaire", "food", ["securite-alimentaire"], ["aines", "familles"]),
    ("Comptoir alimentaire", "food", ["securite-alimentaire"], ["personnes-seules"]),
    ("Fête des voisins", "leisure", ["inclusion-sociale"], ["familles", "aines"]),
    ("Café-rencontre", "leisure", ["inclusion-sociale"], ["aines"]),
    ("Club de marche", "health", ["inclusion-sociale"], ["aines"]),
    ("Ateliers de prévention", "health", ["acces-services", "education"], ["aines"]),
    ("Aide aux devoirs", "training", ["education"], ["jeunes", "familles"]),
    ("Initiation à l'informatique", "training", ["education", "acces-services"], ["aines"]),
    ("Ateliers de préemployabilité", "employability", ["preemployabilite"], ["jeunes"]),
    ("Visites d'amitié", "courtesy", ["inclusion-sociale"], ["personnes-seules"]),
    ("Local de troc", "barter", ["securite-alimentaire"], ["familles"]),
    ("Aménagement de la salle commune", "common_spaces", ["inclusion-sociale"], ["aines"]),
    ("Comité de locataires", "association", ["inclusion-sociale"], ["aines", "familles"]),
    ("Kiosque des ressources", "referral", ["acces-services"], ["aines", "personnes-seules"]),
    ("Concertation locale", "concertation", ["acces-services"], ["familles"]),
]
SESSION_TITLES = ["Rencontre du comité", "Atelier", "Activité", "Séance", "Sortie"]
SUMMARY = "Donnée fictive générée pour les mesures de performance."


@dataclass
class _Site:
    provider_id: int
    provider_name: str
    buildings: list[tuple[int, str, str, int]]  # (pk, address, municipality name, territory id)


def _region_sites(code: str) -> list[_Site]:
    rows = (
        Building.objects.filter(provider__municipality__mrc__region__code=code)
        .order_by("provider__public_id", "public_id")
        .values_list(
            "pk",
            "provider_id",
            "provider__name",
            "address",
            "municipality__name",
            "municipality__mrc__territory_id",
        )
    )
    sites: dict[int, _Site] = {}
    for pk, provider_id, provider_name, address, muni, territory in rows.iterator(2000):
        site = sites.get(provider_id)
        if site is None:
            site = sites[provider_id] = _Site(provider_id, provider_name, [])
        site.buildings.append((pk, address, muni, territory))
    return list(sites.values())


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _insert_activities(rng: random.Random, running: list[Project], count: int) -> int:
    """Raw ``executemany`` (bulk_create of 500,000 model instances is the slow part)."""
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    uuid_field = ProjectActivity._meta.get_field("public_id")
    table = ProjectActivity._meta.db_table
    columns = (
        "public_id, created_at, updated_at, project_id, date, title, participants, tenants, note"
    )
    sql = f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, '')"  # noqa: S608
    rows = []
    with connection.cursor() as cursor:
        for i in range(count):
            project = running[i % len(running)]
            last = min(project.end_date or TODAY, TODAY)
            span = (last - project.start_date).days
            participants = rng.randint(3, 40)
            day = project.start_date + dt.timedelta(days=rng.randint(0, span))
            rows.append(
                (
                    uuid_field.get_db_prep_value(_uuid(rng), connection),
                    now,
                    now,
                    project.pk,
                    ops.adapt_datefield_value(day),
                    SESSION_TITLES[i % len(SESSION_TITLES)],
                    participants,
                    rng.randint(participants // 2, participants),
                )
            )
            if len(rows) >= 10_000:
                cursor.executemany(sql, rows)
                rows = []
        if rows:
            cursor.executemany(sql, rows)
    return count


def generate_projects(scale: str, seed: int = 12) -> dict:
    """Bulk-create the synthetic projects of ``scale``; returns a summary of counts."""
    shape, pshape = shapes(scale, PROJECT_SCALES)
    started = time.perf_counter()
    determinants = dict(Determinant.objects.values_list("code", "pk"))
    clienteles = dict(Clientele.objects.values_list("code", "pk"))
    territory_name = dict(Territory.objects.values_list("pk", "name"))
    days = (TODAY - FIRST_DAY).days
    totals = {"projects": 0, "activities": 0, "organizers": 0, "site_links": 0}
    m2m = {
        name: getattr(Project, name).through
        for name in ("buildings", "providers", "territories", "determinants", "target_groups")
    }
    with transaction.atomic():
        for code in shape.regions_held():
            n_projects = shape.share(pshape.projects, code)
            n_activities = shape.share(pshape.activities, code)
            rng = random.Random(f"{seed}:projects:{code}")
            sites = _region_sites(code)
            if not sites:
                continue
            organizers = bench_accounts("oc", "Organisateur·trice", code, range(pshape.organizers))
            projects, links = [], []
            for _ in range(n_projects):
                title, kind, dets, groups = rng.choice(THEMES)
                site = rng.choice(sites)
                chosen = rng.sample(site.buildings, min(len(site.buildings), rng.randint(1, 3)))
                place = chosen[0][2]
                start = FIRST_DAY + dt.timedelta(days=rng.randrange(days))
                end = start + dt.timedelta(days=rng.randint(30, 1100))
                roll = rng.random()
                if roll < 0.03:
                    status, start, end = Status.IDEA, None, None
                elif roll < 0.06:
                    status = Status.ABANDONED
                elif end < TODAY:
                    status = Status.COMPLETED
                else:
                    status, end = Status.UNDER_WAY, (end if rng.random() < 0.5 else None)
                full_title = f"{title} – {place}"
                project = Project(
                    public_id=_uuid(rng),
                    title=full_title,
                    summary=SUMMARY,
                    kind=kind,
                    status=status,
                    start_date=start,
                    end_date=end,
                    lead_organizer=rng.choice(organizers),
                    tenants_on_committee=rng.randint(0, 6),
                    initiated_by_tenants=rng.random() < 0.3,
                    is_demo=True,
                )
                names = [site.provider_name] + [f"{b[1]} {b[2]}" for b in sorted(set(chosen))]
                project.search_key = " | ".join(fold(p) for p in [full_title, SUMMARY, *names] if p)
                project.territory_names = territory_names({territory_name[b[3]] for b in chosen})
                projects.append(project)
                links.append((site, chosen, dets, groups))
            Project.objects.bulk_create(projects, batch_size=BATCH_SIZE)
            rows = {name: [] for name in m2m}
            for project, (site, chosen, dets, groups) in zip(projects, links, strict=True):
                pid = project.pk
                rows["providers"].append(
                    m2m["providers"](project_id=pid, housingprovider_id=site.provider_id)
                )
                rows["buildings"] += [
                    m2m["buildings"](project_id=pid, building_id=b[0]) for b in chosen
                ]
                rows["territories"] += [
                    m2m["territories"](project_id=pid, territory_id=t)
                    for t in sorted({b[3] for b in chosen})
                ]
                rows["determinants"] += [
                    m2m["determinants"](project_id=pid, determinant_id=determinants[d])
                    for d in dets
                ]
                rows["target_groups"] += [
                    m2m["target_groups"](project_id=pid, clientele_id=clienteles[g]) for g in groups
                ]  # fmt: skip
            for name, through in m2m.items():
                through.objects.bulk_create(rows[name], batch_size=BATCH_SIZE * 5)
            totals["site_links"] += len(rows["buildings"])
            running = [p for p in projects if p.status in (Status.UNDER_WAY, Status.COMPLETED)]
            totals["activities"] += _insert_activities(rng, running, n_activities)
            totals["projects"] += len(projects)
            totals["organizers"] += len(organizers)
    # The activity summary on each project, in one UPDATE (as services keep it on each write).
    project_refresh_counts()
    if connection.vendor == "postgresql":
        # What autovacuum does a minute after a bulk load, done now so that the bench measures
        # a settled database: statistics for the planner, and a visibility map that lets the
        # list read a page's ids from its sort index alone (index-only scan). VACUUM cannot
        # run inside a transaction (the tests'): ANALYZE alone there.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    return {
        "scale": scale,
        "seed": seed,
        **totals,
        "seconds": round(time.perf_counter() - started, 3),
    }
