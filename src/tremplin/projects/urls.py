from django.urls import path

from tremplin.core.routes import crud

from . import views, views_activities

app_name = "projects"
urlpatterns = [
    *crud("", views, "project", actions=("list", "create", "detail", "edit", "delete")),
    path("export.csv", views.export_csv, name="export-csv"),
    path("export.xlsx", views.export_xlsx, name="export-xlsx"),
    path("mon-travail/", views.my_work, name="my-work"),
    path("<uuid:public_id>/activites/", views_activities.activity_list, name="activity-list"),
    path(
        "<uuid:public_id>/activites/nouvelle/",
        views_activities.activity_create,
        name="activity-create",
    ),
    path("<uuid:public_id>/pieces-jointes/", views.attachment_add, name="attachment-add"),
    path(
        "pieces-jointes/<uuid:public_id>/",
        views.attachment_download,
        name="attachment-download",
    ),
]

# Accompaniments and tenant associations (views_community.py).
from . import views_community  # noqa: E402

urlpatterns += views_community.urlpatterns_community

# Partners, funding and staff of a project (views_links.py).
from . import views_links  # noqa: E402

urlpatterns += views_links.urlpatterns_links
