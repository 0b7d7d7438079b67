"""Funding: money committed, topped up and spent, and what projects cost.

Rules (the partners app's records, summed; the funding table of ``partners/funding.py``
shows the same initial amounts and top-ups per agreement):

- *Committed*: the initial amounts of the commitments of the agreements in force during the
  period — an agreement whose dates overlap the period and that is not a draft (« En
  préparation »); an ended agreement counts for the years it ran. An initial amount is
  committed for the whole agreement, so each year of a three-year agreement shows it whole:
  the values of several years are not to be added up. Unquantified contributions count 0 $.
- *Topped up*: the top-ups (« investissements bonifiés ») of a fiscal year whose first day
  (April 1) falls in the period — for a fiscal year, that year's top-ups; for a calendar
  year, those of the fiscal year beginning in it. Draft agreements are left out.
- *Spent*: the disbursements dated in the period, whatever the agreement's status.
- *Allocated to projects* and *funded projects*: the amounts allocated to projects
  (``ProjectFunding``) that were under way in the period (``projects.counting``), and the
  number of those projects with at least one allocation. *Cost per funded project*: the first
  divided by the second. An allocation is for the whole project, so it counts whole in each
  year the project runs.

Committed, topped up and spent have no territory (``territorial=False``): commitments are made
for the whole program. Money allocated to projects counts where the projects are, like the
projects themselves: in each of the project's territories, once in a region and once for the
whole program (a project without a site counts for the whole program only).

Breakdowns: by partner (item: the partner's public id; a commitment's own partner) and by
kind of commitment (cash or services).
"""

import datetime as dt
from collections import defaultdict

from django.utils.translation import gettext_lazy as _

from tremplin.partners import permissions as funding_permissions
from tremplin.partners.models import (
    AgreementStatus,
    Commitment,
    CommitmentKind,
    Disbursement,
    Partner,
    TopUp,
    fiscal_year_label,
)
from tremplin.partners.selectors import agreements_for_user
from tremplin.projects import counting
from tremplin.projects.models import Project, ProjectFunding
from tremplin.projects.selectors import projects_for_user

from ..catalogue import COUNT, FUNDING, MONEY, SPENDING, Breakdown, Indicator, group, register
from .common import area_filter, choice_labels, link, table

group(
    "funding",
    _("Financement"),
    (
        "partners.Agreement",
        "partners.Commitment",
        "partners.TopUp",
        "partners.Disbursement",
        "projects.ProjectFunding",
        "projects.Project",  # which projects are under way, and where
    ),
    audience=FUNDING,
)

PARTNER = Breakdown(
    "partner",
    _("Partenaire"),
    lambda: {str(pid): name for pid, name in Partner.objects.values_list("public_id", "name")},
)
COMMITMENT_KIND = Breakdown(
    "commitment_kind", _("Nature de la contribution"), choice_labels(CommitmentKind)
)
BREAKDOWNS = (PARTNER, COMMITMENT_KIND)
ITEM_FIELD = {"partner": "partner__public_id", "commitment_kind": "kind"}


def _item_field(breakdown, prefix=""):
    field = ITEM_FIELD.get(breakdown or "")
    return f"{prefix}{field}" if field else None


def _item_filter(breakdown, item, prefix=""):
    field = _item_field(breakdown, prefix)
    return {field: item} if field and item else {}


def _money_rows(queryset, amount, breakdown, prefix=""):
    """Rows counting for the whole program only: one per record, weight = its amount."""
    field = _item_field(breakdown, prefix)
    for value, *rest in queryset.order_by().values_list(amount, *([field] if field else [])):
        yield None, None, str(rest[0]) if rest else "", None, value or 0


# --- committed, topped up, spent ------------------------------------------------------------


def _committed(period):
    return Commitment.objects.filter(
        counting.overlapping(
            "agreement__start_date", "agreement__end_date", period.start, period.end
        )
    ).exclude(agreement__status=AgreementStatus.DRAFT)


def fiscal_years_in(period) -> list[int]:
    """The fiscal years whose first day (April 1) falls in the period."""
    years = range(period.start.year - 1, period.end.year + 1)
    return [y for y in years if period.start <= dt.date(y, 4, 1) <= period.end]


def _topped_up(period):
    return TopUp.objects.filter(fiscal_year__in=fiscal_years_in(period)).exclude(
        commitment__agreement__status=AgreementStatus.DRAFT
    )


def _spent(period):
    return Disbursement.objects.filter(date__gte=period.start, date__lte=period.end)


def _link_commitment(user):
    """The commitment's page, for those who may open it (a partner: its own commitments)."""

    def url(commitment):
        if funding_permissions.can_see_commitment_detail(user, commitment):
            return link("partners:commitment-detail", commitment)
        return None

    return url


def _readable(user):
    """Agreements the user reads (404 for a user without funding access)."""
    return agreements_for_user(user).order_by().values("pk")


def _committed_records(user, period, area, breakdown, item):
    commitments = _committed(period).filter(
        agreement__in=_readable(user), **_item_filter(breakdown, item)
    )
    url = _link_commitment(user)
    return table(
        [_("Partenaire"), _("Engagement"), _("Nature"), _("Entente"), _("Investissement initial")],
        commitments.select_related("partner", "agreement").order_by(
            "agreement__start_date", "kind", "position", "id"
        ),
        lambda c: [
            c.partner.name,
            c.purpose,
            c.get_kind_display(),
            str(c.agreement),
            c.initial_amount,
        ],
        url,
    )


def _top_up_records(user, period, area, breakdown, item):
    top_ups = _topped_up(period).filter(
        commitment__agreement__in=_readable(user),
        **_item_filter(breakdown, item, "commitment__"),
    )
    url = _link_commitment(user)
    return table(
        [_("Partenaire"), _("Engagement"), _("Exercice"), _("Bonification")],
        top_ups.select_related("commitment__partner").order_by(
            "fiscal_year", "commitment__position", "id"
        ),
        lambda t: [
            t.commitment.partner.name,
            t.commitment.purpose,
            fiscal_year_label(t.fiscal_year),
            t.amount,
        ],
        lambda t: url(t.commitment),
    )


def _spent_records(user, period, area, breakdown, item):
    disbursements = _spent(period).filter(
        commitment__agreement__in=_readable(user),
        **_item_filter(breakdown, item, "commitment__"),
    )
    if funding_permissions.is_partner_user(user):
        # As on the agreement's pages: a partner sees the spending of its own commitments only.
        disbursements = disbursements.filter(
            commitment__partner_id__in=funding_permissions.user_partner_ids(user)
        )
    url = _link_commitment(user)
    return table(
        [_("Date"), _("Partenaire"), _("Engagement"), _("Description"), _("Montant")],
        disbursements.select_related("commitment__partner").order_by("date", "id"),
        lambda d: [
            d.date.isoformat(),
            d.commitment.partner.name,
            d.commitment.purpose,
            d.description,
            d.amount,
        ],
        lambda d: url(d.commitment),
    )


# --- projects -------------------------------------------------------------------------------


def _allocations(period):
    under_way = counting.projects_under_way(period.start, period.end).order_by().values("pk")
    return ProjectFunding.objects.filter(project_id__in=under_way)


def _places(allocations) -> dict:
    places = defaultdict(list)
    for project_id, territory_id in (
        Project.territories.through.objects.filter(
            project_id__in=allocations.order_by().values("project_id")
        )
        .order_by()
        .values_list("project_id", "territory_id")
    ):
        places[project_id].append(territory_id)
    return places


def _allocation_rows(counting_projects: bool):
    """Allocated money (key: the allocation) or funded projects (key: the project), in each
    territory of the project."""

    def rows(period, breakdown):
        allocations = _allocations(period)
        places = _places(allocations)
        field = _item_field(breakdown, "commitment__")
        for pk, project_id, amount, *rest in allocations.order_by().values_list(
            "pk", "project_id", "amount", *([field] if field else [])
        ):
            item = str(rest[0]) if rest else ""
            key, weight = (project_id, 1) if counting_projects else (pk, amount)
            for territory_id in places.get(project_id) or [None]:
                yield territory_id, None, item, key, weight

    return rows


def _allocation_records(user, period, area, breakdown, item):
    projects = projects_for_user(user).order_by().values("pk")  # 404 without access
    allocations = _allocations(period).filter(
        project_id__in=projects,
        commitment__agreement__in=_readable(user),
        **_item_filter(breakdown, item, "commitment__"),
    )
    found = area_filter(area, "territories", "territories__region")
    if found:
        allocations = allocations.filter(
            project_id__in=Project.objects.filter(**found).values("pk")
        )
    return table(
        [_("Projet"), _("Partenaire"), _("Engagement"), _("Montant imputé")],
        allocations.select_related("project", "commitment__partner").order_by(
            "project__title", "project_id", "id"
        ),
        lambda f: [f.project.title, f.commitment.partner.name, f.commitment.purpose, f.amount],
        lambda f: link("projects:project-detail", f.project),
        note=_("Les financements des ententes que votre rôle vous permet de consulter."),
    )


# --- the catalogue --------------------------------------------------------------------------


def _funding(**fields) -> Indicator:
    fields.setdefault("unit", MONEY)
    fields.setdefault("audience", FUNDING)
    return register(Indicator(group="funding", breakdowns=BREAKDOWNS, **fields))


def _money(id, selection, amount: str, prefix: str, **fields) -> Indicator:
    """Money committed for the whole program (no territory): each record's amount."""
    return _funding(
        id=id,
        rows=lambda period, breakdown: _money_rows(selection(period), amount, breakdown, prefix),
        territorial=False,
        **fields,
    )


def _of_projects(id, **fields) -> Indicator:
    return _funding(
        id=id, source=_("Financements des projets"), records=_allocation_records, **fields
    )


_money(
    "funding.committed",
    _committed,
    "initial_amount",
    "",
    label=_("Investissements engagés"),
    definition=_(
        "Investissements initiaux des engagements des ententes en vigueur pendant la "
        "période (hors ententes en préparation). Un engagement vaut pour toute la durée de "
        "l'entente : il figure en entier à chacune de ses années, qu'il ne faut donc pas "
        "additionner."
    ),
    source=_("Engagements des ententes"),
    records=_committed_records,
)
_money(
    "funding.topped_up",
    _topped_up,
    "amount",
    "commitment__",
    label=_("Investissements bonifiés"),
    definition=_(
        "Bonifications des engagements pour l'exercice financier (avril à mars) qui commence "
        "dans la période."
    ),
    source=_("Bonifications des engagements"),
    records=_top_up_records,
)
_money(
    "funding.spent",
    _spent,
    "amount",
    "commitment__",
    label=_("Dépenses"),
    definition=_(
        "Sommes versées et services rendus, inscrits comme dépenses des engagements et datés "
        "dans la période."
    ),
    source=_("Dépenses des engagements"),
    # Partners see the totals of agreements, not what the others spent (as in partners).
    audience=SPENDING,
    records=_spent_records,
)
_of_projects(
    "funding.allocated",
    label=_("Financement imputé aux projets"),
    definition=_(
        "Montants des engagements imputés aux projets en cours pendant la période (le "
        "montant imputé vaut pour tout le projet). Un projet compte dans chacun de ses "
        "territoires."
    ),
    rows=_allocation_rows(counting_projects=False),
)
_of_projects(
    "funding.funded_projects",
    label=_("Projets financés"),
    definition=_(
        "Projets en cours pendant la période auxquels au moins un montant d'engagement est imputé."
    ),
    unit=COUNT,
    rows=_allocation_rows(counting_projects=True),
)
_of_projects(
    "funding.cost_per_project",
    label=_("Coût moyen par projet financé"),
    definition=_(
        "Financement imputé aux projets en cours pendant la période, divisé par le nombre "
        "de ces projets qui ont reçu un financement."
    ),
    ratio_of=("funding.allocated", "funding.funded_projects", 1),
)
