"""End of retention: closed follow-ups past the retention period are destroyed, and a person
left without any follow-up is anonymized (``tremplin retention apply``).

Choices (docs/privacy.md, "Retention and destruction"):

- A follow-up is **destroyed**, not anonymized: its interventions (notes, next steps), its
  referrals (reasons) and the follow-up itself (goals, reasons, dates) are deleted. Free text
  cannot be reliably de-identified and exact dates re-identify; the counts the evaluation needs
  for past years are in its reports, produced while the data was held.
- A person left without follow-up is **anonymized**, not deleted: names, phone, building,
  unit, municipality, full birth date and safe-contact notes are erased; the birth year is
  kept as the first year of its decade (1957 → 1950, the research export's band); territory,
  household and language stay. The row remains so that consents given (the record that
  information was collected lawfully) and the communications register keep their subject;
  the free text of communications ("what", "why") and of emergency-access reasons is erased;
  worker bars are deleted (there is no file left to bar).
- A person whose file was created but who never had a follow-up is anonymized once the file
  is older than the retention period.
- Open follow-ups are never touched. A withdrawn consent changes nothing: the data stays until
  the retention period ends (the issue: "existing data kept for the retention period").

Each destroyed follow-up and each anonymized person leaves a ``DestructionRecord`` (no
personal data; for a person, ``follow_up_public_id`` holds the person's public id and
``method`` is "anonymized") and a journal entry. The whole run (plan and changes) is one
transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from tremplin.audit.services import log_action

from ..models import (
    Communication,
    DestructionRecord,
    EmergencyAccess,
    FollowUp,
    FollowUpStatus,
    Intervention,
    Person,
    Referral,
    WorkerBar,
)

DEFAULT_YEARS = 5
DESTROYED = "destroyed"
ANONYMIZED = "anonymized"
ERASED = "[effacé à la fin de la période de conservation]"
RUN_BY = "tremplin retention apply"
# SQLite accepts at most 999 (older builds) bound parameters in one statement.
CHUNK = 500


def retention_years() -> int:
    return int(getattr(settings, "TREMPLIN_RETENTION_YEARS", DEFAULT_YEARS))


def cutoff_date(today: dt.date, years: int) -> dt.date:
    """The day ``years`` years before ``today`` (29 February → 28 February). A follow-up
    closed *before* this day is past retention; closed on it, it is kept one more day."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


@dataclass
class FollowUpToDestroy:
    id: int
    public_id: object
    person_id: int
    closed_on: dt.date
    interventions: int
    referrals: int


@dataclass
class PersonToAnonymize:
    id: int
    public_id: object
    last_closed_on: dt.date


@dataclass
class RetentionPlan:
    years: int
    today: dt.date
    cutoff: dt.date
    follow_ups: list[FollowUpToDestroy] = field(default_factory=list)
    persons: list[PersonToAnonymize] = field(default_factory=list)

    @property
    def interventions(self) -> int:
        return sum(f.interventions for f in self.follow_ups)

    @property
    def referrals(self) -> int:
        return sum(f.referrals for f in self.follow_ups)


def count_of(model):
    """The number of ``model`` rows of each follow-up, as a subquery (no join fan-out)."""
    return Coalesce(
        Subquery(
            model.objects.filter(follow_up=OuterRef("pk"))
            .order_by()
            .values("follow_up")
            .annotate(n=Count("*"))
            .values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def _chunks(items, size=CHUNK):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def retention_plan(*, years: int | None = None, today: dt.date | None = None) -> RetentionPlan:
    """What ``retention_apply`` would do, computed without changing anything."""
    years = retention_years() if years is None else years
    if years < 1:
        raise ValueError("years must be at least 1")
    today = today or timezone.localdate()
    plan = RetentionPlan(years=years, today=today, cutoff=cutoff_date(today, years))
    expired = (
        FollowUp.objects.filter(status=FollowUpStatus.CLOSED, closed_on__lt=plan.cutoff)
        .annotate(n_interventions=count_of(Intervention), n_referrals=count_of(Referral))
        .order_by("closed_on", "id")
        .values_list("id", "public_id", "person_id", "closed_on", "n_interventions", "n_referrals")
    )
    plan.follow_ups = [FollowUpToDestroy(*row) for row in expired]

    # Persons whose every follow-up goes: compare how many they have with how many go.
    going: dict[int, list[FollowUpToDestroy]] = {}
    for f in plan.follow_ups:
        going.setdefault(f.person_id, []).append(f)
    totals = {}
    for ids in _chunks(list(going)):
        totals.update(
            FollowUp.objects.filter(person_id__in=ids)
            .order_by()
            .values("person_id")
            .annotate(n=Count("id"))
            .values_list("person_id", "n")
        )
    left_without = [pid for pid, fus in going.items() if totals.get(pid) == len(fus)]
    public_ids = {}
    for ids in _chunks(left_without):
        public_ids.update(
            Person.objects.filter(id__in=ids, anonymized_at__isnull=True).values_list(
                "id", "public_id"
            )
        )
    for pid in left_without:
        if pid in public_ids:
            last = max(f.closed_on for f in going[pid])
            plan.persons.append(PersonToAnonymize(pid, public_ids[pid], last))

    # Files opened long ago that never had a follow-up (e.g. consent refused).
    cutoff_moment = timezone.make_aware(dt.datetime.combine(plan.cutoff, dt.time.min))
    never_followed = (
        Person.objects.filter(
            anonymized_at__isnull=True, created_at__lt=cutoff_moment, follow_ups__isnull=True
        )
        .order_by("id")
        .values_list("id", "public_id", "created_at")
    )
    for pid, public_id, created_at in never_followed:
        plan.persons.append(
            PersonToAnonymize(pid, public_id, timezone.localtime(created_at).date())
        )
    plan.persons.sort(key=lambda p: (p.last_closed_on, p.id))
    return plan


def _anonymize(person_id: int, birth_year: int | None, now) -> None:
    """Erase what identifies a person; see the module docstring for what stays."""
    band = (birth_year // 10) * 10 if birth_year else None
    # .update() rather than save(): the anonymized row is deliberately not a valid file
    # (it has no name any more).
    Person.objects.filter(pk=person_id).update(
        first_name="",
        last_name="",
        name_key="",
        birth_date=None,
        birth_year=band,
        building=None,
        unit="",
        municipality=None,
        phone="",
        safe_contact_notes="",
        anonymized_at=now,
        updated_at=now,
    )
    WorkerBar.objects.filter(person_id=person_id).delete()
    Communication.objects.filter(person_id=person_id).update(what=ERASED, why=ERASED)
    EmergencyAccess.objects.filter(person_id=person_id).update(reason=ERASED)


def retention_run(
    *, years: int | None = None, today: dt.date | None = None, dry_run: bool = False
) -> RetentionPlan:
    """Plan, then (unless ``dry_run``) apply, in one transaction: all of it, or nothing."""
    with transaction.atomic():
        plan = retention_plan(years=years, today=today)
        if not dry_run:
            _apply(plan)
    return plan


def _apply(plan: RetentionPlan, run_by: str = RUN_BY) -> None:
    now = timezone.now()
    DestructionRecord.objects.bulk_create(
        [
            DestructionRecord(
                follow_up_public_id=f.public_id,
                closed_on=f.closed_on,
                method=DESTROYED,
                interventions=f.interventions,
                referrals=f.referrals,
                run_by=run_by,
            )
            for f in plan.follow_ups
        ]
        + [
            DestructionRecord(
                follow_up_public_id=p.public_id,
                closed_on=p.last_closed_on,
                method=ANONYMIZED,
                run_by=run_by,
            )
            for p in plan.persons
        ],
        batch_size=CHUNK,
    )
    for chunk in _chunks(plan.follow_ups):
        ids = [f.id for f in chunk]
        subjects = dict(
            Person.objects.filter(id__in={f.person_id for f in chunk}).values_list(
                "id", "public_id"
            )
        )
        Intervention.objects.filter(follow_up_id__in=ids).delete()
        Referral.objects.filter(follow_up_id__in=ids).delete()
        FollowUp.workers.through.objects.filter(followup_id__in=ids).delete()
        FollowUp.objects.filter(id__in=ids).delete()
        for f in chunk:
            log_action(
                None,
                "casework.followup.destroyed",
                data={
                    "follow_up": str(f.public_id),
                    "closed_on": f.closed_on.isoformat(),
                    "interventions": f.interventions,
                    "referrals": f.referrals,
                    "reason": "retention",
                },
                subject=subjects.get(f.person_id),
            )
    for chunk in _chunks(plan.persons):
        birth_years = dict(
            Person.objects.filter(id__in=[p.id for p in chunk]).values_list("id", "birth_year")
        )
        for p in chunk:
            _anonymize(p.id, birth_years.get(p.id), now)
            log_action(
                None,
                "casework.person.anonymized",
                data={"person": str(p.public_id), "reason": "retention"},
                subject=p.public_id,
            )
    log_action(
        None,
        "casework.retention.applied",
        data={
            "years": plan.years,
            "cutoff": plan.cutoff.isoformat(),
            "follow_ups": len(plan.follow_ups),
            "interventions": plan.interventions,
            "referrals": plan.referrals,
            "persons": len(plan.persons),
            "run_by": run_by,
        },
    )
