"""Two workers sending the same edition at once (a resume clicked while the first run is still
going): the claims keep them apart, nobody receives the edition twice."""

import threading
from collections import Counter

import pytest
from django.db import connection

from tremplin.newsletter import sending
from tremplin.newsletter.models import Delivery, DeliveryStatus, EditionStatus

from .conftest import make_edition, make_subscribers


@pytest.mark.django_db
def test_it_hands_each_row_to_one_run_only():
    edition = make_edition(21, "Réclamations", scheduled=True)
    make_subscribers(7)
    sending.prepare_recipients(edition.pk)

    first = sending.claim_batch(edition.pk, "a" * 32, size=3)
    second = sending.claim_batch(edition.pk, "b" * 32, size=3)
    third = sending.claim_batch(edition.pk, "c" * 32, size=3)

    ids = [d.pk for d in first + second + third]
    assert len(ids) == len(set(ids)) == 7
    assert sending.claim_batch(edition.pk, "d" * 32) == []  # claimed rows are not offered again
    assert Counter(Delivery.objects.values_list("claim_token", flat=True)) == {
        "a" * 32: 3,
        "b" * 32: 3,
        "c" * 32: 1,
    }
    assert sending.release("b" * 32) == 3
    again = sending.claim_batch(edition.pk, "e" * 32)
    assert sorted(d.pk for d in again) == sorted(d.pk for d in second)
    assert {d.attempts for d in again} == {1}  # a release does not count as an attempt


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the SQLite test database lives in shared-cache memory, where table locks ignore "
    "busy_timeout; two writer threads need PostgreSQL (or SQLite on a file, as in production)",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_never_sends_twice_when_two_workers_run_at_once(smtp, monkeypatch):
    edition = make_edition(20, "Deux travailleurs", scheduled=True)
    subscribers = make_subscribers(40)
    sending.prepare_recipients(edition.pk)
    monkeypatch.setattr(sending, "BATCH_SIZE", 3)
    start = threading.Barrier(2)
    errors = []

    def worker():
        try:
            start.wait()
            sending.send_edition(edition.pk)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors, errors
    assert Counter(smtp.recipients()) == Counter({s.email: 1 for s in subscribers})
    assert set(Delivery.objects.filter(edition=edition).values_list("status", flat=True)) == {
        DeliveryStatus.SENT
    }
    assert smtp.handler.connections == 2  # both workers did take part
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SENT
