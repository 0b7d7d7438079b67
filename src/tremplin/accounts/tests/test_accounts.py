"""Login, lockout, password change and reset, the admin for coordination only, languages."""

import re
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tremplin.conftest import PASSWORD

LOGIN = reverse("accounts:login")


def test_it_shows_the_login_page_in_french_by_default(client, db):
    response = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'lang="fr-CA"' in html and "Connexion à Tremplin" in html


def test_it_switches_to_english_when_the_person_asks(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": LOGIN})
    html = client.get(LOGIN).content.decode()
    assert 'lang="en-CA"' in html and "Sign in to Tremplin" in html


def test_it_logs_in_with_the_right_password_and_out_again(client, personas):
    response = client.post(LOGIN, {"username": "organizer_a", "password": PASSWORD})
    assert response.status_code == 302
    # "/" is also the public site's home page: a page for signed-in people tells the difference.
    profile = reverse("accounts:profile")
    assert client.get(profile).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(profile).status_code == 302


def test_it_locks_an_account_after_repeated_failures(client, personas, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "partner", "password": "wrong"}, REMOTE_ADDR="10.1.1.1")
    response = client.post(
        LOGIN, {"username": "partner", "password": PASSWORD}, REMOTE_ADDR="10.1.1.1"
    )
    assert response.status_code == 429
    assert "temporairement bloqué" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_hashes_passwords_with_argon2(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = get_user_model().objects.create_user("argon", password=PASSWORD)
    assert user.password.startswith("argon2$")


def test_it_changes_a_password(personas, login):
    client = login(personas["worker_a"])
    response = client.post(
        reverse("accounts:password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": "un-nouveau-secret-2026",
            "new_password2": "un-nouveau-secret-2026",
        },
    )
    assert response.status_code == 302
    personas["worker_a"].refresh_from_db()
    assert personas["worker_a"].check_password("un-nouveau-secret-2026")


def test_it_resets_a_forgotten_password_by_email(client, personas):
    response = client.post(reverse("accounts:password-reset"), {"email": "organizer_a@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["organizer_a@example.org"] and "réinitialisation" in message.subject
    link = re.search(r"http://testserver(/\S+)", message.body).group(1)
    form_url = client.get(link).url  # Django redirects to a token-less URL
    response = client.post(
        form_url, {"new_password1": "nouveau-secret-42!", "new_password2": "nouveau-secret-42!"}
    )
    assert response.status_code == 302
    personas["organizer_a"].refresh_from_db()
    assert personas["organizer_a"].check_password("nouveau-secret-42!")


def test_it_does_not_tell_whether_an_email_has_an_account(client, db):
    response = client.post(reverse("accounts:password-reset"), {"email": "personne@example.org"})
    assert response.status_code == 302 and len(mail.outbox) == 0


def test_it_opens_the_admin_to_the_coordination_only(personas, login):
    assert login(personas["coordination"]).get("/admin/").status_code == 200
    for role in ["organizer_a", "worker_a", "housing_manager", "partner", "researcher", "no_role"]:
        user = personas[role]
        user.is_staff = True  # even a staff flag set by mistake does not open it
        user.save()
        response = login(user).get("/admin/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"], role


def test_it_expires_sessions_after_thirty_idle_minutes(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST


def test_it_passes_the_deployment_checks_with_production_settings(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "tremplin.settings",
        "SECRET_KEY": "x" * 20 + "production-secret-key-with-enough-entropy-0123456789",
        "TREMPLIN_VAR_DIR": str(tmp_path),
        "ALLOWED_HOSTS": "tremplin.example.org",
    }
    result = subprocess.run(
        [sys.executable, "-m", "tremplin", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_creates_a_coordination_account_from_the_command_line(db, monkeypatch):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    monkeypatch.setenv("TREMPLIN_NEW_PASSWORD", "un-secret-solide-2026")
    call_command("adduser", "premiere", role="coordination", email="c@example.org")
    user = get_user_model().objects.get(username="premiere")
    assert (
        user.membership.can_use_admin
        and user.is_staff
        and user.check_password("un-secret-solide-2026")
    )
    from tremplin.audit.models import AuditEntry

    entry = AuditEntry.objects.get(action="accounts.membership.set", object_id=str(user.pk))
    assert entry.data["role"] == "coordination" and entry.user is None  # the command line
    with pytest.raises(CommandError, match="existe déjà"):
        call_command("adduser", "premiere", role="coordination")
    monkeypatch.setenv("TREMPLIN_NEW_PASSWORD", "123")
    with pytest.raises(CommandError):
        call_command("adduser", "faible", role="partner")
    assert not get_user_model().objects.filter(username="faible").exists()


def test_it_gives_each_role_group_its_permissions_after_migrate(personas, login):
    """post_migrate fires only for apps with models: the sync must not wait for the demo app."""
    from django.contrib.auth.models import Group

    coordination = Group.objects.get(name="coordination")
    assert coordination.permissions.filter(codename="change_user").exists()
    assert personas["coordination"].has_perm("auth.change_user")
    client = login(personas["coordination"])
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 200
