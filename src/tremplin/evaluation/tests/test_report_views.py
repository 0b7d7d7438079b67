"""The highlights report's pages: who reads, who edits (each persona; others get a 404), the
new-report form prefilled from the dashboard and its French messages, the texts and the
examples edited with plain POST forms, and the exports."""

import datetime as dt

import pytest
from django.urls import reverse

from tremplin.evaluation import report_services as services
from tremplin.evaluation.models import HighlightsReport
from tremplin.projects.tests.test_project_pages import make_project

READERS = [
    "coordination",
    "organizer_a",
    "organizer_b",
    "supervisor_a",
    "privacy_officer",
    "partner",
    "researcher",
]
OTHERS = ["worker_a", "worker_b", "housing_manager", "no_role"]


@pytest.fixture
def report(personas):
    return services.report_create(
        user=personas["coordination"],
        title="Faits saillants de test",
        period_start=dt.date(2008, 4, 1),
        period_end=dt.date(2009, 3, 31),
    )


@pytest.fixture
def two_projects(world):
    made = []
    for title, start in [("Premier", dt.date(2008, 5, 1)), ("Second", dt.date(2008, 6, 1))]:
        made.append(
            make_project(title=title, kind="leisure", start=start, buildings=[world["building_a"]])
        )
    return made


def urls(report):
    pid = report.public_id
    return {
        "list": reverse("evaluation:report-list"),
        "detail": reverse("evaluation:report-detail", args=[pid]),
        "export": reverse("evaluation:report-export", args=[pid, "html"]),
        "new": reverse("evaluation:report-new"),
        "edit": reverse("evaluation:report-edit", args=[pid]),
    }


@pytest.mark.parametrize("persona", READERS)
def test_it_lets_every_reading_role_read(personas, login, report, persona):
    client = login(personas[persona])
    pages = urls(report)
    for name in ("list", "detail", "export"):
        assert client.get(pages[name]).status_code == 200, name
    editor = persona == "coordination"
    for name in ("new", "edit"):
        assert client.get(pages[name]).status_code == (200 if editor else 404), name
    detail = client.get(pages["detail"]).content.decode()
    assert (pages["edit"] in detail) is editor


@pytest.mark.parametrize("persona", OTHERS)
def test_it_hides_reports_from_other_roles(personas, login, report, persona):
    client = login(personas[persona])
    for url in urls(report).values():
        assert client.get(url).status_code == 404, url
    response = client.post(urls(report)["edit"], {"texts-title": "Piraté"})
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.title == "Faits saillants de test"


def test_it_sends_anonymous_visitors_to_sign_in(client, report):
    for url in urls(report).values():
        assert client.get(url).status_code == 302


def test_it_refuses_edits_from_readers(personas, login, report, two_projects):
    client = login(personas["organizer_a"])
    edit = urls(report)["edit"]
    assert client.post(edit, {"texts-title": "Autre"}).status_code == 404
    move = {"project": two_projects[1].public_id, "move": "up"}
    assert client.post(edit, move).status_code == 404
    assert client.post(urls(report)["new"], {"period_start": "2010-04-01"}).status_code == 404
    report.refresh_from_db()
    assert (report.title, report.example_order) == ("Faits saillants de test", [])


def test_it_lists_reports_in_a_constant_number_of_queries(
    personas, login, report, django_assert_max_num_queries
):
    client = login(personas["organizer_a"])
    with django_assert_max_num_queries(12):
        client.get(urls(report)["list"])
    for i in range(3):
        services.report_create(
            user=personas["coordination"],
            period_start=dt.date(2010 + i, 4, 1),
            period_end=dt.date(2011 + i, 3, 31),
        )
    with django_assert_max_num_queries(12):
        page = client.get(urls(report)["list"]).content.decode()
    assert page.count("faits-saillants/") >= 4


def test_it_prefills_the_new_report_from_the_dashboard(world, personas, login, report):
    client = login(personas["coordination"])
    query = f"?period=fy2008&area=territory:{world['tb'].pk}"
    page = client.get(reverse("evaluation:report-list") + query).content.decode()
    assert 'value="2008-04-01"' in page and 'value="2009-03-31"' in page
    assert '<option value="beauce" selected>' in page
    # The whole program's report of the same period exists already: say so.
    page = client.get(reverse("evaluation:report-list") + "?period=fy2008&area=all")
    assert "Un rapport existe déjà" in page.content.decode()
    # Keys that do not parse are ignored.
    assert client.get(reverse("evaluation:report-list") + "?period=zz&area=x").status_code == 200


def test_it_creates_a_report_and_opens_its_editing_page(world, personas, login):
    client = login(personas["coordination"])
    response = client.post(
        reverse("evaluation:report-new"),
        {"period_start": "2008-04-01", "period_end": "2009-03-31", "territory": "beauce"},
    )
    report = HighlightsReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluation:report-edit", args=[report.public_id])
    assert (report.territory, report.title) == (world["tb"], "Faits saillants 2008-2009")


@pytest.mark.parametrize(
    "data, message",
    [
        (
            {"period_start": "2009-04-01", "period_end": "2008-03-31"},
            "La fin de la période précède son début.",
        ),
        ({"period_start": "1999-04-01", "period_end": "2008-03-31"}, "Choisissez une date entre"),
        ({"period_start": "2008-04-01", "period_end": "2101-01-01"}, "Choisissez une date entre"),
        ({"period_start": "2008-13-45", "period_end": "2009-03-31"}, "Saisissez une date valide."),
        ({"period_end": "2009-03-31"}, "Indiquez le début de la période."),
        (
            {"period_start": "2008-04-01", "period_end": "2009-03-31", "territory": "atlantide"},
            "Ce territoire n&#x27;existe pas.",
        ),
        (
            {"period_start": "2008-04-01", "period_end": "2009-03-31", "agreement": "nulle"},
            "Cette entente n&#x27;existe pas.",
        ),
    ],
)
def test_it_explains_a_bad_new_report_in_french(world, personas, login, data, message):
    client = login(personas["coordination"])
    response = client.post(reverse("evaluation:report-new"), {"title": "Mon titre", **data})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'value="Mon titre"' in page  # nothing typed is lost
    assert not HighlightsReport.objects.exists()


def test_it_edits_the_texts_and_keeps_them_on_error(personas, login, report):
    client = login(personas["coordination"])
    edit = urls(report)["edit"]
    response = client.post(
        edit, {"texts-title": "", "texts-context": "Un contexte soigné", "texts-extra_examples": ""}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Le rapport a besoin d&#x27;un titre." in page and "Un contexte soigné" in page
    report.refresh_from_db()
    assert report.context == ""
    response = client.post(
        edit,
        {
            "texts-title": "An 1",
            "texts-context": "Un contexte soigné",
            "texts-extra_examples": "Forum",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.title, report.context, report.extra_examples) == (
        "An 1",
        "Un contexte soigné",
        "Forum",
    )
    detail = client.get(urls(report)["detail"]).content.decode()
    assert "Un contexte soigné" in detail and "Forum" in detail


def test_it_reorders_examples_with_plain_post_buttons(personas, login, report, two_projects):
    client = login(personas["coordination"])
    edit = urls(report)["edit"]
    page = client.get(edit).content.decode()
    assert page.index("Premier") < page.index("Second")
    assert 'name="move" value="up"' in page
    response = client.post(edit, {"project": two_projects[1].public_id, "move": "up"})
    assert response.status_code == 302 and response["Location"].endswith("#exemples")
    report.refresh_from_db()
    assert report.example_order == [str(p.public_id) for p in reversed(two_projects)]
    page = client.get(urls(report)["detail"]).content.decode()
    assert page.index("Second") < page.index("Premier")


def test_it_refuses_a_bad_move_and_keeps_the_order(personas, login, report, two_projects, world):
    later = make_project(
        title="Plus tard",
        kind="leisure",
        start=dt.date(2012, 1, 1),
        buildings=[world["building_a"]],
    )
    client = login(personas["coordination"])
    edit = urls(report)["edit"]
    for data, message in [
        (
            {"project": later.public_id, "move": "up"},
            "ne fait pas partie des projets de la période",
        ),
        ({"project": "pas-un-uuid", "move": "up"}, "Ce projet n&#x27;existe pas."),
        (
            {"project": two_projects[0].public_id, "move": "jump"},
            "Ce déplacement n&#x27;existe pas.",
        ),
    ]:
        response = client.post(edit, data, follow=True)
        assert response.status_code == 200
        assert message in response.content.decode(), message
    report.refresh_from_db()
    assert report.example_order == []


def test_it_exports_each_format_as_an_attachment(personas, login, report):
    client = login(personas["partner"])
    for fmt, start in [("html", b"<!DOCTYPE html>"), ("docx", b"PK"), ("pdf", b"%PDF")]:
        response = client.get(reverse("evaluation:report-export", args=[report.public_id, fmt]))
        assert response.status_code == 200
        assert response.content.startswith(start)
        assert response["Content-Disposition"] == (
            f'attachment; filename="faits-saillants-de-test-fy2008.{fmt}"'
        )
    bad = reverse("evaluation:report-export", args=[report.public_id, "odt"])
    assert client.get(bad).status_code == 404
    unknown = reverse("evaluation:report-detail", args=["00000000-0000-0000-0000-000000000000"])
    assert client.get(unknown).status_code == 404
    assert client.get("/evaluation/faits-saillants/pas-un-uuid/").status_code == 404
