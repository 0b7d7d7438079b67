"""Encrypted fields: nothing readable in the database row, rotation keeps values readable."""

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from tremplin.casework.models import Consent, FollowUp, Intervention, Person
from tremplin.core import crypto

SECRET = "Madame craint son voisin du 3e; ne pas laisser de message vocal."


@pytest.fixture
def intervention(personas, world):
    worker = personas["worker_a"]
    person = Person.objects.create(first_name="Aline", last_name="Test", territory=world["ta"])
    consent = Consent.objects.create(
        person=person, kind="follow_up", mode="verbal", given_on="2026-01-05", recorded_by=worker
    )
    follow_up = FollowUp.objects.create(
        person=person,
        territory=world["ta"],
        consent=consent,
        started_on="2026-01-05",
        reasons="isolation",
    )
    return Intervention.objects.create(
        follow_up=follow_up,
        occurred_on="2026-01-06",
        type="intake",
        mode="phone",
        note=SECRET,
        created_by=worker,
    )


def _raw_note(pk):
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM casework_intervention WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_it_stores_no_plaintext_in_the_row(intervention):
    raw = _raw_note(intervention.pk)
    assert raw.startswith(crypto.PREFIX)
    assert "voisin" not in raw and SECRET not in raw
    assert Intervention.objects.get(pk=intervention.pk).note == SECRET


def test_it_rotates_to_a_new_key_and_old_key_can_then_be_removed(intervention, settings):
    old_raw = _raw_note(intervention.pk)
    old_key = settings.TREMPLIN_FIELD_KEYS[0]
    new_key = Fernet.generate_key().decode()
    settings.TREMPLIN_FIELD_KEYS = [new_key, old_key]
    call_command("rotate_field_key", verbosity=0)
    new_raw = _raw_note(intervention.pk)
    assert new_raw != old_raw
    settings.TREMPLIN_FIELD_KEYS = [new_key]
    assert Intervention.objects.get(pk=intervention.pk).note == SECRET


def test_it_refuses_to_read_with_a_wrong_key_without_revealing_the_value(intervention, settings):
    settings.TREMPLIN_FIELD_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(crypto.FieldKeyError) as excinfo:
        Intervention.objects.get(pk=intervention.pk)
    assert "voisin" not in str(excinfo.value)
