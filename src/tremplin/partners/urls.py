from django.urls import path, register_converter

from tremplin.core.routes import crud

from . import views


class FormatConverter:
    regex = "xlsx|pdf|docx|html"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(FormatConverter, "fmt")

app_name = "partners"
urlpatterns = [
    path("ententes/", views.agreement_list, name="agreement-list"),
    path("ententes/<slug:slug>/", views.agreement_detail, name="agreement-detail"),
    path("ententes/<slug:slug>/financement.<fmt:fmt>", views.funding_export, name="funding-export"),
    path("ententes/<slug:slug>/suivi/", views.agreement_spending, name="agreement-spending"),
    path("ententes/<slug:slug>/documents/", views.document_add, name="document-add"),
    path(
        "ententes/<slug:slug>/engagements/nouveau/",
        views.commitment_create,
        name="commitment-create",
    ),
    path("documents/<uuid:public_id>/", views.document_download, name="document-download"),
    *crud("engagements/", views, "commitment", actions=("detail", "edit")),
    path(
        "engagements/<uuid:public_id>/bonification/",
        views.commitment_top_up,
        name="commitment-top-up",
    ),
    path(
        "engagements/<uuid:public_id>/depenses/nouvelle/",
        views.disbursement_add,
        name="disbursement-add",
    ),
    # One view creates and edits a partner.
    path("partenaires/nouveau/", views.partner_edit, name="partner-create"),
    *crud("partenaires/", views, "partner", actions=("list", "detail", "edit", "delete")),
]
