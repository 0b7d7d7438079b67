"""The profile page's sessions: each user sees their open sessions and ends them; a password
change ends the others; the page's queries do not grow with the number of sessions."""

import re

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tremplin.accounts.models import UserSession
from tremplin.accounts.user_sessions import TOUCH_SECONDS, TRACKING_KEY, describe_user_agent
from tremplin.audit.models import AuditEntry
from tremplin.conftest import PASSWORD

LOGIN = reverse("accounts:login")
PROFILE = reverse("accounts:profile")
END_OTHERS = reverse("accounts:sessions-end-others")
FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def _form_login(user, user_agent="", ip="10.0.0.7"):
    """A new browser signing in through the login form (no second factor for these roles)."""
    client = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=ip)
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:300]
    return client


def _rows(client):
    """The rows of the session table on the profile page."""
    html = client.get(PROFILE).content.decode()
    section = html[html.index('id="sessions"') :]
    body = section[section.index("<tbody>") : section.index("</tbody>")]
    return re.findall(r"<tr>(.*?)</tr>", body, re.S)


def _signed_in(client) -> bool:
    return client.get(PROFILE).status_code == 200


def _end_url(client):
    row = UserSession.objects.get(session_key=client.session.session_key)
    return reverse("accounts:session-end", args=[row.public_id])


# First in the module and with ``db``: when the test database is created while the module's
# personas are built, their passwords are hashed with Argon2, not the tests' MD5, and the login
# form refuses them (a fixture-order problem of the test harness, reported).
def test_it_describes_devices_from_their_user_agent(db):
    assert describe_user_agent(FIREFOX_WINDOWS) == "Firefox sur Windows"
    assert describe_user_agent(SAFARI_IPHONE) == "Safari sur iOS"
    edge = (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0"
    )
    assert describe_user_agent(edge) == "Edge sur Windows"
    android = (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0.0.0 Mobile Safari/537.36"
    )
    assert describe_user_agent(android) == "Chrome sur Android"
    assert describe_user_agent("") == "Appareil inconnu"


def test_it_lists_every_session_of_the_user_and_marks_this_one(personas, login):
    organizer = personas["organizer_a"]
    here = login(organizer)
    _form_login(organizer, FIREFOX_WINDOWS, "10.0.0.7")
    _form_login(personas["organizer_b"], SAFARI_IPHONE, "10.9.9.9")  # someone else

    rows = _rows(here)
    assert len(rows) == 2
    current = [row for row in rows if "cette session" in row]
    other = [row for row in rows if "cette session" not in row]
    assert len(current) == 1 and "session-end" not in current[0]
    assert "Firefox sur Windows" in other[0] and "10.0.0.7" in other[0]
    assert "/terminer/" in other[0]
    assert "10.9.9.9" not in "".join(rows)
    # The session key never reaches the page.
    assert here.session.session_key not in here.get(PROFILE).content.decode()


def test_it_ends_another_session_which_is_signed_out_at_its_next_request(personas, login):
    organizer = personas["organizer_a"]
    here = login(organizer)
    other = _form_login(organizer, FIREFOX_WINDOWS)
    other_key = other.session.session_key
    row = UserSession.objects.get(session_key=other_key)

    response = here.post(reverse("accounts:session-end", args=[row.public_id]))
    assert response.status_code == 302
    response = other.get(PROFILE)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert not Session.objects.filter(session_key=other_key).exists()
    assert not UserSession.objects.filter(pk=row.pk).exists()
    assert _signed_in(here) and len(_rows(here)) == 1
    entry = AuditEntry.objects.get(action="accounts.session.end")
    assert entry.user == organizer and entry.data["session"] == str(row.public_id)
    assert other_key not in str(entry.data)


def test_it_ends_every_other_session_and_keeps_this_one(personas, login):
    organizer = personas["organizer_a"]
    here = login(organizer)
    others = [_form_login(organizer, FIREFOX_WINDOWS), _form_login(organizer, SAFARI_IPHONE)]
    bystander = _form_login(personas["organizer_b"])

    response = here.post(END_OTHERS, follow=True)
    assert response.redirect_chain == [(PROFILE + "#sessions", 302)]
    assert "2 autres sessions terminées" in response.content.decode()
    assert [_signed_in(client) for client in others] == [False, False]
    assert _signed_in(here) and _signed_in(bystander)
    assert AuditEntry.objects.filter(action="accounts.session.end", user=organizer).count() == 2


def test_it_answers_404_for_the_session_of_another_user(personas, login):
    theirs = _form_login(personas["organizer_b"])
    url = _end_url(theirs)
    for role in ["organizer_a", "coordination", "no_role"]:
        assert login(personas[role]).post(url).status_code == 404, role
    assert _signed_in(theirs)
    assert not AuditEntry.objects.filter(action="accounts.session.end").exists()
    anonymous = Client()
    response = anonymous.post(url)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert login(personas["organizer_a"]).get(url).status_code == 405  # POST only


def test_it_signs_out_when_ending_this_session(personas, login):
    here = login(personas["partner"])
    response = here.post(_end_url(here))
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert not _signed_in(here)
    assert not UserSession.objects.filter(user=personas["partner"]).exists()


def test_it_forgets_a_session_at_sign_out_and_sessions_that_expired(personas, login):
    organizer = personas["organizer_a"]
    first = _form_login(organizer)
    assert first.post(reverse("accounts:logout")).status_code == 302
    assert not UserSession.objects.filter(user=organizer).exists()

    expired = _form_login(organizer)
    Session.objects.filter(session_key=expired.session.session_key).delete()
    here = login(organizer)
    assert list(
        UserSession.objects.filter(user=organizer).values_list("session_key", flat=True)
    ) == [here.session.session_key]


def test_it_follows_the_session_key_through_the_second_factor(personas, client):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tremplin.accounts.two_factor import current_code

    worker = personas["worker_a"]
    device = TOTPDevice.objects.create(user=worker, name="Téléphone", confirmed=True)
    client.post(LOGIN, {"username": worker.username, "password": PASSWORD})
    before = client.session.session_key
    client.post(reverse("accounts:two-factor"), {"code": current_code(device)})
    after = client.session.session_key
    assert after != before
    assert UserSession.objects.get(user=worker).session_key == after
    rows = _rows(client)
    assert len(rows) == 1 and "cette session" in rows[0]


def test_it_keeps_the_profile_queries_constant_in_the_number_of_sessions(personas, login):
    organizer = personas["organizer_a"]
    here = login(organizer)
    _form_login(organizer)
    here.get(PROFILE)
    with CaptureQueriesContext(connection) as few:
        assert len(_rows(here)) == 2
    for _ in range(4):
        _form_login(organizer)
    with CaptureQueriesContext(connection) as many:
        assert len(_rows(here)) == 6
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


# --------------------------------------------------------------------------- the middleware


@pytest.fixture
def tracked(settings):
    """``UserSessionMiddleware`` in the stack, after authentication and django-otp."""
    middleware = "tremplin.accounts.middleware.UserSessionMiddleware"
    if middleware not in settings.MIDDLEWARE:
        stack = list(settings.MIDDLEWARE)
        stack.insert(stack.index("django_otp.middleware.OTPMiddleware") + 1, middleware)
        settings.MIDDLEWARE = stack


def _age_tracking(client, seconds):
    session = client.session
    tracking = session[TRACKING_KEY]
    tracking["seen"] -= seconds
    session[TRACKING_KEY] = tracking
    session.save()
    row = UserSession.objects.get(pk=tracking["id"])
    return row.last_seen_at


def test_it_refreshes_the_last_activity_at_most_once_a_minute(tracked, personas, login):
    here = login(personas["organizer_a"])
    seen = _age_tracking(here, TOUCH_SECONDS - 10)
    here.get(PROFILE)
    row = UserSession.objects.get(session_key=here.session.session_key)
    assert row.last_seen_at == seen

    seen = _age_tracking(here, 20)  # now more than a minute ago
    here.get(PROFILE)
    row.refresh_from_db()
    assert row.last_seen_at > seen


def test_it_records_a_session_signed_in_before_sessions_were_recorded(tracked, personas, login):
    here = login(personas["organizer_a"])
    UserSession.objects.all().delete()
    session = here.session
    del session[TRACKING_KEY]
    session.save()
    here.get(PROFILE)
    assert UserSession.objects.get(user=personas["organizer_a"]).session_key == (
        here.session.session_key
    )


# --------------------------------------------------------------------------- password


def _change(client, old, new):
    return client.post(
        reverse("accounts:password-change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


def test_it_refuses_a_wrong_old_password_in_french_and_keeps_the_sessions(personas, login):
    organizer = personas["organizer_a"]
    here = login(organizer)
    other = _form_login(organizer)
    response = _change(here, "pas-le-bon-mot-de-passe", "un-nouveau-secret-2026")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Votre ancien mot de passe est incorrect" in html
    response = _change(here, PASSWORD, "1234567")
    assert "Ce mot de passe est trop court" in response.content.decode()
    organizer.refresh_from_db()
    assert organizer.check_password(PASSWORD)
    assert _signed_in(other) and _signed_in(here)


def test_it_ends_the_other_sessions_after_a_password_change_and_keeps_this_one(personas, login):
    organizer = personas["organizer_a"]
    here = login(organizer)
    other = _form_login(organizer)
    other_key = other.session.session_key
    response = _change(here, PASSWORD, "un-nouveau-secret-2026")
    assert response.status_code == 302
    # Ended at once, not only at their next request (the session's row and data are gone).
    assert not Session.objects.filter(session_key=other_key).exists()
    assert list(
        UserSession.objects.filter(user=organizer).values_list("session_key", flat=True)
    ) == [here.session.session_key]
    assert _signed_in(here) and not _signed_in(other)
    assert AuditEntry.objects.filter(action="accounts.password.change", user=organizer).exists()
    entry = AuditEntry.objects.get(action="accounts.session.end")
    assert entry.data["reason"] == "password"


def test_it_ends_every_session_after_a_password_reset_by_email(personas, login):
    from django.core import mail

    organizer = personas["organizer_a"]
    signed_in = login(organizer)
    key = signed_in.session.session_key
    browser = Client()
    browser.post(reverse("accounts:password-reset"), {"email": organizer.email})
    link = re.search(r"http://testserver(/\S+)", mail.outbox[0].body).group(1)
    form_url = browser.get(link).url
    new = "nouveau-secret-42!"
    response = browser.post(form_url, {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    assert not UserSession.objects.filter(user=organizer).exists()
    entry = AuditEntry.objects.get(action="accounts.session.end")
    assert entry.user == organizer and entry.data["reason"] == "password_reset"
