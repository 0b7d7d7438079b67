"""Paper answers: printed (numbered sheets), typed by staff one sheet at a time, marked paper,
each sheet number once per campaign, deleted when typed in error."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tremplin.audit.models import AuditEntry
from tremplin.surveys import services
from tremplin.surveys.models import Response, Source

from .conftest import make_campaign, submit


def _entry(client, campaign, site, sheet, **answers):
    data = {"site": site.code, "sheet_number": sheet}
    for name, value in answers.items():
        data[f"q-{name}"] = value
    return client.post(reverse("surveys:paper-entry", args=[campaign.public_id]), data)


def test_it_types_paper_sheets_one_after_the_other(campaign, site_a, personas, login):
    client = login(personas["organizer_a"])
    url = reverse("surveys:paper-entry", args=[campaign.public_id])
    assert client.get(url).status_code == 200
    done = _entry(client, campaign, site_a, 12, satisfaction="4", activites=["jardin", "cafe"])
    assert done.status_code == 302
    # Ready for the next sheet of the same site.
    assert done["Location"] == f"{url}?site={site_a.code}&feuille=13"
    page = client.get(done["Location"])
    html = page.content.decode()
    assert "Feuille no 12 enregistrée." in html
    assert 'value="13"' in html
    response = Response.objects.get()
    assert (response.source, response.sheet_number, response.entered_by, response.site) == (
        Source.PAPER,
        12,
        personas["organizer_a"],
        site_a,
    )
    assert AuditEntry.objects.filter(
        action="surveys.response.paper", user=personas["organizer_a"]
    ).exists()
    site_a.refresh_from_db()
    assert (site_a.response_count, site_a.paper_count) == (1, 1)


def test_it_refuses_a_sheet_number_typed_twice_in_the_campaign(
    campaign, site_a, site_b, personas, login
):
    client = login(personas["organizer_a"])
    _entry(client, campaign, site_a, 7, satisfaction="4")
    again = _entry(client, campaign, site_b, 7, satisfaction="2")
    assert again.status_code == 400
    assert "La feuille no 7 a déjà été saisie pour cette campagne." in again.content.decode()
    missing = _entry(client, campaign, site_b, "", satisfaction="2")
    assert "Indiquez le numéro de la feuille." in missing.content.decode()
    wrong = _entry(client, campaign, site_b, 8, satisfaction="9")
    assert wrong.status_code == 400 and "note de 1 à 5" in wrong.content.decode()
    assert Response.objects.count() == 1
    # Another campaign may have its own sheet 7.
    other = make_campaign(campaign.version, [site_a.building], title="Autre")
    submit(other.sites.get(), source=Source.PAPER, sheet=7, satisfaction=3)
    assert Response.objects.count() == 2


def test_it_accepts_paper_after_the_close_for_a_while_only(world, version):
    closed = make_campaign(version, [world["building_a"]], opens=-60, closes=-5, title="Fermée")
    site = closed.sites.get()
    # Online answers are refused once closed, paper sheets are still typed in …
    with pytest.raises(ValidationError):
        submit(site, satisfaction=3)
    submit(site, source=Source.PAPER, sheet=1, satisfaction=3)
    # … up to PAPER_GRACE_DAYS after the close.
    late = closed.closes_on + dt.timedelta(days=services.PAPER_GRACE_DAYS + 1)
    with pytest.raises(ValidationError, match="terminée"):
        submit(site, source=Source.PAPER, sheet=2, satisfaction=3, day=late)
    assert Response.objects.count() == 1


def test_it_deletes_a_sheet_typed_in_error(campaign, site_a, personas, login):
    client = login(personas["organizer_a"])
    _entry(client, campaign, site_a, 3, satisfaction="4")
    response = Response.objects.get()
    url = reverse("surveys:response-delete", args=[campaign.public_id, response.public_id])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert Response.objects.count() == 0
    campaign.refresh_from_db()
    assert campaign.response_count == 0
    # The number is free again.
    assert _entry(client, campaign, site_a, 3, satisfaction="5").status_code == 302
    # Online answers are not deleted this way.
    online = submit(site_a, satisfaction=2)
    url = reverse("surveys:response-delete", args=[campaign.public_id, online.public_id])
    assert client.post(url).status_code == 404


def test_it_prints_numbered_paper_sheets(campaign, personas, login):
    client = login(personas["organizer_a"])
    url = reverse("surveys:campaign-paper", args=[campaign.public_id])
    html = client.get(url, {"de": "5", "a": "7"}).content.decode()
    assert html.count('class="paper-sheet"') == 3
    assert "<strong>5</strong>" in html and "<strong>7</strong>" in html
    assert "Répondez seulement si" in html
    assert html.count("Êtes-vous satisfait·e de la vie ici ?") == 3
    bad = client.get(url, {"de": "9", "a": "2"}).content.decode()
    assert "Numéros de feuilles invalides" in bad and bad.count('class="paper-sheet"') == 1
