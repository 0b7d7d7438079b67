"""Project pages: list (filters, search, totals, query count, exports), detail, forms,
activities, deletion, attachments, my work — and who gets a 404."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tremplin.audit.models import AuditEntry
from tremplin.housing.models import Building
from tremplin.partners.models import Partner, PartnerKind
from tremplin.projects import services
from tremplin.projects.models import (
    Accompaniment,
    Determinant,
    Project,
    ProjectActivity,
    ProjectAttachment,
    ProjectFunding,
    ProjectPartner,
    Status,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%fake\n"


def make_project(
    *,
    title="Cuisine collective",
    buildings=(),
    providers=(),
    status=Status.UNDER_WAY,
    start=dt.date(2008, 9, 1),
    end=None,
    user=None,
    kind="food",
    **fields,
):
    determinants = fields.pop("determinants", None)
    target_groups = fields.pop("target_groups", None)
    m2m = {}
    if determinants is not None:
        m2m["determinants"] = determinants
    if target_groups is not None:
        m2m["target_groups"] = target_groups
    return services.project_save(
        user=user,
        project=Project(
            title=title, kind=kind, status=status, start_date=start, end_date=end, **fields
        ),
        sites=(list(buildings), list(providers)),
        **m2m,
    )


def log(
    project, *, date=dt.date(2008, 10, 1), participants=10, tenants=5, title="Atelier", user=None
):
    # An activity is always logged by someone.
    user = user or project.lead_organizer
    if user is None:
        user, _ = get_user_model().objects.get_or_create(username="saisie")
    return services.activity_log(
        user=user,
        activity=ProjectActivity(
            project=project, date=date, title=title, participants=participants, tenants=tenants
        ),
    )


# --------------------------------------------------------------------------- list


def test_it_lists_projects_with_totals_computed_from_activities(
    login, project_a, project_b, personas
):
    response = login(personas["worker_a"]).get(reverse("projects:project-list"))
    assert response.status_code == 200
    totals = response.context["totals"]
    activities = ProjectActivity.objects.all()
    assert totals["projects"] == 2
    assert totals["activities"] == activities.count() == 2
    assert totals["participants"] == sum(a.participants for a in activities) == 20
    assert "Cuisine collective de Lévis" in response.text
    assert "Jardin communautaire" in response.text


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "LEVIS cuisine"}, {"Cuisine collective de Lévis"}),
        ({"q": "saint-georges jardin"}, {"Jardin communautaire de Saint-Georges"}),
        ({"q": "repas partages"}, {"Cuisine collective de Lévis"}),
        ({"q": "cuisine jardin"}, set()),
        ({"territory": "beauce"}, {"Jardin communautaire de Saint-Georges"}),
        ({"kind": "food"}, {"Cuisine collective de Lévis"}),
        ({"status": "completed"}, {"Jardin communautaire de Saint-Georges"}),
        ({"year": "2008"}, {"Cuisine collective de Lévis"}),
        (
            {"year": "2010"},
            {"Cuisine collective de Lévis", "Jardin communautaire de Saint-Georges"},
        ),
        ({"determinant": "securite-alimentaire"}, {"Cuisine collective de Lévis"}),
        ({"clientele": "familles"}, {"Jardin communautaire de Saint-Georges"}),
    ],
)
def test_it_filters_the_list(login, world, project_a, project_b, personas, params, expected):
    project_a.determinants.set(Determinant.objects.filter(code="securite-alimentaire"))
    project_b.target_groups.set([world["families"]])
    response = login(personas["coordination"]).get(reverse("projects:project-list"), params)
    assert {p.title for p in response.context["rows"]} == expected


def test_it_filters_by_team_organizer_and_partner(login, world, project_a, project_b, personas):
    partner = Partner.objects.create(name="Moisson Beauce", kind=PartnerKind.OTHER)
    ProjectPartner.objects.create(project=project_b, partner=partner, role="Denrées")
    client = login(personas["coordination"])
    url = reverse("projects:project-list")

    def titles(params):
        return {p.title for p in client.get(url, params).context["rows"]}

    assert titles({"team": str(world["team"].public_id)}) == {project_a.title}
    assert titles({"organizer": personas["organizer_b"].pk}) == {project_b.title}
    assert titles({"partner": str(partner.public_id)}) == {project_b.title}


def test_it_renders_only_the_results_for_htmx(login, project_a, personas):
    response = login(personas["coordination"]).get(
        reverse("projects:project-list"), {"q": "cuisine"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="results"')
    assert "<html" not in response.text


def _many_projects(world, organizer, count):
    for i in range(count):
        project = make_project(
            title=f"Projet {i}",
            buildings=[world["building_a"] if i % 2 else world["building_b"]],
            lead_organizer=organizer,
        )
        log(project, participants=i + 1, tenants=0)
        log(project, date=dt.date(2008, 12, 1), participants=1, tenants=1)


def test_it_lists_with_a_constant_number_of_queries(
    login, world, personas, django_assert_max_num_queries
):
    client = login(personas["coordination"])
    url = reverse("projects:project-list")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for total in (5, 40):
        _many_projects(world, personas["organizer_a"], total - Project.objects.count())
        # 15 for the page, plus the coordination's TOTP device read by django-otp's middleware.
        with django_assert_max_num_queries(16), CaptureQueriesContext(connection) as ctx:
            response = client.get(url, {"per_page": 50})
        assert response.context["totals"]["projects"] == total
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    activities = ProjectActivity.objects.all()
    totals = response.context["totals"]
    assert totals["activities"] == 80
    assert totals["participants"] == sum(a.participants for a in activities)


def test_it_paginates_with_bounded_page_sizes(login, world, personas):
    _many_projects(world, personas["organizer_a"], 30)
    client = login(personas["coordination"])
    response = client.get(reverse("projects:project-list"), {"per_page": 7, "page": 2})
    assert response.context["per_page"] == 25
    assert len(response.context["rows"]) == 5
    assert response.context["pages"] == 2


def test_it_exports_the_filtered_list_as_csv_and_xlsx(login, project_a, project_b, personas):
    from openpyxl import load_workbook

    client = login(personas["partner"])
    response = client.get(reverse("projects:export-csv"), {"territory": "grand-littoral"})
    assert response.status_code == 200
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][0] == "Titre"
    assert len(rows) == 2
    row = rows[1]
    assert row[0] == "Cuisine collective de Lévis"
    assert row[3] == "2008-09-01"
    assert row[5] == "Grand Littoral"
    assert "25, rue Saint-Louis, Lévis" in row[6]
    assert row[7] == "organizer_a"
    assert row[8:] == ["2", "20", "17"]

    response = client.get(reverse("projects:export-xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 3
    by_title = {v[0]: v for v in values[1:]}
    assert by_title["Cuisine collective de Lévis"][8:] == (2, 20, 17)
    assert by_title["Jardin communautaire de Saint-Georges"][8:] == (0, 0, 0)


# --------------------------------------------------------------------------- detail


def test_it_shows_the_project_page_with_participation_from_activities(
    login, world, project_a, personas
):
    response = login(personas["housing_manager"]).get(
        reverse("projects:project-detail", args=[project_a.public_id])
    )
    assert response.status_code == 200
    assert response.context["participation"] == {"activities": 2, "participants": 20, "tenants": 17}
    assert reverse("housing:building-detail", args=[world["building_a"].public_id]) in response.text
    assert not response.context["can_edit"]
    assert reverse("projects:project-edit", args=[project_a.public_id]) not in response.text


def test_it_links_funding_only_to_commitments_the_user_may_see(login, funding, project_a, personas):
    ProjectFunding.objects.create(
        project=project_a, commitment=funding["services"], amount=Decimal("1500")
    )
    url = reverse("projects:project-detail", args=[project_a.public_id])
    link = reverse("partners:commitment-detail", args=[funding["services"].public_id])
    assert link in login(personas["organizer_a"]).get(url).text
    # The partner (SHQ) may not open the CSSS's commitment, but sees the amount.
    text = login(personas["partner"]).get(url).text
    assert link not in text
    assert "1 500 $" in text.replace("\xa0", " ").replace("\u202f", " ")


# --------------------------------------------------------------------------- create and edit


def _form_data(world, **changes):
    data = {
        "title": "Atelier de cuisine",
        "kind": "food",
        "scope": "local",
        "status": "under_way",
        "start_date": "2009-01-10",
        "end_date": "",
        "summary": "",
        "buildings": [world["building_a"].pk],
        "providers": [],
        "determinants": [Determinant.objects.get(code="education").pk],
        "target_groups": [world["seniors"].pk],
        "tenants_on_committee": "3",
        "lead_organizer": "",
        "expected_results": "",
        "observed_results": "",
    }
    data.update(changes)
    return data


def test_it_creates_a_project_from_one_short_form(login, world, personas):
    client = login(personas["organizer_a"])
    assert client.get(reverse("projects:project-create")).status_code == 200
    response = client.post(reverse("projects:project-create"), _form_data(world))
    project = Project.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("projects:project-detail", args=[project.public_id])
    assert list(project.territories.all()) == [world["ta"]]
    assert [d.code for d in project.determinants.all()] == ["education"]
    assert list(project.target_groups.all()) == [world["seniors"]]
    assert project.tenants_on_committee == 3


def test_it_refuses_an_end_before_the_start(login, world, personas):
    client = login(personas["coordination"])
    response = client.post(
        reverse("projects:project-create"),
        _form_data(world, start_date="2009-05-01", end_date="2009-04-01"),
    )
    assert response.status_code == 200
    assert "La fin du projet précède son début." in response.text
    assert not Project.objects.exists()


def test_it_refuses_an_end_before_the_start_on_edit(login, world, project_a, personas):
    response = login(personas["organizer_a"]).post(
        reverse("projects:project-edit", args=[project_a.public_id]),
        _form_data(
            world,
            title="Titre changé",
            status="completed",
            start_date="2008-09-01",
            end_date="2008-08-31",
        ),
    )
    assert response.status_code == 200
    assert "La fin du projet précède son début." in response.text
    project_a.refresh_from_db()
    assert (project_a.title, project_a.status, project_a.end_date) == (
        "Cuisine collective de Lévis",
        Status.UNDER_WAY,
        None,
    )
    assert not AuditEntry.objects.filter(action="projects.project.update").exists()


def test_it_lets_only_the_lead_organizer_edit_a_regional_project(login, world, personas):
    regional = make_project(title="Forum régional", lead_organizer=personas["organizer_b"])
    url = reverse("projects:project-edit", args=[regional.public_id])
    assert login(personas["organizer_a"]).get(url).status_code == 404
    assert login(personas["organizer_b"]).get(url).status_code == 200
    assert login(personas["coordination"]).get(url).status_code == 200
    data = _form_data(world, title="Forum régional 2009", buildings=[])
    assert login(personas["organizer_a"]).post(url, data).status_code == 404
    assert login(personas["organizer_b"]).post(url, data).status_code == 302
    regional.refresh_from_db()
    assert regional.title == "Forum régional 2009"


def test_it_refuses_sites_outside_the_organizers_territories(login, world, personas):
    client = login(personas["organizer_a"])
    response = client.post(
        reverse("projects:project-create"),
        _form_data(world, buildings=[world["building_b"].pk]),
    )
    assert response.status_code == 200
    assert "Vous ne pouvez choisir que des sites de vos territoires." in response.text
    assert not Project.objects.exists()
    # The form offers only the organizer's buildings; the coordination sees them all.
    offered = response.context["form"].fields["buildings"].queryset
    assert list(offered) == [world["building_a"]]
    form = client.get(reverse("projects:project-create")).context["form"]
    assert form.initial["lead_organizer"] == personas["organizer_a"].pk
    all_buildings = login(personas["coordination"]).get(reverse("projects:project-create"))
    assert all_buildings.context["form"].fields["buildings"].queryset.count() == 2


def test_it_edits_a_project_of_the_organizers_territory(login, world, project_a, personas):
    client = login(personas["organizer_a"])
    url = reverse("projects:project-edit", args=[project_a.public_id])
    assert client.get(url).status_code == 200
    data = _form_data(world, title="Cuisine collective (2e saison)", start_date="2008-09-01")
    response = client.post(url, data)
    assert response.status_code == 302
    project_a.refresh_from_db()
    assert project_a.title == "Cuisine collective (2e saison)"
    assert AuditEntry.objects.filter(action="projects.project.update").count() == 1


# --------------------------------------------------------------------------- activities


def test_it_logs_an_activity(login, project_a, personas):
    client = login(personas["organizer_a"])
    url = reverse("projects:activity-create", args=[project_a.public_id])
    form = client.get(url).context["form"]
    assert form.initial["date"] == dt.date.today()
    response = client.post(
        url, {"date": "2009-01-15", "title": "Repas", "participants": "14", "tenants": "11"}
    )
    assert response.status_code == 302
    activity = project_a.activities.get(title="Repas")
    assert (activity.participants, activity.tenants, activity.logged_by) == (
        14,
        11,
        personas["organizer_a"],
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"date": "2008-08-31"},
            "L&#x27;activité est datée avant le début du projet (2008-09-01).",
        ),
        ({"date": "2099-01-01"}, "Une activité ne peut pas être inscrite à l&#x27;avance"),
        ({"participants": "-3"}, "supérieure ou égale à 0"),
        ({"tenants": "-1"}, "supérieure ou égale à 0"),
        ({"youth": "-2"}, "supérieure ou égale à 0"),
        ({"participants": "4", "tenants": "5"}, "Il ne peut y avoir plus de locataires"),
        ({"seniors": "30"}, "Ce nombre dépasse celui des participant·es."),
    ],
)
def test_it_refuses_bad_activities(login, project_a, personas, changes, message):
    before = ProjectActivity.objects.count()
    data = {"date": "2009-01-15", "title": "Repas", "participants": "14", "tenants": "11"}
    data.update(changes)
    response = login(personas["organizer_a"]).post(
        reverse("projects:activity-create", args=[project_a.public_id]), data
    )
    assert response.status_code == 200
    assert message in response.text
    assert ProjectActivity.objects.count() == before


def test_it_refuses_an_activity_after_the_end(login, project_b, personas):
    response = login(personas["organizer_b"]).post(
        reverse("projects:activity-create", args=[project_b.public_id]),
        {"date": "2010-10-01", "title": "Récolte", "participants": "5", "tenants": "5"},
    )
    assert "L&#x27;activité est datée après la fin du projet (2010-09-30)." in response.text
    assert not project_b.activities.exists()


# --------------------------------------------------------------------------- delete


def test_it_asks_for_confirmation_before_deleting_and_keeps_an_audit_entry(
    login, project_a, personas
):
    client = login(personas["coordination"])
    url = reverse("projects:project-delete", args=[project_a.public_id])
    response = client.get(url)
    assert response.status_code == 200
    assert "Ses 2 activités inscrites seront aussi supprimées." in response.text
    assert Project.objects.filter(pk=project_a.pk).exists()
    response = client.post(url)
    assert response.status_code == 302
    assert not Project.objects.filter(pk=project_a.pk).exists()
    assert not ProjectActivity.objects.exists()
    entry = AuditEntry.objects.get(action="projects.project.delete")
    assert entry.data == {"title": "Cuisine collective de Lévis", "activities": 2}


def test_it_deletes_a_project_with_its_funding_lines_and_files_and_says_so(
    login, media, funding, project_a, personas, django_capture_on_commit_callbacks
):
    ProjectFunding.objects.create(
        project=project_a, commitment=funding["services"], amount=Decimal("1500")
    )
    services.attachment_add(
        user=None, project=project_a, title="Affiche", upload=SimpleUploadedFile("a.png", PNG)
    )
    assert [path for path in media.rglob("*") if path.is_file()]
    client = login(personas["organizer_a"])
    url = reverse("projects:project-delete", args=[project_a.public_id])
    text = client.get(url).text
    assert "Sa ligne de financement sera retirée" in text
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert not ProjectFunding.objects.exists() and not ProjectAttachment.objects.exists()
    assert not [path for path in media.rglob("*") if path.is_file()]
    entry = AuditEntry.objects.get(action="projects.project.delete")
    assert entry.data["funding"] == [
        {"commitment": str(funding["services"].public_id), "amount": "1500.00"}
    ]


def test_it_asks_for_confirmation_before_deleting_a_project_without_activities(
    login, project_b, personas
):
    client = login(personas["organizer_b"])
    url = reverse("projects:project-delete", args=[project_b.public_id])
    text = client.get(url).text
    assert "Supprimer le projet « Jardin communautaire de Saint-Georges » ?" in text
    assert "activité" not in text.split("<h1>")[1].split("</form>")[0]
    assert Project.objects.filter(pk=project_b.pk).exists()


# --------------------------------------------------------------------------- permissions


def test_it_hides_editing_from_an_organizer_of_another_territory(login, project_a, personas):
    client = login(personas["organizer_b"])
    pid = project_a.public_id
    for name in ("project-edit", "project-delete", "activity-create"):
        assert client.get(reverse(f"projects:{name}", args=[pid])).status_code == 404
    assert client.post(reverse("projects:project-delete", args=[pid])).status_code == 404
    response = client.post(
        reverse("projects:activity-create", args=[pid]),
        {"date": "2009-01-15", "title": "Intrus", "participants": "1", "tenants": "0"},
    )
    assert response.status_code == 404
    response = client.post(
        reverse("projects:project-edit", args=[pid]),
        {"title": "Piraté", "kind": "food", "scope": "local", "status": "idea"},
    )
    assert response.status_code == 404
    project_a.refresh_from_db()
    assert project_a.title == "Cuisine collective de Lévis"
    assert project_a.activities.count() == 2
    # …but reads it.
    assert client.get(reverse("projects:project-detail", args=[pid])).status_code == 200


@pytest.mark.parametrize(
    "who",
    ["worker_a", "partner", "researcher", "housing_manager", "supervisor_a", "privacy_officer"],
)
def test_it_lets_other_roles_read_but_not_edit(login, project_a, personas, who):
    client = login(personas[who])
    pid = project_a.public_id
    assert client.get(reverse("projects:project-list")).status_code == 200
    assert client.get(reverse("projects:project-detail", args=[pid])).status_code == 200
    assert client.get(reverse("projects:my-work")).status_code == 200
    for name in ("project-edit", "project-delete", "activity-create"):
        assert client.get(reverse(f"projects:{name}", args=[pid])).status_code == 404
    assert client.get(reverse("projects:project-create")).status_code == 404
    assert (
        client.post(reverse("projects:attachment-add", args=[pid]), {"title": "x"}).status_code
        == 404
    )


def _all_urls(project, attachment=None):
    pid = project.public_id
    urls = [
        reverse("projects:project-list"),
        reverse("projects:export-csv"),
        reverse("projects:export-xlsx"),
        reverse("projects:project-create"),
        reverse("projects:my-work"),
        reverse("projects:project-detail", args=[pid]),
        reverse("projects:project-edit", args=[pid]),
        reverse("projects:project-delete", args=[pid]),
        reverse("projects:activity-create", args=[pid]),
    ]
    if attachment is not None:
        urls.append(reverse("projects:attachment-download", args=[attachment.public_id]))
    return urls


def test_it_shows_nothing_to_users_without_a_role_or_anonymous(
    client, login, media, project_a, personas
):
    attachment = services.attachment_add(
        user=None, project=project_a, title="Affiche", upload=SimpleUploadedFile("a.png", PNG)
    )
    urls = _all_urls(project_a, attachment)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/comptes/connexion/" in response.url, url
    no_role = login(personas["no_role"])
    for url in urls:
        assert no_role.get(url).status_code == 404, url


def test_it_answers_404_for_an_unknown_project(login, personas):
    import uuid

    client = login(personas["coordination"])
    assert client.get(reverse("projects:project-detail", args=[uuid.uuid4()])).status_code == 404


# --------------------------------------------------------------------------- attachments


def test_it_uploads_and_serves_attachments_to_readers(login, media, project_a, personas):
    client = login(personas["organizer_a"])
    url = reverse("projects:attachment-add", args=[project_a.public_id])
    client.post(url, {"title": "Affiche", "file": SimpleUploadedFile("affiche.png", PNG)})
    client.post(url, {"title": "Compte rendu", "file": SimpleUploadedFile("cr.pdf", PDF)})
    image = ProjectAttachment.objects.get(title="Affiche")
    pdf = ProjectAttachment.objects.get(title="Compte rendu")
    assert image.content_type == "image/png"
    assert str(media) in image.file.path

    reader = login(personas["partner"])
    detail = reader.get(reverse("projects:project-detail", args=[project_a.public_id])).text
    assert f'src="{reverse("projects:attachment-download", args=[image.public_id])}"' in detail

    response = reader.get(reverse("projects:attachment-download", args=[image.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == PNG

    response = reader.get(reverse("projects:attachment-download", args=[pdf.public_id]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    # Read to the end, as a WSGI server does (the test client then closes the response without
    # closing the test's database connection, which a bare close() would do on PostgreSQL).
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.png", b"#!/bin/sh\nrm -rf /\n", "ni une image (JPEG, PNG, WebP) ni un PDF"),
        ("rapport.pdf", b"<html><script>alert(1)</script>", "ni une image (JPEG, PNG, WebP)"),
        (
            "affiche.png",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "ni une image (JPEG, PNG, WebP) ni un PDF",
        ),
        ("vide.png", b"", "Le fichier soumis est vide."),
        ("grand.pdf", b"%PDF-" + b"0" * (8 * 1024 * 1024), "dépasse la taille maximale de 8 Mo"),
    ],
)
def test_it_refuses_bad_uploads(login, media, project_a, personas, name, content, message):
    client = login(personas["organizer_a"])
    response = client.post(
        reverse("projects:attachment-add", args=[project_a.public_id]),
        {"title": "Fichier", "file": SimpleUploadedFile(name, content)},
        follow=True,
    )
    assert message in response.text.replace("&#x27;", "'")
    assert not ProjectAttachment.objects.exists()
    assert not [path for path in media.rglob("*") if path.is_file()]
    assert not AuditEntry.objects.filter(action="projects.attachment.add").exists()


def test_it_accepts_an_upload_of_exactly_the_size_limit(login, media, project_a, personas):
    content = b"%PDF-" + b"0" * (ProjectAttachment.MAX_BYTES - 5)
    login(personas["organizer_a"]).post(
        reverse("projects:attachment-add", args=[project_a.public_id]),
        {"title": "Rapport annuel", "file": SimpleUploadedFile("rapport.pdf", content)},
    )
    attachment = ProjectAttachment.objects.get()
    assert attachment.size == ProjectAttachment.MAX_BYTES
    # Stored under a name of our own, never the uploaded one.
    assert attachment.file.name == (f"projects/{project_a.public_id}/{attachment.public_id}.pdf")


def test_it_refuses_an_upload_from_an_organizer_of_another_territory(
    login, media, project_a, personas
):
    response = login(personas["organizer_b"]).post(
        reverse("projects:attachment-add", args=[project_a.public_id]),
        {"title": "Intrus", "file": SimpleUploadedFile("a.png", PNG)},
    )
    assert response.status_code == 404
    assert not ProjectAttachment.objects.exists()
    assert not [path for path in media.rglob("*") if path.is_file()]


# --------------------------------------------------------------------------- my work


def test_it_shows_my_work(login, world, personas, django_assert_max_num_queries):
    me = personas["organizer_a"]
    today = dt.date.today()
    quiet = make_project(title="Projet tranquille", lead_organizer=me, start=dt.date(2020, 1, 1))
    log(quiet, date=today - dt.timedelta(days=45))
    busy = make_project(title="Projet actif", start=dt.date(2020, 1, 1))
    busy.staff.add(me)
    log(busy, date=today - dt.timedelta(days=3))
    make_project(title="Projet à venir", lead_organizer=me, status=Status.PREPARATION, start=None)
    make_project(
        title="Projet fini",
        lead_organizer=me,
        status=Status.COMPLETED,
        start=dt.date(2020, 1, 1),
        end=dt.date(2020, 6, 1),
    )
    make_project(title="Projet d'un autre", lead_organizer=personas["organizer_b"])
    open_one = Accompaniment.objects.create(
        organizer=me, provider=world["omh_a"], start_date=dt.date(2021, 1, 1)
    )
    Accompaniment.objects.create(
        organizer=me,
        provider=world["omh_b"],
        start_date=dt.date(2019, 1, 1),
        end_date=dt.date(2019, 12, 31),
    )
    client = login(me)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("projects:my-work"))
    assert {p.title for p in response.context["projects"]} == {
        "Projet tranquille",
        "Projet actif",
        "Projet à venir",
    }
    assert [p.title for p in response.context["to_log"]] == ["Projet tranquille"]
    assert response.context["accompaniments"] == [open_one]


def test_it_keeps_an_organizers_buildings_of_another_territory_on_edit(login, world, personas):
    project = make_project(buildings=[world["building_a"], world["building_b"]])
    client = login(personas["organizer_a"])
    data = _form_data(
        world,
        start_date="2008-09-01",
        buildings=[world["building_a"].pk, world["building_b"].pk],
    )
    response = client.post(reverse("projects:project-edit", args=[project.public_id]), data)
    assert response.status_code == 302
    assert set(project.buildings.all()) == set(Building.objects.all())


@pytest.mark.parametrize("sort", ["-start", "start", "title", "-participants"])
def test_it_shows_every_project_once_across_the_pages_of_each_sort(login, world, personas, sort):
    # Titles, dates and participation repeat: pages must still split one fixed order.
    for i in range(30):
        project = make_project(
            title=f"Atelier {i % 3}",
            buildings=[world["building_a"]],
            start=dt.date(2009, 1, 1 + i % 2),
        )
        log(project, date=dt.date(2009, 2, 1), participants=1 + i % 4, tenants=0)
    make_project(title="Idée sans date", status=Status.IDEA, start=None)
    client = login(personas["coordination"])
    url = reverse("projects:project-list")
    whole = list(client.get(url, {"sort": sort, "per_page": 100}).context["rows"])
    pages = []
    for page in (1, 2):
        pages += client.get(url, {"sort": sort, "per_page": 25, "page": page}).context["rows"]
    assert pages == whole
    assert len(set(whole)) == 31
    # The expected order, worked out here; projects without a date are left out (SQLite and
    # PostgreSQL place NULL at opposite ends).
    key = {
        "-start": lambda p: (-p.start_date.toordinal(), p.title, p.pk),
        "start": lambda p: (p.start_date.toordinal(), p.title, p.pk),
        "title": lambda p: (p.title, -p.start_date.toordinal(), p.pk),
        "-participants": lambda p: (-p.participant_sum, p.title, p.pk),
    }[sort]
    dated = [p for p in whole if p.start_date]
    assert dated == sorted(dated, key=key)


def test_it_lists_the_territories_of_the_sites_kept_on_the_project(
    login, world, project_a, personas
):
    client = login(personas["coordination"])
    url = reverse("projects:project-list")

    def territories_cell():
        response = client.get(url)
        row = response.text.split("Cuisine collective de Lévis")[1]
        return row.split('data-label="Territoires">')[1].split("</td>")[0]

    assert territories_cell() == "Grand Littoral"
    edit = reverse("projects:project-edit", args=[project_a.public_id])
    data = _form_data(
        world,
        title="Cuisine collective de Lévis",
        start_date="2008-09-01",
        buildings=[world["building_a"].pk, world["building_b"].pk],
    )
    assert client.post(edit, data).status_code == 302
    assert territories_cell() == "Beauce, Grand Littoral"
    data["buildings"] = []
    assert client.post(edit, data).status_code == 302
    assert territories_cell() == "Régional"
    rows = client.get(reverse("projects:export-csv")).content.decode("utf-8-sig").splitlines()
    assert rows[1].split(";")[5] == ""


def test_it_fills_the_territories_of_existing_projects_when_migrating(world):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("tremplin.projects.migrations.0007_territory_names")
    both = make_project(
        title="Deux territoires", buildings=[world["building_a"], world["building_b"]]
    )
    regional = make_project(title="Régional")
    Project.objects.update(territory_names="")
    migration.fill_territory_names(apps, None)
    both.refresh_from_db()
    regional.refresh_from_db()
    assert (both.territory_names, regional.territory_names) == ("Beauce, Grand Littoral", "")
