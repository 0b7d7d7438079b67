"""Writes on projects, activities, accompaniments and tenant associations."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from tremplin.audit.services import log_action, save_audited
from tremplin.core.text import fold
from tremplin.territories.models import LocalTeam, Territory

from . import funding_links
from .models import (
    Accompaniment,
    Project,
    ProjectActivity,
    ProjectAttachment,
    ProjectFunding,
    ProjectPartner,
    TenantAssociation,
)


def _activity_total(expression):
    totals = (
        ProjectActivity.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(total=expression)
        .values("total")
    )
    return Coalesce(Subquery(totals, output_field=IntegerField()), Value(0))


def project_refresh_counts(project_ids=None) -> int:
    """Recompute activity count and participation sums of some projects (all if None) in one
    UPDATE. Called after any change to activities, and by loaders after bulk inserts."""
    qs = (
        Project.objects.all() if project_ids is None else Project.objects.filter(pk__in=project_ids)
    )
    return qs.update(
        activity_count=_activity_total(Count("id")),
        participant_sum=_activity_total(Sum("participants")),
        tenant_sum=_activity_total(Sum("tenants")),
    )


def project_refresh_places(project: Project) -> None:
    """Derive territories and local teams from the sites; rebuild the folded search text and
    the territories' names."""
    municipality_ids = set(project.buildings.values_list("municipality_id", flat=True)) | set(
        project.providers.values_list("municipality_id", flat=True)
    )
    territories = list(
        Territory.objects.filter(mrcs__municipalities__in=municipality_ids)
        .distinct()
        .order_by("name")
    )
    project.territories.set(territories)
    project.local_teams.set(
        LocalTeam.objects.filter(municipalities__in=municipality_ids).distinct()
    )
    names = list(project.providers.values_list("name", flat=True))
    names += list(project.buildings.values_list("address", "municipality__name").distinct()[:50])
    flat = [project.title, project.summary] + [
        " ".join(n) if isinstance(n, tuple) else n for n in names
    ]
    Project.objects.filter(pk=project.pk).update(
        search_key=" | ".join(fold(p) for p in flat if p),
        territory_names=territory_names(t.name for t in territories),
    )


def territory_names(names) -> str:
    """``Beauce, Grand Littoral``: the territories of a project as lists and exports show them."""
    return ", ".join(sorted(names))[:500]


@transaction.atomic
def project_save(*, user, project: Project, sites=None, request=None, **m2m) -> Project:
    """Validate and save a project; ``sites`` = (buildings, providers); other M2M by name."""
    save_audited(project, "projects.project", user=user, request=request)
    if sites is not None:
        buildings, providers = sites
        project.buildings.set(buildings)
        project.providers.set(providers)
    for name, values in m2m.items():
        getattr(project, name).set(values)
    if project.lead_organizer_id:
        project.staff.remove(project.lead_organizer_id)  # listed once, as the lead
    project_refresh_places(project)
    return project


@transaction.atomic
def project_delete(*, user, project: Project, request=None) -> None:
    """Delete a project with its activities, links and attachments.

    The audit journal keeps what was deleted: the title, the number of activities and the
    funding lines (their money goes back to the commitments). Attachment files leave the
    private storage once the deletion is committed.
    """
    data = {"title": project.title, "activities": project.activities.count()}
    funding = [
        {"commitment": str(public_id), "amount": str(amount)}
        for public_id, amount in project.funding.values_list("commitment__public_id", "amount")
    ]
    if funding:
        data["funding"] = funding
    log_action(project, "projects.project.delete", user=user, request=request, data=data)
    files = [a.file for a in project.attachments.all()]
    project.delete()
    transaction.on_commit(lambda: [f.storage.delete(f.name) for f in files])


# --------------------------------------------------------------------------- partners, funding, staff


@transaction.atomic
def project_partner_set(*, user, project: Project, partner, role: str, request=None):
    """Add a partner to the project with its role, or change the role of one already there."""
    link = ProjectPartner.objects.filter(project=project, partner=partner).first()
    created = link is None
    if created:
        link = ProjectPartner(project=project, partner=partner)
    before = link.role
    link.role = (role or "").strip()
    link.full_clean()
    link.save()
    log_action(
        project,
        "projects.partner.add" if created else "projects.partner.update",
        user=user,
        request=request,
        data={"partner": str(partner.public_id), "role": link.role}
        | ({} if created else {"role_before": before}),
    )
    return link


@transaction.atomic
def project_partner_remove(*, user, project: Project, partner, request=None) -> None:
    link = ProjectPartner.objects.filter(project=project, partner=partner).first()
    if link is None:
        return
    link.delete()
    log_action(
        project,
        "projects.partner.remove",
        user=user,
        request=request,
        data={"partner": str(partner.public_id), "name": partner.name, "role": link.role},
    )


@transaction.atomic
def project_funding_set(*, user, project: Project, commitment, amount, request=None):
    """Allocate ``amount`` of a commitment to the project (replacing its earlier allocation from
    that commitment). Refused when the commitment's allocations would exceed what it holds."""
    funding_links.lock_commitment(commitment)
    row = ProjectFunding.objects.filter(project=project, commitment=commitment).first()
    before = row.amount if row is not None else None
    row = row or ProjectFunding(project=project, commitment=commitment)
    row.amount = amount
    row.full_clean()
    funding_links.check_allocation(commitment, amount, project=project)
    row.save()
    log_action(
        project,
        "projects.funding.set",
        user=user,
        request=request,
        data={
            "commitment": str(commitment.public_id),
            "amount": str(amount),
            "before": None if before is None else str(before),
        },
    )
    return row


@transaction.atomic
def project_funding_remove(*, user, project: Project, commitment, request=None) -> None:
    row = ProjectFunding.objects.filter(project=project, commitment=commitment).first()
    if row is None:
        return
    row.delete()
    log_action(
        project,
        "projects.funding.remove",
        user=user,
        request=request,
        data={"commitment": str(commitment.public_id), "amount": str(row.amount)},
    )


@transaction.atomic
def project_lead_set(*, user, project: Project, lead, request=None) -> None:
    """Name the lead organizer (or none). The lead is not listed again among the other staff."""
    before = project.lead_organizer
    project.lead_organizer = lead
    project.save(update_fields=["lead_organizer", "updated_at"])
    if lead is not None:
        project.staff.remove(lead)
    log_action(
        project,
        "projects.staff.lead",
        user=user,
        request=request,
        data={
            "before": getattr(before, "username", None),
            "after": getattr(lead, "username", None),
        },
    )


@transaction.atomic
def project_staff_add(*, user, project: Project, member, request=None) -> None:
    project.staff.add(member)
    log_action(
        project, "projects.staff.add", user=user, request=request, data={"user": member.username}
    )


@transaction.atomic
def project_staff_remove(*, user, project: Project, member, request=None) -> None:
    project.staff.remove(member)
    log_action(
        project,
        "projects.staff.remove",
        user=user,
        request=request,
        data={"user": member.username},
    )


@transaction.atomic
def activity_log(*, user, activity: ProjectActivity, request=None) -> ProjectActivity:
    activity.logged_by = user if getattr(user, "is_authenticated", False) else None
    save_audited(
        activity,
        "projects.activity",
        verb="create",
        on=activity.project,
        user=user,
        request=request,
        data={"activity": str(activity.public_id)},
    )
    project_refresh_counts([activity.project_id])
    return activity


@transaction.atomic
def accompaniment_save(*, user, accompaniment: Accompaniment, request=None) -> Accompaniment:
    return save_audited(
        accompaniment, "projects.accompaniment", verb="save", user=user, request=request
    )


@transaction.atomic
def association_save(
    *, user, association: TenantAssociation, buildings=None, request=None
) -> TenantAssociation:
    save_audited(association, "projects.association", verb="save", user=user, request=request)
    if buildings is not None:
        association.buildings.set(buildings)
    return association


def sniff_type(head: bytes) -> str | None:
    """The real type of an upload from its first bytes (the name and browser claim are ignored)."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


@transaction.atomic
def attachment_add(
    *, user, project: Project, title: str, upload, request=None
) -> ProjectAttachment:
    if upload.size > ProjectAttachment.MAX_BYTES:
        raise ValidationError(_("Le fichier dépasse la taille maximale de 8 Mo."), code="too_big")
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff_type(head)
    if content_type is None:
        raise ValidationError(
            _("Ce fichier n'est ni une image (JPEG, PNG, WebP) ni un PDF, quel que soit son nom."),
            code="bad_type",
        )
    attachment = ProjectAttachment(
        project=project,
        title=(title or "").strip()[:200] or _("Pièce jointe"),
        content_type=content_type,
        size=upload.size,
        uploaded_by=user,
    )
    attachment.file.save("upload", upload, save=False)
    attachment.save()
    log_action(
        project,
        "projects.attachment.add",
        user=user,
        request=request,
        data={"attachment": str(attachment.public_id)},
    )
    return attachment
