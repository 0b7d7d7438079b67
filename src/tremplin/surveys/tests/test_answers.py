"""Bad answers are refused (or neutralized) with a clear French message, never stored half."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tremplin.surveys import services
from tremplin.surveys.models import AnswerValue, Response, Source, UsedToken, Volunteer

from .conftest import make_campaign, submit, today


def _refused(site, **answers) -> dict:
    with pytest.raises(ValidationError) as error:
        submit(site, **answers)
    assert Response.objects.count() == 0
    assert AnswerValue.objects.count() == 0
    return (
        error.value.message_dict
        if hasattr(error.value, "error_dict")
        else {"__all__": error.value.messages}
    )


def test_it_refuses_answers_to_a_closed_or_not_yet_open_campaign(world, version):
    closed = make_campaign(version, [world["building_a"]], opens=-30, closes=-1, title="Fermée")
    messages = _refused(closed.sites.get(), satisfaction=3)
    assert "terminée" in messages["__all__"][0]
    upcoming = make_campaign(version, [world["building_b"]], opens=2, closes=30, title="À venir")
    messages = _refused(upcoming.sites.get(), satisfaction=3)
    assert "pas encore ouverte" in messages["__all__"][0]


def test_it_refuses_a_question_that_is_not_in_the_version(site_a):
    messages = _refused(site_a, satisfaction=3, question_inventee="oui")
    assert "ne fait pas partie de ce questionnaire (version 1)" in messages["__all__"][0]
    assert "question_inventee" in messages["__all__"][0]


@pytest.mark.parametrize(
    ("answers", "field", "fragment"),
    [
        ({"satisfaction": 6}, "satisfaction", "note de 1 à 5"),
        ({"satisfaction": "0"}, "satisfaction", "note de 1 à 5"),
        ({"satisfaction": "beaucoup"}, "satisfaction", "note de 1 à 5"),
        ({"satisfaction": 3, "securite": "peut-etre"}, "securite", "réponses proposées"),
        (
            {"satisfaction": 3, "activites": ["jardin", "piscine"]},
            "activites",
            "réponses proposées",
        ),
        ({"satisfaction": 3, "implication": "oui", "heures": "41"}, "heures", "entre 0 et 40"),
        ({"satisfaction": 3, "implication": "oui", "heures": "-1"}, "heures", "entre 0 et 40"),
        ({"satisfaction": 3, "implication": "oui", "heures": "2,5"}, "heures", "entier"),
        ({"satisfaction": 3, "implication": "oui", "heures": "dix"}, "heures", "en chiffres"),
        ({"satisfaction": 3, "implication": "oui", "heures": "1e9"}, "heures", "en chiffres"),
        ({"satisfaction": 3, "securite": ["oui", "non"]}, "securite", "Une seule réponse"),
        ({"securite": "oui"}, "satisfaction", "obligatoire"),
    ],
)
def test_it_refuses_out_of_range_values_with_a_message_per_question(
    site_a, answers, field, fragment
):
    messages = _refused(site_a, **answers)
    assert fragment in " ".join(messages[field])


def test_it_refuses_oversized_text_and_says_how_long_it_was(site_a):
    messages = _refused(site_a, satisfaction=3, salle="jamais", pourquoi="x" * 201)
    assert messages["pourquoi"] == ["Votre réponse compte 201 caractères : 200 au plus."]
    messages = _refused(site_a, satisfaction=3, idees="mot " * 600)
    assert "2" in messages["idees"][0] and "000 au plus" in messages["idees"][0]


def test_it_stores_a_script_as_text_and_shows_it_as_text(site_a, campaign, personas, login):
    script = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    submit(site_a, satisfaction=3, idees=script + "\x00 et un NUL")
    stored = AnswerValue.objects.get(question__name="idees")
    assert stored.text == script + " et un NUL"  # kept as typed, NUL dropped
    page = login(personas["organizer_a"]).get(
        reverse("surveys:text-answers", args=[campaign.public_id])
    )
    html = page.content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<script>alert" not in html
    assert "<img src=x" not in html


def test_it_drops_answers_to_questions_whose_condition_does_not_hold(site_a):
    response = submit(
        site_a,
        satisfaction=4,
        salle="souvent",
        pourquoi="pas le temps",
        implication="non",
        heures="12",
    )
    names = set(response.values.values_list("question__name", flat=True))
    assert names == {"satisfaction", "salle", "implication"}
    # When the condition holds, the answer is kept, typed.
    response = submit(site_a, satisfaction=4, implication="oui", heures="12")
    assert response.values.get(question__name="heures").number == Decimal("12")


def test_it_refuses_an_empty_response(site_a, world, version):
    anonymous = make_campaign(version, [world["building_b"]], title="Sans obligatoire")
    # Make nothing required: the same questionnaire, but we send nothing at all.
    with pytest.raises(ValidationError):
        submit(anonymous.sites.get())
    assert Response.objects.count() == 0


def test_it_keeps_contact_details_apart_and_only_when_the_campaign_allows_them(
    site_a, world, version
):
    services.response_submit(
        site=site_a,
        answers={"satisfaction": ["5"]},
        volunteer={
            "name": "Marie Tremblay",
            "phone": "418 555-0101",
            "email": "",
            "note": "le soir",
        },
    )
    volunteer = Volunteer.objects.get()
    assert volunteer.name == "Marie Tremblay"
    assert not hasattr(volunteer, "response")
    assert volunteer.left_on == today()
    # Encrypted at rest: the column does not hold the name.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM surveys_volunteer")
        assert "Tremblay" not in cursor.fetchone()[0]
    anonymous = make_campaign(version, [world["building_b"]], allows_contact=False, title="Anonyme")
    services.response_submit(
        site=anonymous.sites.get(),
        answers={"satisfaction": ["5"]},
        volunteer={"name": "Jean Roy", "phone": "418 555-0102", "email": "", "note": ""},
    )
    assert Volunteer.objects.count() == 1


def test_it_stores_the_day_only_and_no_trace_of_the_respondent(site_a, client):
    page = client.get(reverse("surveys:answer", args=[site_a.code]))
    client.post(
        reverse("surveys:answer", args=[site_a.code]),
        {"jeton": page.context["jeton"], "q-satisfaction": "4"},
        REMOTE_ADDR="203.0.113.9",
    )
    response = Response.objects.get()
    assert response.source == Source.ONLINE
    assert isinstance(response.submitted_on, dt.date) and not isinstance(
        response.submitted_on, dt.datetime
    )
    from tremplin.audit.models import AuditEntry

    assert not AuditEntry.objects.filter(ip_address="203.0.113.9").exists()
    # Tokens are digests, not linked to the response.
    assert UsedToken.objects.count() == 2
    assert all(len(t.digest) == 64 for t in UsedToken.objects.all())
