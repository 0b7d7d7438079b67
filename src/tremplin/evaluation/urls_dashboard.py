"""Dashboard pages: the dashboard, an indicator's page, the records behind a value, exports."""

from django.urls import path, re_path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", views.export, name="export"),
    path("indicateurs/<str:indicator_id>/", views.indicator_detail, name="indicator"),
    path(
        "indicateurs/<str:indicator_id>/enregistrements/",
        views.records,
        name="records",
    ),
]
