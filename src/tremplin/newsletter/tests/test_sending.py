"""Sending an edition through a real SMTP server on loopback (aiosmtpd): the messages as mail
clients receive them, the unsubscribe link, and resuming after a crash without duplicates."""

import datetime as dt
import re
import socket
from collections import Counter
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.utils import timezone

from tremplin.newsletter import emails, sending, services, tasks
from tremplin.newsletter.models import (
    Delivery,
    DeliveryStatus,
    EditionStatus,
    Section,
    SectionKind,
    Subscriber,
    SubscriberStatus,
)

from .conftest import (
    make_edition,
    make_project,
    make_story,
    make_subscribers,
    png_upload,
)

pytestmark = pytest.mark.django_db


def _statuses(edition):
    return Counter(Delivery.objects.filter(edition=edition).values_list("status", flat=True))


def _rich_edition(coordination):
    """Edition 5: a text section (with a script to strip), an image, a story card."""
    project = make_project("Espace Lafleur", kind="lab")
    story = make_story(project, "Espace Lafleur : un milieu de vie")
    edition = make_edition(5, "Les laboratoires prennent racine", season="fall")
    edition.title_en = "The labs take root"
    edition.save()
    edition.sections.all().delete()
    services.section_save(
        user=coordination,
        section=Section(
            edition=edition,
            kind=SectionKind.TEXT,
            heading="Mot de la coordination",
            heading_en="A word from the coordination",
            body='<p onclick="steal()">Bonjour à toutes et à tous.</p><script>alert(1)</script>',
        ),
    )
    services.section_save(
        user=coordination,
        section=Section(edition=edition, kind=SectionKind.IMAGE, image_alt="Le jardin en août"),
        image=png_upload(),
    )
    services.section_save(
        user=coordination, section=Section(edition=edition, kind=SectionKind.STORY, story=story)
    )
    return edition, story


def test_it_sends_multipart_messages_that_a_mail_client_can_read_and_unsubscribe_from(
    smtp, immediate_tasks, personas, client
):
    coordination = personas["coordination"]
    edition, story = _rich_edition(coordination)
    french = make_subscribers(2, prefix="fr")
    english = make_subscribers(1, language="en", prefix="en")
    pending = make_subscribers(1, status=SubscriberStatus.PENDING, prefix="pending")
    gone = make_subscribers(1, status=SubscriberStatus.UNSUBSCRIBED, prefix="gone")

    services.edition_schedule(user=coordination, edition=edition)

    received = smtp.wait_for(3)
    # Only confirmed addresses, each exactly once; never the pending or unsubscribed ones.
    assert Counter(smtp.recipients()) == Counter(s.email for s in french + english)
    assert not {pending[0].email, gone[0].email} & set(smtp.recipients())
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SENT and edition.published_at is not None
    assert _statuses(edition) == {DeliveryStatus.SENT: 3}

    by_address = {m.to: m for m in received}
    message = by_address[french[0].email]
    assert message.message.get_content_type() == "multipart/alternative"
    assert message.subject == ("Les laboratoires prennent racine — Infolettre n° 5 · automne 2025")
    assert message.mail_from == "infolettre@tremplin.example"
    text, html = message.part("plain"), message.part("html")
    assert "Bonjour à toutes et à tous." in text and "Bonjour à toutes et à tous." in html
    assert "Mot de la coordination" in text and "Espace Lafleur : un milieu de vie" in html
    assert "<script" not in html and "alert(1)" not in html and "onclick" not in html
    # The story card links to the public story page.
    assert f"http://testserver/histoires/{story.public_id}/" in html
    assert f"http://testserver/histoires/{story.public_id}/" in text
    # The image travels inside the message (multipart/related), referenced by its Content-ID.
    [related] = [p for p in message.message.walk() if p.get_content_type() == "multipart/related"]
    [image] = [p for p in related.iter_parts() if p.get_content_type() == "image/png"]
    cid = image["Content-ID"].strip("<>")
    assert f'src="cid:{cid}"' in html and 'alt="Le jardin en août"' in html
    assert image.get_payload(decode=True).startswith(b"\x89PNG")

    # RFC 8058 headers; the same personal link in both parts.
    header = " ".join(str(message.message["List-Unsubscribe"]).split())
    assert message.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = re.fullmatch(r"<(http://testserver/infolettre/desabonnement/[^>]+/)>", header)[1]
    assert url in text and url in html
    assert (
        str(message.message["Message-ID"]).strip().startswith(f"<nl.{edition.public_id.hex[:16]}.")
    )

    # The English subscriber gets the English edition.
    english_message = by_address[english[0].email]
    assert english_message.subject == "The labs take root — Newsletter no. 5 · fall 2025"
    assert "Unsubscribe: http://testserver/infolettre/desabonnement/" in english_message.part(
        "plain"
    )
    assert 'lang="en-CA"' in english_message.part("html")
    assert "A word from the coordination" in english_message.part("plain")

    # The link works when followed: GET asks (link checkers change nothing), POST unsubscribes.
    path = urlsplit(url).path
    page = client.get(path)
    assert page.status_code == 200 and "Me désabonner" in page.content.decode()
    assert Subscriber.objects.get(email=french[0].email).status == SubscriberStatus.CONFIRMED
    # One-click, as a mail client does it: a POST with no cookie and no CSRF token.
    client.handler.enforce_csrf_checks = True
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    subscriber = Subscriber.objects.get(email=french[0].email)
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED
    assert subscriber.unsubscribe_method == "one-click"


def test_it_resumes_after_the_job_dies_midway_and_sends_each_remaining_recipient_once(
    smtp, personas, monkeypatch
):
    edition = make_edition(7, "Édition interrompue", scheduled=True)
    subscribers = make_subscribers(23)

    real = emails.edition_message
    calls = {"n": 0}

    def dies_on_the_ninth(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 9:
            raise RuntimeError("the worker process was killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(emails, "edition_message", dies_on_the_ninth)
    with pytest.raises(RuntimeError):
        sending.send_edition(edition.pk)
    assert len(smtp.wait_for(8)) == 8
    # Sent rows are marked; the run's other claimed rows were given back, uncounted.
    assert _statuses(edition) == {DeliveryStatus.SENT: 8, DeliveryStatus.PENDING: 15}
    assert set(
        Delivery.objects.filter(edition=edition, status=DeliveryStatus.PENDING).values_list(
            "attempts", flat=True
        )
    ) == {0}
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SCHEDULED

    monkeypatch.setattr(emails, "edition_message", real)
    sending.send_edition(edition.pk)

    received = smtp.wait_for(23)
    counts = Counter(m.to for m in received)
    assert counts == Counter({s.email: 1 for s in subscribers})
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SENT
    assert _statuses(edition) == {DeliveryStatus.SENT: 23}


def test_it_takes_back_rows_left_claimed_by_a_killed_worker_only_after_their_lease(
    smtp, personas, monkeypatch
):
    edition = make_edition(8, "Travailleur tué", scheduled=True)
    subscribers = make_subscribers(14)

    real = emails.edition_message
    calls = {"n": 0}

    class Killed(BaseException):
        """Like SIGKILL: nothing of the run survives, not even its clean-up."""

    def killed_on_the_fourth(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 4:
            raise Killed
        return real(*args, **kwargs)

    monkeypatch.setattr(emails, "edition_message", killed_on_the_fourth)
    monkeypatch.setattr(sending, "release", lambda token: 0)  # the clean-up never runs
    with pytest.raises(Killed):
        sending.send_edition(edition.pk)
    monkeypatch.setattr(emails, "edition_message", real)
    monkeypatch.undo()
    assert len(smtp.wait_for(3)) == 3
    stuck = sending.BATCH_SIZE - 3
    assert _statuses(edition) == {
        DeliveryStatus.SENT: 3,
        DeliveryStatus.SENDING: stuck,
        DeliveryStatus.PENDING: 14 - sending.BATCH_SIZE,
    }

    # Resumed at once: the rows a live worker might still be sending are left alone.
    sending.send_edition(edition.pk)
    assert len(smtp.wait_for(3 + 14 - sending.BATCH_SIZE)) == 3 + 14 - sending.BATCH_SIZE
    assert _statuses(edition)[DeliveryStatus.SENDING] == stuck
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SCHEDULED

    # Once their lease has passed, they are taken back and sent, once.
    Delivery.objects.filter(edition=edition, status=DeliveryStatus.SENDING).update(
        claimed_at=timezone.now() - sending.LEASE - dt.timedelta(minutes=1)
    )
    sending.send_edition(edition.pk)
    received = smtp.wait_for(14)
    assert Counter(m.to for m in received) == Counter({s.email: 1 for s in subscribers})
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SENT


def test_it_records_refused_recipients_and_retries_temporary_refusals_a_bounded_number_of_times(
    smtp, personas
):
    edition = make_edition(9, "Refus", scheduled=True)
    subscribers = make_subscribers(6)
    permanent, flaky, always_busy = (s.email for s in subscribers[:3])
    smtp.handler.refuse[permanent] = (550, "5.1.1 No such user", None)
    smtp.handler.refuse[flaky] = (451, "4.7.1 Try again later", 2)
    smtp.handler.refuse[always_busy] = (452, "4.2.2 Mailbox full", None)

    sending.send_edition(edition.pk)

    assert Counter(smtp.recipients()) == Counter(
        {s.email: 1 for s in subscribers if s.email not in (permanent, always_busy)}
    )
    rows = {d.subscriber.email: d for d in Delivery.objects.filter(edition=edition)}
    assert rows[permanent].status == DeliveryStatus.FAILED
    assert rows[permanent].attempts == 1 and rows[permanent].last_error.startswith("550")
    assert rows[flaky].status == DeliveryStatus.SENT and rows[flaky].attempts == 3
    assert rows[always_busy].status == DeliveryStatus.FAILED
    assert rows[always_busy].attempts == 3 == smtp.handler.rcpt_attempts[always_busy]
    assert "Mailbox full" in rows[always_busy].last_error
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SENT
    assert sending.progress(edition.pk) == {
        "total": 6,
        "sent": 4,
        "failed": 2,
        "skipped": 0,
        "pending": 0,
        "sending": 0,
        "remaining": 0,
        "percent": 100,
    }


def test_it_reconnects_when_the_server_drops_the_connection_mid_message(smtp, personas):
    edition = make_edition(10, "Connexion coupée", scheduled=True)
    subscribers = make_subscribers(8)
    smtp.handler.drop_on_data = {4}

    sending.send_edition(edition.pk)

    assert Counter(smtp.recipients()) == Counter({s.email: 1 for s in subscribers})
    assert smtp.handler.connections == 2
    attempts = sorted(Delivery.objects.filter(edition=edition).values_list("attempts", flat=True))
    assert attempts == [1] * 7 + [2]
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SENT


def test_it_stops_when_the_connection_keeps_dropping_and_resumes_later_without_duplicates(
    smtp, personas
):
    edition = make_edition(11, "Serveur instable", scheduled=True)
    subscribers = make_subscribers(5)
    smtp.handler.drop_on_data = {2, 3, 4}  # the first message passes, then three drops in a row

    with pytest.raises(sending.SendingStoppedError):
        sending.send_edition(edition.pk)
    edition.refresh_from_db()
    assert "coupée 3 fois de suite" in edition.last_error
    assert len(smtp.messages) == 1
    assert _statuses(edition) == {DeliveryStatus.SENT: 1, DeliveryStatus.PENDING: 4}

    sending.send_edition(edition.pk)  # the server behaves again
    assert Counter(smtp.recipients()) == Counter({s.email: 1 for s in subscribers})
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SENT and edition.last_error == ""


def test_it_keeps_every_delivery_when_the_smtp_server_is_unreachable(
    smtp, personas, settings, immediate_tasks
):
    edition = make_edition(12, "Serveur injoignable", scheduled=True)
    subscribers = make_subscribers(4)
    port = settings.EMAIL_PORT
    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        settings.EMAIL_PORT = probe.getsockname()[1]
    with pytest.raises(sending.SendingStoppedError):
        sending.send_edition(edition.pk)
    edition.refresh_from_db()
    assert "injoignable" in edition.last_error
    assert (
        list(Delivery.objects.filter(edition=edition).values_list("status", "attempts"))
        == [(DeliveryStatus.PENDING, 0)] * 4
    )

    settings.EMAIL_PORT = port  # the server is back
    call_command("newsletter", "resume", "12")  # as an operator would, once it is back
    assert Counter(smtp.recipients()) == Counter({s.email: 1 for s in subscribers})


def test_it_skips_an_address_unsubscribed_after_the_recipients_were_prepared(smtp, personas):
    edition = make_edition(13, "Désabonnement en cours de route", scheduled=True)
    stay, leave = make_subscribers(2)
    assert sending.prepare_recipients(edition.pk) == 2
    assert sending.prepare_recipients(edition.pk) == 0  # once only
    services.subscription_cancel(subscriber=leave, method="link")

    sending.send_edition(edition.pk)

    assert smtp.recipients() == [stay.email]
    assert _statuses(edition) == {DeliveryStatus.SENT: 1, DeliveryStatus.SKIPPED: 1}


@pytest.fixture
def database_queue(settings, monkeypatch):
    """The real queue (django-tasks-db) and its worker command. The worker closes "old"
    connections between jobs, which would close the test's own transaction on PostgreSQL."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )


def test_it_sends_from_the_database_queue_with_the_real_worker(smtp, personas, database_queue):
    from django_tasks_db.models import DBTaskResult

    edition = make_edition(14, "Par la file d'attente")
    subscribers = make_subscribers(3)
    services.edition_schedule(user=personas["coordination"], edition=edition)
    assert smtp.messages == []  # queued, not sent during the request
    assert DBTaskResult.objects.filter(task_path=tasks.send_edition.module_path).count() == 1

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    assert Counter(smtp.recipients()) == Counter({s.email: 1 for s in subscribers})
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SENT


def test_it_schedules_a_later_send_on_the_queue(smtp, personas, database_queue):
    from django_tasks_db.models import DBTaskResult

    edition = make_edition(15, "Plus tard")
    make_subscribers(2)
    later = timezone.now() + dt.timedelta(days=2)
    services.edition_schedule(user=personas["coordination"], edition=edition, send_after=later)

    [job] = DBTaskResult.objects.filter(task_path=tasks.send_edition.module_path)
    assert job.run_after == later
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert smtp.messages == []  # not before its time
    edition.refresh_from_db()
    assert edition.status == EditionStatus.SCHEDULED and edition.send_after == later

    # Cancelled before it went out: back to a draft, no delivery left.
    services.edition_cancel(user=personas["coordination"], edition=edition)
    edition.refresh_from_db()
    assert edition.status == EditionStatus.DRAFT
    assert not Delivery.objects.filter(edition=edition).exists()
