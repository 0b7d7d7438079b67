"""Case files and the resource directory (mounted at /suivis/, namespace "casework")."""

from django.urls import path

from tremplin.core.routes import crud

from . import views
from .limits import views as limits_views

urlpatterns = [
    path("", views.caseload, name="caseload"),
    *crud(
        "personnes/",
        views,
        "person",
        actions=("create", "detail", "edit"),
        new="nouvelle/",
        edit="rectifier/",
    ),
    path(
        "personnes/<uuid:public_id>/consentements/nouveau/",
        views.consent_create,
        name="consent-create",
    ),
    path("personnes/<uuid:public_id>/suivis/nouveau/", views.follow_up_open, name="follow-up-open"),
    path(
        "personnes/<uuid:public_id>/communications/nouvelle/",
        views.communication_create,
        name="communication-create",
    ),
    path("personnes/<uuid:public_id>/refus/nouveau/", views.worker_bar, name="worker-bar"),
    path(
        "consentements/<uuid:public_id>/retirer/", views.consent_withdraw, name="consent-withdraw"
    ),
    path("suivis/<uuid:public_id>/fermer/", views.follow_up_close, name="follow-up-close"),
    path("suivis/<uuid:public_id>/assigner/", views.follow_up_assign, name="follow-up-assign"),
    path(
        "suivis/<uuid:public_id>/interventions/",
        views.follow_up_interventions,
        name="follow-up-interventions",
    ),
    path(
        "suivis/<uuid:public_id>/references/nouvelle/",
        views.referral_create,
        name="referral-create",
    ),
    path("interventions/nouvelle/", views.intervention_create, name="intervention-create"),
    path(
        "interventions/<uuid:public_id>/corriger/",
        views.intervention_edit,
        name="intervention-edit",
    ),
    path("references/<uuid:public_id>/resultat/", views.referral_update, name="referral-update"),
    path("acces-urgence/", views.emergency_access, name="emergency-access"),
    path("lecture-massive/", limits_views.bulk_read_limits, name="bulk-read-limits"),
    *crud("ressources/", views, "resource", actions=("list", "create", "edit"), new="nouvelle/"),
]
