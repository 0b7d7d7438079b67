"""The writes `tremplin bench evaluation` measures the dashboard read after (an intervention, a
project activity), and the highlights report it prints."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError

from tremplin.bench.evaluation_data import REGION_CODE, YEAR
from tremplin.bench.measure import bench_user


def intervention_writer():
    """(write, undo): an intervention on an open follow-up of region 12, by its worker."""
    from tremplin.casework import services
    from tremplin.casework.models import FollowUp, Intervention

    open_ones = FollowUp.objects.filter(status="open").select_related("consent", "person")
    follow_up = (
        open_ones.filter(territory__region__code=REGION_CODE).order_by("started_on", "pk").first()
        or open_ones.order_by("started_on", "pk").first()  # tiny scales
    )
    if follow_up is None:
        raise CommandError("no open follow-up")
    worker = follow_up.workers.order_by("pk").first()
    # In the measured year when the follow-up was open then, otherwise its first day (the
    # dashboard read after it shows the five years ending with the year of that day).
    day = min(max(follow_up.started_on, dt.date(YEAR, 7, 10)), dt.date.today())

    def write():
        return services.intervention_add(
            user=worker,
            intervention=Intervention(
                follow_up=follow_up,
                occurred_on=day,
                type="information",
                mode="phone",
                duration_minutes=15,
                note="Donnée fictive : mesure du banc d'essai.",
            ),
        )

    def undo(intervention):
        Intervention.objects.filter(pk=intervention.pk).delete()
        services.follow_up_refresh([follow_up.pk])

    return write, undo, day


def activity_writer():
    """(write, undo): an activity of a running project of region 12."""
    from tremplin.projects import services
    from tremplin.projects.models import Project, ProjectActivity

    running = Project.objects.filter(status__in=("under_way", "completed"))
    day = dt.date(YEAR, 7, 10)
    project = (
        running.filter(
            territories__region__code=REGION_CODE, start_date__lte=day, end_date__gte=day
        )
        .order_by("start_date", "pk")
        .first()
        or running.order_by("start_date", "pk").first()  # tiny scales
    )
    if project is None:
        raise CommandError("no running project")
    if not (project.start_date <= day <= (project.end_date or day)):
        day = project.start_date
    user = bench_user()

    def write():
        return services.activity_log(
            user=user,
            activity=ProjectActivity(
                project=project, date=day, title="Mesure", participants=12, tenants=9
            ),
        )

    def undo(activity):
        ProjectActivity.objects.filter(pk=activity.pk).delete()
        services.project_refresh_counts([project.pk])

    return write, undo, day


def report_renderer(*, tagged: bool = True):
    """A function building and printing the highlights report PDF of a period for the whole
    program, as the coordination exports it (``report_render.export``); with ``tagged=False``
    the same without the PDF/UA structure tags. None when the report module is missing."""
    try:
        from tremplin.evaluation.report import Params, build_highlights
        from tremplin.evaluation.report_render import (
            REPORT_LANGUAGE,
            document_html,
            export,
            stylesheet_path,
        )
    except ImportError:
        return None
    from django.utils import translation

    user = bench_user()

    def render(period):
        content, _type, _name = export(Params(period.start, period.end), "pdf", user=user)
        return content

    def render_untagged(period):
        from weasyprint import CSS, HTML

        with translation.override(REPORT_LANGUAGE):
            h = build_highlights(Params(period.start, period.end), user=user)
            html = document_html(h, embed_css=False)
            return HTML(string=html, base_url=None).write_pdf(
                stylesheets=[CSS(filename=stylesheet_path())]
            )

    return render if tagged else render_untagged
