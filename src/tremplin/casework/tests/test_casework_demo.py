"""The demo case files: fictitious, idempotent, and the two workers never see each other's."""

from collections import Counter

from django.contrib.auth import get_user_model
from django.urls import reverse

from tremplin.casework import permissions
from tremplin.casework.models import (
    Communication,
    Consent,
    FollowUp,
    Intervention,
    Person,
    Referral,
    Resource,
)
from tremplin.demo.casework_loader import FILES, RESOURCES, load_casework
from tremplin.testing.demo import demo_reloaded, row_counts

_demo_reloaded, loaded = demo_reloaded(load_casework)


MODELS = (Resource, Person, Consent, FollowUp, Intervention, Referral, Communication)


def test_it_loads_resources_and_fictitious_files_for_both_workers(loaded):
    assert Resource.objects.filter(is_demo=True).count() == len(RESOURCES) >= 20
    expected_persons = sum(len(specs) for specs in FILES.values())
    assert Person.objects.filter(is_demo=True).count() == expected_persons
    assert FollowUp.objects.filter(is_demo=True).count() == sum(
        len(p["follow_ups"]) for specs in FILES.values() for p in specs
    )
    assert Intervention.objects.count() == sum(
        len(f["interventions"]) for specs in FILES.values() for p in specs
        for f in p["follow_ups"]
    )  # fmt: skip
    assert all("fictives" in r.description for r in Resource.objects.all())
    # Every follow-up's summary agrees with its interventions.
    for fu in FollowUp.objects.all():
        rows = sorted(fu.interventions.all(), key=lambda i: (i.occurred_on, i.pk))
        assert fu.intervention_count == len(rows)
        assert fu.last_intervention_on == rows[-1].occurred_on
        assert fu.next_step_on == rows[-1].next_step_on


def test_it_loads_twice_without_creating_anything(loaded):
    before = row_counts(MODELS)
    created = Counter()
    load_casework(created)
    assert row_counts(MODELS) == before
    assert sum(created.values()) == 0


def test_it_keeps_the_two_demo_workers_apart(loaded, client):
    users = get_user_model().objects.in_bulk(
        ["intervenant", "intervenante-beauce", "superviseure"], field_name="username"
    )
    a, b = users["intervenant"], users["intervenante-beauce"]
    persons_a = set(permissions.persons_in_scope(a))
    persons_b = set(permissions.persons_in_scope(b))
    assert len(persons_a) == len(FILES["intervenant"])
    assert len(persons_b) == len(FILES["intervenante-beauce"])
    assert not persons_a & persons_b
    assert {p.territory.slug for p in persons_a} == {"grand-littoral"}
    assert {p.territory.slug for p in persons_b} == {"beauce"}
    if "superviseure" in users:
        assert set(permissions.persons_in_scope(users["superviseure"])) == persons_a | persons_b
    # Through the pages too.
    client.force_login(a, backend="django.contrib.auth.backends.ModelBackend")
    _verify(client, a)
    for person in persons_b:
        url = reverse("casework:person-detail", args=[person.public_id])
        assert client.get(url).status_code == 404
    caseload = client.get(reverse("casework:caseload")).content.decode()
    assert all(p.last_name not in caseload for p in persons_b)
    assert "fictif" in caseload


def _verify(client, user):
    """Mark the session as having passed two-factor authentication, when the app has it."""
    try:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice
    except ImportError:  # pragma: no cover
        return
    device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(
        user=user, name="Test", confirmed=True
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
