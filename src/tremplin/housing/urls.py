from django.urls import path

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
    path("organismes/nouveau/", views.provider_create, name="provider-create"),
    path("organismes/<uuid:public_id>/", views.provider_detail, name="provider-detail"),
    path("organismes/<uuid:public_id>/modifier/", views.provider_edit, name="provider-edit"),
    path(
        "organismes/<uuid:public_id>/immeubles/nouveau/",
        views.building_create,
        name="building-create",
    ),
    path("immeubles/<uuid:public_id>/", views.building_detail, name="building-detail"),
    path("immeubles/<uuid:public_id>/modifier/", views.building_edit, name="building-edit"),
    path("importer/", views.import_upload, name="import-upload"),
]
