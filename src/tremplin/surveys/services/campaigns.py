"""Writes on campaigns, answers, themes and volunteers.

Answers are checked by ``answering.clean_answers`` whoever sends them (public page, paper
entry); each stored response refreshes its site's summary rows (``site_refresh_results``).
Public answers are not written to the audit journal: it records the address of the request,
and respondents are not tracked. Staff actions are.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.audit.services import log_action, save_audited
from tremplin.territories.models import Territory

from .. import answering
from ..models import (
    AnswerValue,
    Campaign,
    CampaignSite,
    QuestionKind,
    QuestionnaireVersion,
    Response,
    SiteResult,
    Source,
    Theme,
    UsedToken,
    Volunteer,
)

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud or retyped
CODE_LENGTH = 8
PAPER_GRACE_DAYS = 60  # paper sheets are typed in up to two months after the campaign closes


def new_site_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not CampaignSite.objects.filter(code=code).exists():
            return code


# --------------------------------------------------------------------------- campaigns


def _site_place(building=None, provider=None):
    place = building or provider
    return place.municipality.mrc.territory_id


def site_label(building=None, provider=None) -> str:
    if building is not None:
        place = f"{building.address}, {building.municipality.name}"
        label = f"{building.name} – {place}" if building.name else place
        return label[:300]
    return provider.name[:300]


def campaign_refresh_territories(campaign: Campaign) -> None:
    ids = set(campaign.sites.exclude(territory=None).values_list("territory_id", flat=True))
    campaign.territories.set(Territory.objects.filter(pk__in=ids))


@transaction.atomic
def campaign_save(
    *,
    user,
    campaign: Campaign,
    buildings=(),
    providers=(),
    default_goal: int = 0,
    request=None,
) -> Campaign:
    """Validate and save a campaign with its sites (buildings and providers).

    A site that already has answers cannot be removed; new sites get ``default_goal``. The
    questionnaire version cannot change once the campaign has answers.
    """
    created = campaign.pk is None
    if not created:
        before = Campaign.objects.get(pk=campaign.pk)
        if before.version_id != campaign.version_id and campaign.responses.exists():
            raise ValidationError(
                {
                    "version": _(
                        "Cette campagne a déjà des réponses : sa version du questionnaire ne "
                        "peut plus changer."
                    )
                }
            )
    buildings, providers = list(buildings), list(providers)
    if not buildings and not providers:
        raise ValidationError(_("Choisissez au moins un site (immeuble ou organisme)."))
    campaign.full_clean()
    campaign.save()
    wanted = {("b", b.pk): b for b in buildings} | {("p", p.pk): p for p in providers}
    current = {
        ("b", s.building_id) if s.building_id else ("p", s.provider_id): s
        for s in campaign.sites.all()
    }
    for key, site in current.items():
        if key not in wanted:
            if site.response_count or site.responses.exists():
                raise ValidationError(
                    _("Le site « %(site)s » a déjà des réponses : il ne peut pas être retiré.")
                    % {"site": site.label}
                )
            site.delete()
    for key, place in wanted.items():
        if key in current:
            continue
        is_building = key[0] == "b"
        CampaignSite.objects.create(
            campaign=campaign,
            building=place if is_building else None,
            provider=None if is_building else place,
            code=new_site_code(),
            label=site_label(place if is_building else None, None if is_building else place),
            territory_id=_site_place(
                place if is_building else None, None if is_building else place
            ),
            goal=max(0, int(default_goal or 0)),
        )
    campaign_refresh_territories(campaign)
    log_action(
        campaign,
        "surveys.campaign.create" if created else "surveys.campaign.update",
        user=user,
        request=request,
        data={"sites": len(wanted), "version": campaign.version.number},
    )
    return campaign


@transaction.atomic
def site_goals_update(*, user, campaign: Campaign, goals: dict[int, int], request=None) -> int:
    """Set each site's goal (site pk → goal). Returns how many changed."""
    changed = 0
    for site in campaign.sites.all():
        goal = goals.get(site.pk)
        if goal is not None and goal != site.goal:
            site.goal = goal
            site.save(update_fields=["goal", "updated_at"])
            changed += 1
    if changed:
        log_action(campaign, "surveys.campaign.goals", user=user, request=request)
    return changed


# --------------------------------------------------------------------------- answers


def token_digest(campaign: Campaign, kind: str, token: str) -> str:
    return hashlib.sha256(f"{kind}|{campaign.public_id}|{token}".encode()).hexdigest()


def token_used(campaign: Campaign, kind: str, token: str) -> bool:
    return UsedToken.objects.filter(
        campaign=campaign, digest=token_digest(campaign, kind, token)
    ).exists()


class AlreadySubmittedError(ValidationError):
    """A one-time token (device or form) was already spent on this campaign."""


def _values_for(response: Response, struct: answering.Structure, typed: dict) -> list:
    rows = []
    common = {
        "response": response,
        "campaign_id": response.campaign_id,
        "site_id": response.site_id,
    }
    for name, value in typed.items():
        question = struct.by_name[name].question
        if question.kind == QuestionKind.MULTIPLE:
            rows += [AnswerValue(question=question, choice=c, **common) for c in value]
        elif question.kind == QuestionKind.SINGLE:
            rows.append(AnswerValue(question=question, choice=value, **common))
        elif question.kind == QuestionKind.RATING:
            choice = struct.by_name[name].choice_by_name.get(str(value))
            rows.append(
                AnswerValue(question=question, choice=choice, number=Decimal(value), **common)
            )
        elif question.kind == QuestionKind.NUMBER:
            rows.append(AnswerValue(question=question, number=value, **common))
        else:
            rows.append(AnswerValue(question=question, text=value, **common))
    return rows


def response_submit(
    *,
    site: CampaignSite,
    answers: dict,
    source: str = Source.ONLINE,
    language: str = "fr",
    sheet_number: int | None = None,
    user=None,
    tokens: Iterable[tuple[str, str]] = (),
    today=None,
    volunteer: dict | None = None,
    request=None,
    struct: answering.Structure | None = None,
) -> Response:
    """Check and store one response (and, if given and allowed, a volunteer's contact details,
    kept apart). ``answers``: question name → raw text or list of texts.

    Refused (ValidationError, French): a campaign not open that day (paper: up to
    ``PAPER_GRACE_DAYS`` after it closes), answers ``answering.clean_answers`` refuses, a paper
    sheet number missing or already typed, a one-time token already spent (AlreadySubmittedError).
    """
    today = today or timezone.localdate()
    campaign = site.campaign
    is_paper = source == Source.PAPER
    last_day = campaign.closes_on
    if is_paper:
        last_day = campaign.closes_on + dt.timedelta(days=PAPER_GRACE_DAYS)
    if today < campaign.opens_on:
        raise ValidationError(_("Cette enquête n'est pas encore ouverte."), code="not_open")
    if today > last_day:
        raise ValidationError(
            _("Cette enquête est terminée : elle n'accepte plus de réponses."), code="closed"
        )
    if is_paper:
        if not sheet_number or sheet_number < 1:
            raise ValidationError({"sheet_number": _("Indiquez le numéro de la feuille.")})
    else:
        sheet_number = None
    struct = struct or answering.structure(campaign.version)
    typed = answering.clean_answers(struct, answers)
    if not typed:
        raise ValidationError(_("Aucune réponse : répondez à au moins une question."), code="empty")
    with transaction.atomic():
        # One writer per site at a time: its summary rows are recomputed below.
        CampaignSite.objects.select_for_update().filter(pk=site.pk).first()
        if (
            is_paper
            and Response.objects.filter(campaign=campaign, sheet_number=sheet_number).exists()
        ):
            raise ValidationError(
                {
                    "sheet_number": _(
                        "La feuille no %(number)s a déjà été saisie pour cette campagne."
                    )
                    % {"number": sheet_number}
                }
            )
        try:
            with transaction.atomic():
                UsedToken.objects.bulk_create(
                    [
                        UsedToken(
                            campaign=campaign,
                            digest=token_digest(campaign, kind, token),
                            used_on=today,
                        )
                        for kind, token in tokens
                    ]
                )
                response = Response.objects.create(
                    campaign=campaign,
                    site=site,
                    version_id=campaign.version_id,
                    submitted_on=today,
                    source=source,
                    sheet_number=sheet_number,
                    entered_by=user
                    if is_paper and getattr(user, "is_authenticated", False)
                    else None,
                    language=(language or "fr")[:5],
                    is_demo=campaign.is_demo,
                )
        except IntegrityError:
            if is_paper:
                raise ValidationError(
                    {
                        "sheet_number": _(
                            "La feuille no %(number)s a déjà été saisie pour cette campagne."
                        )
                        % {"number": sheet_number}
                    }
                ) from None
            raise AlreadySubmittedError(
                _("Une réponse a déjà été envoyée depuis cet appareil pour cette enquête."),
                code="already",
            ) from None
        AnswerValue.objects.bulk_create(_values_for(response, struct, typed))
        if volunteer and campaign.allows_contact:
            volunteer_add(campaign=campaign, site=site, today=today, **volunteer)
        QuestionnaireVersion.objects.filter(pk=campaign.version_id, frozen_at=None).update(
            frozen_at=timezone.now()
        )
        site_refresh_results([site.pk])
        if is_paper:
            log_action(
                campaign,
                "surveys.response.paper",
                user=user,
                request=request,
                data={"sheet_number": sheet_number, "site": site.code},
            )
    return response


@transaction.atomic
def response_delete(*, user, response: Response, request=None) -> None:
    """Delete a response typed in error (paper entry): its values go with it."""
    site_id, campaign = response.site_id, response.campaign
    log_action(
        campaign,
        "surveys.response.delete",
        user=user,
        request=request,
        data={"sheet_number": response.sheet_number, "source": response.source},
    )
    response.delete()
    site_refresh_results([site_id])


def site_refresh_results(site_ids: Iterable[int]) -> None:
    """Recompute the summary rows and response counts of some sites from their answers (three
    GROUP BY queries), then the campaigns' response counts."""
    site_ids = list(site_ids)
    if not site_ids:
        return
    SiteResult.objects.filter(site_id__in=site_ids).delete()
    values = AnswerValue.objects.filter(site_id__in=site_ids).order_by()
    rows = [
        SiteResult(
            campaign_id=r["campaign_id"],
            site_id=r["site_id"],
            question_id=r["question_id"],
            choice_id=r["choice_id"],
            count=r["n"],
        )
        for r in values.exclude(choice=None)
        .values("campaign_id", "site_id", "question_id", "choice_id")
        .annotate(n=Count("id"))
    ]
    rows += [
        SiteResult(
            campaign_id=r["campaign_id"],
            site_id=r["site_id"],
            question_id=r["question_id"],
            choice_id=None,
            count=r["n"],
            total=r["total"],
        )
        for r in values.values("campaign_id", "site_id", "question_id").annotate(
            n=Count("response_id", distinct=True), total=Sum("number")
        )
    ]
    SiteResult.objects.bulk_create(rows, batch_size=2000)
    counts: dict[int, dict[str, int]] = {}
    for site_id, source, n in (
        Response.objects.filter(site_id__in=site_ids)
        .order_by()
        .values("site_id", "source")
        .annotate(n=Count("id"))
        .values_list("site_id", "source", "n")
    ):
        counts.setdefault(site_id, {})[source] = n
    campaign_ids = set()
    for site in CampaignSite.objects.filter(pk__in=site_ids).only("pk", "campaign_id"):
        campaign_ids.add(site.campaign_id)
        by_source = counts.get(site.pk, {})
        CampaignSite.objects.filter(pk=site.pk).update(
            response_count=sum(by_source.values()),
            tablet_count=by_source.get(Source.TABLET, 0),
            paper_count=by_source.get(Source.PAPER, 0),
        )
    for campaign_id in campaign_ids:
        total = (
            CampaignSite.objects.filter(campaign_id=campaign_id).aggregate(n=Sum("response_count"))[
                "n"
            ]
            or 0
        )
        Campaign.objects.filter(pk=campaign_id).update(response_count=total)


def campaign_refresh_results(campaign: Campaign) -> None:
    site_refresh_results(campaign.sites.values_list("pk", flat=True))


# --------------------------------------------------------------------------- volunteers, themes


def volunteer_add(
    *, campaign: Campaign, site: CampaignSite, name: str, phone="", email="", note="", today=None
) -> Volunteer:
    volunteer = Volunteer(
        campaign=campaign,
        site=site,
        name=answering.clean_text(name, 150),
        phone=answering.clean_text(phone, 40),
        email=answering.clean_text(email, 200),
        note=answering.clean_text(note, 500),
        left_on=today or timezone.localdate(),
        is_demo=campaign.is_demo,
    )
    volunteer.save()
    return volunteer


@transaction.atomic
def theme_create(*, user, campaign: Campaign, name: str, request=None) -> Theme:
    name = answering.clean_text(name, 100)
    if not name:
        raise ValidationError({"name": _("Donnez un nom au thème.")})
    if campaign.themes.filter(name__iexact=name).exists():
        raise ValidationError({"name": _("Ce thème existe déjà.")})
    theme = Theme(campaign=campaign, name=name)
    return save_audited(
        theme,
        "surveys.theme",
        verb="create",
        on=campaign,
        user=user,
        request=request,
        data={"theme": name},
    )


@transaction.atomic
def theme_delete(*, user, theme: Theme, request=None) -> None:
    log_action(
        theme.campaign,
        "surveys.theme.delete",
        user=user,
        request=request,
        data={"theme": theme.name},
    )
    theme.delete()


@transaction.atomic
def answers_tag(
    *, user, campaign: Campaign, theme: Theme, answer_ids: Iterable[int], add: bool, request=None
) -> int:
    """Add free-text answers of the campaign to a theme, or take them out. Returns how many."""
    if theme.campaign_id != campaign.pk:
        raise ValidationError(_("Ce thème n'appartient pas à cette campagne."))
    answers = list(
        AnswerValue.objects.filter(
            campaign=campaign,
            pk__in=list(answer_ids),
            question__kind__in=[QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT],
        )
    )
    if add:
        theme.answers.add(*answers)
    else:
        theme.answers.remove(*answers)
    log_action(
        campaign,
        "surveys.theme.tag" if add else "surveys.theme.untag",
        user=user,
        request=request,
        data={"theme": theme.name, "answers": len(answers)},
    )
    return len(answers)
