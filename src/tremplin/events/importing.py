"""Import of an attendance list (a sign-in sheet typed into a spreadsheet) for one stop of an
event, through the tabular framework and the events services: each name already registered is
checked in, every other name is added as a walk-in, present."""

from django import forms
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tremplin.core import tabular
from tremplin.core.tabular import Field, Row, RowResult
from tremplin.core.text import fold

from . import permissions, selectors, services
from .models import Registration, RegistrationStatus

FIELDS = [
    Field("name", "Nom", required=True, aliases=("Nom et prénom", "Prénom et nom", "Participant")),
    Field("organization", "Organisme ou immeuble", aliases=("Organisme", "Immeuble", "Provenance")),
    Field("is_tenant", "Locataire", aliases=("Locataire ?", "Est locataire")),
]


class OptionsForm(forms.Form):
    stop = forms.UUIDField(
        label=gettext_lazy("Identifiant de l'étape"),
        help_text=gettext_lazy(
            "L'identifiant de l'étape : la suite de chiffres et de lettres de l'adresse de sa page "
            "de présences (…/etapes/IDENTIFIANT/presences/)."
        ),
    )


class AttendanceImporter(tabular.Importer):
    entity = "attendance"
    label = "Feuille de présences d'un événement"
    row_label = "Personne"
    fields = FIELDS
    options_form = OptionsForm

    @classmethod
    def can_import(cls, user) -> bool:
        return permissions.can_create(user)

    def prepare(self, columns):
        self.columns = columns
        try:
            self.stop = selectors.get_stop_for_attendance(self.user, self.options.get("stop"))
        except (Http404, ValueError, TypeError):
            raise tabular.FileError(
                _("Étape d'événement introuvable, ou dont vous ne notez pas les présences.")
            ) from None
        self.registered = {}
        for registration in Registration.objects.filter(stop=self.stop).exclude(
            status=RegistrationStatus.CANCELLED
        ):
            self.registered.setdefault(fold(registration.name), registration)

    def check(self, row: Row):
        reasons: list[str] = []
        name = row.text("name")
        row.required(["name"], reasons)
        row.too_long("name", 120, reasons)
        if row.has("organization"):
            row.too_long("organization", 200, reasons)
        is_tenant = row.boolean("is_tenant", reasons) if row.has("is_tenant") else False
        result = RowResult(row.line, "create", name, reasons)
        if reasons:
            result.action = "reject"
            return result, None
        registration = self.registered.get(fold(name))
        if registration is not None:
            result.action = "unchanged" if registration.checked_in_at else "update"
            return result, (registration if result.action == "update" else None)
        return result, (name, row.text("organization"), bool(is_tenant))

    def write(self, plans, *, report) -> dict:
        created, checked_in = [], []
        for plan in plans:
            if isinstance(plan, Registration):
                services.registration_check_in(user=self.user, registration=plan, present=True)
                checked_in.append(plan.pk)
            else:
                name, organization, is_tenant = plan
                registration = services.walk_in_add(
                    user=self.user,
                    stop=self.stop,
                    name=name,
                    organization=organization,
                    is_tenant=is_tenant,
                )
                created.append(registration.pk)
        return {"created": created, "checked_in": checked_in}

    def written_records(self, written: dict) -> list[tabular.Written]:
        pks = [*written.get("created", []), *written.get("checked_in", [])]
        return [tabular.Written(Registration, pks, describe=lambda r: r.name, personal=True)]

    def undo(self, written: dict) -> None:
        Registration.objects.filter(pk__in=written.get("created", [])).delete()
        for registration in Registration.objects.filter(pk__in=written.get("checked_in", [])):
            services.registration_check_in(user=self.user, registration=registration, present=False)
