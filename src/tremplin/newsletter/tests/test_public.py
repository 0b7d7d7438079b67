"""The public site as an anonymous visitor sees it: nothing unpublished is reachable, every link
works; stories are written and published only by those who may edit their project."""

import re
from collections import deque
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tremplin.newsletter import services
from tremplin.newsletter.models import (
    EditionStatus,
    Section,
    SectionKind,
    SitePage,
    SitePageSlug,
    Story,
    StoryStatus,
)
from tremplin.partners.models import Partner

from .conftest import make_edition, make_project, make_story, make_subscribers, png_upload

pytestmark = pytest.mark.django_db

LOGIN = "/comptes/connexion/"
SECRETS = (
    "HISTOIRE-BROUILLON-SECRETE",
    "EDITION-BROUILLON-SECRETE",
    "EDITION-PROGRAMMEE-SECRETE",
    "SECTION-DE-BROUILLON-SECRETE",
    "RESUME-PRIVE-DU-PROJET",
    "NOTE-INTERNE-DU-PARTENAIRE",
    "PARTENAIRE-INACTIF-SECRET",
    "abonne000@example.org",
    "Se déconnecter",
    "Mon compte",
)


def _text(response) -> str:
    return unescape(response.content.decode())


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag in ("img", "iframe") and attrs.get("src"):
            self.links.append(attrs["src"])
        elif tag == "link" and attrs.get("href"):
            self.links.append(attrs["href"])


def _same_site(base: str, href: str) -> str | None:
    url = urljoin(base, href)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https", "") or parts.netloc not in ("", "testserver"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(client, start="/", limit=400) -> dict[str, int]:
    """Every same-site page reachable from ``start`` → its status; asserts as it goes."""
    seen: dict[str, int] = {}
    queue = deque([start])
    while queue and len(seen) < limit:
        path = queue.popleft()
        if path in seen:
            continue
        response = client.get(path)
        seen[path] = response.status_code
        if response.status_code in (301, 302):
            location = response["Location"]
            assert urlsplit(location).path == LOGIN, f"{path} redirects to {location}"
            continue
        assert response.status_code == 200, f"{path}: HTTP {response.status_code}"
        content_type = response.get("Content-Type", "")
        if path.startswith("/static/"):
            continue
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if not content_type.startswith(("text/", "application/atom+xml")):
            continue
        text = body.decode("utf-8", "replace")
        for secret in SECRETS:
            assert secret not in text, f"{path} shows « {secret} »"
        if "html" in content_type:
            parser = _Links()
            parser.feed(text)
            for href in parser.links:
                target = _same_site(path, href)
                if target and target not in seen:
                    queue.append(target)
        elif "atom" in content_type:
            for href in re.findall(r'href="([^"]+)"', text):
                target = _same_site(path, href)
                if target and target not in seen:
                    queue.append(target)
    return seen


@pytest.fixture
def site(world, personas):
    """Published and unpublished things side by side."""
    organizer = personas["organizer_a"]
    lab = make_project(
        "Espace Lafleur",
        kind="lab",
        buildings=[world["building_a"]],
        lead_organizer=organizer,
        summary="RESUME-PRIVE-DU-PROJET",
    )
    garden = make_project("Jardin", buildings=[world["building_a"]], lead_organizer=organizer)
    draft_project = make_project("Cuisine", buildings=[world["building_b"]])
    published = make_story(lab, "Un milieu de vie partagé", image_alt="Une salle commune")
    services.story_save(user=None, story=published, image=png_upload())
    make_story(garden, "Un jardin qui nourrit le voisinage")
    draft = make_story(
        draft_project, "HISTOIRE-BROUILLON-SECRETE", published=False, image_alt="Une cuisine"
    )
    services.story_save(user=None, story=draft, image=png_upload())
    sent = make_edition(1, "Les laboratoires prennent racine", sent=True)
    Section.objects.create(edition=sent, position=1, kind=SectionKind.STORY, story=published)
    # A card of a story withdrawn since: never shown.
    Section.objects.create(edition=sent, position=2, kind=SectionKind.STORY, story=draft)
    draft_edition = make_edition(2, "EDITION-BROUILLON-SECRETE", season="summer")
    draft_edition.sections.update(body="<p>SECTION-DE-BROUILLON-SECRETE</p>")
    image_section = services.section_save(
        user=None,
        section=Section(edition=draft_edition, kind=SectionKind.IMAGE, image_alt="Brouillon"),
        image=png_upload(),
    )
    scheduled = make_edition(3, "EDITION-PROGRAMMEE-SECRETE", season="fall")
    scheduled.status = EditionStatus.SCHEDULED
    scheduled.save()
    Partner.objects.create(
        name="Société d'habitation du Québec",
        kind="gov_agency",
        internal_notes="NOTE-INTERNE-DU-PARTENAIRE",
        website="https://www.habitation.gouv.qc.ca/",
    )
    Partner.objects.create(name="PARTENAIRE-INACTIF-SECRET", kind="other", active=False)
    SitePage.objects.create(
        slug=SitePageSlug.ABOUT,
        title="Le programme",
        title_en="The program",
        body="<p>Le soutien communautaire en logement social.</p>",
        body_en="<p>Community support in social housing.</p>",
    )
    make_subscribers(2, prefix="abonne")
    return {
        "published": published,
        "draft": draft,
        "sent": sent,
        "draft_edition": draft_edition,
        "scheduled": scheduled,
        "image_section": image_section,
        "lab": lab,
        "draft_project": draft_project,
    }


def test_it_finds_nothing_unpublished_crawling_the_public_site_anonymously(client, site):
    seen = crawl(client)

    pages = set(seen)
    assert "/" in pages
    for name in ("about", "partners", "labs", "story-list", "archive", "subscribe", "feed"):
        assert reverse(f"newsletter:{name}") in pages, name
    assert reverse("newsletter:story-detail", args=[site["published"].public_id]) in pages
    assert reverse("newsletter:story-image", args=[site["published"].public_id]) in pages
    assert reverse("newsletter:edition-public", args=[1]) in pages
    assert LOGIN in pages

    # In English too (the language switch keeps a cookie).
    client.cookies["django_language"] = "en"
    english = crawl(client)
    assert set(english) >= pages - {p for p in pages if p.startswith("/static/")}
    assert 'lang="en-CA"' in _text(client.get("/"))
    assert "Community support in social housing." in _text(client.get("/a-propos/"))


def test_it_answers_404_for_everything_unpublished_even_by_its_address(client, site):
    for url in (
        reverse("newsletter:story-detail", args=[site["draft"].public_id]),
        reverse("newsletter:story-image", args=[site["draft"].public_id]),
        reverse("newsletter:edition-public", args=[site["draft_edition"].number]),
        reverse("newsletter:edition-public", args=[site["scheduled"].number]),
        reverse("newsletter:section-image", args=[site["image_section"].public_id]),
        "/histoires/00000000-0000-0000-0000-000000000000/",
        "/infolettre/999/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"SECRETE" not in response.content
    for name in (
        "edition-list",
        "subscriber-list",
        "subscriber-import",
        "page-list",
        "story-manage",
    ):
        response = client.get(reverse(f"newsletter:{name}"))
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_it_shows_a_draft_only_to_those_who_may_edit_its_project(client, login, site, personas):
    draft = site["draft"]  # a project in territory B
    url = reverse("newsletter:story-detail", args=[draft.public_id])
    for name in ("organizer_a", "partner", "worker_b", "researcher"):
        assert login(personas[name]).get(url).status_code == 404, name
    for name in ("organizer_b", "coordination"):
        response = login(personas[name]).get(url)
        assert response.status_code == 200, name
        assert "Brouillon" in _text(response)


def test_it_shows_partners_names_and_kinds_without_private_details(client, site):
    html = _text(client.get(reverse("newsletter:partners")))
    assert "Société d'habitation du Québec" in html and "Organisme gouvernemental" in html
    assert "NOTE-INTERNE" not in html and "PARTENAIRE-INACTIF" not in html


def test_it_serves_story_images_checked_by_content_without_sniffing(client, site):
    response = client.get(reverse("newsletter:story-image", args=[site["published"].public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_it_shows_the_public_home_to_visitors_and_the_work_home_to_staff(
    client, login, site, personas
):
    html = _text(client.get("/"))
    assert "Un milieu de vie partagé" in html and "S'abonner à l'infolettre" in html
    assert 'name="website"' in html  # the honeypot
    signed_in = _text(login(personas["organizer_a"]).get("/"))
    assert "Répertoire des organismes d'habitation" in signed_in


def test_it_lists_lab_stories_on_the_labs_page(client, site):
    html = _text(client.get(reverse("newsletter:labs")))
    assert "Un milieu de vie partagé" in html
    assert "Un jardin qui nourrit le voisinage" not in html  # not a lab
    assert "Espace Lafleur" in html


def test_it_feeds_only_published_stories_and_sent_editions(client, site):
    response = client.get(reverse("newsletter:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    xml = response.content.decode()
    assert xml.count("<entry>") == 3
    assert "Un milieu de vie partagé" in xml and "Les laboratoires prennent racine" in xml
    assert "SECRETE" not in xml


def test_it_keeps_list_pages_at_a_constant_number_of_queries(
    client, site, django_assert_max_num_queries
):
    for i in range(15):
        project = make_project(f"Projet {i}")
        make_story(project, f"Histoire {i}")
    with django_assert_max_num_queries(8):
        assert client.get(reverse("newsletter:story-list")).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/").status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(reverse("newsletter:archive")).status_code == 200


# --------------------------------------------------------------------------- writing stories


def test_it_lets_an_organizer_write_and_publish_the_story_of_a_project_they_may_edit(
    client, login, site, personas
):
    project = make_project("Café-rencontre", buildings=[site["lab"].buildings.first()])
    edit = reverse("newsletter:story-edit", args=[project.public_id])
    assert login(personas["organizer_b"]).get(edit).status_code == 404
    assert login(personas["partner"]).get(edit).status_code == 404

    client = login(personas["organizer_a"])
    response = client.post(
        edit,
        {
            "title": "Un café pour se rencontrer",
            "body": 'Des voisins se retrouvent.<img src=x onerror="alert(1)">',
            "image_file": png_upload(),
            "image_alt": "Des tasses sur une table",
        },
    )
    assert response.status_code == 302
    story = Story.objects.get(project=project)
    assert story.status == StoryStatus.DRAFT and story.image_type == "image/png"
    assert "onerror" not in story.body and "<img" not in story.body
    public = reverse("newsletter:story-detail", args=[story.public_id])
    assert Client_get(public).status_code == 404

    publish = reverse("newsletter:story-publish", args=[project.public_id])
    client.post(publish, {})  # without the attestation: refused
    story.refresh_from_db()
    assert story.status == StoryStatus.DRAFT
    client.post(publish, {"no_personal_information": "on"})
    story.refresh_from_db()
    assert story.status == StoryStatus.PUBLISHED and story.published_by == personas["organizer_a"]
    assert Client_get(public).status_code == 200

    unpublish = reverse("newsletter:story-unpublish", args=[project.public_id])
    for name in ("organizer_b", "partner", "worker_a"):
        other = Client_logged_in(personas[name])
        assert other.post(unpublish).status_code == 404
        assert other.post(publish, {"no_personal_information": "on"}).status_code == 404
    story.refresh_from_db()
    assert story.status == StoryStatus.PUBLISHED
    client.post(unpublish)
    story.refresh_from_db()
    assert story.status == StoryStatus.DRAFT
    assert Client_get(public).status_code == 404


def Client_logged_in(user):  # noqa: N802 - a second browser, signed in as someone else
    from django.test import Client

    other = Client()
    other.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if user.membership.requires_two_factor:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.create(user=user, name="Test", confirmed=True)
        session = other.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return other


def Client_get(url):  # noqa: N802 - an anonymous visitor, whatever the test's client is doing
    from django.test import Client

    return Client().get(url)


def test_it_refuses_fake_images_and_contact_details_in_a_story(login, site, personas):
    project = site["lab"]
    Story.objects.filter(project=project).delete()
    client = login(personas["organizer_a"])
    edit = reverse("newsletter:story-edit", args=[project.public_id])
    fake = SimpleUploadedFile("photo.png", b"<?php echo 'hello'; ?>", content_type="image/png")
    response = client.post(
        edit, {"title": "Titre", "body": "Texte", "image_file": fake, "image_alt": "Image"}
    )
    assert response.status_code == 200
    assert "n'est pas une image JPEG ou PNG" in _text(response)

    response = client.post(
        edit,
        {"title": "Titre", "body": "Écrivez à marie@example.org ou au 418 555-0123."},
    )
    html = _text(response)
    assert response.status_code == 200 and "aucun renseignement personnel" in html
    assert not Story.objects.filter(project=project).exists()

    big = SimpleUploadedFile("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * (2 * 1024 * 1024))
    response = client.post(
        edit, {"title": "Titre", "body": "Texte", "image_file": big, "image_alt": "Image"}
    )
    assert "taille maximale de 2 Mo" in _text(response)


def test_it_sanitizes_text_sections_of_scripts_and_event_handlers(personas, site):
    section = services.section_save(
        user=personas["coordination"],
        section=Section(
            edition=site["draft_edition"],
            kind=SectionKind.TEXT,
            body=(
                '<p onmouseover="steal()">Bonjour <a href="javascript:alert(1)">ici</a> '
                '<a href="https://example.org" onclick="x()">là</a></p>'
                "<script>document.cookie</script><style>body{}</style>"
                '<iframe src="https://evil.example"></iframe><img src=x onerror=alert(1)>'
            ),
        ),
    )
    body = section.body
    for bad in (
        "<script",
        "document.cookie",
        "onmouseover",
        "onclick",
        "javascript:",
        "<iframe",
        "<img",
        "onerror",
        "<style",
    ):
        assert bad not in body, bad
    assert '<a href="https://example.org" rel="noopener noreferrer">là</a>' in body
    assert body.startswith("<p>Bonjour")
