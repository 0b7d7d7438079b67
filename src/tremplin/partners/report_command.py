"""``tremplin report KIND …``: write a report to a file (the command itself is declared by the
evaluation app, which adds the ``highlights`` kind to this class).

    tremplin report funding --agreement entente-2008-2011 --format pdf -o financement.pdf

Each kind of report is one entry of ``Command.kinds`` (a method taking the parsed options and
returning the content and the file extension); later kinds (e.g. ``highlights``) add theirs.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from tremplin.core.files import write_atomically
from tremplin.core.formatting import number
from tremplin.partners import reports
from tremplin.partners.models import Agreement


class Command(BaseCommand):
    help = (
        "Produit un rapport dans un fichier (HTML, XLSX, PDF ou DOCX). "
        "Ex. : tremplin report funding --agreement entente-2008-2011 --format pdf -o financement.pdf"
    )
    kinds = {"funding": "_funding"}

    def add_arguments(self, parser):
        parser.add_argument(
            "kind",
            choices=sorted(self.kinds),
            help="Le rapport : « funding », le tableau de financement d'une entente.",
        )
        parser.add_argument(
            "--agreement",
            metavar="SLUG",
            help="L'identifiant court de l'entente (ex. : entente-2008-2011).",
        )
        parser.add_argument(
            "--format",
            dest="fmt",
            choices=reports.FORMATS,
            help="Le format ; par défaut, celui qu'indique l'extension du fichier (-o).",
        )
        parser.add_argument(
            "-o", "--output", required=True, metavar="FILE", help="Le fichier à écrire."
        )

    def handle(self, *args, kind, **options):
        with translation.override("fr"):
            path = Path(options["output"]).expanduser()
            fmt = options["fmt"] or path.suffix.lstrip(".").lower()
            if fmt not in reports.FORMATS:
                raise CommandError(
                    _("Précisez le format avec --format (%(formats)s).")
                    % {"formats": ", ".join(reports.FORMATS)}
                )
            if not path.parent.is_dir():
                raise CommandError(
                    _("Le dossier « %(folder)s » n'existe pas.") % {"folder": path.parent}
                )
            content = getattr(self, self.kinds[kind])(fmt, options)
            # Renamed into place once complete: never a truncated report (#17).
            write_atomically(path, content)
            self.stdout.write(
                _("Rapport écrit : %(path)s (%(size)s octets)")
                % {"path": path.resolve(), "size": number(len(content))}
            )

    def _funding(self, fmt: str, options) -> bytes:
        slug = options["agreement"]
        if not slug:
            raise CommandError(_("Indiquez l'entente avec --agreement SLUG."))
        agreement = Agreement.objects.filter(slug=slug).first()
        if agreement is None:
            known = ", ".join(Agreement.objects.order_by("slug").values_list("slug", flat=True))
            raise CommandError(
                _("Aucune entente n'a l'identifiant « %(slug)s ». Ententes existantes : %(known)s.")
                % {"slug": slug, "known": known or _("aucune")}
            )
        content, _content_type, _extension = reports.render_funding(agreement, fmt)
        return content
