"""Personal access tokens: creation (service, profile page, command), hashing, prefix, expiry,
revocation, last use, scopes ∩ role, and the staff page."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tremplin.api import scopes
from tremplin.api.models import AccessToken
from tremplin.api.services import hash_token, token_create, token_revoke
from tremplin.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_it_stores_only_a_hash_and_shows_a_prefix(personas):
    user = personas["organizer_a"]
    token, raw = token_create(user=user, name="Power BI", scopes=["directory:read"], days=30)
    assert raw.startswith("trp_") and len(raw) > 40
    assert token.prefix == raw[:12]
    assert token.key_hash == hash_token(raw) and raw not in token.key_hash
    stored = AccessToken.objects.values_list("prefix", "key_hash", "name", "scopes").get()
    assert raw not in " ".join(str(v) for v in stored)
    assert abs((token.expires_at - timezone.now()) - dt.timedelta(days=30)) < dt.timedelta(
        minutes=1
    )
    entry = AuditEntry.objects.get(action="api.token.create")
    assert entry.data["token"] == token.prefix and raw not in str(entry.data)


@pytest.mark.parametrize("days", [0, 367, -5])
def test_it_refuses_an_expiry_over_a_year_or_none(personas, days):
    with pytest.raises(ValidationError):
        token_create(user=personas["partner"], name="x", scopes=["funding:read"], days=days)
    assert not AccessToken.objects.exists()


def test_it_refuses_scopes_the_role_does_not_give(personas):
    with pytest.raises(ValidationError):  # a partner runs no events
        token_create(user=personas["partner"], name="x", scopes=["events:read"])
    with pytest.raises(ValidationError):
        token_create(user=personas["partner"], name="x", scopes=["nope:read"])
    with pytest.raises(ValidationError):
        token_create(user=personas["partner"], name="x", scopes=[])
    with pytest.raises(ValidationError):  # no role: nothing at all
        token_create(user=personas["no_role"], name="x", scopes=["territories:read"])


def test_it_gives_casework_scopes_only_with_an_authenticator_app(personas):
    worker = personas["worker_a"]
    with pytest.raises(ValidationError):
        token_create(user=worker, name="Téléphone", scopes=["casework:read"])
    TOTPDevice.objects.create(user=worker, name="App", confirmed=True)
    token, _ = token_create(user=worker, name="Téléphone", scopes=["casework:read"])
    assert token.scopes == ["casework:read"]
    # Never to a role that does not read case files, authenticator or not.
    TOTPDevice.objects.create(user=personas["coordination"], name="App", confirmed=True)
    with pytest.raises(ValidationError):
        token_create(user=personas["coordination"], name="x", scopes=["casework:read"])


def test_scopes_by_role():
    ids = set(scopes.SCOPES)
    assert {"directory:read", "casework:read", "indicators:read", "projects:write"} <= ids
    assert all(":" in s for s in ids)


def test_it_authenticates_and_records_the_last_use(personas, client):
    token, raw = token_create(user=personas["partner"], name="x", scopes=["directory:read"])
    response = client.get("/api/v1/directory/providers", **bearer(raw), REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200, response.content
    token.refresh_from_db()
    assert token.last_used_ip == "10.1.2.3"
    assert timezone.now() - token.last_used_at < dt.timedelta(minutes=1)


def _problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


def test_it_answers_401_without_a_valid_token(personas, client):
    token, raw = token_create(user=personas["partner"], name="x", scopes=["directory:read"])
    url = "/api/v1/directory/buildings"
    body = _problem(client.get(url), 401)
    assert "jeton" in body["detail"]
    assert client.get(url)["WWW-Authenticate"].startswith("Bearer")
    _problem(client.get(url, **bearer(raw + "x")), 401)
    _problem(client.get(url, **bearer("trp_inventé")), 401)
    _problem(client.get(url, HTTP_AUTHORIZATION=f"Basic {raw}"), 401)
    # Expired.
    AccessToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    _problem(client.get(url, **bearer(raw)), 401)
    # Revoked.
    AccessToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() + dt.timedelta(days=1))
    assert client.get(url, **bearer(raw)).status_code == 200
    token_revoke(token=token, by=personas["partner"])
    _problem(client.get(url, **bearer(raw)), 401)
    # An inactive owner.
    other, raw2 = token_create(user=personas["researcher"], name="x", scopes=["directory:read"])
    other.user.is_active = False
    other.user.save()
    _problem(client.get(url, **bearer(raw2)), 401)


def test_it_answers_in_english_when_asked(personas, client):
    body = _problem(client.get("/api/v1/directory/buildings", HTTP_ACCEPT_LANGUAGE="en-CA"), 401)
    assert body["title"] == "Token required"


def test_a_missing_scope_is_403_and_a_lost_role_404(personas, client):
    user = personas["organizer_a"]
    _, raw = token_create(user=user, name="x", scopes=["directory:read", "events:read"])
    body = _problem(client.get("/api/v1/territories/regions", **bearer(raw)), 403)
    assert body["scope"] == "territories:read"
    assert client.get("/api/v1/directory/buildings", **bearer(raw)).status_code == 200
    # The role is asked at each call: without it, the token opens nothing.
    user.membership.delete()
    _problem(client.get("/api/v1/directory/buildings", **bearer(raw)), 404)


def test_the_command_creates_lists_and_revokes(personas):
    out = io.StringIO()
    call_command(
        "token", "create", "partner", "--scope", "directory:read", "--expires", "10", stdout=out
    )
    raw = out.getvalue().strip().splitlines()[-1]
    assert raw.startswith("trp_") and " " not in raw
    token = AccessToken.objects.get(key_hash=hash_token(raw))
    assert token.user == personas["partner"] and token.scopes == ["directory:read"]
    out = io.StringIO()
    call_command("token", "scopes", stdout=out)
    assert out.getvalue().split() == list(scopes.SCOPES)
    out = io.StringIO()
    call_command("token", "list", "partner", stdout=out)
    assert token.prefix in out.getvalue() and raw not in out.getvalue()
    call_command("token", "revoke", token.prefix, stdout=io.StringIO())
    token.refresh_from_db()
    assert token.revoked_at is not None
    with pytest.raises(CommandError):
        call_command("token", "create", "partner", "--scope", "casework:read", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command(
            "token", "create", "personne", "--scope", "directory:read", stdout=io.StringIO()
        )
    with pytest.raises(CommandError):
        call_command(
            "token",
            "create",
            "partner",
            "--scope",
            "directory:read",
            "--expires",
            "400",
            stdout=io.StringIO(),
        )


def test_the_profile_page_creates_shows_once_and_revokes(personas, login):
    client = login(personas["organizer_a"])
    page = client.get("/comptes/mon-compte/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="jetons"' in html and 'value="events:read"' in html
    assert 'value="casework:read"' not in html and 'value="funding:read"' in html
    response = client.post(
        "/comptes/jetons/nouveau/",
        {"name": "Excel", "scopes": ["directory:read"], "days": "60"},
    )
    assert response.status_code == 200
    token = AccessToken.objects.get()
    secret = response.context["secret"]
    assert token.key_hash == hash_token(secret) and secret in response.content.decode()
    page = client.get("/comptes/mon-compte/").content.decode()
    assert token.prefix in page and secret not in page
    # Bad input: a scope the role does not give, a year and more, no name.
    for data in [
        {"name": "x", "scopes": ["casework:read"], "days": "30"},
        {"name": "x", "scopes": ["directory:read"], "days": "400"},
        {"name": "", "scopes": ["directory:read"], "days": "30"},
    ]:
        assert client.post("/comptes/jetons/nouveau/", data).status_code == 400
    assert AccessToken.objects.count() == 1
    # Someone else's token: 404.
    other, _ = token_create(user=personas["partner"], name="x", scopes=["directory:read"])
    assert client.post(f"/comptes/jetons/{other.public_id}/revoquer/").status_code == 404
    response = client.post(f"/comptes/jetons/{token.public_id}/revoquer/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == personas["organizer_a"]


def test_coordination_sees_and_revokes_every_token_the_privacy_officer_sees(
    personas, login, client, django_user_model
):
    token, _ = token_create(user=personas["partner"], name="Power BI", scopes=["funding:read"])
    assert login(personas["organizer_a"]).get("/comptes/jetons/tous/").status_code == 404
    officer = login(personas["privacy_officer"])
    page = officer.get("/comptes/jetons/tous/")
    assert page.status_code == 200 and token.prefix in page.content.decode()
    assert officer.post(f"/comptes/jetons/{token.public_id}/revoquer/").status_code == 404
    coordination = login(personas["coordination"])
    assert coordination.get("/comptes/jetons/tous/").status_code == 200
    response = coordination.post(f"/comptes/jetons/{token.public_id}/revoquer/", {"from": "all"})
    assert response.status_code == 302 and response["Location"] == "/comptes/jetons/tous/"
    token.refresh_from_db()
    assert token.revoked_by == personas["coordination"]
