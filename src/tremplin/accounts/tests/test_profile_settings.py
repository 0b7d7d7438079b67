"""The profile page's settings: the language chosen once for every session, and changing the
authenticator app (the old one stays until the new one gave a code)."""

import django_otp
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from django_otp.plugins.otp_totp.models import TOTPDevice

from tremplin.accounts.models import UserPreference
from tremplin.accounts.two_factor import current_code
from tremplin.audit.models import AuditEntry
from tremplin.conftest import PASSWORD

LOGIN = reverse("accounts:login")
PROFILE = reverse("accounts:profile")
LANGUAGE = reverse("accounts:language")
CHANGE = reverse("accounts:two-factor-change")
CHANGE_NEW = reverse("accounts:two-factor-change-new")
VERIFY = reverse("accounts:two-factor")


def test_it_needs_the_database_first(db):
    """First in the module, with ``db`` (see test_profile_sessions: the harness hashes the
    personas' passwords with Argon2 when the test database is created while building them)."""


def _html_lang(client, url=PROFILE) -> str:
    html = client.get(url).content.decode()
    return html[html.index('<html lang="') + 12 :].split('"')[0]


def _form_login(user):
    client = Client()
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:300]
    return client, response


# --------------------------------------------------------------------------- language


def test_it_applies_the_language_chosen_in_one_session_to_a_new_session(personas, login):
    organizer = personas["organizer_a"]
    session_a = login(organizer)
    assert _html_lang(session_a) == "fr-CA"
    response = session_a.post(LANGUAGE, {"language": "en"}, follow=True)
    assert response.redirect_chain[-1][0] == PROFILE + "#langue"
    assert "Language saved" in response.content.decode()
    assert UserPreference.objects.get(user=organizer).language == "en"
    assert _html_lang(session_a) == "en-CA"

    # A fresh browser, without any language cookie: English from the sign-in on.
    session_b, response = _form_login(organizer)
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert _html_lang(session_b) == "en-CA"
    # Someone else on a fresh browser still gets French.
    other, _response = _form_login(personas["organizer_b"])
    assert _html_lang(other) == "fr-CA"


def test_it_wins_over_a_language_cookie_and_reaches_sessions_already_open(personas, login):
    organizer = personas["organizer_a"]
    open_elsewhere, _response = _form_login(organizer)
    here = login(organizer)
    here.post(LANGUAGE, {"language": "en"})
    assert _html_lang(open_elsewhere) == "en-CA"

    # A browser whose cookie says French is switched to the stored English, cookie included.
    cookie_fr = Client()
    cookie_fr.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = cookie_fr.post(LOGIN, {"username": organizer.username, "password": PASSWORD})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert _html_lang(cookie_fr) == "en-CA"


def test_it_keeps_the_language_switch_of_a_signed_in_user_as_their_choice(personas, login):
    organizer = personas["organizer_a"]
    here = login(organizer)
    here.post(reverse("set_language"), {"language": "en", "next": PROFILE})
    assert UserPreference.objects.get(user=organizer).language == "en"
    assert _html_lang(here) == "en-CA"
    here.post(reverse("set_language"), {"language": "fr", "next": PROFILE})
    assert _html_lang(here) == "fr-CA"
    later, _response = _form_login(organizer)
    assert _html_lang(later) == "fr-CA"
    assert AuditEntry.objects.filter(action="accounts.language.set", user=organizer).count() == 2


def test_it_refuses_an_unknown_language_with_a_french_message(personas, login):
    here = login(personas["partner"])
    response = here.post(LANGUAGE, {"language": "de"})
    assert response.status_code == 400
    assert "Choisissez le français ou l&#x27;anglais." in response.content.decode()
    assert not UserPreference.objects.exists()
    assert here.post(LANGUAGE, {}).status_code == 400
    assert Client().post(LANGUAGE, {"language": "en"}).status_code == 302  # to the login page


# --------------------------------------------------------------------------- authenticator


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def _signed_in_worker(personas, login):
    worker = personas["worker_a"]
    old = TOTPDevice.objects.create(user=worker, name="Ancien téléphone", confirmed=True)
    return worker, old, login(worker)


def test_it_refuses_a_wrong_current_code_and_keeps_the_old_device(personas, login, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    worker, old, client = _signed_in_worker(personas, login)
    response = client.post(CHANGE, {"code": _wrong(current_code(old))})
    assert response.status_code == 200
    assert escape("Ce code n'est pas le bon") in response.content.decode()
    # Without the current code, no new app can be paired.
    response = client.get(CHANGE_NEW)
    assert response.status_code == 302 and response["Location"] == CHANGE
    assert list(TOTPDevice.objects.filter(user=worker).values_list("pk", "confirmed")) == [
        (old.pk, True)
    ]


def test_it_refuses_a_wrong_code_of_the_new_app_and_keeps_the_old_device(personas, login, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    worker, old, client = _signed_in_worker(personas, login)
    assert client.post(CHANGE, {"code": current_code(old)})["Location"] == CHANGE_NEW
    html = client.get(CHANGE_NEW).content.decode()
    new = TOTPDevice.objects.get(user=worker, confirmed=False)
    assert 'class="qr-code"' in html
    response = client.post(CHANGE_NEW, {"code": _wrong(current_code(new))})
    assert escape("Ce code n'est pas le bon") in response.content.decode()
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.confirmed and not new.confirmed
    assert not AuditEntry.objects.filter(action="accounts.two_factor.change").exists()
    # The old app still signs in.
    again = Client()
    again.post(LOGIN, {"username": worker.username, "password": PASSWORD})
    response = again.post(VERIFY, {"code": current_code(old)})
    assert response.status_code == 302 and django_otp.DEVICE_ID_SESSION_KEY in again.session


def test_it_replaces_the_device_once_the_new_app_gave_a_code(personas, login):
    worker, old, client = _signed_in_worker(personas, login)
    elsewhere = login(worker, client=Client())
    client.post(CHANGE, {"code": current_code(old)})
    client.get(CHANGE_NEW)
    new = TOTPDevice.objects.get(user=worker, confirmed=False)
    response = client.post(CHANGE_NEW, {"code": current_code(new)})
    assert response.status_code == 302
    assert list(TOTPDevice.objects.filter(user=worker).values_list("pk", "confirmed")) == [
        (new.pk, True)
    ]
    # This session stays verified (with the new device); one verified with the old one asks
    # for a code again.
    assert client.get(PROFILE).status_code == 200
    response = elsewhere.get(PROFILE)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    entry = AuditEntry.objects.get(action="accounts.two_factor.change")
    assert entry.user == worker and entry.data == {"replaced": 1}
    # The pairing step is not open again without a new confirmation.
    assert client.get(CHANGE_NEW)["Location"] == CHANGE


def test_it_answers_404_on_the_change_pages_for_roles_without_a_second_factor(personas, login):
    for role in ["organizer_a", "partner", "researcher", "no_role"]:
        client = login(personas[role])
        assert client.get(CHANGE).status_code == 404, role
        assert client.get(CHANGE_NEW).status_code == 404, role
    response = Client().get(CHANGE)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
