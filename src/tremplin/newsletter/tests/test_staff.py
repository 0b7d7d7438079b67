"""The coordination's newsletter pages: who may open them, the edition editor, the preview
served under its own Content-Security-Policy, the test send, sending from the page, imports."""

from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tremplin.conftest import all_personas_but
from tremplin.imports.models import ImportRecord
from tremplin.newsletter.models import (
    ConsentMethod,
    Edition,
    EditionStatus,
    Section,
    SectionKind,
    SitePage,
    Subscriber,
    SubscriberImport,
    SubscriberStatus,
)

from .conftest import (
    make_edition,
    make_project,
    make_story,
    make_subscribers,
    png_upload,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

NOT_COORDINATION = all_personas_but("coordination", "worker_b", "supervisor_b")


def _text(response) -> str:
    return unescape(response.content.decode())


@pytest.fixture
def edition(personas):
    return make_edition(4, "Bilan de l'année", season="winter", year=2026)


def _staff_urls(edition) -> list[tuple[str, str]]:
    section = edition.sections.first()
    subscriber = make_subscribers(1, prefix="staff")[0]
    e = [edition.public_id]
    s = [section.public_id]
    return [
        ("get", reverse("newsletter:edition-list")),
        ("get", reverse("newsletter:edition-create")),
        ("get", reverse("newsletter:edition-detail", args=e)),
        ("get", reverse("newsletter:edition-edit", args=e)),
        ("post", reverse("newsletter:edition-delete", args=e)),
        ("get", reverse("newsletter:section-create", args=[edition.public_id, "text"])),
        ("get", reverse("newsletter:section-edit", args=s)),
        ("post", reverse("newsletter:section-delete", args=s)),
        ("post", reverse("newsletter:section-move", args=s)),
        ("get", reverse("newsletter:edition-preview", args=e)),
        ("get", reverse("newsletter:edition-preview-frame", args=e)),
        ("post", reverse("newsletter:edition-test-send", args=e)),
        ("get", reverse("newsletter:edition-send", args=e)),
        ("post", reverse("newsletter:edition-resume", args=e)),
        ("post", reverse("newsletter:edition-cancel", args=e)),
        ("get", reverse("newsletter:edition-progress", args=e)),
        ("get", reverse("newsletter:subscriber-list")),
        ("post", reverse("newsletter:subscriber-unsubscribe", args=[subscriber.public_id])),
        ("get", reverse("newsletter:subscriber-import")),
        ("get", reverse("imports:upload", args=["subscribers"])),
        ("get", reverse("newsletter:page-list")),
        ("get", reverse("newsletter:page-edit", args=["a-propos"])),
    ]


def test_it_answers_404_to_everyone_but_the_coordination(client, login, personas, edition):
    urls = _staff_urls(edition)
    for name in NOT_COORDINATION:
        client = login(personas[name])
        for method, url in urls:
            response = getattr(client, method)(url)
            assert response.status_code == 404, f"{name} {method} {url}: {response.status_code}"
    # Nothing was changed by those attempts.
    assert Edition.objects.filter(pk=edition.pk, status=EditionStatus.DRAFT).exists()
    assert edition.sections.count() == 1
    client.logout()
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/comptes/connexion/" in response["Location"]
    client = login(personas["coordination"])
    for method, url in urls:
        if method == "get":
            expected = 302 if url == reverse("newsletter:subscriber-import") else 200
            assert client.get(url).status_code == expected, url


def test_it_lets_only_organizers_and_the_coordination_open_the_story_pages(login, personas):
    url = reverse("newsletter:story-manage")
    for name in ("worker_a", "partner", "researcher", "housing_manager", "no_role"):
        assert login(personas[name]).get(url).status_code == 404, name
    for name in ("organizer_a", "coordination"):
        assert login(personas[name]).get(url).status_code == 200, name


def test_it_builds_an_edition_section_by_section(login, personas):
    client = login(personas["coordination"])
    project = make_project("Lab-Emploi", kind="lab")
    story = make_story(project, "Un premier pas vers l'emploi")
    unpublished = make_story(make_project("Brouillon"), "Pas encore publiée", published=False)

    response = client.post(
        reverse("newsletter:edition-create"),
        {"number": 6, "season": "spring", "year": 2026, "title": "Printemps", "title_en": ""},
    )
    edition = Edition.objects.get(number=6)
    assert response["Location"] == reverse("newsletter:edition-detail", args=[edition.public_id])
    # The same season twice: a French message, not an error page.
    response = client.post(
        reverse("newsletter:edition-create"),
        {"number": 7, "season": "spring", "year": 2026, "title": "Doublon"},
    )
    assert response.status_code == 200 and "Saison" in _text(response)
    assert not Edition.objects.filter(number=7).exists()

    add = lambda kind: reverse("newsletter:section-create", args=[edition.public_id, kind])  # noqa: E731
    client.post(add("text"), {"heading": "Ouverture", "body": "Premier paragraphe.\n\nSecond."})
    client.post(add("image"), {"image_alt": "Une photo", "image_file": png_upload()})
    client.post(add("story"), {"story": story.pk})
    response = client.post(add("story"), {"story": unpublished.pk})
    assert response.status_code == 200  # an unpublished story is not offered
    response = client.post(add("image"), {"image_alt": "Sans image"})
    assert "Choisissez une image." in _text(response)
    fake = SimpleUploadedFile("x.png", b"GIF89a....", content_type="image/png")
    response = client.post(add("image"), {"image_alt": "Fausse", "image_file": fake})
    assert "n'est pas une image JPEG ou PNG" in _text(response)
    assert client.get(add("nope")).status_code == 404

    sections = list(edition.sections.all())
    assert [s.kind for s in sections] == ["text", "image", "story"]
    assert sections[0].body == "<p>Premier paragraphe.</p><p>Second.</p>"

    client.post(
        reverse("newsletter:section-move", args=[sections[2].public_id]), {"direction": "up"}
    )
    assert [s.kind for s in edition.sections.all()] == ["text", "story", "image"]
    assert [s.position for s in edition.sections.all()] == [0, 1, 2]
    client.post(reverse("newsletter:section-delete", args=[sections[1].public_id]))
    assert [s.kind for s in edition.sections.all()] == ["text", "story"]

    detail = _text(client.get(reverse("newsletter:edition-detail", args=[edition.public_id])))
    assert "Premier paragraphe." in detail and "Un premier pas vers l'emploi" in detail


def test_it_previews_the_email_in_a_sandboxed_frame_with_its_own_policy(login, personas, edition):
    client = login(personas["coordination"])
    Section.objects.create(
        edition=edition,
        position=1,
        kind=SectionKind.TEXT,
        body='<p>Un <a href="https://example.org">lien</a>.</p>',
    )
    page = client.get(reverse("newsletter:edition-preview", args=[edition.public_id]))
    html = _text(page)
    assert page.status_code == 200
    assert 'sandbox="allow-popups allow-popups-to-escape-sandbox"' in html
    assert "Se désabonner : http://testserver/infolettre/desabonnement/" in html  # text part
    assert "unsafe-inline" not in page["Content-Security-Policy"]

    frame = client.get(reverse("newsletter:edition-preview-frame", args=[edition.public_id]))
    policy = frame["Content-Security-Policy"]
    assert "style-src 'unsafe-inline'" in policy and "default-src 'none'" in policy
    assert "script-src" not in policy  # falls back to default-src 'none': no script at all
    assert "frame-ancestors 'self'" in policy and "sandbox allow-popups" in policy
    assert frame["X-Frame-Options"] == "SAMEORIGIN"
    body = frame.content.decode()
    assert body.startswith("<!DOCTYPE html>") and '<base target="_blank">' in body
    assert 'style="margin:0 0 16px 0;"' in body  # the email's inline styles, as sent

    english = client.get(
        reverse("newsletter:edition-preview-frame", args=[edition.public_id]) + "?langue=en"
    )
    assert 'lang="en-CA"' in english.content.decode()


def test_it_sends_a_test_to_the_coordinators_own_address(smtp, login, personas, edition):
    client = login(personas["coordination"])
    response = client.post(
        reverse("newsletter:edition-test-send", args=[edition.public_id]), {"language": "fr"}
    )
    assert response.status_code == 302
    [message] = smtp.wait_for(1)
    assert message.to == "coordination@example.org"
    assert message.subject.startswith("[Essai] Bilan de l'année")
    assert "Envoi d'essai" in message.part("plain")
    edition.refresh_from_db()
    assert edition.status == EditionStatus.DRAFT  # a test changes nothing

    personas["coordination"].email = ""
    personas["coordination"].save()
    response = client.post(
        reverse("newsletter:edition-test-send", args=[edition.public_id]), follow=True
    )
    assert "n'a pas d'adresse courriel" in _text(response)


def test_it_sends_from_the_edition_page_and_shows_the_progress(
    smtp, immediate_tasks, login, personas, edition
):
    subscribers = make_subscribers(4)
    client = login(personas["coordination"])
    page = client.get(reverse("newsletter:edition-send", args=[edition.public_id]))
    assert "4 personnes abonnées" in _text(page)

    response = client.post(reverse("newsletter:edition-send", args=[edition.public_id]), {})
    assert response.status_code == 302, _text(response)[-3000:]
    assert sorted(smtp.recipients()) == sorted(s.email for s in subscribers)
    progress = _text(
        client.get(
            reverse("newsletter:edition-progress", args=[edition.public_id]),
            headers={"HX-Request": "true"},
        )
    )
    assert progress.lstrip().startswith('<div id="progress"')
    assert "4 envoyés · 0 échecs · 0 non envoyés" in progress
    assert "hx-trigger" not in progress  # finished: no more polling
    # Sent: no more changes, no second send.
    assert (
        client.post(reverse("newsletter:edition-send", args=[edition.public_id])).status_code == 302
    )
    assert len(smtp.messages) == 4
    response = client.post(
        reverse("newsletter:section-create", args=[edition.public_id, "text"]),
        {"body": "Trop tard"},
        follow=True,
    )
    assert "ne se modifie plus" in _text(response)
    assert edition.sections.count() == 1


def test_it_keeps_staff_lists_at_a_constant_number_of_queries(
    login, personas, django_assert_max_num_queries
):
    client = login(personas["coordination"])
    for number in range(1, 9):
        make_edition(number, f"Édition {number}", sent=True, year=2000 + number)
    make_subscribers(60)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("newsletter:edition-list")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("newsletter:subscriber-list") + "?page=2").status_code == 200


def test_it_edits_the_about_page_in_both_languages_sanitized(client, login, personas):
    staff = login(personas["coordination"])
    staff.post(
        reverse("newsletter:page-edit", args=["a-propos"]),
        {
            "title": "Le programme",
            "title_en": "The program",
            "body": "Depuis 2008.<script>alert(1)</script>",
            "body_en": "<p onclick=x()>Since 2008.</p>",
        },
    )
    page = SitePage.objects.get(slug="a-propos")
    assert page.body == "<p>Depuis 2008.</p>" and page.body_en == "<p>Since 2008.</p>"
    assert page.updated_by == personas["coordination"]
    staff.logout()
    assert "Depuis 2008." in _text(client.get(reverse("newsletter:about")))
    assert client.get(reverse("newsletter:page-edit", args=["inconnue"])).status_code == 302


# --------------------------------------------------------------------------- imports


CSV = (
    "Nom;Courriel;Langue;Date du consentement;Source du consentement\n"
    "Marie;marie@example.org;fr;2025-06-06;Fiche papier, rassemblement régional\n"
    "John;JOHN@example.org;anglais;2025-06-06;\n"
    "Sans;;fr;2025-06-06;\n"
    "Mauvais;pas-un-courriel;fr;2025-06-06;\n"
    "Futur;futur@example.org;fr;2999-01-01;\n"
    "Sans date;sansdate@example.org;fr;;\n"
    "Date;illisible@example.org;fr;6 juin;\n"
    "Langue;langue@example.org;klingon;2025-06-06;\n"
    "Doublon;marie@example.org;fr;2025-06-06;\n"
    "Parti;parti000@example.org;fr;2025-06-06;\n"
    "Déjà;deja000@example.org;fr;2025-06-06;\n"
    "Attente;attente000@example.org;en;2025-05-01;\n"
)


def _upload(client, content: bytes, name="liste.csv", source="Liste du rassemblement 2025"):
    """Upload through the shared import pages; a readable file goes on to the mapping step,
    whose pre-filled choices are confirmed as they are, and then to the review."""
    response = client.post(
        reverse("imports:upload", args=["subscribers"]),
        {"file": SimpleUploadedFile(name, content), "source": source, "attestation": "on"},
    )
    if response.status_code != 302:
        return response
    mapping = client.get(response["Location"])
    form = mapping.context["form"]
    data = {name: field.initial for name, field in form.fields.items()}
    return client.post(response["Location"], data)


def test_it_imports_consenting_people_after_a_dry_run_with_french_reasons(login, personas):
    make_subscribers(1, status=SubscriberStatus.UNSUBSCRIBED, prefix="parti")
    make_subscribers(1, prefix="deja")
    make_subscribers(1, status=SubscriberStatus.PENDING, prefix="attente")
    client = login(personas["coordination"])
    assert client.get(reverse("newsletter:subscriber-import"))["Location"] == reverse(
        "imports:upload", args=["subscribers"]
    )

    response = _upload(client, CSV.encode("cp1252", errors="strict"))
    assert response.status_code == 302
    record = ImportRecord.objects.get()
    assert response["Location"] == reverse("imports:review", args=[record.public_id])
    review = _text(client.get(response["Location"]))
    assert Subscriber.objects.count() == 3  # a dry run writes nothing
    for reason in (
        "Courriel manquant.",
        "« pas-un-courriel » n'est pas une adresse courriel valide.",
        "La date du consentement est dans le futur.",
        "Date du consentement manquante",
        "« 6 juin » n'est pas une date (colonne « Date du consentement ») : écrivez AAAA-MM-JJ",
        "Langue « klingon » inconnue : indiquez fr ou en.",
        "Adresse en double dans le fichier (déjà à la ligne 2).",
        "Cette personne s'est désabonnée",
    ):
        assert reason in review, reason
    assert "Colonnes ignorées : « Nom »" in review

    client.post(response["Location"])
    record.refresh_from_db()
    assert record.counts == {"created": 2, "updated": 1, "unchanged": 1, "rejected": 8}
    marie = Subscriber.objects.get(email="marie@example.org")
    assert (
        marie.status == SubscriberStatus.CONFIRMED and marie.consent_method == ConsentMethod.IMPORT
    )
    assert marie.consent_source == "Fiche papier, rassemblement régional"
    assert timezone.localdate(marie.consent_at).isoformat() == "2025-06-06"
    john = Subscriber.objects.get(email="john@example.org")
    assert john.language == "en" and john.consent_source == "Liste du rassemblement 2025"
    assert (
        Subscriber.objects.get(email="attente000@example.org").status == SubscriberStatus.CONFIRMED
    )
    assert (
        Subscriber.objects.get(email="parti000@example.org").status == SubscriberStatus.UNSUBSCRIBED
    )
    assert Subscriber.objects.count() == 5
    assert marie.import_batch == SubscriberImport.objects.get()
    assert bytes(record.content) == b""  # the file (with its names) is not kept

    # Applying twice does nothing more.
    client.post(reverse("imports:review", args=[record.public_id]))
    assert Subscriber.objects.count() == 5


def test_it_imports_an_excel_workbook_with_real_dates(login, personas):
    import datetime as dt

    content = xlsx_bytes(
        [
            ["Courriel", "Langue", "Date du consentement"],
            ["a@example.org", "Français", dt.datetime(2024, 9, 14)],
            ["b@example.org", None, dt.date(2024, 9, 15)],
        ]
    )
    client = login(personas["coordination"])
    response = _upload(client, content, name="liste.xlsx")
    client.post(response["Location"])
    assert sorted(Subscriber.objects.values_list("email", "language")) == [
        ("a@example.org", "fr"),
        ("b@example.org", "fr"),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "est vide"),
        (b"%PDF-1.4 ...", "PDF ne peut pas être importé"),
        (b"PK\x03\x04 not really a workbook", "Le fichier Excel est illisible"),
    ],
)
def test_it_explains_unreadable_files_in_french(login, personas, content, message):
    response = _upload(login(personas["coordination"]), content)
    assert response.status_code == 200
    assert message in _text(response)
    assert not ImportRecord.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "Nom;Ville\nMarie;Lévis\n".encode(),
            "Champ obligatoire sans colonne : « Courriel », « Date du consentement ». "
            "En-têtes du fichier : « Nom », « Ville ».",
        ),
        (
            b"Courriel\nmarie@example.org\n",
            "Champ obligatoire sans colonne : « Date du consentement »",
        ),
    ],
)
def test_it_lists_the_headers_and_the_missing_fields_before_reading_rows(
    login, personas, content, message
):
    response = _upload(login(personas["coordination"]), content)
    assert response.status_code == 200  # the mapping page again, with what is missing
    assert message in _text(response)
    assert not Subscriber.objects.exists()
    assert ImportRecord.objects.get().status == ImportRecord.Status.DRAFT


def test_it_requires_the_consent_attestation_to_import(login, personas):
    client = login(personas["coordination"])
    response = client.post(
        reverse("imports:upload", args=["subscribers"]),
        {"file": SimpleUploadedFile("l.csv", CSV.encode()), "source": "Liste"},
    )
    assert "Cochez la case pour confirmer le consentement." in _text(response)
    assert not ImportRecord.objects.exists()
