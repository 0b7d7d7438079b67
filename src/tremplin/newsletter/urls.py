"""Mounted at the root of the site (after the other apps): French paths that do not clash with
theirs. Public pages first, then the story editor (organizers, coordination) and the
newsletter's staff pages (coordination)."""

from django.urls import path

from tremplin.core.routes import crud

from . import views_public, views_staff, views_stories
from .feeds import PublicFeed

app_name = "newsletter"
urlpatterns = [
    # Public site (anyone)
    path("a-propos/", views_public.about, name="about"),
    path("partenaires-du-programme/", views_public.partners, name="partners"),
    path("laboratoires/", views_public.labs, name="labs"),
    path("histoires/", views_public.story_list, name="story-list"),
    path("histoires/<uuid:public_id>/", views_public.story_detail, name="story-detail"),
    path("histoires/<uuid:public_id>/image/", views_public.story_image, name="story-image"),
    path("infolettre/", views_public.archive, name="archive"),
    path("infolettre/<int:number>/", views_public.edition_public, name="edition-public"),
    path("infolettre/images/<uuid:public_id>/", views_public.section_image, name="section-image"),
    path("infolettre/abonnement/", views_public.subscribe, name="subscribe"),
    path("infolettre/abonnement/merci/", views_public.subscribe_thanks, name="subscribe-thanks"),
    path("infolettre/confirmation/<str:token>/", views_public.confirm, name="confirm"),
    path("infolettre/desabonnement/<str:token>/", views_public.unsubscribe, name="unsubscribe"),
    path("flux.atom", PublicFeed(), name="feed"),
    # Stories (organizers for the projects they may edit, coordination)
    path("histoires/redaction/", views_stories.story_manage, name="story-manage"),
    path("histoires/redaction/<uuid:public_id>/", views_stories.story_edit, name="story-edit"),
    path(
        "histoires/redaction/<uuid:public_id>/publier/",
        views_stories.story_publish,
        name="story-publish",
    ),
    path(
        "histoires/redaction/<uuid:public_id>/retirer/",
        views_stories.story_unpublish,
        name="story-unpublish",
    ),
    # Newsletter and site pages (coordination)
    *crud(
        "infolettre/editions/",
        views_staff,
        "edition",
        actions=("list", "create", "detail", "edit", "delete"),
        new="nouvelle/",
    ),
    path(
        "infolettre/editions/<uuid:public_id>/sections/<str:kind>/nouvelle/",
        views_staff.section_create,
        name="section-create",
    ),
    *crud("infolettre/sections/", views_staff, "section", actions=("edit", "delete")),
    path(
        "infolettre/sections/<uuid:public_id>/deplacer/",
        views_staff.section_move,
        name="section-move",
    ),
    path(
        "infolettre/editions/<uuid:public_id>/apercu/",
        views_staff.edition_preview,
        name="edition-preview",
    ),
    path(
        "infolettre/editions/<uuid:public_id>/apercu/courriel/",
        views_staff.edition_preview_frame,
        name="edition-preview-frame",
    ),
    path(
        "infolettre/editions/<uuid:public_id>/essai/",
        views_staff.edition_test_send,
        name="edition-test-send",
    ),
    path(
        "infolettre/editions/<uuid:public_id>/envoyer/",
        views_staff.edition_send,
        name="edition-send",
    ),
    path(
        "infolettre/editions/<uuid:public_id>/reprendre/",
        views_staff.edition_resume,
        name="edition-resume",
    ),
    path(
        "infolettre/editions/<uuid:public_id>/annuler/",
        views_staff.edition_cancel,
        name="edition-cancel",
    ),
    path(
        "infolettre/editions/<uuid:public_id>/progression/",
        views_staff.edition_progress,
        name="edition-progress",
    ),
    path("infolettre/abonnes/", views_staff.subscriber_list, name="subscriber-list"),
    path(
        "infolettre/abonnes/<uuid:public_id>/desabonner/",
        views_staff.subscriber_unsubscribe,
        name="subscriber-unsubscribe",
    ),
    path("infolettre/abonnes/importer/", views_staff.subscriber_import, name="subscriber-import"),
    path("site-public/pages/", views_staff.page_list, name="page-list"),
    path("site-public/pages/<slug:slug>/", views_staff.page_edit, name="page-edit"),
]
