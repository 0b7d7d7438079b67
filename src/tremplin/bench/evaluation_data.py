"""Synthetic records for the indicator groups that no other generator fills, for
``tremplin bench evaluation``: concertation (ÉLÉ and working groups, their meetings, attendance
and action items), funding (agreements, commitments, top-ups, disbursements, money allocated to
projects), housing providers accompanied and tenant associations.

Added after the directory, projects, case files, events and surveys of the same scale
(``EvaluationSuite.generate``). As the other generators do, each region is drawn by its own
random generator seeded by ``(seed, region code)`` from rows read in a stable order, so the
``"region"`` scale is region 12 of the ``"province"`` scale; what belongs to the whole program
(agreements and their money, two committees without territory) is the same at every scale.
Rows go in with ``bulk_create`` (no signals: the suite refreshes the summary table after).
Everything is invented and flagged ``is_demo`` (or ``is_fictitious``).

About 100 committees, 9,000 meetings, 70,000 attendance rows, 1,300 accompaniments, 800
associations and 14,000 project allocations at province scale.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import uuid
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from tremplin.bench.synthetic.province import BATCH_SIZE, SCALES
from tremplin.concertation.models import (
    ActionItem,
    Attendance,
    Committee,
    CommitteeMembership,
    Meeting,
)
from tremplin.housing.models import HousingProvider
from tremplin.partners.models import Agreement, Commitment, Disbursement, Partner, TopUp
from tremplin.projects.models import (
    Accompaniment,
    AccompanimentTheme,
    AssociationMeeting,
    Project,
    ProjectFunding,
    TenantAssociation,
)
from tremplin.territories.models import LocalTeam, Municipality, Region, Territory

FIRST_DAY = dt.date(2016, 4, 1)
REGION_CODE = "12"
YEAR = 2025  # fiscal year 2025-2026: the last complete one of the synthetic data
MEETINGS_PER_YEAR = 8
MEMBERS = 8
NOTE = "Donnée fictive générée pour les mesures de performance."
# (slug, start, end, status): the program's agreements, one still in preparation.
AGREEMENTS = [
    ("bench-2016", dt.date(2016, 4, 1), dt.date(2019, 3, 31), "ended"),
    ("bench-2019", dt.date(2019, 4, 1), dt.date(2023, 3, 31), "ended"),
    ("bench-2023", dt.date(2023, 4, 1), dt.date(2028, 3, 31), "in_force"),
    ("bench-2028", dt.date(2028, 4, 1), dt.date(2031, 3, 31), "draft"),
]
PARTNERS = [
    ("Ministère fictif de la Santé (banc d'essai)", "ministry"),
    ("Société fictive d'habitation (banc d'essai)", "gov_agency"),
    ("Agence fictive de santé (banc d'essai)", "health_agency"),
    ("Centre fictif de services scolaires (banc d'essai)", "school"),
]
THEMES = list(AccompanimentTheme.values)


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _program(rng: random.Random, today: dt.date) -> tuple[list[Commitment], list[Committee]]:
    """The agreements, their commitments and money, and two committees without territory."""
    partners = Partner.objects.bulk_create(
        [
            Partner(public_id=_uuid(rng), name=name, kind=kind, is_fictitious=True)
            for name, kind in PARTNERS
        ]
    )
    agreements = Agreement.objects.bulk_create(
        [
            Agreement(
                public_id=_uuid(rng),
                slug=slug,
                title=f"Entente fictive {start.year}-{end.year} (banc d'essai)",
                short_title=f"Entente {start.year}",
                start_date=start,
                end_date=end,
                status=status,
                is_fictitious=True,
            )
            for slug, start, end, status in AGREEMENTS
        ]
    )
    commitments = Commitment.objects.bulk_create(
        [
            Commitment(
                public_id=_uuid(rng),
                agreement=agreement,
                partner=partner,
                purpose=f"Contribution {k + 1}",
                kind="cash" if k % 3 else "services",
                initial_amount=Decimal(rng.randrange(50_000_000, 90_000_000, 1000)),
                position=k,
            )
            for agreement in agreements
            for k, partner in enumerate(partners)
        ]
    )
    top_ups, disbursements = [], []
    for commitment in commitments:
        agreement = commitment.agreement
        for year in range(agreement.start_date.year, agreement.end_date.year):
            if rng.random() < 0.4:
                top_ups.append(
                    TopUp(
                        commitment=commitment,
                        fiscal_year=year,
                        amount=Decimal(rng.randrange(5_000, 200_000, 50)),
                        decided_on=dt.date(year, 6, 1),
                    )
                )
        if agreement.status == "draft":
            continue
        day = agreement.start_date
        while day <= min(agreement.end_date, today):
            disbursements.append(
                Disbursement(
                    public_id=_uuid(rng),
                    commitment=commitment,
                    date=day,
                    amount=Decimal(rng.randrange(100_000, 5_000_000)) / 100,
                    description="Versement fictif",
                )
            )
            day += dt.timedelta(days=rng.randint(60, 120))
    TopUp.objects.bulk_create(top_ups, batch_size=BATCH_SIZE)
    Disbursement.objects.bulk_create(disbursements, batch_size=BATCH_SIZE)
    committees = Committee.objects.bulk_create(
        [
            Committee(
                public_id=_uuid(rng),
                name=name,
                kind=kind,
                start_date=FIRST_DAY,
                agreement=agreements[2] if kind == "agreement" else None,
                is_demo=True,
            )
            for name, kind in (
                ("Comité des partenaires (banc d'essai)", "partners"),
                ("Comité de gestion de l'entente (banc d'essai)", "agreement"),
            )
        ]
    )
    return commitments, committees


def _meetings(seed, committees, today, totals) -> None:
    """Memberships, meetings from FIRST_DAY to three months ahead, attendance and actions;
    each committee drawn by its own generator (the same at every scale)."""
    memberships = CommitteeMembership.objects.bulk_create(
        [
            CommitteeMembership(
                public_id=uuid.uuid5(committee.public_id, str(k)),
                committee=committee,
                person_name=f"Membre fictif {k + 1}",
                organization_kind="community",
                community_organization="Organisme fictif",
                role="chair" if k == 0 else "member",
                start_date=FIRST_DAY,
                is_demo=True,
            )
            for committee in committees
            for k in range(MEMBERS)
        ],
        batch_size=BATCH_SIZE,
    )
    members: dict[int, list] = {}
    for membership in memberships:
        members.setdefault(membership.committee_id, []).append(membership)
    meetings, plans = [], []
    last = today + dt.timedelta(days=90)
    for committee in committees:
        rng = random.Random(f"{seed}:evaluation:{committee.public_id}")
        day = FIRST_DAY + dt.timedelta(days=rng.randint(0, 40))
        while day <= last:
            roll = rng.random()
            # Past: attendance recorded (85 %), minutes only (5 %), nothing (10 %: not held).
            past = day <= today
            recorded = past and roll < 0.85
            meetings.append(
                Meeting(
                    public_id=_uuid(rng),
                    committee=committee,
                    date=day,
                    start_time=dt.time(13, 30),
                    minutes=NOTE if past and (roll < 0.5 or 0.85 <= roll < 0.9) else "",
                    is_demo=True,
                )
            )
            statuses = []
            if recorded:
                for _member in members[committee.pk]:
                    roll = rng.random()
                    statuses.append(
                        "present" if roll < 0.75 else "excused" if roll < 0.9 else "absent"
                    )
            actions = []
            for _k in range(rng.randint(0, 3) if past else 0):
                roll = rng.random()
                closed = day + dt.timedelta(days=rng.randint(7, 120))
                status = "done" if roll < 0.6 else "dropped" if roll < 0.7 else "open"
                actions.append(("open" if closed > today else status, closed))
            plans.append((members[committee.pk], statuses, actions))
            day += dt.timedelta(days=rng.randint(30, 60))
    Meeting.objects.bulk_create(meetings, batch_size=BATCH_SIZE)
    attendance, items = [], []
    for meeting, (its_members, statuses, actions) in zip(meetings, plans, strict=True):
        attendance += [
            Attendance(meeting=meeting, member=member, status=status)
            for member, status in zip(its_members, statuses, strict=False)
        ]
        items += [
            ActionItem(
                public_id=uuid.uuid5(meeting.public_id, str(k)),
                meeting=meeting,
                description=f"Action fictive {k + 1}",
                owner_name="Membre fictif",
                due_date=meeting.date + dt.timedelta(days=30),
                status=status,
                closed_on=None if status == "open" else closed,
                is_demo=True,
            )
            for k, (status, closed) in enumerate(actions)
        ]
    Attendance.objects.bulk_create(attendance, batch_size=BATCH_SIZE * 5)
    ActionItem.objects.bulk_create(items, batch_size=BATCH_SIZE)
    totals["meetings"] += len(meetings)
    totals["attendance"] += len(attendance)
    totals["action_items"] += len(items)


def _region(code, rng, commitments, today, totals) -> list[Committee]:
    """One region's local teams and committees, accompaniments, associations, allocations."""
    region = Region.objects.get(code=code)
    territories = list(Territory.objects.filter(region=region).order_by("slug"))
    teams = LocalTeam.objects.bulk_create(
        [
            LocalTeam(public_id=_uuid(rng), region=region, name=f"ÉLÉ fictive {t.name}")
            for t in territories
        ]
        # A team whose municipalities are not recorded counts in its region.
        + [LocalTeam(public_id=_uuid(rng), region=region, name=f"ÉLÉ fictive {code}")]
    )
    through = LocalTeam.municipalities.through
    links = []
    for team, territory in zip(teams, territories, strict=False):
        for muni_id in (
            Municipality.objects.filter(mrc__territory=territory)
            .order_by("code")
            .values_list("pk", flat=True)
        ):
            links.append(through(localteam_id=team.pk, municipality_id=muni_id))
    through.objects.bulk_create(links, batch_size=BATCH_SIZE)
    committees = Committee.objects.bulk_create(
        [
            Committee(
                public_id=_uuid(rng),
                name=team.name,
                kind="local_team",
                local_team=team,
                start_date=FIRST_DAY,
                is_demo=True,
            )
            for team in teams
        ]
        + [
            Committee(
                public_id=_uuid(rng),
                name=f"Groupe de travail fictif {code}",
                kind="working_group",
                start_date=FIRST_DAY,
                is_demo=True,
            )
        ]
    )
    # The working group covers two territories (counts once in their region).
    Committee.territories.through.objects.bulk_create(
        [
            Committee.territories.through(committee_id=committees[-1].pk, territory_id=t.pk)
            for t in territories[:2]
        ]
    )

    providers = list(
        HousingProvider.objects.filter(municipality__mrc__region=region)
        .order_by("public_id")
        .values_list("pk", flat=True)
    )
    organizers = list(
        get_user_model()
        .objects.filter(username__startswith=f"bench-oc-{code}-")
        .order_by("username")
    )
    if not organizers:
        organizers = [
            get_user_model().objects.create(
                username=f"bench-oc-{code}-ev",
                password="!",  # noqa: S106 - unusable
            )
        ]
    accompaniments, associations = [], []
    for provider_id in providers:
        if rng.random() < 0.25:
            for _ in range(rng.randint(1, 3)):
                start = _day(rng, FIRST_DAY, today)
                end = start + dt.timedelta(days=rng.randint(60, 700))
                accompaniments.append(
                    Accompaniment(
                        public_id=_uuid(rng),
                        organizer=rng.choice(organizers),
                        provider_id=provider_id,
                        themes=sorted(rng.sample(THEMES, rng.randint(1, 3))),
                        start_date=start,
                        end_date=None if rng.random() < 0.2 or end > today else end,
                        note=NOTE,
                        is_demo=True,
                    )
                )
        if rng.random() < 0.3:
            roll = rng.random()
            associations.append(
                TenantAssociation(
                    public_id=_uuid(rng),
                    name=f"Association fictive de locataires {len(associations) + 1} ({code})",
                    provider_id=provider_id,
                    founded_on=None
                    if rng.random() < 0.1
                    else _day(rng, dt.date(1995, 1, 1), today),
                    status="active" if roll < 0.7 else "inactive" if roll < 0.9 else "forming",
                    members=rng.randint(3, 60),
                    is_demo=True,
                )
            )
    Accompaniment.objects.bulk_create(accompaniments, batch_size=BATCH_SIZE)
    TenantAssociation.objects.bulk_create(associations, batch_size=BATCH_SIZE)
    meetings = []
    for association in associations:
        first = max(association.founded_on or FIRST_DAY, FIRST_DAY)
        for _ in range(rng.randint(0, 12)):
            meetings.append(
                AssociationMeeting(
                    association=association,
                    date=_day(rng, first, today),
                    attendance=rng.randint(3, 40),
                )
            )
    AssociationMeeting.objects.bulk_create(meetings, batch_size=BATCH_SIZE)

    # Money allocated to one project in five of the region (1 or 2 commitments each), from
    # commitments of agreements in force when the project started.
    projects = (
        Project.objects.filter(territories__region=region, start_date__isnull=False)
        .distinct()
        .order_by("public_id")
        .values_list("pk", "start_date")
    )
    allocations = []
    for project_id, start in projects:
        if rng.random() >= 0.2:
            continue
        usable = [
            c
            for c in commitments
            if c.agreement.status != "draft" and c.agreement.start_date <= start
        ] or commitments[:4]
        for commitment in rng.sample(usable, min(len(usable), rng.randint(1, 2))):
            allocations.append(
                ProjectFunding(
                    project_id=project_id,
                    commitment=commitment,
                    amount=Decimal(rng.randrange(100_000, 2_500_000)) / 100,
                )
            )
    ProjectFunding.objects.bulk_create(allocations, batch_size=BATCH_SIZE)
    totals["local_teams"] += len(teams)
    totals["accompaniments"] += len(accompaniments)
    totals["associations"] += len(associations)
    totals["association_meetings"] += len(meetings)
    totals["allocations"] += len(allocations)
    return committees


def generate_extras(scale: str, seed: int = 12) -> dict:
    """Add the concertation, funding, accompaniment and association records of ``scale``."""
    started = time.perf_counter()
    today = timezone.localdate()
    totals = dict.fromkeys(
        (
            "local_teams",
            "committees",
            "meetings",
            "attendance",
            "action_items",
            "accompaniments",
            "associations",
            "association_meetings",
            "allocations",
        ),
        0,
    )
    with transaction.atomic():
        commitments, committees = _program(random.Random(f"{seed}:evaluation"), today)
        for code in SCALES[scale].regions_held():
            rng = random.Random(f"{seed}:evaluation:{code}")
            committees += _region(code, rng, commitments, today, totals)
        totals["committees"] = len(committees)
        _meetings(seed, committees, today, totals)
    return {
        "scale": scale,
        "seed": seed,
        "day": today.isoformat(),
        **totals,
        "seconds": round(time.perf_counter() - started, 3),
    }


# ----------------------------------------------------------------------------- the suite's data


def generator(part: str):
    if part == "projects":
        from tremplin.bench.synthetic.projects import generate_projects as generate
    elif part == "casework":
        from tremplin.bench.synthetic.casework import generate_casework as generate
    elif part == "events":
        from tremplin.bench.synthetic.events import generate_events as generate
    elif part == "surveys":
        from tremplin.bench.synthetic.surveys import generate_surveys as generate
    else:  # concertation, funding, accompaniments, associations: no other generator has them
        generate = generate_extras
    return generate


def data_years() -> list[int]:
    """The years (fiscal and calendar) in which the generated records fall."""
    from django.db.models import Max, Min

    from tremplin.casework.models import Intervention
    from tremplin.events.models import EventStop
    from tremplin.projects.models import ProjectActivity

    firsts, lasts = [], []
    for model, field in (
        (ProjectActivity, "date"),
        (Intervention, "occurred_on"),
        (EventStop, "starts_at"),
    ):
        span = model.objects.aggregate(first=Min(field), last=Max(field))
        if span["first"] is not None:
            firsts.append(span["first"].year)
            lasts.append(span["last"].year)
    if not firsts:
        return [YEAR]
    # A fiscal year starting in April of year Y - 1 holds January of Y.
    return list(range(min(firsts) - 1, max(lasts) + 1))
