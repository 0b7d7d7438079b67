"""The privacy officer's pages, the research export and the counts (casework.privacy.views).

Mounted with the case-file URLs under ``/suivis/`` (namespace ``casework``).
"""

from django.urls import path

from .limits import views as limits_views
from .privacy import views

urlpatterns = [
    path("confidentialite/", views.index, name="privacy-index"),
    path("confidentialite/journal/", views.journal, name="privacy-journal"),
    path("confidentialite/bris-de-verre/", views.emergency_list, name="privacy-emergency-list"),
    path(
        "confidentialite/bris-de-verre/examiner/",
        views.emergency_review,
        name="privacy-emergency-review",
    ),
    # The same page as the supervisors' ``bulk-read-limits``, in the privacy officer's menu.
    path(
        "confidentialite/lecture-massive/",
        limits_views.bulk_read_limits,
        name="privacy-bulk-read-limits",
    ),
    path(
        "confidentialite/lecture-massive/examiner/",
        views.bulk_review,
        name="privacy-bulk-review",
    ),
    path(
        "confidentialite/registres/destructions/",
        views.destructions,
        name="privacy-destructions",
    ),
    path("confidentialite/registres/incidents/", views.incidents, name="privacy-incidents"),
    path(
        "confidentialite/registres/incidents/nouveau/",
        views.incident_create,
        name="privacy-incident-create",
    ),
    path(
        "confidentialite/registres/incidents/<uuid:public_id>/",
        views.incident_edit,
        name="privacy-incident-edit",
    ),
    path(
        "confidentialite/registres/communications/",
        views.communications,
        name="privacy-communications",
    ),
    path("confidentialite/personnes/", views.persons, name="privacy-persons"),
    path("confidentialite/personnes/<uuid:public_id>/", views.person, name="privacy-person"),
    path(
        "confidentialite/personnes/<uuid:public_id>/dossier.<str:fmt>",
        views.person_export,
        name="privacy-person-export",
    ),
    path(
        "confidentialite/personnes/<uuid:public_id>/rectifier/",
        views.person_rectify,
        name="privacy-person-rectify",
    ),
    path("confidentialite/recherche/", views.research_page, name="privacy-research"),
    path(
        "confidentialite/recherche/export.<str:fmt>",
        views.research_download,
        name="privacy-research-export",
    ),
    path("confidentialite/statistiques/", views.stats_page, name="privacy-stats"),
]
