from django.contrib import admin
from django.urls import include, path

from tremplin import views
from tremplin.core import views as core_views

core_urls = (
    [
        path("", views.home, name="home"),
        path("favicon.ico", core_views.favicon, name="favicon"),
    ],
    "core",
)

urlpatterns = [
    path("", include(core_urls)),
    path("", include("tremplin.operations.urls")),
    path("comptes/", include("tremplin.accounts.urls")),
    path("repertoire/", include("tremplin.housing.urls")),
    path("financement/", include("tremplin.partners.urls")),
    path("projets/", include("tremplin.projects.urls")),
    path("suivis/", include("tremplin.casework.urls")),
    path("concertation/", include("tremplin.concertation.urls")),
    path("evenements/", include("tremplin.events.urls")),
    path("enquetes/", include("tremplin.surveys.urls")),
    path("evaluation/", include("tremplin.evaluation.urls")),
    path("recherche/", include("tremplin.search.urls")),
    path("importations/", include("tremplin.imports.urls")),
    # The public site (about, partners, labs, stories, newsletter archive and subscription).
    path("", include("tremplin.newsletter.urls")),
    path("api/v1/", include("tremplin.api.urls")),
    path("comptes/jetons/", include("tremplin.api.urls_web")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler404 = "tremplin.core.views.not_found"
handler403 = "tremplin.core.views.forbidden"
handler500 = "tremplin.core.views.server_error"
