"""Two-factor authentication (TOTP): set-up, the code step, rate limits, who is asked, reset by
the coordination, the demo's code command; and the protections that go with it (no-store on
personal pages, sessions that end after 30 idle minutes)."""

import datetime as dt
import re

import django_otp
import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django_otp.plugins.otp_totp.models import TOTPDevice

from tremplin.accounts.roles import Role
from tremplin.accounts.services import membership_set, two_factor_reset
from tremplin.accounts.two_factor import config_url, current_code, secret_for_display
from tremplin.audit.models import AuditEntry
from tremplin.conftest import PASSWORD

LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:two-factor")
SETUP = reverse("accounts:two-factor-setup")
HOME = reverse("core:home")
TWO_FACTOR_ROLES = ["coordination", "worker_a", "supervisor_a", "privacy_officer"]
OTHER_ROLES = ["organizer_a", "housing_manager", "partner", "researcher", "no_role"]


def _sign_in(client, user):
    """The password step, through the real login form; returns the redirect's URL."""
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


def _device(user, **fields):
    return TOTPDevice.objects.create(user=user, name="Téléphone", confirmed=True, **fields)


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def _is_verified(client) -> bool:
    return django_otp.DEVICE_ID_SESSION_KEY in client.session


# --------------------------------------------------------------------------- set-up


def test_it_sends_a_worker_to_the_set_up_page_after_the_password_the_first_time(client, personas):
    worker = personas["worker_a"]
    location = _sign_in(client, worker)
    assert location == f"{SETUP}?next=%2F"

    response = client.get(location)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Activer la double authentification" in html
    device = TOTPDevice.objects.get(user=worker)
    assert not device.confirmed
    # The QR code is drawn on the server as inline SVG, with an accessible name…
    assert re.search(r'<svg role="img"[^>]*class="qr-code"', html)
    assert "<title>Code QR à balayer" in html
    # … and the same secret is given as text to type in, with the otpauth:// link.
    assert secret_for_display(device) in html
    assert f'href="{escape(config_url(device))}"' in html
    assert config_url(device).startswith("otpauth://totp/Tremplin%3Aworker_a?secret=")
    # Reloading keeps the secret the person may already have scanned.
    client.get(location)
    assert TOTPDevice.objects.filter(user=worker).count() == 1

    response = client.post(SETUP, {"code": current_code(device), "next": "/repertoire/"})
    assert response.status_code == 302 and response["Location"] == "/repertoire/"
    device.refresh_from_db()
    assert device.confirmed and _is_verified(client)
    assert client.get(HOME).status_code == 200
    entry = AuditEntry.objects.get(action="accounts.two_factor.enrol")
    assert entry.username == "worker_a" and entry.object_id == str(worker.pk)


def test_it_refuses_a_wrong_code_at_set_up_with_a_clear_message(client, personas):
    worker = personas["worker_a"]
    client.get(_sign_in(client, worker))
    device = TOTPDevice.objects.get(user=worker)
    response = client.post(SETUP, {"code": _wrong(current_code(device))})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ce code n&#x27;est pas le bon" in html and "Il reste 4 essais" in html
    assert 'aria-invalid="true"' in html
    device.refresh_from_db()
    assert not device.confirmed and not _is_verified(client)
    response = client.post(SETUP, {"code": "12a456"})
    assert "exactement six chiffres" in response.content.decode()


def test_it_never_lets_a_password_alone_replace_a_confirmed_device(client, personas):
    worker = personas["worker_a"]
    device = _device(worker)
    assert _sign_in(client, worker) == f"{VERIFY}?next=%2F"
    response = client.get(SETUP)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert list(TOTPDevice.objects.filter(user=worker)) == [device]


# --------------------------------------------------------------------------- the code step


def test_it_asks_for_the_code_after_the_password_at_later_sign_ins(client, personas):
    supervisor = personas["supervisor_a"]
    device = _device(supervisor)
    location = _sign_in(client, supervisor)
    assert location == f"{VERIFY}?next=%2F"
    response = client.get(location)
    assert response.status_code == 200
    assert "Vérification en deux étapes" in response.content.decode()
    assert client.get(HOME).status_code == 302  # not yet

    response = client.post(VERIFY, {"code": current_code(device), "next": "/repertoire/"})
    assert response.status_code == 302 and response["Location"] == "/repertoire/"
    assert client.get(HOME).status_code == 200
    device.refresh_from_db()
    assert device.last_used_at is not None and device.throttling_failure_count == 0


def test_it_keeps_the_page_asked_for_before_signing_in(client, personas):
    device = _device(personas["privacy_officer"])
    response = client.post(
        f"{LOGIN}?next=/repertoire/",
        {"username": "privacy_officer", "password": PASSWORD, "next": "/repertoire/"},
    )
    assert response["Location"] == f"{VERIFY}?next=%2Frepertoire%2F"
    response = client.post(VERIFY, {"code": current_code(device), "next": "/repertoire/"})
    assert response["Location"] == "/repertoire/"


def test_it_never_sends_anyone_to_another_site_after_the_code(client, personas):
    device = _device(personas["worker_a"])
    _sign_in(client, personas["worker_a"])
    response = client.post(VERIFY, {"code": current_code(device), "next": "https://evil.example/"})
    assert response["Location"] == HOME


def test_it_refuses_a_wrong_code_in_french_and_a_code_used_twice(client, personas):
    worker = personas["worker_a"]
    device = _device(worker)
    _sign_in(client, worker)
    good = current_code(device)
    response = client.post(VERIFY, {"code": _wrong(good)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ce code n&#x27;est pas le bon" in html and "Il reste 4 essais" in html
    assert not _is_verified(client)

    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    assert client.post(VERIFY, {"code": good})["Location"] == HOME
    # Signed out and in again: the same code (seen by someone over a shoulder) is refused.
    client.post(reverse("accounts:logout"))
    _sign_in(client, worker)
    response = client.post(VERIFY, {"code": good})
    assert response.status_code == 200 and not _is_verified(client)


def test_it_makes_people_wait_between_attempts_after_a_failure(client, personas):
    """django-otp's back-off: 1, 2, 4… seconds between attempts after failures."""
    device = _device(personas["worker_a"])
    _sign_in(client, personas["worker_a"])
    client.post(VERIFY, {"code": _wrong(current_code(device))})
    response = client.post(VERIFY, {"code": current_code(device)})
    assert "attendez 1 seconde" in response.content.decode()
    assert not _is_verified(client)
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # the refused attempt was not even tried


def test_it_locks_the_code_step_after_five_wrong_codes(client, personas, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # without the back-off between attempts
    worker = personas["worker_a"]
    device = _device(worker)
    _sign_in(client, worker)
    wrong = _wrong(current_code(device))
    for left in (4, 3, 2, 1):
        response = client.post(VERIFY, {"code": wrong})
        assert f"Il reste {left} essai" in response.content.decode()
    response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 429
    assert "Trop de codes erronés" in response.content.decode()
    assert 'name="code"' not in response.content.decode()  # no form while locked
    entry = AuditEntry.objects.get(action="accounts.two_factor.lockout")
    assert entry.username == "worker_a" and entry.data == {"failures": 5}

    # Even the right code is refused during the lockout…
    response = client.post(VERIFY, {"code": current_code(device)})
    assert response.status_code == 429 and not _is_verified(client)
    assert client.get(VERIFY).status_code == 429
    # … and accepted once the hour has passed.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - dt.timedelta(minutes=61)
    )
    response = client.post(VERIFY, {"code": current_code(device)})
    assert response.status_code == 302 and _is_verified(client)


def test_it_locks_the_set_up_page_after_five_wrong_codes_too(client, personas, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    client.get(_sign_in(client, personas["worker_b"]))
    device = TOTPDevice.objects.get(user=personas["worker_b"])
    for _ in range(5):
        response = client.post(SETUP, {"code": _wrong(current_code(device))})
    assert response.status_code == 429
    response = client.post(SETUP, {"code": current_code(device)})
    assert response.status_code == 429
    device.refresh_from_db()
    assert not device.confirmed


# --------------------------------------------------------------------------- who is asked, where


PROTECTED_URLS = [
    HOME,
    reverse("housing:directory"),
    reverse("housing:directory") + "?q=levis",
    reverse("accounts:profile"),
    reverse("accounts:password-change"),
    reverse("projects:project-list"),
    reverse("partners:agreement-list"),
    "/suivis/",
    "/admin/",
    "/nulle-part/",
]


@pytest.mark.parametrize("persona", TWO_FACTOR_ROLES)
def test_it_sends_an_unverified_user_to_the_code_page_from_every_protected_url(
    personas, login, persona
):
    user = personas[persona]
    _device(user)
    client = login(user, two_factor=False)
    for url in PROTECTED_URLS:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{VERIFY}?next="), url
    response = client.get(reverse("housing:directory") + "?q=levis")
    assert response["Location"] == f"{VERIFY}?next=%2Frepertoire%2F%3Fq%3Dlevis"
    # A form posted without the second factor is refused too (and not carried over).
    response = client.post(reverse("accounts:password-change"), {"old_password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == VERIFY
    # htmx would follow a redirect and swap the code page into a fragment: it is told to leave.
    response = client.get(reverse("housing:directory"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Redirect"] == VERIFY
    assert response.content == b""


def test_it_sends_an_unverified_user_without_a_device_to_the_set_up_page(personas, login):
    client = login(personas["worker_b"], two_factor=False)
    response = client.get(reverse("housing:directory"))
    assert response["Location"] == f"{SETUP}?next=%2Frepertoire%2F"


def test_it_lets_an_unverified_user_sign_out_and_switch_language(personas, login):
    _device(personas["worker_a"])
    client = login(personas["worker_a"], two_factor=False)
    assert client.get(VERIFY).status_code == 200
    assert client.get(reverse("operations:health")).status_code == 200
    response = client.post(reverse("set_language"), {"language": "en", "next": VERIFY})
    assert response.status_code == 302 and response["Location"] == VERIFY
    assert "Two-step verification" in client.get(VERIFY).content.decode()
    # The sign-in page sends a signed-in user on to the code step.
    assert client.get(LOGIN)["Location"].startswith(VERIFY)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session


def test_it_sends_anonymous_visitors_from_the_two_factor_pages_to_the_login(client, db):
    for url in (VERIFY, SETUP):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(f"{LOGIN}?next=")
        assert client.post(url, {"code": "123456"})["Location"].startswith(LOGIN)
    assert not TOTPDevice.objects.exists()


@pytest.mark.parametrize("persona", OTHER_ROLES)
def test_it_does_not_ask_roles_without_case_files_for_a_code(client, personas, persona):
    user = personas[persona]
    assert _sign_in(client, user) == HOME
    assert client.get(HOME).status_code == 200
    assert client.get(reverse("accounts:profile")).status_code == 200
    # The two-factor pages send them on.
    assert client.get(VERIFY)["Location"] == HOME
    assert client.get(SETUP)["Location"] == HOME
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_it_shows_the_two_factor_status_on_my_account(personas, login):
    html = login(personas["worker_a"]).get(reverse("accounts:profile")).content.decode()
    assert "Double authentification" in html and "Activée" in html
    html = login(personas["organizer_a"]).get(reverse("accounts:profile")).content.decode()
    assert "Non requise pour votre rôle" in html


def test_it_keeps_the_shared_login_fixture_verified_for_two_factor_roles(personas, login):
    for persona in TWO_FACTOR_ROLES:
        client = login(personas[persona])
        assert client.get(reverse("housing:directory")).status_code == 200, persona


# --------------------------------------------------------------------------- reset


def test_it_lets_the_coordination_reset_a_lost_device_from_the_admin(client, personas, login):
    worker = personas["worker_a"]
    worker_client = login(worker)  # the worker's session, verified with the old device
    assert worker_client.get(HOME).status_code == 200
    worker_session = worker_client.cookies["sessionid"].value

    from django.test import Client

    admin = login(personas["coordination"], client=Client())
    changelist = reverse("admin:auth_user_changelist")
    html = admin.get(changelist).content.decode()
    assert "double authentification" in html.lower()
    response = admin.post(
        changelist,
        {"action": "reset_two_factor", "_selected_action": [worker.pk]},
        REMOTE_ADDR="10.2.3.4",
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=worker).exists()
    entry = AuditEntry.objects.get(action="accounts.two_factor.reset")
    assert (entry.username, entry.object_id, entry.ip_address) == (
        "coordination",
        str(worker.pk),
        "10.2.3.4",
    )
    assert entry.data == {"devices": 1}

    # The old session lost its verification at once; the next sign-in sets up a new device.
    worker_client.cookies["sessionid"] = worker_session
    response = worker_client.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith(SETUP)


def test_it_lets_only_the_coordination_reset_a_device(personas):
    _device(personas["worker_a"])
    for persona in ["organizer_a", "supervisor_a", "privacy_officer", "worker_b", "no_role"]:
        with pytest.raises(PermissionDenied):
            two_factor_reset(user=personas[persona], target=personas["worker_a"])
    assert TOTPDevice.objects.filter(user=personas["worker_a"]).exists()
    assert not AuditEntry.objects.filter(action="accounts.two_factor.reset").exists()


def test_it_hides_the_secret_keys_from_the_admin(personas, login):
    client = login(personas["coordination"])
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404


# --------------------------------------------------------------------------- no-store, idle


def test_it_forbids_caching_any_response_to_a_signed_in_user(client, personas, login, world):
    assert "no-store" not in client.get(reverse("core:favicon")).get("Cache-Control", "")
    coordination = login(personas["coordination"])
    for url in [HOME, reverse("core:favicon"), reverse("housing:directory"), "/nulle-part/"]:
        cache_control = coordination.get(url).get("Cache-Control", "")
        assert "no-store" in cache_control and "private" in cache_control, url
    worker = login(personas["worker_a"], two_factor=False)
    assert "no-store" in worker.get(HOME)["Cache-Control"]  # the redirect to the code page
    building = world["building_a"]
    worker = login(personas["worker_a"])
    response = worker.get(reverse("housing:building-detail", args=[building.public_id]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]


def test_it_ends_a_session_after_thirty_idle_minutes(personas, login, monkeypatch):
    client = login(personas["worker_a"])
    start = timezone.now()

    def at(minutes):
        monkeypatch.setattr(timezone, "now", lambda: start + dt.timedelta(minutes=minutes))

    profile = reverse("accounts:profile")
    at(29)
    assert client.get(profile).status_code == 200  # activity renews the 30 minutes
    at(58)
    assert client.get(profile).status_code == 200
    at(89)
    response = client.get(profile)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in client.session


# --------------------------------------------------------------------------- demo-code


def _demo_worker(username="intervenant", email="intervenant@tremplin.example"):
    user = get_user_model().objects.create_user(username, email, PASSWORD)
    membership_set(user=user, role=Role.WORKER)
    return user, _device(user)


def test_it_prints_the_current_code_of_a_demo_account_in_demo_mode(db, settings, capsys):
    settings.TREMPLIN_DEMO = True
    user, device = _demo_worker()
    call_command("demo-code", "intervenant")
    code = capsys.readouterr().out.strip()
    assert re.fullmatch(r"\d{6}", code)
    assert django_otp.verify_token(user, device.persistent_id, code) is not None
    # The code just used is spent: the command gives the next one, still accepted.
    call_command("demo-code", "intervenant")
    second = capsys.readouterr().out.strip()
    assert second != code
    assert django_otp.verify_token(user, device.persistent_id, second) is not None


def test_it_refuses_to_print_a_code_outside_the_demo(db, settings, personas):
    _demo_worker()
    settings.TREMPLIN_DEMO = False
    with pytest.raises(CommandError, match="Refusé : cette commande ne sert qu'en démonstration"):
        call_command("demo-code", "intervenant")
    settings.TREMPLIN_DEMO = True
    _device(personas["worker_a"])
    with pytest.raises(CommandError, match="n'est pas un compte de démonstration"):
        call_command("demo-code", "worker_a")
    _demo_worker("intervenante-beauce", email="kim@example.org")  # not the loader's account
    with pytest.raises(CommandError, match="n'est pas un compte de démonstration"):
        call_command("demo-code", "intervenante-beauce")
    with pytest.raises(CommandError, match="n'est pas un compte de démonstration"):
        call_command("demo-code", "personne")
