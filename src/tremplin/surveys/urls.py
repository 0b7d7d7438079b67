from django.urls import path

from tremplin.core.routes import crud

from . import views_campaigns as campaigns
from . import views_public as public
from . import views_questionnaires as questionnaires
from . import views_results as results

app_name = "surveys"
urlpatterns = [
    # Campaigns (the index of the app).
    path("", campaigns.campaign_list, name="campaign-list"),
    *crud(
        "campagnes/", campaigns, "campaign", actions=("create", "detail", "edit"), new="nouvelle/"
    ),
    path("campagnes/<uuid:public_id>/objectifs/", campaigns.site_goals, name="site-goals"),
    path("campagnes/<uuid:public_id>/papier/", campaigns.paper, name="campaign-paper"),
    path("campagnes/<uuid:public_id>/saisie/", campaigns.paper_entry, name="paper-entry"),
    path(
        "campagnes/<uuid:public_id>/saisie/<uuid:response_id>/supprimer/",
        campaigns.response_delete,
        name="response-delete",
    ),
    path("sites/<uuid:public_id>/affiche/", campaigns.poster, name="site-poster"),
    path("sites/<uuid:public_id>/qr.<str:fmt>", campaigns.qr_code, name="site-qr"),
    path("sites/<uuid:public_id>/tablette/", public.kiosk_start, name="kiosk-start"),
    # Results.
    path("campagnes/<uuid:public_id>/resultats/", results.results_page, name="results"),
    path(
        "campagnes/<uuid:public_id>/resultats/graphique/<uuid:question_id>.svg",
        results.results_chart,
        name="results-chart",
    ),
    path(
        "campagnes/<uuid:public_id>/resultats/comparer/<uuid:question_id>/",
        results.results_compare,
        name="results-compare",
    ),
    path("campagnes/<uuid:public_id>/reponses-libres/", results.text_answers, name="text-answers"),
    path("campagnes/<uuid:public_id>/volontaires/", results.volunteers, name="volunteers"),
    path("campagnes/<uuid:public_id>/reponses.csv", results.export_csv, name="export-csv"),
    path("campagnes/<uuid:public_id>/reponses.xlsx", results.export_xlsx, name="export-xlsx"),
    path("campagnes/<uuid:public_id>/rapport.<str:fmt>", results.report, name="report"),
    # Questionnaires.
    *crud("questionnaires/", questionnaires, "questionnaire"),
    path("questionnaires/importer/", questionnaires.import_upload, name="import-upload"),
    path(
        "questionnaires/importer/<uuid:public_id>/",
        questionnaires.import_review,
        name="import-review",
    ),
    path(
        "questionnaires/<uuid:public_id>/apercu/",
        questionnaires.questionnaire_preview,
        name="questionnaire-preview",
    ),
    path(
        "questionnaires/<uuid:public_id>/xlsform.xlsx",
        questionnaires.questionnaire_export,
        name="questionnaire-export",
    ),
    path(
        "questionnaires/<uuid:public_id>/sections/nouvelle/",
        questionnaires.section_form,
        name="section-create",
    ),
    path(
        "questionnaires/<uuid:public_id>/sections/<uuid:section_id>/",
        questionnaires.section_form,
        name="section-edit",
    ),
    path(
        "questionnaires/<uuid:public_id>/sections/<uuid:section_id>/action/",
        questionnaires.section_action,
        name="section-action",
    ),
    path(
        "questionnaires/<uuid:public_id>/questions/nouvelle/",
        questionnaires.question_form,
        name="question-create",
    ),
    path(
        "questionnaires/<uuid:public_id>/questions/<uuid:question_id>/",
        questionnaires.question_form,
        name="question-edit",
    ),
    path(
        "questionnaires/<uuid:public_id>/questions/<uuid:question_id>/action/",
        questionnaires.question_action,
        name="question-action",
    ),
    # Public answer pages (no account).
    path("r/<str:code>/", public.answer, name="answer"),
    path("r/<str:code>/merci/", public.thanks, name="answer-thanks"),
]
