from django.urls import reverse


def test_it_serves_french_first_whatever_the_browser_asks(client, db):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "fr"


def test_it_sends_security_headers(client, db):
    response = client.get(reverse("accounts:login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_it_shows_a_french_404_page(personas, login):
    response = login(personas["coordination"]).get("/nulle-part/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()
