"""Highlights report pages (Faits saillants)."""

from django.urls import path

from . import views_reports

urlpatterns = [
    path("faits-saillants/", views_reports.report_list, name="report-list"),
    path("faits-saillants/nouveau/", views_reports.report_new, name="report-new"),
    path("faits-saillants/<str:public_id>/", views_reports.report_detail, name="report-detail"),
    path(
        "faits-saillants/<str:public_id>/modifier/", views_reports.report_edit, name="report-edit"
    ),
    path(
        "faits-saillants/<str:public_id>/exporter/<str:fmt>/",
        views_reports.report_export,
        name="report-export",
    ),
]
