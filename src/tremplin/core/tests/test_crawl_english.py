"""English complete: with English chosen, no French word of the interface is left on any page
the crawl reaches, while the data entered in French stay as entered.

The crawl (``tremplin.testing.crawl``) follows every link from the home page, in English, as a
visitor, the coordination (every staff page but the case files), a clinical supervisor (the case
files) and the privacy officer (the registers), on the demo. Each route pattern is rendered in
French too, to tell text that is the same in both languages; the database's text values are the
data. See ``crawl.untranslated`` for what counts as French interface text.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils.html import escape

from tremplin.testing.crawl import (
    Data,
    Page,
    Vocabulary,
    crawl,
    failures,
    fetch,
    first_seen,
    untranslated,
)

SRC = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(SRC.glob("**/locale/en/LC_MESSAGES/django.po"))
# The visitor first, then the staff: each route pattern is checked for the first who reaches it.
PERSONAS = (None, "coordination", "superviseure", "responsable-vie-privee")


@pytest.fixture(scope="module")
def vocabulary():
    return Vocabulary.from_catalogues(CATALOGUES)


def _client(language, user, login):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if user is not None:
        login(user, client=client)
    return client


def _report(findings) -> str:
    lines = [f"{len(findings)} piece(s) of French interface text in English pages:"]
    for f in findings:
        lines.append(f"  [{f.route}] {f.text[:160]!r}\n      {f.why} — {f.url}")
    return "\n".join(lines)


def test_it_leaves_no_french_in_the_english_interface_of_any_page(db, demo_data, login, vocabulary):
    users = get_user_model().objects.in_bulk([u for u in PERSONAS if u], field_name="username")
    english, french, crawled, dead = {}, {}, {}, []
    for username in PERSONAS:
        user = users[username] if username else None
        english[username] = _client("en", user, login)
        french[username] = _client("fr", user, login)
        crawled[username] = crawl(english[username])
        dead += [f"[{username or 'visitor'}] {f}" for f in failures(crawled[username])]
    assert not dead, "Links of the crawl that answer an error:\n" + "\n".join(dead)

    data = Data.from_database()
    findings = []
    for username, pages in first_seen(crawled).items():
        assert pages, f"{username or 'visitor'}: the crawl reached no page"
        for page in pages:
            assert page.content.count('lang="en-CA"'), f"{page.url}: not in English"
        in_french = {page.url: fetch(french[username], page.url)[1].decode() for page in pages}
        findings += untranslated(pages, in_french, vocabulary, data)
    # The same text met again on another route is reported once.
    unique = list({f.text: f for f in findings}.values())
    assert not unique, _report(unique)


def test_it_keeps_french_data_as_entered_in_english_pages(db, demo_data, login):
    from tremplin.projects.models import Project

    project = Project.objects.exclude(title="").order_by("pk").first()
    client = _client("en", get_user_model().objects.get(username="coordination"), login)
    page = client.get(f"/projets/{project.public_id}/")
    html = page.content.decode()
    assert page.status_code == 200 and 'lang="en-CA"' in html
    assert escape(project.title) in html  # the French title, as entered


# --------------------------------------------------------------------------- the detector


EN_PAGE = """<html lang="en-CA"><head><title>Projects · Tremplin</title></head><body>
<a href="/">Tremplin</a><button lang="fr">Français</button>
<h1>Projects</h1>
<input name="q" placeholder="{placeholder}">
<table><thead><tr><th>Project</th><th>{total}</th></tr></thead>
<tbody><tr><td>Jardin communautaire des Habitations du Plateau</td><td>$1,200</td></tr></tbody>
</table>
<p>Import the file: column <code>Total des logements</code>.</p>
<button type="submit" aria-label="{label}">Save</button>
<p>{hard_coded}</p>
</body></html>"""

FR_PAGE = """<html lang="fr-CA"><head><title>Projets · Tremplin</title></head><body>
<h1>Projets</h1><input name="q" placeholder="Rechercher un projet">
<table><thead><tr><th>Projet</th><th>Total</th></tr></thead>
<tbody><tr><td>Jardin communautaire des Habitations du Plateau</td><td>1 200 $</td></tr></tbody>
</table>
<button type="submit" aria-label="Enregistrer le projet">Enregistrer</button>
<p>{hard_coded}</p>
</body></html>"""


def _detect(vocabulary, **parts):
    values = {
        "placeholder": "Search projects",
        "total": "Total",
        "label": "Save the project",
        "hard_coded": "Nothing here.",
    } | parts
    page = Page("/projets/", ("projects:project-list", (), ()), 200, "", found_on="(test)")
    page.content = EN_PAGE.format(**values)
    french = {page.url: FR_PAGE.format(hard_coded=values["hard_coded"])}
    data = Data(["Jardin communautaire des Habitations du Plateau", "Plateau"])
    return [f.text for f in untranslated([page], french, vocabulary, data)]


def test_the_detector_passes_an_english_page_with_french_data(vocabulary):
    assert _detect(vocabulary) == []


@pytest.mark.parametrize(
    "parts, found",
    [
        ({"placeholder": "Rechercher un projet"}, "Rechercher un projet"),
        ({"label": "Enregistrer le projet"}, "Enregistrer le projet"),
        ({"total": "Sous-total des engagements"}, "Sous-total des engagements"),
        # Not in the catalogues, no accent: the same text in the French page, and not data.
        ({"hard_coded": "Bottin"}, "Bottin"),
    ],
    ids=["placeholder", "aria-label", "table header", "hard-coded"],
)
def test_the_detector_finds_french_interface_text(vocabulary, parts, found):
    assert found in _detect(vocabulary, **parts)
