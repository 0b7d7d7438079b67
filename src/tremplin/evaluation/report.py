"""The highlights report (« Faits saillants »): its content, built from the data, as in seed 000.

``build_highlights(report_or_params, user=None)`` gathers everything a rendering needs (HTML
page, PDF, Word) into one ``Highlights``: the texts editors wrote (kept on the
``HighlightsReport``), the agreement in force (its partners, target clientele and objectives,
its funding table), the main achievements written as sentences around figures computed by the
indicator engine, the table of every indicator the viewer may see, the examples of projects
and one chart with its data table. Figures are never typed: they come from ``engine.values``.

Who sees what:

- with a user: the indicators ``may_see_indicator`` allows (individual-support counts only for
  the roles that read case statistics, funding indicators and the funding table only for the
  roles that read funding — for a partner, only an agreement it is party to), and the projects
  their role reads;
- without a user (the ``tremplin report`` command, run by an administrator on the server):
  program and funding indicators and the funding table, never individual-support indicators.

A report that shows demonstration data (a demo report, a fictitious agreement, or a demo
project among its examples) says so at its top and its end.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.core.formatting import date_long
from tremplin.partners.models import Agreement
from tremplin.projects import counting
from tremplin.projects.models import Project
from tremplin.territories.models import Territory

from .models import HighlightsReport
from .periods import CALENDAR, FISCAL, TERRITORY, Area, Period
from .report_figures import (
    ACHIEVEMENTS,
    Chart,
    IndicatorLine,
    Statement,
    report_figures,
    territory_chart,
)

EXAMPLE_LIMIT = 9  # seed 000 gives nine examples

BULLET = re.compile(r"^\s*(?:[-–•*]|\d+[.)])\s+")


# --- what a report holds ---------------------------------------------------------------------


@dataclass
class Block:
    """A paragraph (``items`` empty) or a list of items, from an editor's text."""

    text: str = ""
    items: list[str] = field(default_factory=list)

    @property
    def is_list(self) -> bool:
        return bool(self.items)


@dataclass
class Example:
    project: Project
    title: str
    summary: str
    places: str
    dates: str


@dataclass
class Highlights:
    title: str
    period: Period
    period_text: str
    area: Area
    area_label: str
    territory: Territory | None
    agreement: Agreement | None
    context: list[Block]
    partners: list[str]
    target_clientele: list[Block]
    objectives: list[str]
    achievements_intro: list[Block]
    achievements: list[Statement]
    indicators: list[IndicatorLine]
    examples: list[Example]
    extra_examples: list[str]
    funding: object | None  # partners.funding.FundingTable
    funding_hidden: bool  # an agreement has a table, but the viewer's role does not read it
    chart: Chart | None
    is_demo: bool
    produced_on: dt.date
    report: HighlightsReport | None = None

    @property
    def subtitle(self) -> str:
        """The agreement's title when the report has its own."""
        if self.agreement and self.agreement.title != self.title:
            return self.agreement.title
        return ""

    @property
    def achievements_heading(self) -> str:
        """« Principales réalisations de l'An 1 » when the period is a year of the agreement."""
        agreement = self.agreement
        if agreement and self.period.kind == FISCAL and self.period.year in agreement.fiscal_years:
            return _("Principales réalisations de l'An %(n)s") % {
                "n": agreement.year_number(self.period.year)
            }
        return _("Principales réalisations")

    @property
    def produced_by(self) -> str:
        return _("Produit par Tremplin le %(date)s.") % {"date": date_long(self.produced_on)}

    @property
    def fictitious_notice(self) -> str:
        if not self.is_demo:
            return ""
        return _(
            "Document de démonstration : les projets, les lieux, les personnes et les activités "
            "qui y figurent sont fictifs."
        )

    @property
    def funding_caption(self) -> str:
        if self.agreement is None:
            return ""
        return _("Financement %(start)s-%(end)s") % {
            "start": self.agreement.start_date.year,
            "end": self.agreement.end_date.year,
        }

    def figures(self) -> dict[str, str]:
        """Every figure the report states, by indicator id (the tests compare formats)."""
        found = {}
        for statement in self.achievements:
            found.update(statement.figures)
        return found


@dataclass(frozen=True)
class Params:
    """A report that is not saved: the command line's ``--from``, ``--to``, ``--territory``."""

    start: dt.date
    end: dt.date
    territory: Territory | None = None
    agreement: Agreement | None = None
    title: str = ""


# --- texts -----------------------------------------------------------------------------------


def text_blocks(text: str) -> list[Block]:
    """Paragraphs separated by blank lines; lines starting with a dash, a bullet or a number
    (« 1. ») become list items."""
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").strip()):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        if not lines:
            continue
        paragraph: list[str] = []
        in_list = False  # a line without a bullet right after an item continues it
        for line in lines:
            if BULLET.match(line):
                if paragraph:
                    blocks.append(Block(text=" ".join(paragraph)))
                    paragraph = []
                if not in_list:
                    blocks.append(Block())
                blocks[-1].items.append(BULLET.sub("", line, count=1))
                in_list = True
            elif in_list:
                blocks[-1].items[-1] += " " + line
            else:
                paragraph.append(line)
        if paragraph:
            blocks.append(Block(text=" ".join(paragraph)))
    return blocks


def lines_of(text: str) -> list[str]:
    """One item per non-blank line, without its bullet."""
    return [
        BULLET.sub("", line.strip(), count=1) for line in (text or "").splitlines() if line.strip()
    ]


def period_text(period: Period) -> str:
    text = f"{date_long(period.start)} – {date_long(period.end)}"
    if period.kind in (FISCAL, CALENDAR):
        text += f" ({period.label})"
    return text


def default_title(agreement: Agreement | None, period: Period) -> str:
    if agreement is not None:
        return agreement.title
    return _("Faits saillants %(period)s") % {"period": period.label}


# --- the agreement in force ------------------------------------------------------------------


def agreement_in_force(start: dt.date, end: dt.date) -> Agreement | None:
    """The agreement whose dates overlap the period the most (the latest on a tie)."""
    candidates = Agreement.objects.filter(start_date__lte=end, end_date__gte=start)

    def overlap(a: Agreement):
        return ((min(a.end_date, end) - max(a.start_date, start)).days, a.start_date)

    return max(candidates, key=overlap, default=None)


def signatory_names(agreement: Agreement) -> list[str]:
    """In the order they were added (the demo adds them in the seed's order)."""
    through = Agreement.signatories.through
    return list(
        through.objects.filter(agreement=agreement)
        .order_by("pk")
        .values_list("partner__name", flat=True)
    )


def _funding_visible(user, agreement: Agreement) -> bool:
    if user is None:
        return True
    from tremplin.partners import permissions as funding_permissions
    from tremplin.partners.selectors import agreements_for_user

    if not funding_permissions.can_read_funding(user):
        return False
    return agreements_for_user(user).filter(pk=agreement.pk).exists()


# --- examples --------------------------------------------------------------------------------


def period_projects(user, start: dt.date, end: dt.date, territory: Territory | None):
    """The projects that ran in the period (in the territory), oldest first."""
    if user is None:
        queryset = Project.objects.all()
    else:
        from tremplin.projects.selectors import projects_for_user

        queryset = projects_for_user(user)
    queryset = counting.projects_under_way(start, end, queryset)
    if territory is not None:
        queryset = queryset.filter(territories=territory)
    return queryset.order_by("start_date", "title", "id")


def ordered_projects(projects, order: list[str]) -> list:
    """The editor's choice first, in their order (ids that are not among ``projects`` are
    ignored), then the others in their own order."""
    by_id = {str(p.public_id): p for p in projects}
    chosen = [by_id[pid] for pid in dict.fromkeys(str(i) for i in order) if pid in by_id]
    taken = {p.pk for p in chosen}
    return chosen + [p for p in projects if p.pk not in taken]


def example_projects(projects, order: list[str], limit: int = EXAMPLE_LIMIT) -> list:
    """The examples: every project the editor chose, then the others up to ``limit`` in all."""
    ordered = ordered_projects(projects, order)
    chosen = len({str(i) for i in order} & {str(p.public_id) for p in projects})
    return ordered[: max(limit, chosen)]


def _example(project: Project) -> Example:
    dates = date_long(project.start_date)
    if project.end_date:
        dates += f" – {date_long(project.end_date)}"
    summary = " ".join(project.summary.split())
    if len(summary) > 220:
        summary = summary[:219].rsplit(" ", 1)[0] + "…"
    return Example(
        project=project,
        title=project.title,
        summary=summary,
        places=project.territory_names or _("Régional"),
        dates=dates,
    )


# --- building the report ---------------------------------------------------------------------


def build_highlights(report_or_params: HighlightsReport | Params, user=None) -> Highlights:
    """Everything a rendering shows, for a saved report or for command-line parameters."""
    if isinstance(report_or_params, HighlightsReport):
        report = report_or_params
        start, end = report.period_start, report.period_end
        territory, agreement = report.territory, report.agreement
        title, order = report.title, list(report.example_order or [])
        context, intro, extra = report.context, report.achievements_intro, report.extra_examples
        is_demo = report.is_demo
    else:
        report = None
        params = report_or_params
        start, end, territory, agreement = (
            params.start,
            params.end,
            params.territory,
            params.agreement,
        )
        title, order, context, intro, extra, is_demo = params.title, [], "", "", "", False
    period = Period.span(start, end)
    area = Area(TERRITORY, territory.pk) if territory else Area()
    agreement = agreement or agreement_in_force(start, end)
    is_demo = is_demo or bool(agreement and agreement.is_fictitious)

    achievements, indicators = report_figures(user, period, area)

    funding, funding_hidden = None, False
    if agreement is not None:
        if _funding_visible(user, agreement):
            from tremplin.partners.funding import funding_table

            funding = funding_table(agreement)
        else:
            funding_hidden = True

    projects = list(period_projects(user, start, end, territory))
    examples = example_projects(projects, order)
    # Fictitious records shown: the document says so.
    is_demo = is_demo or any(p.is_demo for p in examples)
    return Highlights(
        title=title or default_title(agreement, period),
        period=period,
        period_text=period_text(period),
        area=area,
        area_label=territory.name if territory else _("Ensemble du programme"),
        territory=territory,
        agreement=agreement,
        context=text_blocks(context),
        partners=signatory_names(agreement) if agreement else [],
        target_clientele=text_blocks(agreement.target_clientele) if agreement else [],
        objectives=lines_of(agreement.objectives) if agreement else [],
        achievements_intro=text_blocks(intro),
        achievements=achievements,
        indicators=indicators,
        examples=[_example(p) for p in examples],
        extra_examples=lines_of(extra),
        funding=funding,
        funding_hidden=funding_hidden,
        chart=territory_chart(user, period, area),
        is_demo=is_demo,
        produced_on=timezone.localdate(),
        report=report,
    )


def saved_report_for(start: dt.date, end: dt.date, territory: Territory | None):
    """The saved report of this period and area, if any (the newest when several)."""
    return (
        HighlightsReport.objects.filter(period_start=start, period_end=end, territory=territory)
        .order_by("-updated_at")
        .first()
    )


__all__ = [
    "ACHIEVEMENTS",
    "EXAMPLE_LIMIT",
    "Chart",
    "IndicatorLine",
    "Statement",
    "Highlights",
    "Params",
    "build_highlights",
    "example_projects",
    "ordered_projects",
    "text_blocks",
]
