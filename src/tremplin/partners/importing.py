"""Import of partners and their contacts (one contact per row, optional) through the tabular
framework: a partner is found by its name (accents and case ignored), created when new, its
short name, kind and website updated; a contact is added unless the partner has it already."""

from django.utils.translation import gettext as _

from tremplin.audit.services import log_action
from tremplin.core import tabular
from tremplin.core.tabular import Field, Row, RowResult
from tremplin.core.text import fold

from .models import Partner, PartnerContact, PartnerKind
from .permissions import can_edit_funding

FIELDS = [
    Field("name", "Partenaire", required=True, aliases=("Nom", "Nom du partenaire", "Organisme")),
    Field("short_name", "Nom court", aliases=("Sigle", "Acronyme")),
    Field("kind", "Type", aliases=("Type de partenaire", "Catégorie")),
    Field("website", "Site web", aliases=("Site", "Web", "Site internet")),
    Field("contact_name", "Personne-ressource", aliases=("Contact", "Nom du contact")),
    Field("contact_role", "Fonction", aliases=("Titre", "Poste")),
    Field("contact_email", "Courriel", aliases=("Courriel du contact", "Email")),
    Field("contact_phone", "Téléphone", aliases=("Tél.", "Tel", "Téléphone du contact")),
]


def kind_index() -> dict[str, str]:
    """A kind named by its French or English label or its key, whatever the language."""
    return tabular.choice_index(PartnerKind)


PARTNER_FIELDS = ("short_name", "kind", "website")


class PartnerImporter(tabular.Importer):
    entity = "partners"
    label = "Partenaires et leurs personnes-ressources"
    row_label = "Partenaire"
    fields = FIELDS
    reject_identical_rows = True

    @classmethod
    def can_import(cls, user) -> bool:
        return can_edit_funding(user)

    def prepare(self, columns):
        self.columns = columns
        self.partners = {fold(p.name): p for p in Partner.objects.all()}
        self.contacts = set(PartnerContact.objects.values_list("partner_id", "name").iterator())
        self.contacts = {(pk, fold(name)) for pk, name in self.contacts}
        self.new: dict[str, Partner] = {}

    def check(self, row: Row):
        reasons: list[str] = []
        name = row.text("name")
        row.required(["name"], reasons)
        row.too_long("name", 200, reasons)
        kind = None
        if row.has("kind") and row.text("kind"):
            kind = row.choice(
                "kind",
                kind_index(),
                reasons,
                expected=", ".join(str(label) for label in PartnerKind.labels[:4]) + "…",
            )
        key = fold(name)
        partner = self.partners.get(key) or self.new.get(key)
        values = {
            "short_name": row.text("short_name") if row.has("short_name") else None,
            "kind": kind,
            "website": row.text("website") if row.has("website") else None,
        }
        values = {k: v for k, v in values.items() if v not in (None, "")}
        contact = None
        if row.has("contact_name") and row.text("contact_name"):
            contact = PartnerContact(
                name=row.text("contact_name"),
                role=row.text("contact_role"),
                email=row.text("contact_email"),
                phone=row.text("contact_phone"),
            )
        if partner is None and not reasons and "kind" not in values:
            reasons.append(
                _("Partenaire inconnu : « %(name)s ». Pour le créer, indiquez son « Type ».")
                % {"name": name}
            )
        if reasons:
            return RowResult(row.line, "reject", name, reasons), None
        creating = partner is None
        if creating:
            partner = Partner(name=name)
            self.new[key] = partner
        changed = {k: v for k, v in values.items() if getattr(partner, k) != v}
        for k, v in changed.items():
            setattr(partner, k, v)
        owner = partner.pk or id(partner)  # a partner new in this file has no key yet
        new_contact = contact is not None and (owner, fold(contact.name)) not in self.contacts
        if new_contact:
            contact.partner = partner
            self.contacts.add((owner, fold(contact.name)))
            contact.full_clean(exclude=["partner"])
        try:
            partner.full_clean(exclude=["parent"], validate_unique=False)
        except Exception as exc:  # a field rule (a website that is not a web address…)
            messages = getattr(exc, "messages", [str(exc)])
            return RowResult(row.line, "reject", name, list(messages)), None
        action = "create" if creating else ("update" if changed or new_contact else "unchanged")
        if action == "unchanged":
            return RowResult(row.line, action, name), None
        return RowResult(row.line, action, name), (
            partner,
            changed,
            contact if new_contact else None,
        )

    def write(self, plans, *, report) -> dict:
        created, updated, contacts, saved = [], {}, [], set()
        for partner, changed, contact in plans:
            if partner.pk is None:
                partner.full_clean()
                partner.save()
                created.append(partner.pk)
                saved.add(partner.pk)
                log_action(partner, "partners.partner.save", user=self.user)
            elif changed and partner.pk not in saved:
                stored = Partner.objects.get(pk=partner.pk)
                updated[str(partner.pk)] = {k: getattr(stored, k) for k in PARTNER_FIELDS}
                partner.full_clean()
                partner.save()
                saved.add(partner.pk)
                log_action(partner, "partners.partner.save", user=self.user)
            if contact is not None:
                contact.partner = partner
                contact.full_clean()
                contact.save()
                contacts.append(contact.pk)
        return {"created": created, "updated": updated, "contacts": contacts}

    def written_records(self, written: dict) -> list[tabular.Written]:
        partners = [*written.get("created", []), *map(int, written.get("updated", {}))]
        return [
            tabular.Written(Partner, partners),
            tabular.Written(PartnerContact, written.get("contacts", []), personal=True),
        ]

    def undo_obstacles(self, written: dict) -> list[str]:
        reasons: list[str] = []
        created = written.get("created", [])
        tabular.still_linked(Partner, created, str, reasons, ignore=(PartnerContact,))
        others = PartnerContact.objects.filter(partner__in=created).exclude(
            pk__in=written.get("contacts", [])
        )
        for partner in Partner.objects.filter(pk__in=others.values("partner")[:10]):
            reasons.append(
                _("Le partenaire « %(name)s » a reçu d'autres personnes-ressources depuis.")
                % {"name": partner.name}
            )
        return reasons

    def undo(self, written: dict) -> None:
        updated = {int(k): v for k, v in written.get("updated", {}).items()}
        PartnerContact.objects.filter(pk__in=written.get("contacts", [])).delete()
        Partner.objects.filter(pk__in=written.get("created", [])).delete()
        for partner in Partner.objects.filter(pk__in=updated):
            for k, v in updated[partner.pk].items():
                setattr(partner, k, v)
            partner.full_clean()
            partner.save()
            log_action(partner, "partners.partner.save", user=self.user)
