"""`tremplin bench evaluation`: the indicators on ten years of synthetic activity.

Registered in ``bench/management/commands/bench.py``'s ``SUITES``. Its data is the union of the
other suites' generators at the chosen scale, in one database (``bench-evaluation-<scale>``,
kept apart from the other suites' because it takes long to build): the directory, projects
(about 50,000 and 500,000 activities at province scale), case files (400,000 follow-ups,
5 million interventions), events (260,000 events, 4 million registrations), the survey
campaigns, and what no other generator makes (``evaluation_data``: committees and their meetings,
agreements and their money, accompaniments, tenant associations); region scale is region 12
of it (1/17). Then ``engine.refresh_all`` fills the summary table for the years with data
(measure ``refresh_all``; a kept database reports the time recorded when it was filled).

Measures, for region 12 and fiscal year ``YEAR`` (the same region at both scales):

* ``dashboard_region``: ``engine.values`` of every indicator for the five fiscal years ending
  with ``YEAR``, for region 12 — what the dashboard reads (a fresh summary table);
  ``dashboard_region_year``: the same for ``YEAR`` alone (the numbers the SQL computes);
  ``dashboard_province``: the five years for the whole program (``Area("all")``);
  ``dashboard_page`` and ``dashboard_page_province``: the dashboard page itself (test client,
  signed in as the coordination) for region 12 and for the whole program;
* ``sql_region``: hand-written SQL (``evaluation_sql.py``) computing the same numbers for region 12
  and ``YEAR`` from the raw tables; the line says whether they equal the dashboard's
  (``sql_check``) and lists any mismatch;
* ``refresh_after_write``: one intervention, then one project activity, written through their
  service, and the dashboard read that follows (which recomputes what the write made stale);
  the records are deleted afterwards;
* ``pdf_report``: the highlights report of ``YEAR`` for the whole program, built and printed
  as PDF, as the coordination exports it (``pdf_report_untagged``: the same without PDF/UA
  tags, measured only when the export fails).

Ratios and targets: the dashboard read ≤ 2 × the SQL (``dashboard_vs_sql``); province ≤ 2 ×
region — the existing convention (each measure on the province database over the same measure
on the region database, 17 × the data) and the whole program on the province database over
region 12 on the region database (``province_vs_region``, read and page); the PDF under 5 s;
the SQL equal to the dashboard.
"""

from __future__ import annotations

import logging
import time

from django.core.management.base import CommandError

from tremplin.bench.evaluation_data import REGION_CODE, YEAR, data_years, generator
from tremplin.bench.evaluation_writes import activity_writer, intervention_writer, report_renderer
from tremplin.bench.measure import by_key, judged, ratio_lines, verified_client

TRAIL = 5  # years the dashboard shows
MAX_RATIO = 2.0
PDF_LIMIT_S = 5.0
INDICATOR_PAGE_LIMIT_MS = 300
PDF_REPEAT = 5
WRITE_REPEAT = 3  # each write makes a group stale: recomputing it is the slow part

# (summary key, generator) added to the directory, in this order.
PARTS = ("projects", "casework", "events", "surveys", "extras")


class Timer:
    """Wall-clock and CPU time, and the queries run, of repeated calls."""

    def __init__(self):
        self.times, self.cpus, self.queries = [], [], 0

    def __call__(self, fn, *args, **kwargs):
        from django.db import connection

        from tremplin.bench.measure import QueryCounter

        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            started, cpu_started = time.perf_counter(), time.process_time()
            result = fn(*args, **kwargs)
            self.times.append(time.perf_counter() - started)
            self.cpus.append(time.process_time() - cpu_started)
        self.queries = max(self.queries, counter.count)
        return result


class EvaluationSuite:
    """Shaped like the other suites; imports the command's helpers when used."""

    name = "evaluation"
    database = "evaluation"  # its own bench database (bench-evaluation-<scale>)
    list_measures = (
        "dashboard_region",
        "dashboard_region_year",
        "dashboard_province",
        "dashboard_page",
        "dashboard_page_province",
    )

    # -- data

    def generate(self, scale: str, seed: int) -> dict:
        """Every generator after the directory's, each skipped when the marker says it ran
        (a run stopped half-way resumes where it stopped)."""
        from tremplin.bench.measure import read_marker, write_marker

        summary = read_marker(scale) or {}
        out = {}
        for part in PARTS:
            if part in summary:
                out[part] = summary[part] | {"reused": True}
                continue
            out[part] = generator(part)(scale, seed=seed)
            summary[part] = out[part]
            write_marker(scale, summary)
        out["seconds"] = round(sum(p["seconds"] for p in out.values()), 1)
        return out

    # -- measures

    def run(self, *, scale: str, repeat: int, emit) -> None:
        from tremplin.bench.evaluation_sql import _plain, compare, region_values
        from tremplin.evaluation import catalogue
        from tremplin.evaluation.periods import Area, Period
        from tremplin.territories.models import Region

        region = Region.objects.filter(code=REGION_CODE).first()
        if region is None:
            raise CommandError(f"no region {REGION_CODE}: generation failed")
        indicators = catalogue.all_indicators()
        period = Period.fiscal(YEAR)
        trail = period.trail(TRAIL)
        area = Area("region", region.pk)
        context = self.context()

        self._refresh(scale, data_years(), indicators, context, emit)
        emit(self._read("dashboard_region", scale, repeat, indicators, trail, area))
        emit(self._read("dashboard_region_year", scale, repeat, indicators, [period], area))
        emit(self._read("dashboard_province", scale, repeat, indicators, trail, Area()))
        self._page("dashboard_page", scale, repeat, emit, area, period)
        self._page("dashboard_page_province", scale, repeat, emit, Area(), period)
        self._indicator_pages(scale, repeat, emit, area, period, indicators)

        timer = Timer()
        for _ in range(repeat):
            sql = timer(region_values, region.pk, period)
        mismatches = compare(sql, region.pk, period)
        emit(
            self._line(
                "sql_region",
                scale,
                timer,
                covered=sorted(sql),
                not_covered=sorted(i.id for i in indicators if i.id not in sql),
                sql_check=not mismatches,
                mismatches=mismatches,
                values={ind: _plain(v) for ind, v in sorted(sql.items())},
            )
        )
        self._after_write(scale, emit, indicators, trail, area)
        self._pdf(scale, repeat, emit, period)

    def _refresh(self, scale, years, indicators, context, emit) -> None:
        """Fill the summary table for every year with data (measure ``refresh_all``). A kept
        database filled by this same indicator code reports the recorded time (``reused``): at
        province scale the full refresh takes long."""
        from tremplin.bench.measure import read_marker, write_marker
        from tremplin.evaluation import catalogue, engine
        from tremplin.evaluation.periods import CALENDAR, FISCAL, Period

        summary = read_marker(scale) or {}
        recorded = summary.get("refresh_all")
        code = _code_fingerprint()
        if recorded and recorded.get("code") == code and recorded.get("scale") == scale:
            # What an earlier run's writes made stale is recomputed by the first read of each
            # measure (its warm-up), for the periods it reads.
            periods = [Period.of(kind, y) for y in years for kind in (FISCAL, CALENDAR)]
            stale = engine.stale(periods, catalogue.GROUP_ORDER)
            emit(recorded | {"reused": True, "stale_pairs_now": len(stale)})
            return
        started = time.perf_counter()
        written = engine.refresh_all(years)
        line = {
            "measure": "refresh_all",
            "scale": scale,
            "seconds": round(time.perf_counter() - started, 1),
            "years": f"{years[0]}-{years[-1]}",
            "periods": 2 * len(years),
            "facts": written,
            "indicators": len(indicators),
            **context,
            "code": code,
        }
        emit(line | {"reused": False})
        if summary:  # the marker of a bench database (not the tests')
            write_marker(scale, summary | {"refresh_all": line})

    def context(self) -> dict:
        from tremplin.casework.models import FollowUp, Intervention
        from tremplin.events.models import Event, Registration
        from tremplin.projects.models import Project, ProjectActivity

        return {
            "projects": Project.objects.count(),
            "activities": ProjectActivity.objects.count(),
            "follow_ups": FollowUp.objects.count(),
            "interventions": Intervention.objects.count(),
            "events": Event.objects.count(),
            "registrations": Registration.objects.count(),
        }

    def _line(self, measure, scale, timer: Timer, **extra) -> dict:
        from tremplin.bench.measure import measure_line

        return measure_line(measure, scale, timer.times, timer.queries, timer.cpus, **extra)

    def _read(self, measure, scale, repeat, indicators, periods, area) -> dict:
        from tremplin.evaluation import engine

        timer = Timer()
        engine.values(indicators, periods, area)  # warm-up
        for _ in range(repeat):
            found = timer(engine.values, indicators, periods, area)
        return self._line(
            measure, scale, timer, area=area.key, periods=len(periods), values=len(found)
        )

    def _page(self, measure, scale, repeat, emit, area, period) -> None:
        """The dashboard page of an area, signed in as the coordination (when it exists)."""
        from django.urls import NoReverseMatch, reverse

        from tremplin.bench.measure import bench_user

        def failed(**why):
            emit({"measure": measure, "scale": scale, **why})

        try:
            path = reverse("evaluation:dashboard")
        except NoReverseMatch:
            return failed(skipped="no dashboard URL")
        except Exception as exc:  # noqa: BLE001 - the page is being written: the rest goes on
            return failed(error=repr(exc)[:300])
        client = verified_client(bench_user())
        params = {"area": area.key, "period": period.key}
        timer = Timer()
        for i in range(repeat + 1):  # the first request is a warm-up
            try:
                response = timer(client.get, path, params)
            except Exception as exc:  # noqa: BLE001 - reported, the other measures go on
                return failed(error=repr(exc)[:300])
            if response.status_code != 200:
                return failed(error=f"GET {path} {params} → HTTP {response.status_code}")
            if not i:
                timer.times, timer.cpus = [], []
        emit(self._line(measure, scale, timer, path=path, params=params))
        return None

    def _indicator_pages(self, scale, repeat, emit, area, period, indicators) -> None:
        """Every indicator's page (trend, breakdowns, areas, up to seven charts) for a region,
        signed in as the coordination, after a warm-up read of each: the slowest page's p95
        and the most queries any page ran (#21: under 300 ms, queries constant in the data)."""
        from django.urls import reverse

        from tremplin.bench.measure import bench_user

        client = verified_client(bench_user())
        params = {"area": area.key, "period": period.key}
        worst, worst_id, most_queries, timers = None, "", 0, []
        for indicator in indicators:
            path = reverse("evaluation:indicator", args=[indicator.id])
            timer = Timer()
            for i in range(repeat + 1):  # the first request is a warm-up
                response = timer(client.get, path, params)
                if response.status_code != 200:
                    emit({"measure": "indicator_pages", "scale": scale, "error": f"GET {path}"})
                    return
                if not i:
                    timer.times, timer.cpus, timer.queries = [], [], 0
            timers.append(timer)
            most_queries = max(most_queries, timer.queries)
            p95 = sorted(timer.times)[int(0.95 * (len(timer.times) - 1))]
            if worst is None or p95 > worst:
                worst, worst_id = p95, indicator.id
        every = Timer()
        for timer in timers:
            every.times += timer.times
            every.cpus += timer.cpus
        every.queries = most_queries
        emit(
            self._line(
                "indicator_pages",
                scale,
                every,
                pages=len(timers),
                slowest=worst_id,
                slowest_p95_ms=round((worst or 0) * 1000, 1),
            )
        )

    def _after_write(self, scale, emit, indicators, trail, area) -> None:
        """Write one record through its service, then read the dashboard (timed): only the
        written record's group is recomputed. The records are deleted afterwards."""
        from tremplin.evaluation import engine
        from tremplin.evaluation.periods import Period, current_fiscal_year

        for kind, write, undo, day in (
            ("intervention", *intervention_writer()),
            ("activity", *activity_writer()),
        ):
            # The five years ending with the written record's (the measured year's at region
            # and province scales; a tiny scale may have no open follow-up then).
            shown = Period.fiscal(current_fiscal_year(day)).trail(len(trail))
            engine.ensure_fresh(shown, engine._groups(indicators))
            timer, recomputed = Timer(), []
            for _ in range(WRITE_REPEAT):
                record = write()
                stale = engine.stale(shown, engine._groups(indicators))
                recomputed.append(sorted({f"{g} {p.key}" for g, p in stale}))
                timer(engine.values, indicators, shown, area)
                undo(record)
                engine.ensure_fresh(shown, engine._groups(indicators))
            emit(self._line("refresh_after_write", scale, timer, write=kind, stale=recomputed[0]))

    def _pdf(self, scale, repeat, emit, period) -> None:
        """The highlights report of the year for the whole program, built and printed. When
        the export fails, the same without PDF tags (``pdf_report_untagged``) still gives the
        time of building the report and laying it out."""
        # The export writes the PDF again without tags when WeasyPrint's tagging fails, and
        # logs a warning: count them, so that the line says whether the PDF came out tagged.
        fallbacks = _Counting()
        logger = logging.getLogger("tremplin.evaluation.report_render")
        logger.addHandler(fallbacks)
        logger.propagate = False  # counted here, not printed on every repetition
        try:
            for measure, tagged in (("pdf_report", True), ("pdf_report_untagged", False)):
                render = report_renderer(tagged=tagged)
                if render is None:
                    emit({"measure": measure, "scale": scale, "skipped": "no report module"})
                    return
                timer = Timer()
                size = 0
                try:
                    render(period)  # warm-up: fonts, templates
                    fallbacks.count = 0
                    for _ in range(min(repeat, PDF_REPEAT)):
                        size = len(timer(render, period))
                except Exception as exc:  # noqa: BLE001 - reported, the other measures go on
                    emit({"measure": measure, "scale": scale, "error": repr(exc)[:300]})
                    continue
                extra = {"untagged_fallbacks": fallbacks.count} if tagged else {}
                emit(self._line(measure, scale, timer, bytes=size, period=period.key, **extra))
                return
        finally:
            logger.removeHandler(fallbacks)
            logger.propagate = True

    # -- what the figures mean

    def ratio_lines(self, results: list[dict]) -> list[dict]:
        measured = by_key(results)
        lines = []
        for scale in ("region", "province", "tiny", "small"):
            dashboard, sql = (
                measured.get(("dashboard_region", scale)),
                measured.get(("sql_region", scale)),
            )
            if dashboard and sql:
                lines.append(
                    {
                        "measure": "dashboard_vs_sql",
                        "scale": scale,
                        "ratio": round(dashboard["p50_ms"] / max(sql["p50_ms"], 0.001), 4),
                        "ratio_one_year": round(
                            measured[("dashboard_region_year", scale)]["p50_ms"]
                            / max(sql["p50_ms"], 0.001),
                            4,
                        ),
                        "sql_over_dashboard": _ratio(sql["p50_ms"], dashboard["p50_ms"]),
                    }
                )
        lines += ratio_lines(results, (*self.list_measures, "sql_region", "pdf_report"))
        # The whole program on the province database over region 12 on the region database
        # (17 times the data), for the read and for the page; and, informative, the whole
        # program over region 12 on the same (province) database.
        for measure, (top, bottom) in {
            "province_vs_region": ("dashboard_province", "dashboard_region"),
            "province_vs_region_page": ("dashboard_page_province", "dashboard_page"),
        }.items():
            province, region = measured.get((top, "province")), measured.get((bottom, "region"))
            if province and region:
                lines.append(
                    {
                        "measure": measure,
                        "ratio": _ratio(province["p50_ms"], region["p50_ms"]),
                        "cpu_ratio": _ratio(province["cpu_p50_ms"], region["cpu_p50_ms"]),
                    }
                )
            whole, one = measured.get((top, "province")), measured.get((bottom, "province"))
            if whole and one:
                lines.append(
                    {
                        "measure": f"{measure}_same_database",
                        "ratio": _ratio(whole["p50_ms"], one["p50_ms"]),
                        "cpu_ratio": _ratio(whole["cpu_p50_ms"], one["cpu_p50_ms"]),
                    }
                )
        return lines

    def targets(self, results: list[dict]) -> dict:
        measured = by_key(results)
        ratios = {(r["measure"], r.get("scale")): r for r in self.ratio_lines(results)}
        vs_sql = [r["ratio"] for (m, _s), r in ratios.items() if m == "dashboard_vs_sql"]
        across = [
            r["ratio_province_over_region"]
            for (m, _s), r in ratios.items()
            if m in self.list_measures
        ]
        across += [
            ratios[(m, None)]["ratio"]
            for m in ("province_vs_region", "province_vs_region_page")
            if (m, None) in ratios
        ]
        checks = [r for r in results if r.get("measure") == "sql_region"]
        pdfs = [r for r in measured.values() if r["measure"] == "pdf_report"]
        failed_pdfs = [r for r in results if r.get("measure") == "pdf_report" and "error" in r]
        untagged = [r for r in measured.values() if r["measure"] == "pdf_report_untagged"]
        pages = [
            r for r in measured.values() if r["measure"] == "indicator_pages" and "error" not in r
        ]
        out = {
            "measure": "targets",
            "suite": self.name,
            "dashboard_at_most_2x_sql": all(r <= MAX_RATIO for r in vs_sql) if vs_sql else None,
            "province_at_most_2x_region": all(r <= MAX_RATIO for r in across) if across else None,
            "sql_equals_dashboard": all(r.get("sql_check") for r in checks) if checks else None,
            "pdf_exported": not failed_pdfs if pdfs or failed_pdfs else None,
            "pdf_under_5s": all(r["p50_ms"] < PDF_LIMIT_S * 1000 for r in pdfs) if pdfs else None,
            "indicator_pages_under_300ms": all(
                r["slowest_p95_ms"] < INDICATOR_PAGE_LIMIT_MS for r in pages
            )
            if pages
            else None,
        }
        judged(out)
        if pdfs:  # informative: whether the PDF came out with its PDF/UA tags
            out["pdf_tagged"] = all(not r.get("untagged_fallbacks") for r in pdfs)
        if untagged:  # informative: the export failed, its layout without tags did not
            out["pdf_untagged_under_5s"] = all(r["p50_ms"] < PDF_LIMIT_S * 1000 for r in untagged)
        return out


class _Counting(logging.Handler):
    """A logging handler counting the warnings it receives."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record):
        self.count += 1


def _code_fingerprint() -> str:
    """A digest of the code that computes the stored values (engine and indicators)."""
    import hashlib
    from pathlib import Path

    from tremplin import evaluation

    here = Path(evaluation.__file__).parent
    digest = hashlib.sha256()
    for path in [here / "engine.py", *sorted((here / "indicators").glob("*.py"))]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _ratio(a: float, b: float) -> float:
    return round(a / max(b, 0.001), 2)
