"""The endpoints added after the core: committees and meetings, associations and
accompaniments, surveys (results with small-cell suppression, XLSForm, paper sheets), a
follow-up on its own (audited, counted), public stories and partners, walk-ins. Each read is
checked against the web's rule for the same object (404 outside scope)."""

import datetime as dt
import io
import json
import uuid
import zipfile
from decimal import Decimal

import pytest
from django.utils import timezone

from tremplin.api.tests.test_endpoints import _fresh_cache, problem, token  # noqa: F401
from tremplin.audit.models import AuditEntry
from tremplin.casework.tests.casefiles import make_file
from tremplin.concertation.tests.conftest import cz, held, shq  # noqa: F401
from tremplin.newsletter.models import Story, StoryStatus
from tremplin.partners.models import Partner, PartnerKind
from tremplin.projects.models import (
    Accompaniment,
    AccompanimentHours,
    BoardMember,
    TenantAssociation,
)
from tremplin.surveys.models import Response, Source
from tremplin.surveys.tests.conftest import build_questionnaire, make_campaign, submit

pytestmark = pytest.mark.django_db


def ids(response):
    assert response.status_code == 200, response.content
    return {i["id"] for i in response.json()["items"]}


def test_committees_meetings_and_action_items(world, personas, client, cz, held):  # noqa: F811
    url = "/api/v1/concertation/committees"
    organizer_a = token(personas["organizer_a"], "concertation:read")
    ele, regional, beauce = (str(cz[k].public_id) for k in ("ele", "regional", "beauce"))
    # The web's rules: an organizer reads their territories' committees and the regional ones;
    # a partner the committees they sit on.
    assert ids(client.get(url, **organizer_a)) == {ele, regional}
    assert ids(client.get(url, **token(personas["partner"], "concertation:read"))) == {regional}
    organizer_b = token(personas["organizer_b"], "concertation:read")
    problem(client.get(f"{url}/{ele}", **organizer_b), 404)
    problem(client.get(f"/api/v1/concertation/meetings/{held.public_id}", **organizer_b), 404)

    detail = client.get(f"{url}/{ele}", **organizer_a).json()
    # Seats held today: Marc (Lucie's seat ended 2024-06-30), the OMH and the organizer.
    assert {m["person_name"] for m in detail["members"]} == {
        "Marc Inventé", "Paul Gestionnaire", "Olivia Organisatrice",
    }  # fmt: skip
    assert detail["members_today"] == 3 and detail["open_action_items"] == 2
    meetings = client.get(f"{url}/{ele}/meetings", **organizer_a).json()["items"]
    assert len(meetings) == 4 and all("minutes" not in m for m in meetings)
    m3 = next(m for m in meetings if m["id"] == str(held.public_id))
    assert (m3["present_count"], m3["decision_count"], m3["action_item_count"]) == (2, 2, 1)
    items = client.get(f"{url}/{ele}/action-items", **organizer_a).json()["items"]
    assert {i["status"] for i in items} == {"open", "done", "dropped"} and len(items) == 4

    meeting = client.get(f"/api/v1/concertation/meetings/{held.public_id}", **organizer_a).json()
    assert meeting["minutes"] == "Tour de table.\n\nL'enquête commencera en octobre."
    assert meeting["decisions"] == ["Adopter l'ordre du jour.", "Lancer l'enquête en octobre."]
    assert [a["title"] for a in meeting["agenda"]] == [
        "Mot de bienvenue", "Enquête auprès des locataires",
    ]  # fmt: skip
    statuses = {a["person_name"]: a["status"] for a in meeting["attendance"]}
    assert statuses == {
        "Marc Inventé": "present", "Paul Gestionnaire": "present",
        "Olivia Organisatrice": "excused",
    }  # fmt: skip
    # Carried over to M3: what was decided earlier and still open on its date (A2 only: A1
    # was done and A3 dropped before it); decided there: A4.
    assert [a["id"] for a in meeting["carried_action_items"]] == [str(cz["a2"].public_id)]
    assert [a["id"] for a in meeting["action_items"]] == [str(cz["a4"].public_id)]


def test_associations_and_accompaniments(world, personas, client):
    association = TenantAssociation.objects.create(
        name="Association des locataires du 25", provider=world["omh_a"], members=14
    )
    association.buildings.set([world["building_a"]])
    BoardMember.objects.create(association=association, name="Lise Fictive", role="présidente")
    accompaniment = Accompaniment.objects.create(
        organizer=personas["organizer_a"],
        provider=world["omh_a"],
        association=association,
        themes=["participation"],
        start_date=dt.date(2024, 4, 1),
        note="Note de travail",
        contacts="Mme Exemple",
    )
    AccompanimentHours.objects.create(
        accompaniment=accompaniment, month=dt.date(2024, 4, 1), hours=Decimal("3.5")
    )
    AccompanimentHours.objects.create(
        accompaniment=accompaniment, month=dt.date(2024, 5, 1), hours=Decimal("4.0")
    )
    auth = token(personas["housing_manager"], "projects:read")  # every program role reads
    listed = client.get("/api/v1/community/associations", **auth).json()["items"]
    assert [a["buildings"] for a in listed] == [[str(world["building_a"].public_id)]]
    detail = client.get(f"/api/v1/community/associations/{association.public_id}", **auth).json()
    assert detail["board"] == [{"name": "Lise Fictive", "role": "présidente"}]
    problem(client.get(f"/api/v1/community/associations/{uuid.uuid4()}", **auth), 404)
    rows = client.get("/api/v1/community/accompaniments", **auth).json()["items"]
    assert len(rows) == 1 and rows[0]["hours_total"] == 7.5
    assert rows[0]["association"] == str(association.public_id)
    # What the list page shows: no working notes, no names of people met.
    assert "note" not in rows[0] and "contacts" not in rows[0]


@pytest.fixture
def survey(world, personas):
    questionnaire = build_questionnaire(user=personas["organizer_a"])
    version = questionnaire.versions.get(number=1)
    campaign = make_campaign(version, [world["building_a"], world["building_b"]])
    site_a = campaign.sites.get(building=world["building_a"])
    site_b = campaign.sites.get(building=world["building_b"])
    for securite in ["oui", "oui", "oui", "non", "non"]:
        submit(site_a, satisfaction=4, securite=securite)
    for _ in range(2):
        submit(site_b, satisfaction=2, securite="oui", implication="oui", heures=6)
    only_a = make_campaign(version, [world["building_a"]], title="Enquête Lévis")
    return {"q": questionnaire, "c": campaign, "a": site_a, "b": site_b, "only_a": only_a}


def _question(body, name):
    return next(q for q in body["questions"] if q["name"] == name)


def test_survey_reads_and_results_with_small_cells(personas, client, survey):
    auth = token(personas["organizer_b"], "surveys:read")
    assert ids(client.get("/api/v1/surveys/questionnaires", **auth)) == {str(survey["q"].public_id)}
    # organizer_b manages the campaign with a site in territory B, not the Lévis-only one.
    assert ids(client.get("/api/v1/surveys/campaigns", **auth)) == {str(survey["c"].public_id)}
    problem(client.get(f"/api/v1/surveys/campaigns/{survey['only_a'].public_id}", **auth), 404)
    url = f"/api/v1/surveys/campaigns/{survey['c'].public_id}/results"
    whole = client.get(url, **auth).json()
    assert (whole["responses"], whole["suppressed"], whole["min_cell"]) == (7, False, 5)
    securite = _question(whole, "securite")
    # 5 "oui" of 7 respondents: 71.4 %; 2 "non": 28.6 %.
    assert securite["respondents"] == 7
    assert [(o["name"], o["count"], o["percent"]) for o in securite["options"]] == [
        ("oui", 5, 71.4), ("plutot_oui", 0, 0.0), ("non", 2, 28.6),
    ]  # fmt: skip
    assert _question(whole, "satisfaction")["mean"] == round((5 * 4 + 2 * 2) / 7, 2)
    # Two people said how many hours: the count of people stays, the mean is hidden.
    heures = _question(whole, "heures")
    assert (heures["respondents"], heures["suppressed"], heures["mean"]) == (2, True, None)
    # Site B rests on 2 responses: nothing but counts of people.
    site_b = client.get(url, {"site": survey["b"].code}, **auth).json()
    assert (site_b["responses"], site_b["suppressed"]) == (2, True)
    assert all(q["suppressed"] and q["options"] == [] for q in site_b["questions"])
    problem(client.get(url, {"site": "NIMPORTE"}, **auth), 404)

    q_url = f"/api/v1/surveys/questionnaires/{survey['q'].public_id}"
    detail = client.get(q_url, **auth).json()
    assert [q["name"] for q in detail["questions"]][:3] == ["satisfaction", "securite", "salle"]
    problem(client.get(q_url, {"version": 9}, **auth), 404)
    xlsx = client.get(f"{q_url}/xlsform", **auth)
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxml")
    sheets = zipfile.ZipFile(io.BytesIO(xlsx.content)).namelist()
    assert "xl/worksheets/sheet1.xml" in sheets
    problem(client.get(f"{q_url}/xlsform", **token(personas["partner"], "directory:read")), 403)


def test_paper_answers(personas, client, survey):
    campaign, site = survey["c"], survey["a"]
    auth = token(personas["organizer_a"], "surveys:write")
    url = f"/api/v1/surveys/campaigns/{campaign.public_id}/paper-responses"
    good = {"site": site.code, "sheet_number": 1, "answers": {"satisfaction": "5"}}

    def post(body, who=auth, **extra):
        return client.post(url, json.dumps(body), content_type="application/json", **who, **extra)

    body = problem(post({**good, "answers": {"satisfaction": "5", "inconnue": "x"}}), 422)
    assert "inconnue" in body["detail"]
    body = problem(post({**good, "answers": {"securite": "peut-etre", "satisfaction": "5"}}), 422)
    assert body["errors"][0]["field"] == "securite"
    problem(post({**good, "answers": {"securite": "oui"}}), 422)  # satisfaction is required
    out_of_range = {"satisfaction": "5", "implication": "oui", "heures": "900"}  # 0–40
    problem(post({**good, "answers": out_of_range}), 422)
    problem(post({**good, "sheet_number": 0}), 422)
    problem(post({**good, "feuille": 3}), 422)  # unknown field
    problem(post({**good, "site": "AUTRE"}), 404)
    problem(post(good, who=token(personas["organizer_a"], "surveys:read")), 403)
    # A campaign with no site in their territories does not exist for organizer_b.
    only_a = survey["only_a"]
    other = {**good, "site": only_a.sites.get().code}
    response = client.post(
        f"/api/v1/surveys/campaigns/{only_a.public_id}/paper-responses",
        json.dumps(other),
        content_type="application/json",
        **token(personas["organizer_b"], "surveys:write"),
    )
    problem(response, 404)
    assert not Response.objects.filter(source=Source.PAPER).exists()
    key = {"HTTP_IDEMPOTENCY_KEY": str(uuid.uuid4())}
    first = post(good, **key)
    assert first.status_code == 201, first.content
    assert post(good, **key).json()["id"] == first.json()["id"]
    problem(post(good), 422)  # sheet 1 typed already
    paper = Response.objects.get(source=Source.PAPER)
    assert (paper.sheet_number, paper.entered_by) == (1, personas["organizer_a"])
    site.refresh_from_db()
    assert (site.response_count, site.paper_count) == (6, 1)
    assert AuditEntry.objects.filter(action="surveys.response.paper").count() == 1


def test_follow_up_read_is_audited_and_limited(world, personas, client, settings):
    worker = personas["worker_a"]
    _, follow_up = make_file(worker, building=world["building_a"])
    _, second = make_file(worker, first="Jean", last="Exemple", building=world["building_a"])
    auth = token(worker, "casework:read")
    url = f"/api/v1/casework/follow-ups/{follow_up.public_id}"
    response = client.get(url, **auth)
    assert response.status_code == 200, response.content
    assert response.json()["person"] == str(follow_up.person.public_id)
    assert response.json()["writable"] is True
    entry = AuditEntry.objects.get(action="casework.follow_up.read")
    assert entry.data["api_token"] == auth["HTTP_AUTHORIZATION"][7:19]
    assert entry.subject_id == str(follow_up.person.public_id)
    problem(client.get(url, **token(personas["worker_b"], "casework:read")), 404)
    assert AuditEntry.objects.filter(
        action="casework.forbidden_attempt", user=personas["worker_b"]
    ).exists()
    problem(client.get(url, **token(personas["coordination"], "directory:read")), 403)
    settings.TREMPLIN_CASEWORK_HOURLY_FILE_LIMIT = 1
    assert client.get(url, **auth).status_code == 200  # reopening the same file is free
    response = client.get(f"/api/v1/casework/follow-ups/{second.public_id}", **auth)
    problem(response, 429)
    assert response["Retry-After"] == "3600"


def test_public_stories_and_partners_without_a_token(world, personas, client):
    from tremplin.api.tests.test_endpoints import project_in

    published = Story.objects.create(
        project=project_in(world),
        title="Une cuisine qui rassemble",
        body="<p>Chaque mardi.</p><script>x()</script>",
        status=StoryStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    draft = Story.objects.create(project=project_in(world, "Jardin"), title="Brouillon", body="x")
    Partner.objects.create(name="Centraide", kind=PartnerKind.COMMUNITY_ORG)
    Partner.objects.create(name="Ancien partenaire", kind=PartnerKind.COMMUNITY_ORG, active=False)
    listed = client.get("/api/v1/public/stories").json()["items"]
    assert [s["id"] for s in listed] == [str(published.public_id)]
    assert listed[0]["territories"] == ["Grand Littoral"] and listed[0]["since_year"] == 2024
    story = client.get(f"/api/v1/public/stories/{published.public_id}").json()
    assert story["body_html"] == "<p>Chaque mardi.</p>"
    problem(client.get(f"/api/v1/public/stories/{draft.public_id}"), 404)
    problem(client.get("/api/v1/public/stories", HTTP_AUTHORIZATION="Bearer trp_faux"), 401)
    partners = client.get("/api/v1/public/partners").json()["items"]
    assert [p["name"] for p in partners] == ["Centraide"]
    assert set(partners[0]) == {"id", "name", "short_name", "kind", "website", "is_fictitious"}
    # The housing directory is not on the public site: no token, no directory.
    problem(client.get("/api/v1/directory/buildings"), 401)


def test_walk_in(world, personas, client):
    from tremplin.events.tests.conftest import make_event

    event = make_event(stops=[(world["levis"], timezone.now())], user=personas["organizer_a"])
    stop = event.stops.get()
    url = f"/api/v1/events/stops/{stop.public_id}/walk-ins"
    auth = token(personas["organizer_a"], "events:write")

    def post(body, who=auth):
        return client.post(url, json.dumps(body), content_type="application/json", **who)

    problem(post({"name": ""}), 422)
    problem(post({"name": "Line", "age": 70}), 422)
    problem(post({"name": "Line"}, token(personas["organizer_b"], "events:write")), 404)
    response = post({"name": "Line Exemple", "is_tenant": True})
    assert response.status_code == 201, response.content
    assert response.json()["checked_in_at"] and response.json()["status"] == "confirmed"
    assert event.registrations.get().source == "walk_in"
