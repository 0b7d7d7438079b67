"""Import of subscribers from a spreadsheet (CSV or XLSX) of people who consented elsewhere
(a paper form at a gathering, a sign-up sheet at a tenants' meeting…), through the tabular
framework (``tremplin.core.tabular``).

Fields: ``Courriel`` (required), ``Langue`` (fr/en, French when empty), ``Date du
consentement`` (required), ``Source du consentement`` (else the source typed on the import
form). Other columns are ignored, so a sign-up sheet with names imports without keeping the
names. Each row is created, updated (a pending web sign-up now documented), unchanged (already
subscribed) or rejected with French reasons. Someone who unsubscribed is never re-subscribed by
an import.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tremplin.audit.services import log_action
from tremplin.core import tabular
from tremplin.core.tabular import Field, Row, RowResult
from tremplin.core.text import fold

from .models import ConsentMethod, Subscriber, SubscriberImport, SubscriberStatus
from .permissions import can_manage_newsletter

UPDATED_FIELDS = [
    "language",
    "status",
    "consent_at",
    "consent_method",
    "consent_source",
    "consent_text",
    "confirmed_at",
    "import_batch",
    "updated_at",
]
FIELDS = [
    Field(
        "email",
        "Courriel",
        required=True,
        aliases=(
            "Adresse courriel",
            "Adresse de courriel",
            "Adresse électronique",
            "Courrier électronique",
            "Email",
            "E-mail",
            "Mail",
        ),
    ),
    Field(
        "language", "Langue", aliases=("Langue préférée", "Langue de correspondance", "Language")
    ),
    Field(
        "consent_date",
        "Date du consentement",
        required=True,
        aliases=("Date de consentement", "Date consentement", "Consentement", "Consenti le"),
    ),
    Field("source", "Source du consentement", aliases=("Source", "Provenance", "Consent source")),
]
LANGUAGE_VALUES = {
    "": "fr",
    "fr": "fr",
    "f": "fr",
    "francais": "fr",
    "french": "fr",
    "fr-ca": "fr",
    "en": "en",
    "anglais": "en",
    "english": "en",
    "en-ca": "en",
}


class OptionsForm(forms.Form):
    """What the file does not say: where people consented, and the coordinator's word."""

    source = forms.CharField(
        label=gettext_lazy("Source du consentement"),
        max_length=300,
        help_text=gettext_lazy(
            "Où et comment ces personnes ont consenti, par exemple : « Fiche d'inscription "
            "papier, rassemblement régional du 6 juin 2025 ». Une colonne « Source du "
            "consentement » du fichier a priorité."
        ),
    )
    attestation = forms.BooleanField(
        label=gettext_lazy(
            "Je confirme que chaque personne de ce fichier a consenti expressément à recevoir "
            "l'infolettre, et que la preuve de ce consentement est conservée."
        ),
        error_messages={"required": gettext_lazy("Cochez la case pour confirmer le consentement.")},
    )


@dataclass
class _Plan:
    email: str
    language: str
    consent_date: dt.date
    source: str


class SubscriberImporter(tabular.Importer):
    entity = "subscribers"
    label = "Abonnés de l'infolettre"
    row_label = "Courriel"
    fields = FIELDS
    options_form = OptionsForm
    reject_identical_rows = False  # a repeated address is the duplicate, whatever the rest
    needs_user = True  # the proof of consent names who imported it

    @classmethod
    def can_import(cls, user) -> bool:
        return can_manage_newsletter(user)

    def prepare(self, columns):
        self.columns = columns
        self.existing = {
            email: (pk, status, unsubscribed_at)
            for pk, email, status, unsubscribed_at in Subscriber.objects.values_list(
                "pk", "email", "status", "unsubscribed_at"
            )
        }
        self.seen: dict[str, int] = {}
        self.today = timezone.localdate()
        self.default_source = (self.options.get("source") or "").strip()

    def check(self, row: Row):
        email = row.get("email").lower()
        result = RowResult(line=row.line, action="create", label=email)
        reasons = result.reasons
        if not email:
            reasons.append(_("Courriel manquant."))
        else:
            try:
                validate_email(email)
            except ValidationError:
                reasons.append(
                    _("« %(value)s » n'est pas une adresse courriel valide.") % {"value": email}
                )
            if email in self.seen:
                reasons.append(
                    _("Adresse en double dans le fichier (déjà à la ligne %(line)s).")
                    % {"line": self.seen[email]}
                )
            else:
                self.seen[email] = row.line
        language_text = row.get("language")
        language = LANGUAGE_VALUES.get(fold(language_text), "")
        if not language:
            reasons.append(
                _("Langue « %(value)s » inconnue : indiquez fr ou en.") % {"value": language_text}
            )
        consent_date = None
        if not row.get("consent_date"):
            reasons.append(
                _(
                    "Date du consentement manquante : sans elle, le consentement ne peut pas être "
                    "prouvé."
                )
            )
        else:
            consent_date = row.date("consent_date", reasons)
            if consent_date is not None and consent_date > self.today:
                reasons.append(_("La date du consentement est dans le futur."))
        source = (row.text("source") or self.default_source)[:300]
        if not source:
            reasons.append(_("Source du consentement manquante."))
        current = self.existing.get(email)
        if current is not None:
            _pk, status, unsubscribed_at = current
            if status == SubscriberStatus.UNSUBSCRIBED:
                when = unsubscribed_at
                reasons.append(
                    _(
                        "Cette personne s'est désabonnée%(when)s : une importation ne peut pas la "
                        "réabonner."
                    )
                    % {"when": f" ({timezone.localdate(when).isoformat()})" if when else ""}
                )
            elif status == SubscriberStatus.CONFIRMED:
                result.action = "unchanged"
            else:
                result.action = "update"
        if reasons:
            result.action = "reject"
            return result, None
        if result.action == "unchanged":
            return result, None
        return result, _Plan(email, language, consent_date, source)

    def write(self, plans, *, report) -> dict:
        now = timezone.now()
        batch = SubscriberImport.objects.create(
            user=self.user,
            filename=self.options.get("filename", "")[:255],
            source=self.default_source or "—",
            summary=report.counts(),
        )
        existing = {
            s.email: s
            for s in Subscriber.objects.select_for_update().filter(
                email__in=[p.email for p in plans]
            )
        }
        new, changed, before = [], [], {}
        for plan in plans:
            subscriber = existing.get(plan.email)
            if subscriber is None:
                subscriber = Subscriber(email=plan.email)
                new.append(subscriber)
            elif subscriber.status != SubscriberStatus.PENDING:
                continue  # confirmed or unsubscribed since the check: leave it alone
            else:
                before[str(subscriber.pk)] = {
                    "language": subscriber.language,
                    "status": subscriber.status,
                    "consent_source": subscriber.consent_source,
                    "consent_method": subscriber.consent_method,
                }
                changed.append(subscriber)
            subscriber.language = plan.language
            subscriber.status = SubscriberStatus.CONFIRMED
            subscriber.consent_at = timezone.make_aware(
                dt.datetime.combine(plan.consent_date, dt.time(12))
            )
            subscriber.consent_method = ConsentMethod.IMPORT
            subscriber.consent_source = plan.source
            subscriber.consent_text = ""
            subscriber.confirmed_at = now
            subscriber.import_batch = batch
            subscriber.updated_at = now
            subscriber.full_clean(exclude=["import_batch"], validate_unique=False)
        Subscriber.objects.bulk_create(new, batch_size=500)
        Subscriber.objects.bulk_update(changed, UPDATED_FIELDS, batch_size=500)
        log_action(batch, "newsletter.subscriber.import", user=self.user, data=report.counts())
        created = list(
            Subscriber.objects.filter(import_batch=batch)
            .exclude(pk__in=[s.pk for s in changed])
            .values_list("pk", flat=True)
        )
        return {"created": created, "updated": before, "batch": batch.pk}

    def written_records(self, written: dict) -> list[tabular.Written]:
        pks = [*written.get("created", []), *map(int, written.get("updated", {}))]
        return [tabular.Written(Subscriber, pks, describe=lambda s: s.email, personal=True)]

    def undo_obstacles(self, written: dict) -> list[str]:
        reasons: list[str] = []
        tabular.still_linked(Subscriber, written.get("created", []), lambda s: s.email, reasons)
        return reasons

    def undo(self, written: dict) -> None:
        created = written.get("created", [])
        updated = {int(pk): v for pk, v in written.get("updated", {}).items()}
        Subscriber.objects.filter(pk__in=created).delete()
        for subscriber in Subscriber.objects.filter(pk__in=updated):
            for name, value in updated[subscriber.pk].items():
                setattr(subscriber, name, value)
            subscriber.confirmed_at = None
            subscriber.import_batch = None
            subscriber.save()
        SubscriberImport.objects.filter(pk=written.get("batch")).delete()  # points to no one now
        log_action(
            None,
            "newsletter.subscriber.import.undo",
            user=self.user,
            data={"deleted": len(created), "restored": len(updated)},
        )
