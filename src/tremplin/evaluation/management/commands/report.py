"""``tremplin report KIND …``: the funding table (``funding``, see the partners app) and the
highlights report (``highlights``):

    tremplin report highlights --from 2008-04-01 --to 2009-03-31 [--territory SLUG]
        [--agreement SLUG] --format pdf|docx|html -o FILE

The highlights kind adds itself to the partners app's command (``Command.kinds``), so that
both kinds answer to one name. Its texts and example order are those of the saved report of
the same period and territory when there is one (the newest), otherwise the defaults (the
agreement in force or ``--agreement``, its title, the period's projects). Run on the server
without a user: the report shows the program's and the funding's indicators, never
individual-support counts.
"""

import datetime as dt

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from tremplin.evaluation.report import Params, saved_report_for
from tremplin.evaluation.report_render import FORMATS, export
from tremplin.evaluation.report_services import period_errors
from tremplin.partners.models import Agreement
from tremplin.partners.report_command import Command as BaseReportCommand
from tremplin.territories.models import Territory


def parse_date(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise CommandError(
            _(
                "Date invalide pour %(option)s : « %(value)s ». Écrivez-la AAAA-MM-JJ, par "
                "exemple 2008-04-01."
            )
            % {"option": option, "value": value}
        ) from None


class Command(BaseReportCommand):
    help = (
        "Produit un rapport dans un fichier. Ex. : tremplin report highlights --from 2008-04-01 "
        "--to 2009-03-31 --format pdf -o faits-saillants.pdf ; tremplin report funding "
        "--agreement entente-2008-2011 --format xlsx -o financement.xlsx"
    )
    kinds = {**BaseReportCommand.kinds, "highlights": "_highlights"}

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--from", dest="start", metavar="AAAA-MM-JJ", help="Début (highlights)."
        )
        parser.add_argument("--to", dest="end", metavar="AAAA-MM-JJ", help="Fin (highlights).")
        parser.add_argument(
            "--territory",
            metavar="SLUG",
            default="",
            help="Le territoire (highlights ; par défaut, l'ensemble du programme).",
        )

    def handle(self, *args, **options):
        try:
            super().handle(*args, **options)
        except OSError as error:
            raise CommandError(
                _("Impossible d'écrire le fichier « %(path)s » : %(reason)s.")
                % {"path": options["output"], "reason": error.strerror or error}
            ) from None

    def _highlights(self, fmt: str, options) -> bytes:
        if fmt not in FORMATS:
            raise CommandError(
                _("Les faits saillants s'écrivent en pdf, docx ou html, pas en « %(fmt)s ».")
                % {"fmt": fmt}
            )
        if not options.get("start") or not options.get("end"):
            raise CommandError(_("Indiquez la période avec --from AAAA-MM-JJ et --to AAAA-MM-JJ."))
        start = parse_date(options["start"], "--from")
        end = parse_date(options["end"], "--to")
        errors = period_errors(start, end)
        if errors:
            raise CommandError(" ".join(errors.values()))
        territory = None
        if options.get("territory"):
            territory = Territory.objects.filter(slug=options["territory"]).first()
            if territory is None:
                known = ", ".join(Territory.objects.order_by("slug").values_list("slug", flat=True))
                raise CommandError(
                    _("Aucun territoire n'a l'identifiant « %(slug)s ». Territoires : %(known)s.")
                    % {"slug": options["territory"], "known": known or _("aucun")}
                )
        agreement = None
        if options.get("agreement"):
            agreement = Agreement.objects.filter(slug=options["agreement"]).first()
            if agreement is None:
                raise CommandError(
                    _("Aucune entente n'a l'identifiant « %(slug)s ».")
                    % {"slug": options["agreement"]}
                )
        saved = saved_report_for(start, end, territory)
        if saved is not None:
            self.stdout.write(
                _("Textes et exemples du rapport enregistré « %(title)s ».")
                % {"title": saved.title}
            )
            source = saved
        else:
            self.stdout.write(_("Aucun rapport enregistré pour cette période : textes par défaut."))
            source = Params(start=start, end=end, territory=territory, agreement=agreement)
        content, _content_type, _name = export(source, fmt)
        return content
