from django.urls import path

from tremplin.core.routes import crud

from . import views, views_public, views_running

app_name = "events"
urlpatterns = [
    # Staff pages (coordination and organizers; see README.md)
    *crud("", views, "event"),
    path("portee/", views.reach_page, name="reach"),
    path(
        "<uuid:public_id>/inscriptions/", views_running.registration_list, name="registration-list"
    ),
    path(
        "<uuid:public_id>/inscriptions/nouvelle/",
        views_running.registration_create,
        name="registration-create",
    ),
    path("<uuid:public_id>/accueil/", views_running.check_in, name="check-in"),
    path(
        "<uuid:public_id>/feuille-de-presence/", views_running.sign_in_sheet, name="sign-in-sheet"
    ),
    path(
        "inscriptions/<uuid:public_id>/modifier/",
        views_running.registration_edit,
        name="registration-edit",
    ),
    path(
        "inscriptions/<uuid:public_id>/annuler/",
        views_running.registration_cancel,
        name="registration-cancel",
    ),
    path(
        "inscriptions/<uuid:public_id>/presence/",
        views_running.registration_check_in,
        name="registration-check-in",
    ),
    path("etapes/<uuid:public_id>/sur-place/", views_running.walk_in, name="walk-in"),
    path(
        "etapes/<uuid:public_id>/presences/", views_running.attendance_edit, name="attendance-edit"
    ),
    # Public pages (anyone, no account)
    path("a-venir/", views_public.public_list, name="public-list"),
    path("calendrier.ics", views_public.feed, name="feed"),
    path("public/<uuid:public_id>/", views_public.public_detail, name="public-detail"),
    path("public/<uuid:public_id>/merci/", views_public.public_thanks, name="public-thanks"),
    path("public/<uuid:public_id>/calendrier.ics", views_public.event_ics, name="event-ics"),
    path("annulation/<str:token>/", views_public.public_cancel, name="public-cancel"),
]
