"""The highlights report's content and services on a small hand-built world: texts, the
agreement in force, the examples and their order, what each viewer sees, the edit services
and the command line (each format, and its errors in French)."""

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.http import Http404

from tremplin.audit.models import AuditEntry
from tremplin.evaluation import report_services as services
from tremplin.evaluation.management.commands.report import Command as ReportCommand
from tremplin.evaluation.models import HighlightsReport
from tremplin.evaluation.report import (
    EXAMPLE_LIMIT,
    Params,
    agreement_in_force,
    build_highlights,
    example_projects,
    ordered_projects,
    text_blocks,
)
from tremplin.evaluation.report_figures import ACHIEVEMENTS
from tremplin.partners.models import Agreement
from tremplin.projects.models import Project, Status
from tremplin.projects.tests.test_project_pages import make_project

FY2008 = (dt.date(2008, 4, 1), dt.date(2009, 3, 31))


def project(title, start, end=None, *, status=Status.UNDER_WAY, buildings=()):
    return make_project(
        title=title, kind="leisure", status=status, start=start, end=end, buildings=buildings
    )


def agreement(slug, start, end, **extra):
    return Agreement.objects.create(
        slug=slug,
        title=f"Entente {slug}",
        short_title=slug,
        start_date=start,
        end_date=end,
        objectives="- Premier objectif;\n- Second objectif.",
        target_clientele="Les résidents des HLM.",
        **extra,
    )


@pytest.fixture
def projects(world):
    """Ten projects that ran in fiscal 2008 (A0…A5 in territory A, B6…B9 in B), and two that
    did not (an idea, and one of 2010)."""
    made = []
    for i in range(10):
        building = world["building_a"] if i < 6 else world["building_b"]
        name = f"{'A' if i < 6 else 'B'}{i}"
        made.append(project(name, FY2008[0] + dt.timedelta(days=30 * i), buildings=[building]))
    project("Idée", dt.date(2008, 5, 1), status=Status.IDEA, buildings=[world["building_a"]])
    project("Plus tard", dt.date(2010, 5, 1), buildings=[world["building_a"]])
    return made


def report_of(user, **extra):
    return services.report_create(
        user=user, period_start=FY2008[0], period_end=FY2008[1], title="Rapport", **extra
    )


def titles(report, user=None):
    return [e.title for e in build_highlights(report, user=user).examples]


# --- texts, agreement, ordering --------------------------------------------------------------


def test_it_splits_texts_into_paragraphs_and_lists():
    blocks = text_blocks(
        "Premier paragraphe\nsur deux lignes.\n\n- un\n- deux\n  suite de deux\n1. trois\n\nFin."
    )
    assert [(b.text, b.items) for b in blocks] == [
        ("Premier paragraphe sur deux lignes.", []),
        ("", ["un", "deux suite de deux", "trois"]),
        ("Fin.", []),
    ]
    assert text_blocks("") == [] and text_blocks("\n \n") == []


def test_it_finds_the_agreement_that_overlaps_the_period_most(db):
    old = agreement("a-2005", dt.date(2005, 4, 1), dt.date(2008, 6, 30))
    new = agreement("a-2008", dt.date(2008, 7, 1), dt.date(2011, 3, 31))
    assert agreement_in_force(*FY2008) == new
    assert agreement_in_force(dt.date(2008, 4, 1), dt.date(2008, 5, 31)) == old
    assert agreement_in_force(dt.date(2020, 1, 1), dt.date(2020, 12, 31)) is None


def test_it_orders_examples_by_the_editor_choice_then_the_others():
    items = [SimpleNamespace(pk=i, public_id=f"id-{i}") for i in range(12)]
    assert ordered_projects(items, ["id-5", "nope", "id-2", "id-5"])[:3] == [
        items[5],
        items[2],
        items[0],
    ]
    assert example_projects(items, []) == items[:EXAMPLE_LIMIT]
    assert example_projects(items, ["id-11"])[0] == items[11]
    assert len(example_projects(items, ["id-11"])) == EXAMPLE_LIMIT
    chosen = [f"id-{i}" for i in range(11, 0, -1)]  # more than the limit: all of them
    assert [p.pk for p in example_projects(items, chosen)] == list(range(11, 0, -1))


def test_it_draws_examples_from_the_period_and_area_projects(world, personas, projects):
    report = report_of(personas["coordination"])
    assert titles(report) == [f"A{i}" for i in range(6)] + ["B6", "B7", "B8"]
    assert not build_highlights(report).fictitious_notice
    Project.objects.filter(title="A3").update(is_demo=True)
    assert "fictifs" in build_highlights(report).fictitious_notice
    in_b = report_of(personas["coordination"], territory=world["tb"])
    assert titles(in_b) == ["B6", "B7", "B8", "B9"]


# --- what each viewer sees -------------------------------------------------------------------


def test_it_shows_individual_support_only_to_who_reads_case_statistics(world, personas):
    def ids(user):
        h = build_highlights(Params(*FY2008), user=user)
        return {line.indicator.id for line in h.indicators}

    cli = ids(None)
    assert "reach.providers" in cli and not any(i.startswith("casework.") for i in cli)
    assert any(i.startswith("funding.") for i in cli)
    assert any(i.startswith("casework.") for i in ids(personas["coordination"]))
    assert not any(i.startswith("casework.") for i in ids(personas["organizer_a"]))
    assert not any(i.startswith("funding.") for i in ids(personas["researcher"]))


def test_it_shows_the_funding_table_to_who_reads_funding(world, personas):
    agreement("a-2008", dt.date(2008, 4, 1), dt.date(2011, 3, 31))
    report = report_of(personas["coordination"])
    assert build_highlights(report).funding is not None  # the command line
    assert build_highlights(report, personas["organizer_a"]).funding is not None
    researcher = build_highlights(report, personas["researcher"])
    assert researcher.funding is None and researcher.funding_hidden
    assert researcher.objectives == ["Premier objectif;", "Second objectif."]


def test_it_skips_a_statement_whose_indicator_is_not_registered(world, monkeypatch):
    from tremplin.evaluation import report_figures

    table = [("ghost", "%(n)s", [("n", "nowhere.missing", "%(n)s")]), *ACHIEVEMENTS]
    monkeypatch.setattr(report_figures, "ACHIEVEMENTS", table)
    h = build_highlights(Params(*FY2008))
    assert "ghost" not in [s.key for s in h.achievements]


# --- services --------------------------------------------------------------------------------


def test_it_validates_a_new_report(world, personas):
    coordination = personas["coordination"]
    with pytest.raises(ValidationError) as error:
        services.report_create(
            user=coordination, period_start=dt.date(2009, 1, 1), period_end=dt.date(2008, 1, 1)
        )
    assert error.value.message_dict == {"period_end": ["La fin de la période précède son début."]}
    with pytest.raises(ValidationError):
        services.report_create(
            user=coordination, period_start=dt.date(1999, 1, 1), period_end=dt.date(2008, 1, 1)
        )
    with pytest.raises(Http404):
        report_of(personas["organizer_a"])
    assert not HighlightsReport.objects.exists()
    made = services.report_create(user=coordination, period_start=FY2008[0], period_end=FY2008[1])
    assert made.title == "Faits saillants 2008-2009"
    assert AuditEntry.objects.filter(action="evaluation.report.create").count() == 1


def test_it_edits_the_texts_with_an_audit_entry(world, personas):
    report = report_of(personas["coordination"])
    services.report_update(
        user=personas["coordination"],
        report=report,
        title="An 1",
        context="Contexte\r\n\r\nSuite",
        achievements_intro="- Une réalisation",
        extra_examples="Une rencontre\nUn forum",
    )
    report.refresh_from_db()
    assert (report.title, report.context) == ("An 1", "Contexte\n\nSuite")
    entry = AuditEntry.objects.get(action="evaluation.report.update")
    assert sorted(entry.data["fields"]) == [
        "achievements_intro",
        "context",
        "extra_examples",
        "title",
    ]
    assert build_highlights(report).extra_examples == ["Une rencontre", "Un forum"]
    with pytest.raises(ValidationError):
        services.report_update(user=personas["coordination"], report=report, title="")
    with pytest.raises(Http404):
        services.report_update(user=personas["partner"], report=report, title="Autre")


def test_it_moves_examples_and_keeps_a_removed_one_out(world, personas, projects):
    coordination = personas["coordination"]
    report = report_of(coordination)

    def move(title, how):
        pid = next(str(p.public_id) for p in projects if p.title == title)
        services.report_move_example(user=coordination, report=report, project_id=pid, move=how)
        report.refresh_from_db()
        return titles(report)

    assert move("A1", "up")[:3] == ["A1", "A0", "A2"]
    assert move("A1", "down")[:3] == ["A0", "A1", "A2"]
    assert move("B8", "down")[-1] == "B9"  # the last example changes place with the next one
    assert move("A0", "remove") == ["A1", "A2", "A3", "A4", "A5", "B6", "B7", "B9", "B8"]
    assert move("A0", "add") == ["A1", "A2", "A3", "A4", "A5", "B6", "B7", "B9", "B8", "A0"]
    assert move("A0", "remove")[-1] == "B8"
    assert AuditEntry.objects.filter(action="evaluation.report.examples").count() == 6


def test_it_refuses_a_project_that_is_not_among_the_period_projects(world, personas, projects):
    report = report_of(personas["coordination"])
    later = Project.objects.get(title="Plus tard")
    with pytest.raises(ValidationError) as error:
        services.report_move_example(
            user=personas["coordination"], report=report, project_id=str(later.public_id), move="up"
        )
    assert "ne fait pas partie des projets de la période" in error.value.messages[0]
    with pytest.raises(ValidationError):
        services.report_move_example(
            user=personas["coordination"],
            report=report,
            project_id=str(projects[0].public_id),
            move="sideways",
        )
    report.refresh_from_db()
    assert report.example_order == []


# --- the command line ------------------------------------------------------------------------


def run(*args):
    out = io.StringIO()
    call_command(ReportCommand(), "highlights", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
def test_it_writes_each_format_from_the_command_line(world, personas, projects, tmp_path, fmt):
    report = report_of(personas["coordination"], territory=world["ta"])
    services.report_update(user=personas["coordination"], report=report, context="Notre contexte")
    target = tmp_path / f"rapport.{fmt}"
    output = run(
        "--from",
        "2008-04-01",
        "--to",
        "2009-03-31",
        "--territory",
        "grand-littoral",
        "--format",
        fmt,
        "-o",
        str(target),
    )
    assert "rapport enregistré « Rapport »" in output
    content = target.read_bytes()
    assert content.startswith({"pdf": b"%PDF", "docx": b"PK", "html": b"<!DOCTYPE html>"}[fmt])
    if fmt == "html":
        assert "Notre contexte" in content.decode() and "Grand Littoral" in content.decode()


def test_it_uses_defaults_without_a_saved_report(world, tmp_path):
    target = tmp_path / "r.html"
    output = run("--from", "2008-04-01", "--to", "2009-03-31", "-o", str(target))
    assert "textes par défaut" in output
    assert "Faits saillants 2008-2009" in target.read_text()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--from", "2008-13-01", "--to", "2009-03-31"], "Date invalide pour --from"),
        (["--from", "2009-04-01", "--to", "2008-03-31"], "La fin de la période précède son début"),
        (["--from", "1990-04-01", "--to", "2009-03-31"], "Choisissez une date entre"),
        (
            ["--from", "2008-04-01", "--to", "2009-03-31", "--territory", "atlantide"],
            "Aucun territoire n'a l'identifiant « atlantide »",
        ),
        (["--to", "2009-03-31"], "Indiquez la période"),
        (["--from", "2008-04-01", "--to", "2009-03-31", "--format", "xlsx"], "pas en « xlsx »"),
        (["--from", "2008-04-01", "--to", "2009-03-31", "--agreement", "aucune"], "Aucune entente"),
    ],
)
def test_it_explains_bad_command_line_input_in_french(world, tmp_path, args, message):
    target = tmp_path / "r.pdf"
    with pytest.raises(CommandError, match=message):
        run(*args, "-o", str(target))
    assert not target.exists()


def test_it_explains_an_unwritable_output(world, tmp_path):
    with pytest.raises(CommandError, match="n'existe pas"):
        run("--from", "2008-04-01", "--to", "2009-03-31", "-o", str(tmp_path / "no" / "r.pdf"))
    folder = tmp_path / "a-folder.html"
    folder.mkdir()
    with pytest.raises(CommandError, match="Impossible d'écrire le fichier"):
        run("--from", "2008-04-01", "--to", "2009-03-31", "-o", str(folder))


def test_it_still_writes_the_pdf_when_weasyprint_cannot_tag_it(world, tmp_path, monkeypatch):
    """WeasyPrint's PDF/UA tagging raises on some tables split across pages: the report is
    then written without tags rather than not at all."""
    from weasyprint import HTML

    calls = []
    original = HTML.write_pdf

    def write_pdf(self, *args, **kwargs):
        calls.append(kwargs.get("pdf_tags", False))
        if kwargs.get("pdf_tags"):
            raise ValueError("Table wrapper without a table")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(HTML, "write_pdf", write_pdf)
    target = tmp_path / "r.pdf"
    run("--from", "2008-04-01", "--to", "2009-03-31", "--format", "pdf", "-o", str(target))
    assert calls == [True, False]
    assert target.read_bytes().startswith(b"%PDF")
