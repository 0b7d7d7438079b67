"""The staff pages: building a questionnaire, a campaign's page, goals, poster, themes; list pages
with a bounded number of queries."""

from django.urls import reverse

from tremplin.surveys.models import AnswerValue, Campaign, Question, Questionnaire, Source, Theme

from .conftest import build_questionnaire, make_campaign, submit


def test_it_builds_a_questionnaire_through_the_pages(personas, login):
    client = login(personas["organizer_a"])
    response = client.post(
        reverse("surveys:questionnaire-create"),
        {"title_fr": "Sondage sur la cour", "title_en": "Yard survey", "intro_fr": "Bonjour !"},
    )
    questionnaire = Questionnaire.objects.get()
    assert response["Location"] == reverse(
        "surveys:questionnaire-detail", args=[questionnaire.public_id]
    )
    section = questionnaire.versions.get().sections.get()
    add = reverse("surveys:question-create", args=[questionnaire.public_id])
    # A choice question without choices is refused, with the form kept.
    page = client.post(
        add, {"section": section.name, "kind": "single", "label_fr": "Aimez-vous la cour ?"}
    )
    assert page.status_code == 200
    assert "au moins un choix" in page.content.decode()
    client.post(
        add,
        {
            "section": section.name,
            "kind": "single",
            "label_fr": "Aimez-vous la cour ?",
            "label_en": "Do you like the yard?",
            "required": "on",
            "choices": "Oui | Yes\nNon | No\nsans_avis | Sans avis | No opinion",
        },
    )
    cour = Question.objects.get(name="aimez_vous_la_cour")
    assert [(c.name, c.label_fr, c.label_en) for c in cour.choices.all()] == [
        ("oui", "Oui", "Yes"),
        ("non", "Non", "No"),
        ("sans_avis", "Sans avis", "No opinion"),
    ]
    # A follow-up asked only after "Non", picked from the list of earlier answers.
    import json

    page = client.get(add)
    assert "Aimez-vous la cour ? → Non" in page.content.decode()
    client.post(
        add,
        {
            "section": section.name,
            "kind": "long_text",
            "label_fr": "Que faudrait-il changer ?",
            "condition_simple": json.dumps({"q": cour.name, "op": "=", "value": "non"}),
        },
    )
    follow = Question.objects.get(name="que_faudrait_il_changer")
    assert follow.condition == {"q": cour.name, "op": "=", "value": "non"}
    # The advanced condition is checked like an import's.
    page = client.post(
        reverse("surveys:question-edit", args=[questionnaire.public_id, follow.public_id]),
        {
            "section": section.name,
            "kind": "long_text",
            "label_fr": "Que changer ?",
            "condition_text": "${cour} = ",
        },
    )
    assert "Une valeur entre apostrophes" in page.content.decode()
    # Moving the follow-up above the question it depends on is refused with a message.
    client.post(
        reverse("surveys:question-action", args=[questionnaire.public_id, follow.public_id]),
        {"action": "up"},
    )
    detail = client.get(reverse("surveys:questionnaire-detail", args=[questionnaire.public_id]))
    html = detail.content.decode()
    assert "pas une question posée avant" in html
    assert "Posée seulement si vous avez répondu « Non » à la question 1" in html
    preview = client.get(reverse("surveys:questionnaire-preview", args=[questionnaire.public_id]))
    assert "Répondez seulement si" in preview.content.decode()


def test_it_says_when_an_edit_creates_a_new_version(
    questionnaire, campaign, site_a, personas, login
):
    submit(site_a, satisfaction=5)
    client = login(personas["organizer_a"])
    edit = reverse("surveys:questionnaire-edit", args=[questionnaire.public_id])
    assert "En enregistrant, vous créez la version 2" in client.get(edit).content.decode()
    response = client.post(edit, {"title_fr": "Enquête v2"}, follow=True)
    html = response.content.decode()
    assert "vos modifications sont dans la nouvelle version 2" in html
    assert questionnaire.versions.count() == 2
    old = client.get(
        reverse("surveys:questionnaire-detail", args=[questionnaire.public_id]), {"version": 1}
    )
    assert "ancienne version" in old.content.decode()
    assert (
        "Une version plus récente (2) existe"
        in client.get(
            reverse("surveys:campaign-detail", args=[campaign.public_id])
        ).content.decode()
    )


def test_it_shows_the_campaign_links_and_sets_goals(campaign, site_a, site_b, personas, login):
    submit(site_b, source=Source.PAPER, sheet=4, satisfaction=2)  # typed by nobody known
    client = login(personas["coordination"])
    page = client.get(reverse("surveys:campaign-detail", args=[campaign.public_id]))
    html = page.content.decode()
    assert f"http://testserver/enquetes/r/{site_a.code}/" in html
    assert "Supprimer la feuille 4" in html
    response = client.post(
        reverse("surveys:site-goals", args=[campaign.public_id]),
        {f"goal-{site_a.code}": "25", f"goal-{site_b.code}": "beaucoup"},
        follow=True,
    )
    assert "Un objectif est un nombre entier" in response.content.decode()
    site_a.refresh_from_db()
    site_b.refresh_from_db()
    assert (site_a.goal, site_b.goal) == (25, 10)


def test_it_prints_a_poster_with_a_qr_code(site_a, personas, login):
    client = login(personas["organizer_a"])
    html = client.get(reverse("surveys:site-poster", args=[site_a.public_id])).content.decode()
    assert '<svg viewBox="' in html and 'class="segno"' in html
    assert f"/enquetes/r/{site_a.code}/" in html
    assert "style=" not in html.split("<main")[1]
    png = client.get(reverse("surveys:site-qr", args=[site_a.public_id, "png"]))
    assert png.content.startswith(b"\x89PNG")
    assert client.get(reverse("surveys:site-qr", args=[site_a.public_id, "gif"])).status_code == 404


def test_it_tags_free_text_answers_into_themes(campaign, site_a, personas, login):
    for text in ("Un jardin communautaire", "Plus de sécurité le soir", "Un potager sur le toit"):
        submit(site_a, satisfaction=3, idees=text)
    client = login(personas["organizer_a"])
    url = reverse("surveys:text-answers", args=[campaign.public_id])
    client.post(url, {"action": "theme-create", "name": "Jardinage"})
    client.post(url, {"action": "theme-create", "name": "jardinage"})  # the same, refused
    theme = Theme.objects.get()
    ids = [
        a.pk
        for a in AnswerValue.objects.filter(campaign=campaign).exclude(text="")
        if "jardin" in a.text or "potager" in a.text
    ]
    client.post(url, {"action": "tag", "target": str(theme.public_id), "answer": ids})
    assert theme.answers.count() == 2
    page = client.get(url, {"theme": str(theme.public_id)})
    html = page.content.decode()
    assert "Un potager sur le toit" in html and "Plus de sécurité" not in html
    client.post(url, {"action": "untag", "target": str(theme.public_id), "answer": ids[:1]})
    assert theme.answers.count() == 1


def test_it_lists_campaigns_and_questionnaires_in_a_bounded_number_of_queries(
    personas, login, world, django_assert_max_num_queries
):
    for i in range(4):
        questionnaire = build_questionnaire(title=f"Questionnaire {i}")
        make_campaign(questionnaire.versions.get(), [world["building_a"]], title=f"Campagne {i}")
    client = login(personas["organizer_a"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("surveys:campaign-list")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("surveys:questionnaire-list")).status_code == 200
    assert Campaign.objects.count() == 4
