from django.urls import path

from tremplin.core.routes import crud

from . import views, views_cancel

app_name = "concertation"

urlpatterns = [
    *crud("", views, "committee"),
    path("<uuid:public_id>/membres/nouveau/", views.membership_create, name="membership-create"),
    path("membres/<uuid:public_id>/modifier/", views.membership_edit, name="membership-edit"),
    path("<uuid:public_id>/rencontres/nouvelle/", views.meeting_create, name="meeting-create"),
    *crud("rencontres/", views, "meeting", actions=("detail", "edit")),
    path(
        "rencontres/<uuid:public_id>/annuler/",
        views_cancel.meeting_cancel,
        name="meeting-cancel",
    ),
    path(
        "rencontres/<uuid:public_id>/retablir/",
        views_cancel.meeting_restore,
        name="meeting-restore",
    ),
    path(
        "rencontres/<uuid:public_id>/presences/",
        views.meeting_attendance,
        name="meeting-attendance",
    ),
    path(
        "rencontres/<uuid:public_id>/compte-rendu/modifier/",
        views.meeting_minutes_edit,
        name="meeting-minutes-edit",
    ),
    path("rencontres/<uuid:public_id>/ordre-du-jour/", views.meeting_agenda, name="meeting-agenda"),
    path(
        "rencontres/<uuid:public_id>/ordre-du-jour.docx",
        views.meeting_agenda_docx,
        name="meeting-agenda-docx",
    ),
    path(
        "rencontres/<uuid:public_id>/compte-rendu/",
        views.meeting_minutes,
        name="meeting-minutes",
    ),
    path(
        "rencontres/<uuid:public_id>/compte-rendu.docx",
        views.meeting_minutes_docx,
        name="meeting-minutes-docx",
    ),
    path("rencontres/<uuid:public_id>/suivis/nouveau/", views.action_create, name="action-create"),
    path("suivis/<uuid:public_id>/modifier/", views.action_edit, name="action-edit"),
    path("suivis/<uuid:public_id>/realise/", views.action_close, name="action-close"),
]
