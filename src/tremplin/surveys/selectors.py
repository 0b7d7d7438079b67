"""Reads of surveys, always given the user (404 outside their scope); and the public site
lookup of the answer pages (no user: anyone with the link)."""

from django.core.exceptions import ValidationError
from django.http import Http404

from . import permissions
from .models import AnswerValue, Campaign, CampaignSite, Questionnaire, Response, Theme


def _require_staff(user):
    if not permissions.is_survey_staff(user):
        raise Http404


def questionnaires_for_user(user):
    _require_staff(user)
    return Questionnaire.objects.all()


def get_questionnaire_for_user(user, public_id) -> Questionnaire:
    _require_staff(user)
    try:
        return Questionnaire.objects.select_related("created_by").get(public_id=public_id)
    except (Questionnaire.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def get_questionnaire_for_edit(user, public_id) -> Questionnaire:
    questionnaire = get_questionnaire_for_user(user, public_id)
    if not permissions.can_edit_questionnaire(user, questionnaire):
        raise Http404
    return questionnaire


def campaigns_for_user(user):
    _require_staff(user)
    scope = permissions.territory_ids(user)
    campaigns = Campaign.objects.all()
    if scope is not None:
        campaigns = campaigns.filter(territories__in=scope).distinct()
    return campaigns


def get_campaign_for_user(user, public_id) -> Campaign:
    """A campaign the user manages (coordination: all; organizer: a site in their territories)."""
    _require_staff(user)
    try:
        campaign = Campaign.objects.select_related(
            "version", "version__questionnaire", "created_by"
        ).get(public_id=public_id)
    except (Campaign.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
    if not permissions.can_manage_campaign(user, campaign):
        raise Http404
    return campaign


def get_site_for_user(user, public_id) -> CampaignSite:
    _require_staff(user)
    try:
        site = CampaignSite.objects.select_related("campaign", "campaign__version").get(
            public_id=public_id
        )
    except (CampaignSite.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
    if not permissions.can_manage_campaign(user, site.campaign):
        raise Http404
    return site


def site_of_campaign(campaign: Campaign, code: str | None) -> CampaignSite | None:
    """The campaign's site with this code; None for no code; 404 for a wrong one."""
    if not code:
        return None
    try:
        return campaign.sites.get(code=str(code)[:16])
    except CampaignSite.DoesNotExist:
        raise Http404 from None


def get_response_for_user(user, campaign: Campaign, public_id) -> Response:
    try:
        return Response.objects.get(campaign=campaign, public_id=public_id)
    except (Response.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def get_theme_for_user(user, campaign: Campaign, public_id) -> Theme:
    try:
        return campaign.themes.get(public_id=public_id)
    except (Theme.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def volunteers_for_user(user, campaign: Campaign):
    """Contact details the user may read: those left in sites of their own territories."""
    scope = permissions.volunteer_territories(user)
    if not scope:
        raise Http404
    return campaign.volunteers.filter(site__territory__in=scope).select_related("site")


def text_answers(campaign: Campaign, questions, *, site=None, theme=None):
    """Answers of the campaign to the given free-text questions (never stored empty)."""
    values = AnswerValue.objects.filter(campaign=campaign, question__in=list(questions))
    if site is not None:
        values = values.filter(site=site)
    if theme is not None:
        values = values.filter(themes=theme)
    return values


def get_public_site(code: str) -> CampaignSite:
    """The site of an answer link, whatever its campaign's dates (the view says if it is
    open); 404 for an unknown code."""
    try:
        return CampaignSite.objects.select_related(
            "campaign", "campaign__version", "building", "provider"
        ).get(code=str(code).upper()[:16])
    except CampaignSite.DoesNotExist:
        raise Http404 from None
