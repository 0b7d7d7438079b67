"""``tremplin retention apply``: closed follow-ups past retention destroyed, persons left
without follow-up anonymized, everything recorded; open or recent files untouched.

"Today" is fixed (``timezone.localdate`` patched) so every date below is worked out by hand:
with today = 2025-03-01 and 5 years, a follow-up closed on 2020-02-29 is past retention and
one closed on 2020-03-01 is not.
"""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from tremplin.audit.models import AuditEntry
from tremplin.casework.models import (
    Communication,
    Consent,
    ConsentKind,
    DestructionRecord,
    EmergencyAccess,
    FollowUp,
    Household,
    Intervention,
    Outcome,
    Person,
    Referral,
    WorkerBar,
)
from tremplin.casework.privacy import retention

from .test_privacy_support import (
    make_communication,
    make_consent,
    make_follow_up,
    make_intervention,
    make_person,
    make_referral,
    make_resource,
)

TODAY = dt.date(2025, 3, 1)


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


def _closed(person, worker, closed_on, *, started_on=None, **kw):
    return make_follow_up(
        person,
        worker,
        started_on=started_on or closed_on - dt.timedelta(days=200),
        closed_on=closed_on,
        outcome=Outcome.KEPT,
        **kw,
    )


@pytest.fixture
def files(world, personas, today):
    w, w_b = personas["worker_a"], personas["worker_b"]
    resource = make_resource(world)
    # A: one follow-up closed on 2020-02-29, the day before the cut-off: destroyed, and A
    # (left without follow-up) anonymized.
    a = make_person(
        world,
        "Alice",
        "Auger",
        birth_year=1957,
        birth_date=dt.date(1957, 8, 14),
        phone="418 555-0001",
        unit="3",
        building=world["building_a"],
        municipality=world["levis"],
        household=Household.ALONE,
        safe_contact_notes="Ne pas appeler le matin.",
    )
    a_fu = _closed(a, w, dt.date(2020, 2, 29))
    for day in (1, 2, 3):
        make_intervention(a_fu, w, dt.date(2019, 9, day), note=f"Note secrète {day}")
    make_referral(a_fu, resource, w, dt.date(2019, 9, 4), reason="Motif secret")
    sharing = make_consent(a, w, ConsentKind.SHARING, organization="Comptoir")
    make_communication(a, sharing, w, what="Adresse et besoins", why="Inscription")
    WorkerBar.objects.create(person=a, worker=w_b, recorded_by=w)
    EmergencyAccess.objects.create(
        user=w_b, person=a, reason="Crise", expires_at=timezone.now() + dt.timedelta(hours=1)
    )
    # B: closed on the cut-off day itself: kept.
    b = make_person(world, "Bruno", "Bélanger")
    b_fu = _closed(b, w, dt.date(2020, 3, 1))
    make_intervention(b_fu, w, dt.date(2020, 1, 10), note="Note de B")
    # C: an old closed follow-up (destroyed) and an open one (kept): C stays identified.
    c = make_person(world, "Carole", "Cloutier")
    c_old = _closed(c, w, dt.date(2015, 6, 30), started_on=dt.date(2014, 1, 6))
    make_intervention(c_old, w, dt.date(2014, 1, 6), note="Vieille note de C")
    c_open = make_follow_up(c, w, started_on=dt.date(2016, 1, 4))
    make_intervention(c_open, w, dt.date(2016, 1, 4), note="Note courante de C")
    # D: consent withdrawn; closed 2021: kept until its retention ends.
    d = make_person(world, "Denis", "Dion")
    d_consent = make_consent(d, w, given_on=dt.date(2020, 5, 1), withdrawn_on=dt.date(2021, 2, 1))
    d_fu = _closed(d, w, dt.date(2021, 1, 15), consent=d_consent, started_on=dt.date(2020, 5, 1))
    make_intervention(d_fu, w, dt.date(2020, 5, 1), note="Note de D")
    # E: open since 2010, never closed: untouched however old.
    e = make_person(world, "Émile", "Ouellet")
    e_fu = make_follow_up(e, w, started_on=dt.date(2010, 4, 1))
    # F: file created in 2019 without any follow-up: anonymized. G: created recently: kept.
    f = make_person(world, "France", "Fortin", birth_year=1984)
    Person.objects.filter(pk=f.pk).update(
        created_at=timezone.make_aware(dt.datetime(2019, 6, 1, 10, 0))
    )
    g = make_person(world, "Gilles", "Gagnon")
    return {
        "a": a, "a_fu": a_fu, "b": b, "b_fu": b_fu, "c": c, "c_old": c_old, "c_open": c_open,
        "d": d, "d_fu": d_fu, "e": e, "e_fu": e_fu, "f": f, "g": g,
    }  # fmt: skip


def _run(*args):
    out = io.StringIO()
    call_command("retention", "apply", *args, stdout=out)
    return out.getvalue()


def _snapshot():
    return {
        model.__name__: model.objects.count()
        for model in (
            Person,
            FollowUp,
            Intervention,
            Referral,
            Communication,
            WorkerBar,
            EmergencyAccess,
            DestructionRecord,
            AuditEntry,
            Consent,
        )
    }


def test_it_works_out_the_cutoff_by_calendar():
    assert retention.cutoff_date(dt.date(2025, 3, 1), 5) == dt.date(2020, 3, 1)
    assert retention.cutoff_date(dt.date(2024, 2, 29), 1) == dt.date(2023, 2, 28)
    assert retention.cutoff_date(dt.date(2024, 2, 29), 4) == dt.date(2020, 2, 29)


def test_it_changes_nothing_on_a_dry_run_and_says_what_it_would_do(files):
    before = _snapshot()
    names = {p.pk: (p.first_name, p.phone) for p in Person.objects.all()}
    out = _run("--dry-run")
    assert _snapshot() == before
    assert {p.pk: (p.first_name, p.phone) for p in Person.objects.all()} == names
    assert "suivis fermés avant le 2020-03-01" in out
    assert f"Suivi {files['a_fu'].public_id} fermé le 2020-02-29" in out
    assert "(3 intervention(s), 1 référence(s)) : à détruire" in out
    assert f"Suivi {files['c_old'].public_id} fermé le 2015-06-30" in out
    assert str(files["b_fu"].public_id) not in out
    assert f"Personne {files['a'].public_id} (plus aucun suivi) : à anonymiser" in out
    assert f"Personne {files['f'].public_id}" in out
    assert str(files["c"].public_id) not in out
    assert "Simulation, aucun changement : 2 suivi(s), 4 intervention(s)" in out
    assert "Alice" not in out and "Auger" not in out  # public ids only


def test_it_destroys_closed_follow_ups_past_retention(files):
    out = _run()
    assert "Fait : 2 suivi(s), 4 intervention(s), 1 référence(s), 2 personne(s)" in out
    gone = [files["a_fu"].pk, files["c_old"].pk]
    assert not FollowUp.objects.filter(pk__in=gone).exists()
    assert not Intervention.objects.filter(follow_up_id__in=gone).exists()
    assert not Referral.objects.filter(follow_up_id__in=gone).exists()
    # Kept: closed on the cut-off day, open ones, and the withdrawn-consent one of 2021.
    kept = [files[k].pk for k in ("b_fu", "c_open", "d_fu", "e_fu")]
    assert FollowUp.objects.filter(pk__in=kept).count() == 4
    assert Intervention.objects.get(follow_up=files["d_fu"]).note == "Note de D"
    assert Intervention.objects.get(follow_up=files["c_open"]).note == "Note courante de C"
    assert Intervention.objects.get(follow_up=files["b_fu"]).note == "Note de B"


def test_it_anonymizes_a_person_left_without_follow_up(files):
    _run()
    a = Person.objects.get(pk=files["a"].pk)
    assert a.anonymized_at is not None
    assert (a.first_name, a.last_name, a.name_key) == ("", "", "")
    assert (a.phone, a.unit, a.safe_contact_notes) == ("", "", "")
    assert a.birth_date is None and a.building is None and a.municipality is None
    assert a.birth_year == 1950  # 1957 kept as its decade
    assert a.territory == files["a"].territory and a.household == Household.ALONE
    assert str(a) == "Personne anonymisée"
    assert not WorkerBar.objects.filter(person=a).exists()
    communication = Communication.objects.get(person=a)
    assert communication.what == communication.why == retention.ERASED
    assert communication.recipient == "Comptoir alimentaire de Lévis"
    assert EmergencyAccess.objects.get(person=a).reason == retention.ERASED
    f = Person.objects.get(pk=files["f"].pk)
    assert f.anonymized_at is not None and f.birth_year == 1980
    for key in ("b", "c", "d", "e", "g"):
        person = Person.objects.get(pk=files[key].pk)
        assert person.anonymized_at is None and person.first_name, key


def test_it_records_each_destruction_without_personal_data(files):
    _run()
    records = {r.follow_up_public_id: r for r in DestructionRecord.objects.all()}
    assert set(records) == {
        files["a_fu"].public_id,
        files["c_old"].public_id,
        files["a"].public_id,
        files["f"].public_id,
    }
    a_fu = records[files["a_fu"].public_id]
    assert (a_fu.method, a_fu.closed_on, a_fu.interventions, a_fu.referrals) == (
        "destroyed",
        dt.date(2020, 2, 29),
        3,
        1,
    )
    c_old = records[files["c_old"].public_id]
    assert (c_old.interventions, c_old.referrals) == (1, 0)
    a = records[files["a"].public_id]
    assert (a.method, a.closed_on) == ("anonymized", dt.date(2020, 2, 29))
    assert records[files["f"].public_id].closed_on == dt.date(2019, 6, 1)
    assert {r.run_by for r in records.values()} == {"tremplin retention apply"}
    # The journal: one entry per destroyed follow-up and anonymized person, and a summary.
    destroyed = AuditEntry.objects.filter(action="casework.followup.destroyed")
    assert {e.subject_id for e in destroyed} == {
        str(files["a"].public_id),
        str(files["c"].public_id),
    }
    assert AuditEntry.objects.filter(action="casework.person.anonymized").count() == 2
    summary = AuditEntry.objects.get(action="casework.retention.applied")
    assert summary.data["follow_ups"] == 2 and summary.data["persons"] == 2
    text = json.dumps([e.data for e in AuditEntry.objects.all()], ensure_ascii=False)
    assert "secrète" not in text and "Alice" not in text


def test_it_does_nothing_more_when_run_again(files):
    _run()
    before = DestructionRecord.objects.count()
    out = _run()
    assert "Fait : 0 suivi(s)" in out
    assert DestructionRecord.objects.count() == before


def test_it_takes_the_period_from_the_option_or_the_settings(files, settings):
    # 10 years: cut-off 2015-03-01; C's follow-up closed 2015-06-30 is still kept.
    out = _run("--years", "10", "--dry-run")
    assert "suivis fermés avant le 2015-03-01" in out
    assert "Simulation, aucun changement : 0 suivi(s)" in out
    # F's file (2019-06-01) is less than 10 years old too.
    assert "0 personne(s)" in out
    # 4 years from the settings: cut-off 2021-03-01; D's 2021-01-15 follow-up goes, its
    # withdrawn consent changing nothing.
    settings.TREMPLIN_RETENTION_YEARS = 4
    out = _run("--dry-run")
    assert "suivis fermés avant le 2021-03-01" in out
    assert str(files["d_fu"].public_id) in out and str(files["b_fu"].public_id) in out
    assert "4 suivi(s)" in out


@pytest.mark.parametrize("years", ["0", "-2"])
def test_it_refuses_a_period_under_one_year(files, years):
    with pytest.raises(CommandError, match="au moins 1 an"):
        _run("--years", years)


def test_it_handles_the_29th_of_february(world, personas, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2024, 2, 29))
    w = personas["worker_a"]
    person = make_person(world)
    before = _closed(person, w, dt.date(2023, 2, 27))
    on_cutoff = _closed(person, w, dt.date(2023, 2, 28))
    out = _run("--years", "1")
    assert "suivis fermés avant le 2023-02-28" in out
    assert not FollowUp.objects.filter(pk=before.pk).exists()
    assert FollowUp.objects.filter(pk=on_cutoff.pk).exists()
    assert Person.objects.get(pk=person.pk).anonymized_at is None


def test_it_changes_nothing_when_it_fails_halfway(files, monkeypatch):
    before = _snapshot()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(retention, "_anonymize", broken)
    with pytest.raises(RuntimeError):
        _run()
    assert _snapshot() == before
    assert FollowUp.objects.filter(pk=files["a_fu"].pk).exists()
