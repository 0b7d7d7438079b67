"""Subscribing from the public site: double opt-in with proof of consent, and the abuse rules
(CSRF, rate limits, honeypot, no disclosure of who is subscribed)."""

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tremplin.newsletter import tokens
from tremplin.newsletter.models import (
    ConsentMethod,
    Subscriber,
    SubscriberStatus,
)

from .conftest import make_subscribers

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_tasks")]

SUBSCRIBE = reverse("newsletter:subscribe")
THANKS = reverse("newsletter:subscribe-thanks")


def _form(email, **extra):
    return {"email": email, "language": "fr", "consent": "on", "website": "", **extra}


def _link(message, name):
    prefix = reverse(name, args=["TOKEN"]).split("TOKEN")[0]
    match = re.search(r"https?://\S+" + re.escape(prefix) + r"\S+/", message.body)
    return urlsplit(match[0]).path


def test_it_subscribes_only_after_the_address_confirms_and_keeps_the_proof_of_consent(client):
    response = client.post(SUBSCRIBE, _form("Marie.Tremblay@Example.org"))
    assert response.status_code == 302 and response["Location"] == THANKS

    subscriber = Subscriber.objects.get()
    assert subscriber.email == "marie.tremblay@example.org"
    assert subscriber.status == SubscriberStatus.PENDING and subscriber.consent_at is None
    [message] = mail.outbox
    assert message.to == ["marie.tremblay@example.org"]
    assert "Confirmez votre abonnement" in message.subject
    confirm = _link(message, "newsletter:confirm")

    # Following the link shows a button; link checkers (GET) confirm nothing.
    page = client.get(confirm)
    assert page.status_code == 200 and "m•••@example.org" in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PENDING

    before = timezone.now()
    assert client.post(confirm).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.CONFIRMED
    assert before <= subscriber.consent_at == subscriber.confirmed_at <= timezone.now()
    assert subscriber.consent_method == ConsentMethod.WEB_FORM
    assert subscriber.consent_source == "Formulaire d'abonnement du site web"
    assert "Je peux me désabonner en tout temps" in subscriber.consent_text
    # The link may be followed again: it says so, nothing changes.
    assert "déjà confirmé" in client.get(confirm).content.decode()


def test_it_answers_the_same_whatever_the_address_and_tells_only_its_owner(client):
    confirmed = make_subscribers(1, prefix="abonne")[0]
    pending = make_subscribers(1, status=SubscriberStatus.PENDING, prefix="attente")[0]
    gone = make_subscribers(1, status=SubscriberStatus.UNSUBSCRIBED, prefix="parti")[0]
    pages = []
    for email in ("nouveau@example.org", confirmed.email, pending.email, gone.email):
        response = client.post(SUBSCRIBE, _form(email), follow=True)
        html = response.content.decode()
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
        pages.append((response.status_code, response.redirect_chain, html))
    assert all(page == pages[0] for page in pages)

    sent = {m.to[0]: m for m in mail.outbox}
    assert set(sent) == {"nouveau@example.org", confirmed.email, pending.email, gone.email}
    assert "déjà abonné" in sent[confirmed.email].subject
    assert "Confirmez" in sent[gone.email].subject and "Confirmez" in sent[pending.email].subject
    confirmed.refresh_from_db()
    gone.refresh_from_db()
    assert confirmed.status == SubscriberStatus.CONFIRMED
    # Someone who had left must confirm again before receiving anything.
    assert gone.status == SubscriberStatus.PENDING


def test_it_silently_ignores_robots_that_fill_in_the_hidden_field(client):
    response = client.post(SUBSCRIBE, _form("robot@example.org", website="http://spam.example"))
    assert response.status_code == 302 and response["Location"] == THANKS
    assert not Subscriber.objects.exists() and mail.outbox == []


def test_it_refuses_a_form_without_its_csrf_token():
    client = Client(enforce_csrf_checks=True)
    assert client.post(SUBSCRIBE, _form("quelqu.un@example.org")).status_code == 403
    assert not Subscriber.objects.exists()


def test_it_explains_what_is_wrong_in_french(client):
    response = client.post(SUBSCRIBE, {"email": "pas-une-adresse", "language": "fr"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Saisissez une adresse" in html or "adresse électronique valide" in html
    assert "Cochez la case pour donner votre consentement." in html
    assert not Subscriber.objects.exists()


def test_it_limits_requests_per_client_address(client, settings):
    settings.TREMPLIN_SUBSCRIBE_RATE_LIMIT = 3
    for i in range(3):
        assert client.post(SUBSCRIBE, _form(f"p{i}@example.org")).status_code == 302
    response = client.post(SUBSCRIBE, _form("p9@example.org"))
    assert response.status_code == 429
    assert "Réessayez dans une heure" in response.content.decode()
    assert Subscriber.objects.count() == 3
    # Another address is not held back.
    other = client.post(SUBSCRIBE, _form("p8@example.org"), REMOTE_ADDR="10.9.9.9")
    assert other.status_code == 302


def test_it_limits_confirmation_emails_per_mailbox_without_saying_so(client, settings):
    settings.TREMPLIN_SUBSCRIBE_EMAIL_LIMIT = 2
    for i in range(4):
        response = client.post(SUBSCRIBE, _form("cible@example.org"), REMOTE_ADDR=f"10.0.0.{i + 1}")
        assert response.status_code == 302 and response["Location"] == THANKS
    assert len(mail.outbox) == 2


def test_it_accepts_only_the_latest_unexpired_confirmation_link(client, monkeypatch):
    client.post(SUBSCRIBE, _form("deux.fois@example.org"))
    first = _link(mail.outbox[0], "newsletter:confirm")
    client.post(SUBSCRIBE, _form("deux.fois@example.org"), REMOTE_ADDR="10.0.0.2")
    second = _link(mail.outbox[1], "newsletter:confirm")
    assert first != second
    response = client.get(first)
    assert response.status_code == 404 and "Lien non valide" in response.content.decode()

    # Seven days later the latest one has expired too.
    real_loads = signing.loads
    monkeypatch.setattr(
        signing,
        "loads",
        lambda value, **kw: (
            real_loads(value, **{**kw, "max_age": -1})
            if kw.get("salt") == tokens.CONFIRM_SALT
            else real_loads(value, **kw)
        ),
    )
    assert client.post(second).status_code == 404
    assert Subscriber.objects.get().status == SubscriberStatus.PENDING


def test_it_unsubscribes_only_on_post_and_refuses_forged_links(client):
    subscriber = make_subscribers(1)[0]
    url = reverse("newsletter:unsubscribe", args=[tokens.unsubscribe_token(subscriber)])
    assert client.get(url).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.CONFIRMED
    assert client.post(url).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED
    assert subscriber.unsubscribe_method == "link"

    forged = reverse(
        "newsletter:unsubscribe", args=[f"{make_subscribers(1, prefix='x')[0].public_id}:forged"]
    )
    response = client.post(forged)
    assert response.status_code == 404
    assert Subscriber.objects.get(email="x000@example.org").status == SubscriberStatus.CONFIRMED


def test_it_shows_the_test_link_of_a_test_send_as_harmless(client):
    url = reverse("newsletter:unsubscribe", args=[tokens.test_unsubscribe_token()])
    response = client.post(url)
    assert response.status_code == 200 and "envoi d'essai" in response.content.decode()


def test_it_purges_sign_ups_never_confirmed_after_thirty_days():
    from django.core.management import call_command

    old = timezone.now() - dt.timedelta(days=31)
    stale = make_subscribers(1, status=SubscriberStatus.PENDING, prefix="vieux")[0]
    recent = make_subscribers(1, status=SubscriberStatus.PENDING, prefix="recent")[0]
    returning = make_subscribers(1, status=SubscriberStatus.PENDING, prefix="retour")[0]
    confirmed = make_subscribers(1, prefix="fidele")[0]
    Subscriber.objects.filter(pk__in=[stale.pk, returning.pk, confirmed.pk]).update(
        requested_at=old
    )
    Subscriber.objects.filter(pk=returning.pk).update(consent_at=old)

    call_command("newsletter", "purge-pending", "--dry-run")
    assert Subscriber.objects.count() == 4
    call_command("newsletter", "purge-pending")

    assert not Subscriber.objects.filter(pk=stale.pk).exists()
    assert Subscriber.objects.get(pk=recent.pk).status == SubscriberStatus.PENDING
    assert Subscriber.objects.get(pk=returning.pk).status == SubscriberStatus.UNSUBSCRIBED
    assert Subscriber.objects.get(pk=confirmed.pk).status == SubscriberStatus.CONFIRMED
