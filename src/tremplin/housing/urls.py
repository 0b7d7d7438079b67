from django.urls import path

from tremplin.core.routes import crud

from . import views

app_name = "housing"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("export.csv", views.export_csv, name="export-csv"),
    path("export.xlsx", views.export_xlsx, name="export-xlsx"),
    path("repertoire.pdf", views.print_pdf, name="print-pdf"),
    path("impressions/<uuid:public_id>/", views.print_status, name="print-status"),
    path(
        "impressions/<uuid:public_id>/repertoire.pdf",
        views.print_download,
        name="print-download",
    ),
    *crud("organismes/", views, "provider", actions=("create", "detail", "edit")),
    path(
        "organismes/<uuid:public_id>/immeubles/nouveau/",
        views.building_create,
        name="building-create",
    ),
    *crud("immeubles/", views, "building", actions=("detail", "edit")),
    path("importer/", views.import_upload, name="import-upload"),
]
