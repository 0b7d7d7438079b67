"""Public registration: seats and waiting list, idempotence, no disclosure, abuse (honeypot, rate
limit, CSRF, strict validation), cancellation by the e-mailed link, and real e-mail over SMTP."""

import datetime as dt
import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tremplin.audit.models import AuditEntry
from tremplin.events import services
from tremplin.events.models import EventStatus, Registration, RegistrationStatus
from tremplin.events.tokens import make_cancel_token

from .conftest import make_event, register, soon

VALID = {
    "name": "Marie Tremblay",
    "organization": "OMH de Lévis",
    "email": "marie@example.org",
    "phone": "",
    "accessibility_needs": "Accès en fauteuil roulant",
    "is_tenant": "on",
    "website": "",
}


def _url(event):
    return reverse("events:public-detail", args=[event.public_id])


def _post(client, event, **changes):
    return client.post(_url(event), {**VALID, **changes})


def _thanks(event):
    return reverse("events:public-thanks", args=[event.public_id])


# --------------------------------------------------------------------------- the public page


def test_it_shows_a_published_event_and_its_free_seats_to_anyone(client, workshop):
    register(workshop, email="a@example.org")
    response = client.get(_url(workshop))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Atelier : bien vivre en HLM" in html
    assert "2 places libres sur 3" in html
    assert 'name="website"' in html  # the honeypot is there, in a hidden block
    assert "https://example.org/atelier</a>" in html  # links in the description become links


def test_it_shows_the_public_page_in_a_constant_number_of_queries(
    client, world, django_assert_max_num_queries
):
    towns = [world["levis"], world["st_anselme"], world["st_georges"]]
    small = make_event(capacity=50, stops=[(towns[0], soon(10))])
    tour = make_event(
        kind="tour", capacity=50, stops=[(towns[i % 3], soon(10 + i)) for i in range(6)]
    )
    for event in (small, tour):
        for i in range(4):
            register(event, email=f"p{i}@example.org")
        with django_assert_max_num_queries(4):  # event, stops, stop choices, seats taken
            assert client.get(_url(event)).status_code == 200


@pytest.mark.parametrize("status", [EventStatus.DRAFT])
def test_it_answers_404_for_an_unpublished_event_even_to_the_coordination(
    client, login, world, personas, status
):
    draft = make_event(status=status, stops=[(world["levis"], soon())])
    for c in (client, login(personas["coordination"])):
        for name in ("events:public-detail", "events:public-thanks", "events:event-ics"):
            assert c.get(reverse(name, args=[draft.public_id])).status_code == 404
        assert _post(c, draft).status_code == 404
    assert not Registration.objects.exists()


def test_it_lists_only_upcoming_published_events_publicly(client, world, workshop):
    make_event(title="Brouillon secret", status=EventStatus.DRAFT, stops=[(world["levis"], soon())])
    make_event(
        title="Atelier passé", stops=[(world["levis"], timezone.now() - dt.timedelta(days=3))]
    )
    html = client.get(reverse("events:public-list")).content.decode()
    assert "Atelier : bien vivre en HLM" in html
    assert "Brouillon secret" not in html and "Atelier passé" not in html


def test_it_keeps_the_page_of_a_cancelled_event_and_says_so(client, workshop):
    workshop.status = EventStatus.CANCELLED
    services.event_save(user=None, event=workshop)
    response = client.get(_url(workshop))
    assert response.status_code == 200
    assert "Cet événement est annulé." in response.content.decode()
    assert 'name="email"' not in response.content.decode()
    assert _post(client, workshop).status_code == 409
    assert not Registration.objects.exists()


# --------------------------------------------------------------------------- seats


def test_it_registers_without_an_account_and_takes_a_seat(client, workshop):
    response = _post(client, workshop)
    assert response.status_code == 302
    assert response["Location"] == _thanks(workshop)
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert (registration.name, registration.organization) == ("Marie Tremblay", "OMH de Lévis")
    assert registration.is_tenant is True
    assert registration.accessibility_needs == "Accès en fauteuil roulant"
    assert registration.stop == workshop.stops.get()
    assert registration.language == "fr"
    entry = AuditEntry.objects.get(action="events.registration.create")
    assert entry.data["registration"] == str(registration.public_id)
    assert "marie@example.org" not in str(entry.data)


def test_it_puts_people_on_the_waiting_list_once_the_seats_are_taken(client, workshop):
    for i in range(5):
        assert (
            _post(client, workshop, email=f"p{i}@example.org", name=f"Personne {i}").status_code
            == 302
        )
    statuses = list(
        Registration.objects.order_by("created_at", "id").values_list("status", flat=True)
    )
    assert statuses == ["confirmed"] * 3 + ["waitlisted"] * 2
    html = client.get(_url(workshop)).content.decode()
    assert "Complet : les nouvelles inscriptions vont sur la liste d'attente." in html


def test_it_lets_an_event_without_capacity_take_everyone(client, world):
    event = make_event(stops=[(world["levis"], soon())])
    for i in range(4):
        _post(client, event, email=f"p{i}@example.org")
    assert Registration.objects.filter(status="confirmed").count() == 4


def test_it_is_idempotent_for_the_same_email(client, workshop):
    _post(client, workshop)
    _post(
        client,
        workshop,
        email="  MARIE@Example.org ",
        name="Quelqu'un d'autre",
        phone="418 555-0111",
    )
    registration = Registration.objects.get()
    # Nothing a stranger typed overwrote the first registration.
    assert registration.name == "Marie Tremblay"
    assert registration.phone == ""
    assert Registration.objects.filter(status="confirmed").count() == 1


def test_it_is_idempotent_for_the_same_phone_without_email(client, workshop):
    _post(client, workshop, email="", phone="418 555-0123")
    _post(client, workshop, email="", phone="1-418-555-0123")
    assert Registration.objects.count() == 1


def test_it_lets_someone_register_again_after_cancelling(client, workshop):
    first, _ = register(workshop)
    services.registration_cancel(registration=first)
    _post(client, workshop)
    assert Registration.objects.filter(status="confirmed").count() == 1
    assert Registration.objects.filter(status="cancelled").count() == 1


def _normalized(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_it_never_tells_whether_an_email_is_already_registered(client, world):
    event = make_event(capacity=1, stops=[(world["levis"], soon())])
    outcomes = {
        "new, seat": _post(client, event, email="a@example.org"),
        "already registered": _post(client, event, email="a@example.org"),
        "new, waiting list": _post(client, event, email="b@example.org"),
        "already on the waiting list": _post(client, event, email="b@example.org"),
        "robot": _post(client, event, email="c@example.org", website="http://spam.example"),
    }
    locations = {label: (r.status_code, r["Location"]) for label, r in outcomes.items()}
    assert set(locations.values()) == {(302, _thanks(event))}, locations
    pages = {_normalized(client.get(_thanks(event))) for _ in range(2)}
    assert len(pages) == 1
    assert "liste d'attente" in next(iter(pages))  # the one page covers both outcomes


# --------------------------------------------------------------------------- abuse


def test_it_ignores_robots_that_fill_in_the_honeypot(client, workshop):
    response = _post(client, workshop, website="https://casino.example")
    assert response.status_code == 302
    assert response["Location"] == _thanks(workshop)
    assert not Registration.objects.exists()


def test_it_limits_registrations_per_address(client, workshop, settings):
    settings.TREMPLIN_REGISTRATION_RATE_LIMIT = 3
    for i in range(3):
        assert _post(client, workshop, email=f"p{i}@example.org").status_code == 302
    response = _post(client, workshop, email="p4@example.org", name="Quatrième Personne")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Trop de demandes d'inscription viennent de votre connexion." in html
    assert 'value="Quatrième Personne"' in html  # what was typed is kept
    assert Registration.objects.count() == 3
    # Another address is not affected.
    other = Client(REMOTE_ADDR="192.0.2.44")
    assert _post(other, workshop, email="p5@example.org").status_code == 302
    assert Registration.objects.count() == 4


def test_it_requires_the_csrf_token(workshop):
    strict = Client(enforce_csrf_checks=True)
    assert _post(strict, workshop).status_code == 403
    assert not Registration.objects.exists()
    page = strict.get(_url(workshop))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    response = strict.post(_url(workshop), {**VALID, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Registration.objects.count() == 1


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"email": "", "phone": ""}, "Indiquez un courriel ou un numéro de téléphone."),
        ({"email": "marie@"}, "Saisissez une adresse de courriel valide."),
        ({"email": "", "phone": "555-01"}, "Entrez un numéro de téléphone à 10 chiffres"),
        (
            {"email": "", "phone": "418 555 0123 4567"},
            "Entrez un numéro de téléphone à 10 chiffres",
        ),
        ({"name": ""}, "Ce champ est obligatoire."),
        ({"name": "12345"}, "Entrez votre nom."),
        ({"name": "Gagnez http://spam.example"}, "Les adresses web et les signes < > ne sont pas"),
        ({"name": "<script>alert(1)</script>"}, "Les adresses web et les signes < > ne sont pas"),
        ({"organization": "OMH\x1b[31m"}, "Ce champ contient des caractères non permis."),
        ({"name": "M" * 121}, "Assurez-vous que cette valeur comporte au plus 120 caractères"),
        ({"accessibility_needs": "x" * 1001}, "au plus 1000 caractères"),
    ],
)
def test_it_refuses_bad_input_with_a_clear_french_message(client, workshop, changes, message):
    response = _post(client, workshop, **changes)
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert "L'inscription n'a pas été enregistrée : corrigez les champs signalés." in html
    assert message in html
    assert not Registration.objects.exists()


def test_it_accepts_a_phone_with_an_extension(client, workshop):
    assert _post(client, workshop, email="", phone="(418) 555-0123 poste 22").status_code == 302
    assert Registration.objects.get().contact_key == "tel:4185550123"


def test_it_closes_online_registration_when_asked_or_once_the_event_began(client, world):
    closed = make_event(registration_open=False, stops=[(world["levis"], soon())])
    response = client.get(_url(closed))
    assert "Les inscriptions en ligne sont fermées" in response.content.decode()
    assert _post(client, closed).status_code == 409
    started = make_event(stops=[(world["levis"], timezone.now() - dt.timedelta(minutes=5))])
    assert _post(client, started).status_code == 409
    assert not Registration.objects.exists()


def test_it_asks_which_stop_of_a_tour_and_offers_only_stops_to_come(client, world):
    tour = make_event(
        kind="tour",
        stops=[
            (world["levis"], timezone.now() - dt.timedelta(days=1)),
            (world["st_anselme"], soon(10)),
            (world["st_georges"], soon(11)),
        ],
    )
    past, anselme, georges = tour.stops.order_by("starts_at")
    html = client.get(_url(tour)).content.decode()
    assert "À quelle étape venez-vous?" in html
    assert f'value="{anselme.pk}"' in html and f'value="{georges.pk}"' in html
    assert f'value="{past.pk}"' not in html
    assert _post(client, tour).status_code == 400  # no stop chosen
    assert _post(client, tour, stop=str(past.pk)).status_code == 400
    assert _post(client, tour, stop=str(georges.pk)).status_code == 302
    assert Registration.objects.get().stop == georges


# --------------------------------------------------------------------------- cancellation


def _cancel_url(registration):
    return reverse("events:public-cancel", args=[make_cancel_token(registration)])


def test_it_cancels_by_the_link_and_gives_the_seat_to_the_waiting_list(client, world):
    event = make_event(capacity=2, stops=[(world["levis"], soon())])
    first, _ = register(event, email="a@example.org")
    register(event, email="b@example.org")
    third, _ = register(event, email="c@example.org")
    fourth, _ = register(event, email="d@example.org")
    assert (third.status, fourth.status) == ("waitlisted", "waitlisted")

    page = client.get(_cancel_url(first))
    assert page.status_code == 200
    assert "Voulez-vous vraiment annuler votre inscription?" in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    first.refresh_from_db()
    assert first.status == "confirmed"  # opening the link (a mail scanner) cancels nothing

    response = client.post(_cancel_url(first))
    assert "Votre inscription est annulée." in response.content.decode()
    first.refresh_from_db()
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert first.status == "cancelled"
    assert third.status == "confirmed" and third.promoted_at is not None  # first come, first served
    assert fourth.status == "waitlisted"

    again = client.post(_cancel_url(first))
    assert "Cette inscription est déjà annulée." in again.content.decode()
    fourth.refresh_from_db()
    assert fourth.status == "waitlisted"  # cancelling twice frees no second seat


def test_it_refuses_a_forged_or_altered_cancellation_link(client, workshop):
    registration, _ = register(workshop)
    token = make_cancel_token(registration)
    for bad in (token[:-2] + "xx", "abc", str(registration.public_id)):
        response = client.post(reverse("events:public-cancel", args=[bad]))
        assert response.status_code == 404
        assert "Lien d'annulation non valide" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_it_promotes_the_waiting_list_when_the_capacity_grows(world):
    event = make_event(capacity=1, stops=[(world["levis"], soon())])
    register(event, email="a@example.org")
    waiting, _ = register(event, email="b@example.org")
    event.capacity = 2
    services.event_save(user=None, event=event)
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


# --------------------------------------------------------------------------- e-mail over SMTP


def test_it_emails_the_confirmation_with_a_working_cancellation_link(
    client, world, smtp_server, django_capture_on_commit_callbacks
):
    event = make_event(
        capacity=1, stops=[(world["levis"], soon(20))], public_contact="418 555-0199"
    )
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, event, email="marie@example.org")
        _post(client, event, email="luc@example.org", name="Luc Poulin")
    first, second = smtp_server.wait_for(2)
    assert first.rcpt_tos == ["marie@example.org"]
    assert first.subject == "Inscription confirmée : Atelier : bien vivre en HLM"
    assert "Bonjour Marie Tremblay," in first.text
    assert "Votre place est confirmée" in first.text
    assert "Salle communautaire, 25, rue Saint-Louis, Lévis" in first.text
    assert second.subject == "Liste d'attente : Atelier : bien vivre en HLM"
    assert "au rang 1" in second.text
    # The cancellation link from the e-mail works; the wait-listed person gets the seat and
    # hears about it.
    link = re.search(r"http://testserver(/evenements/annulation/[^\s]+/)", first.text)[1]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link)
    assert response.status_code == 200
    promoted = smtp_server.wait_for(3)[2]
    assert promoted.rcpt_tos == ["luc@example.org"]
    assert promoted.subject == "Une place s'est libérée : Atelier : bien vivre en HLM"
    assert Registration.objects.get(email="luc@example.org").status == "confirmed"


def test_it_resends_the_confirmation_to_the_address_at_most_every_ten_minutes(
    client, workshop, smtp_server, django_capture_on_commit_callbacks
):
    for _ in range(2):  # two requests, each committed (and mailed) before the next
        with django_capture_on_commit_callbacks(execute=True):
            _post(client, workshop)
    assert len(smtp_server.wait_for(1)) == 1
    Registration.objects.update(confirmation_sent_at=timezone.now() - dt.timedelta(minutes=11))
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, workshop)
    assert len(smtp_server.wait_for(2)) == 2
    assert Registration.objects.count() == 1


def test_it_emails_in_the_language_of_the_registrant(
    client, workshop, smtp_server, django_capture_on_commit_callbacks
):
    client.cookies["django_language"] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, workshop)
    [message] = smtp_server.wait_for(1)
    # Rendered under the registrant's language (the English catalogue supplies the words).
    assert Registration.objects.get().language == "en"
    assert message.rcpt_tos == ["marie@example.org"]


def test_it_keeps_the_registration_when_the_mail_server_is_down(
    client, workshop, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, workshop)
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.confirmation_sent_at is None  # the staff can see it was not sent


def test_it_tells_registrants_when_the_event_is_cancelled(
    workshop, smtp_server, django_capture_on_commit_callbacks
):
    register(workshop, email="a@example.org")
    register(workshop, email="", phone="418 555-0100", name="Sans Courriel")
    cancelled, _ = register(workshop, email="c@example.org")
    services.registration_cancel(registration=cancelled)
    workshop.status = EventStatus.CANCELLED
    with django_capture_on_commit_callbacks(execute=True):
        services.event_save(user=None, event=workshop)
    [message] = smtp_server.wait_for(1)
    assert message.rcpt_tos == ["a@example.org"]
    assert message.subject == "Événement annulé : Atelier : bien vivre en HLM"
