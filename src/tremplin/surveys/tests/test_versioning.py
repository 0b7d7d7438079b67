"""A questionnaire with answers never changes under them: editing creates the next version."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tremplin.audit.models import AuditEntry
from tremplin.surveys import answering, services
from tremplin.surveys.models import AnswerValue, Campaign, Question, QuestionKind

from .conftest import make_campaign, submit


def _values(question, **changes):
    base = {
        f: getattr(question, f)
        for f in (
            "kind",
            "label_fr",
            "label_en",
            "hint_fr",
            "hint_en",
            "required",
            "condition",
            "integer_only",
            "min_value",
            "max_value",
        )
    }
    return base | changes


def test_it_edits_a_version_in_place_while_nobody_has_answered(questionnaire, personas):
    version = questionnaire.versions.get()
    question = Question.objects.get(version=version, name="securite")
    _q, created = services.question_save(
        user=personas["organizer_a"],
        questionnaire=questionnaire,
        section_name=question.section.name,
        question_name="securite",
        values=_values(question, label_fr="Vous sentez-vous en sécurité chez vous ?"),
        choices=[("oui", "Oui", ""), ("non", "Non", "")],
    )
    assert not created
    assert questionnaire.versions.count() == 1
    question.refresh_from_db()
    assert question.label_fr == "Vous sentez-vous en sécurité chez vous ?"
    assert [c.name for c in question.choices.all()] == ["oui", "non"]


def test_it_creates_a_new_version_when_the_current_one_has_answers(
    questionnaire, campaign, site_a, personas
):
    v1 = questionnaire.versions.get()
    submit(site_a, satisfaction=5, securite="oui")
    v1.refresh_from_db()
    assert v1.is_frozen
    question = Question.objects.get(version=v1, name="securite")

    _q, created = services.question_save(
        user=personas["organizer_a"],
        questionnaire=questionnaire,
        section_name=question.section.name,
        question_name="securite",
        values=_values(question, label_fr="Vous sentez-vous en sécurité le soir ?"),
        choices=[("oui", "Oui", ""), ("plutot_oui", "Plutôt oui", ""), ("non", "Non", "")],
    )
    assert created
    v2 = questionnaire.versions.get(number=2)
    assert not v2.is_frozen
    # Version 1 is untouched, and so are the answers and the campaign that use it.
    question.refresh_from_db()
    assert question.label_fr == "Vous sentez-vous en sécurité ?"
    assert Question.objects.get(version=v2, name="securite").label_fr == (
        "Vous sentez-vous en sécurité le soir ?"
    )
    assert (
        Question.objects.filter(version=v1).count() == Question.objects.filter(version=v2).count()
    )
    campaign.refresh_from_db()
    assert campaign.version_id == v1.pk
    response = campaign.responses.get()
    assert response.version_id == v1.pk
    assert set(
        AnswerValue.objects.filter(response=response).values_list("question__version", flat=True)
    ) == {v1.pk}
    # A second edit goes to version 2 again (no version 3 while v2 has no answers).
    services.section_save(
        user=personas["organizer_a"],
        questionnaire=questionnaire,
        title_fr="Questions de la fin",
    )
    assert questionnaire.versions.count() == 2
    assert AuditEntry.objects.filter(action="surveys.version.create").count() == 1


def test_it_keeps_a_campaign_on_its_version_once_it_has_answers(
    questionnaire, campaign, site_a, personas, world
):
    submit(site_a, satisfaction=3)
    services.questionnaire_update(
        user=personas["organizer_a"], questionnaire=questionnaire, title_fr="Nouveau titre"
    )
    v2 = questionnaire.versions.get(number=2)
    campaign = Campaign.objects.get(pk=campaign.pk)
    campaign.version = v2
    with pytest.raises(ValidationError) as error:
        services.campaign_save(
            user=personas["organizer_a"],
            campaign=campaign,
            buildings=[world["building_a"], world["building_b"]],
        )
    assert "version" in error.value.message_dict
    # A campaign without answers may move to the new version.
    fresh = make_campaign(
        questionnaire.versions.get(number=1), [world["building_a"]], title="Autre"
    )
    fresh.version = v2
    services.campaign_save(user=None, campaign=fresh, buildings=[world["building_a"]])
    assert Campaign.objects.get(pk=fresh.pk).version_id == v2.pk


def test_it_says_which_version_the_results_use(questionnaire, campaign, site_a, personas, login):
    for _ in range(5):
        submit(site_a, satisfaction=4)
    services.questionnaire_update(
        user=personas["organizer_a"], questionnaire=questionnaire, title_fr="Titre v2"
    )
    page = login(personas["organizer_a"]).get(reverse("surveys:results", args=[campaign.public_id]))
    assert "version 1" in page.content.decode()
    assert "Enquête sur la vie dans l&#x27;immeuble" in page.content.decode()


def test_it_refuses_a_condition_on_a_later_or_unknown_question(questionnaire, personas):
    version = questionnaire.versions.get()
    securite = Question.objects.get(version=version, name="securite")
    for condition, fragment in [
        ({"q": "idees", "op": "=", "value": "x"}, "pas une question posée avant"),
        ({"q": "inconnue", "op": "=", "value": "x"}, "pas une question posée avant"),
        ({"q": "satisfaction", "op": "=", "value": "9"}, "n'est pas un choix"),
    ]:
        with pytest.raises(ValidationError, match=fragment):
            services.question_save(
                user=personas["organizer_a"],
                questionnaire=questionnaire,
                section_name=securite.section.name,
                question_name="securite",
                values=_values(securite, condition=condition),
                choices=[("oui", "Oui", "")],
            )
    securite.refresh_from_db()
    assert securite.condition is None


def test_it_refuses_to_move_or_delete_a_question_others_depend_on(questionnaire, personas):
    organizer = personas["organizer_a"]
    with pytest.raises(ValidationError, match="en dépendent"):
        services.question_delete(user=organizer, questionnaire=questionnaire, question_name="salle")
    # "pourquoi" depends on "salle" just before it: moving it up would ask it first.
    with pytest.raises(ValidationError, match="pas une question posée avant"):
        services.question_move(
            user=organizer, questionnaire=questionnaire, question_name="pourquoi", offset=-1
        )
    version = questionnaire.versions.get()
    order = [q.name for q in answering.structure(version).questions]
    assert order.index("salle") < order.index("pourquoi")
    # Renaming a question renames it in the conditions that use it.
    salle = Question.objects.get(version=version, name="salle")
    services.question_save(
        user=organizer,
        questionnaire=questionnaire,
        section_name=salle.section.name,
        question_name="salle",
        new_name="salle_commune",
        values=_values(salle),
        choices=[(c.name, c.label_fr, c.label_en) for c in salle.choices.all()],
    )
    assert Question.objects.get(version=version, name="pourquoi").condition["q"] == "salle_commune"


def test_it_creates_rating_choices_by_itself(questionnaire, personas):
    version = questionnaire.versions.get()
    section = version.sections.first()
    question, _ = services.question_save(
        user=personas["organizer_a"],
        questionnaire=questionnaire,
        section_name=section.name,
        values={"kind": QuestionKind.RATING, "label_fr": "Votre note ?"},
        choices=[],
    )
    assert [c.name for c in question.choices.all()] == ["1", "2", "3", "4", "5"]
    assert question.name == "votre_note"
