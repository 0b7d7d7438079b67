"""The public answer page: no account, one answer per device, one store per form, rate limits,
a honeypot; closed campaigns say so; the English page uses the English wording."""

from django.test import Client
from django.urls import reverse

from tremplin.surveys.models import Response, Source, Volunteer
from tremplin.surveys.views_public import DEVICE_COOKIE, KIOSK_COOKIE

from .conftest import make_campaign


def _url(site):
    return reverse("surveys:answer", args=[site.code])


def _get(client, site):
    page = client.get(_url(site))
    assert page.status_code == 200
    return page


def _post(client, site, data, jeton=None, **extra):
    if jeton is None:
        jeton = _get(client, site).context["jeton"]
    return client.post(_url(site), {"jeton": jeton, **data}, **extra)


def test_it_takes_an_answer_without_an_account_and_thanks(client, site_a):
    page = _get(client, site_a)
    html = page.content.decode()
    assert "Êtes-vous satisfait·e de la vie ici ?" in html
    assert "Répondez seulement si vous avez répondu « Jamais » à la question 3" in html
    assert page["Cache-Control"].startswith("no-store") or "no-store" in page["Cache-Control"]
    response = _post(
        client,
        site_a,
        {"q-satisfaction": "4", "q-activites": ["cuisine", "jardin"], "q-idees": "Un jardin !"},
        jeton=page.context["jeton"],
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:answer-thanks", args=[site_a.code])
    stored = Response.objects.get()
    assert (stored.site, stored.source, stored.version_id) == (
        site_a,
        Source.ONLINE,
        site_a.campaign.version_id,
    )
    assert sorted(stored.values.values_list("question__name", "choice__name")) == [
        ("activites", "cuisine"),
        ("activites", "jardin"),
        ("idees", None),
        ("satisfaction", "4"),
    ]
    assert client.get(response["Location"]).status_code == 200


def test_it_accepts_one_answer_per_device(client, site_a, site_b, world, version):
    _post(client, site_a, {"q-satisfaction": "4"})
    again = client.get(_url(site_a))
    assert "déjà été envoyée depuis cet appareil" in again.content.decode()
    assert "q-satisfaction" not in again.content.decode()
    # Even a form opened before the first answer is refused.
    other = Client()
    first = _get(other, site_a)
    second_jeton = _get(other, site_a).context["jeton"]
    assert (
        _post(other, site_a, {"q-satisfaction": "2"}, jeton=first.context["jeton"]).status_code
        == 302
    )
    refused = _post(other, site_a, {"q-satisfaction": "3"}, jeton=second_jeton)
    assert "déjà été envoyée depuis cet appareil" in refused.content.decode()
    assert Response.objects.count() == 2
    # One device, one answer per campaign, whatever the site of the campaign …
    assert "déjà été envoyée" in client.get(_url(site_b)).content.decode()
    # … but another campaign is open to it.
    other_campaign = make_campaign(version, [world["building_b"]], title="Autre campagne")
    assert _post(client, other_campaign.sites.get(), {"q-satisfaction": "5"}).status_code == 302
    assert Response.objects.count() == 3


def test_it_stores_a_form_sent_twice_only_once(site_a, personas, client, login):
    # On the team's tablet several people answer, but a double tap stores one answer.
    staff = login(personas["organizer_a"])
    response = staff.post(reverse("surveys:kiosk-start", args=[site_a.public_id]))
    assert response.status_code == 302
    assert KIOSK_COOKIE in client.cookies
    jeton = _get(client, site_a).context["jeton"]
    assert _post(client, site_a, {"q-satisfaction": "4"}, jeton=jeton).status_code == 302
    twice = _post(client, site_a, {"q-satisfaction": "4"}, jeton=jeton)
    assert "déjà été envoyée" in twice.content.decode()
    # A new form on the tablet: the next person answers.
    assert _post(client, site_a, {"q-satisfaction": "2"}).status_code == 302
    assert list(Response.objects.values_list("source", flat=True)) == [Source.TABLET] * 2
    # Staff were signed out: residents never see their pages.
    assert client.get(reverse("surveys:campaign-list")).status_code == 302


def test_it_refuses_a_forged_or_foreign_form_token(client, site_a, site_b):
    _get(client, site_a)
    for jeton in ("", "n'importe quoi", _get(Client(), site_b).context["jeton"]):
        page = client.post(_url(site_a), {"jeton": jeton, "q-satisfaction": "4"})
        assert page.status_code == 400
        assert "Ce formulaire a expiré" in page.content.decode()
    assert Response.objects.count() == 0


def test_it_asks_for_cookies_when_the_device_has_none(client, site_a):
    jeton = _get(Client(), site_a).context["jeton"]
    page = client.post(_url(site_a), {"jeton": jeton, "q-satisfaction": "4"})
    assert page.status_code == 400
    assert "témoins (cookies)" in page.content.decode()
    assert DEVICE_COOKIE in page.cookies
    assert Response.objects.count() == 0


def test_it_limits_the_rate_of_answers_from_one_address(site_a, settings):
    settings.TREMPLIN_SURVEY_RATE_LIMIT = 2
    statuses = []
    for _ in range(3):
        device = Client()
        statuses.append(_post(device, site_a, {"q-satisfaction": "3"}).status_code)
    assert statuses == [302, 302, 429]
    assert Response.objects.count() == 2
    # Another address is not affected.
    assert (
        _post(Client(REMOTE_ADDR="198.51.100.7"), site_a, {"q-satisfaction": "3"}).status_code
        == 302
    )


def test_it_pretends_to_thank_robots_that_fill_the_honeypot(client, site_a):
    response = _post(client, site_a, {"q-satisfaction": "4", "site_web": "http://spam.example"})
    assert response.status_code == 302
    assert Response.objects.count() == 0


def test_it_shows_errors_next_to_the_questions_and_keeps_what_was_typed(client, site_a):
    page = _post(
        client,
        site_a,
        {"q-securite": "oui", "q-implication": "oui", "q-heures": "99", "q-idees": "Bonjour"},
    )
    assert page.status_code == 400
    html = page.content.decode()
    assert "Il y a un problème" in html
    assert "Cette question est obligatoire." in html
    assert "Entrez un nombre entre 0 et 40." in html
    assert 'value="99"' in html and ">Bonjour</textarea>" in html
    assert 'aria-invalid="true"' in html
    # A field for a question that is not in the version (a forged form) is refused too.
    page = _post(Client(), site_a, {"q-satisfaction": "4", "q-revenu": "12000"})
    assert page.status_code == 400
    assert "ne fait pas partie de ce questionnaire (version 1) : revenu" in page.content.decode()
    assert Response.objects.count() == 0


def test_it_says_when_a_campaign_is_closed_or_not_open_yet(client, world, version):
    closed = make_campaign(version, [world["building_a"]], opens=-30, closes=-2, title="Fermée")
    page = client.get(_url(closed.sites.get()))
    assert page.status_code == 410
    assert "Cette enquête est terminée" in page.content.decode()
    assert client.post(_url(closed.sites.get()), {"q-satisfaction": "3"}).status_code == 410
    upcoming = make_campaign(version, [world["building_b"]], opens=3, closes=30, title="Bientôt")
    page = client.get(_url(upcoming.sites.get()))
    assert page.status_code == 404
    assert "pas encore ouverte" in page.content.decode()
    assert client.get(reverse("surveys:answer", args=["ZZZZZZZZ"])).status_code == 404
    assert Response.objects.count() == 0


def test_it_takes_contact_details_apart_from_the_answers(client, site_a):
    page = _post(
        client,
        site_a,
        {"q-satisfaction": "5", "contact-name": "Marie", "contact-email": "pas-un-courriel"},
    )
    assert page.status_code == 400
    assert Response.objects.count() == 0
    response = _post(
        Client(),
        site_a,
        {"q-satisfaction": "5", "contact-name": "Marie Roy", "contact-phone": "418 555-0199"},
    )
    assert response.status_code == 302
    assert Volunteer.objects.get().phone == "418 555-0199"


def test_it_shows_the_english_wording_to_english_readers(client, site_a, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = _get(client, site_a).content.decode()
    assert "Survey on life in the building" in html
    assert "Rather yes" in html
    assert "Send my answers" in html
    assert "Answer only if you answered “Never” to question 3" in html
    _post(client, site_a, {"q-satisfaction": "4"})
    assert Response.objects.get().language == "en"
