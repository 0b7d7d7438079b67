"""Mobilization: survey campaigns run in housing sites (the Enquête mobilisante and those that
followed), their sites (« milieux ciblés ») and the responses received.

- **Campaigns run**: open on at least one day of the period (opened on or before its last day,
  closed on or after its first). A campaign counts in each territory where it has a site, once
  in their region and once overall.
- **Sites**: the sites (``CampaignSite``: a building or a housing provider) of the campaigns
  run in the period; a site counts in its own territory (a site without one, only overall). A
  building surveyed by two campaigns counts twice: each is a targeted site of its campaign.
- **Responses**: responses dated (``submitted_on``) in the period, in their site's territory.
- **Goal attainment**: the sites of the campaigns run in the period that have a goal
  (``CampaignSite.goal`` > 0, a number of responses set by the organizers); their responses
  dated up to the last day of the period, over the sum of their goals. For a campaign running
  across two periods, the first period shows how far it had come by then. Sites without a goal
  are left out of both numbers (the campaign results page adds their responses to the
  campaign's total; here they would inflate the rate). It may exceed 100 %.

The drill-down lists the campaigns through ``surveys.selectors.campaigns_for_user`` (the
coordination: all; an organizer: those with a site in their territories), which answers 404
to other roles (the dashboard then says the records are closed to them).
"""

from dataclasses import replace

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from tremplin.surveys.models import Campaign, CampaignSite, Response
from tremplin.surveys.selectors import campaigns_for_user

from ..catalogue import COUNT, PERCENT, Breakdown, Facts, Indicator, group, register
from ..periods import ALL
from .common import area_filter, link, table

group(
    "mobilization",
    _("Mobilisation"),
    ("surveys.Campaign", "surveys.CampaignSite", "surveys.Response"),
)


def _campaign_labels() -> dict[str, str]:
    return {str(pid): title for pid, title in Campaign.objects.values_list("public_id", "title")}


CAMPAIGN = Breakdown("campaign", _("Campagne"), _campaign_labels)


def _run(period):
    """Campaigns open on at least one day of the period."""
    return Campaign.objects.filter(opens_on__lte=period.end, closes_on__gte=period.start)


def _grouped(queryset, territory: str, campaign: str, breakdown, **amount):
    """Rows summed in SQL by territory (and campaign when split by campaign)."""
    fields = [territory] + ([f"{campaign}__public_id"] if breakdown == CAMPAIGN.name else [])
    summed = queryset.order_by().values(*fields).annotate(**amount)
    for territory_id, *rest, n in summed.values_list(*fields, *amount):
        yield territory_id, None, str(rest[0]) if rest else "", None, n or 0


def _campaign_rows(period, breakdown):
    by_campaign = breakdown == CAMPAIGN.name
    campaigns = _run(period)
    for pk, public_id in campaigns.values_list("pk", "public_id"):
        yield None, None, str(public_id) if by_campaign else "", pk, 1
    sites = CampaignSite.objects.filter(campaign__in=campaigns).exclude(territory=None)
    for territory_id, pk, public_id in (
        sites.order_by()
        .values_list("territory_id", "campaign_id", "campaign__public_id")
        .distinct()
    ):
        yield territory_id, None, str(public_id) if by_campaign else "", pk, 1


def _sites(period):
    return CampaignSite.objects.filter(campaign__in=_run(period))


def _site_rows(period, breakdown):
    return _grouped(_sites(period), "territory_id", "campaign", breakdown, n=Count("id"))


def _response_rows(period, breakdown):
    responses = Response.objects.filter(
        submitted_on__gte=period.start, submitted_on__lte=period.end
    )
    return _grouped(responses, "site__territory_id", "campaign", breakdown, n=Count("id"))


def _with_goal(period):
    return _sites(period).filter(goal__gt=0)


def _goal_rows(period, breakdown):
    return _grouped(_with_goal(period), "territory_id", "campaign", breakdown, n=Sum("goal"))


def _goal_response_rows(period, breakdown):
    responses = Response.objects.filter(site__in=_with_goal(period), submitted_on__lte=period.end)
    return _grouped(responses, "site__territory_id", "campaign", breakdown, n=Count("id"))


# --- every period at once (setbased.py) -----------------------------------------------------

RUN = ("campaign__opens_on", "campaign__closes_on")  # a site's campaign open in the period


def _sites_facts(breakdown, **fields):
    return Facts(
        CampaignSite.objects.all(),
        *RUN,
        territory="territory_id",
        item="campaign__public_id",
        uuid_item=True,
        **fields,
    )


def _campaign_facts(breakdown):
    run = Facts(Campaign.objects.all(), "opens_on", "closes_on", key="pk", item="public_id")
    sites = _sites_facts(breakdown, key="campaign_id")
    return [
        replace(run, uuid_item=True),
        replace(sites, queryset=sites.queryset.exclude(territory=None)),
    ]


def _responses_facts(*, with_goal: bool):
    def facts(breakdown):
        responses = Response.objects.all()
        common = {
            "territory": "site__territory_id",
            "item": "campaign__public_id",
            "uuid_item": True,
        }
        if not with_goal:
            return [Facts(responses, "submitted_on", **common)]
        # Responses up to the period's last day, of the sites with a goal of campaigns run.
        with_goal_sites = responses.filter(site__goal__gt=0)
        return [
            Facts(
                with_goal_sites,
                "site__campaign__opens_on",
                "site__campaign__closes_on",
                by_end="submitted_on",
                **common,
            )
        ]

    return facts


def _goal_facts(breakdown):
    goals = _sites_facts(breakdown, weight="goal")
    return [replace(goals, queryset=goals.queryset.filter(goal__gt=0))]


def _campaign_records(user, period, area, breakdown, item):
    campaigns = Campaign.objects.filter(pk__in=campaigns_for_user(user).values("pk")).filter(
        pk__in=_run(period).values("pk")
    )
    if area.kind != ALL:
        in_area = CampaignSite.objects.filter(
            **area_filter(area, "territory_id", "territory__region_id")
        )
        campaigns = campaigns.filter(pk__in=in_area.values("campaign_id"))
    if breakdown == CAMPAIGN.name and item:
        campaigns = campaigns.filter(public_id=item)
    received = Count(
        "responses",
        distinct=True,
        filter=Q(
            responses__submitted_on__gte=period.start, responses__submitted_on__lte=period.end
        ),
    )
    return table(
        [_("Campagne"), _("Ouverture"), _("Fermeture"), _("Sites"), _("Réponses dans la période")],
        campaigns.annotate(site_count=Count("sites", distinct=True), received=received).order_by(
            "opens_on", "title", "id"
        ),
        lambda c: [
            c.title,
            c.opens_on.isoformat(),
            c.closes_on.isoformat(),
            c.site_count,
            c.received,
        ],
        lambda c: link("surveys:campaign-detail", c),
        note=_("Les campagnes que votre rôle vous permet d'ouvrir."),
    )


def _mobilization(**fields) -> Indicator:
    fields.setdefault("unit", COUNT)
    fields.setdefault("source", _("Campagnes d'enquête, leurs sites et leurs réponses"))
    fields.setdefault("breakdowns", (CAMPAIGN,))
    return register(Indicator(group="mobilization", records=_campaign_records, **fields))


_mobilization(
    id="mobilization.campaigns",
    label=_("Campagnes d'enquête menées"),
    definition=_(
        "Campagnes d'enquête ouvertes au moins un jour de la période. Une campagne compte dans "
        "chaque territoire où elle a un site."
    ),
    rows=_campaign_rows,
    facts=_campaign_facts,
)

_mobilization(
    id="mobilization.sites",
    label=_("Milieux ciblés par les enquêtes"),
    definition=_(
        "Sites (immeubles ou organismes d'habitation) des campagnes d'enquête ouvertes au moins "
        "un jour de la période, chacun dans son territoire. Un immeuble visé par deux campagnes "
        "compte deux fois."
    ),
    rows=_site_rows,
    facts=lambda breakdown: [_sites_facts(breakdown)],
)

_mobilization(
    id="mobilization.responses",
    label=_("Réponses reçues"),
    definition=_("Réponses aux enquêtes datées de la période, dans le territoire de leur site."),
    rows=_response_rows,
    facts=_responses_facts(with_goal=False),
)

_mobilization(
    id="mobilization.goal",
    label=_("Objectif de réponses"),
    definition=_(
        "Somme des objectifs de réponses des sites qui en ont un, parmi les sites des "
        "campagnes ouvertes au moins un jour de la période."
    ),
    rows=_goal_rows,
    facts=_goal_facts,
)

_mobilization(
    id="mobilization.goal_responses",
    label=_("Réponses des sites ayant un objectif"),
    definition=_(
        "Réponses reçues jusqu'au dernier jour de la période par les sites ayant un objectif "
        "des campagnes ouvertes au moins un jour de la période."
    ),
    rows=_goal_response_rows,
    facts=_responses_facts(with_goal=True),
)

_mobilization(
    id="mobilization.goal_rate",
    label=_("Atteinte de l'objectif de réponses"),
    definition=_(
        "Réponses des sites ayant un objectif, reçues jusqu'à la fin de la période, sur la "
        "somme de leurs objectifs. Les sites sans objectif n'entrent dans aucun des deux "
        "nombres. Peut dépasser 100 %."
    ),
    unit=PERCENT,
    ratio_of=("mobilization.goal_responses", "mobilization.goal", 100),
)
