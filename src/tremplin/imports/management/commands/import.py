"""``tremplin import ENTITY FILE [--map "En-tête=champ" …] [--dry-run] [--user NAME]``,
``tremplin import ENTITY --fields``: import a spreadsheet through the tabular framework."""

# ruff: noqa: N999 - the module name is the command's name, "import"

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tremplin.core import tabular
from tremplin.imports import services
from tremplin.imports.registry import ENTITIES, importer_class


def action_label(action: str) -> str:
    return {
        "create": _("Créé"),
        "update": _("Mis à jour"),
        "unchanged": _("Inchangé"),
        "reject": _("Rejeté"),
    }.get(action, action)


class Command(BaseCommand):
    @property
    def help(self):  # argparse wants a plain str, translated when the command runs
        return _(
            "Importe un fichier CSV ou Excel (.xlsx) : le répertoire des immeubles (directory), "
            "les abonnés de l'infolettre (subscribers) ou une autre entité. Avec --dry-run, "
            "vérifie le fichier sans rien enregistrer ; --fields énumère les champs."
        )

    def add_arguments(self, parser):
        parser.add_argument("entity", choices=sorted(ENTITIES), help=_("ce qui est importé"))
        parser.add_argument("path", nargs="?", help=_("le fichier CSV ou .xlsx"))
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="EN-TÊTE=CHAMP",
            help=_(
                "la colonne du fichier qui remplit un champ (clé ou libellé du champ ; vide pour "
                "ignorer la colonne) ; répétable"
            ),
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=_("vérifier seulement : rien n'est enregistré")
        )
        parser.add_argument("--fields", action="store_true", help=_("énumérer les champs"))
        parser.add_argument("--sheet", default="", help=_("la feuille du classeur à lire"))
        parser.add_argument(
            "--option",
            action="append",
            default=[],
            metavar="CLÉ=VALEUR",
            help=_("une option de l'entité (par exemple source=« Forum 2024 » pour subscribers)"),
        )
        parser.add_argument(
            "--user",
            default=None,
            help=_("nom d'utilisateur inscrit comme auteur de l'importation"),
        )

    def handle(self, *args, entity, path, fields, user, **options):
        try:
            importer = importer_class(entity)
        except KeyError:
            raise CommandError(_("Entité inconnue : « %(entity)s »") % {"entity": entity}) from None
        if fields:
            return self.list_fields(entity, importer)
        if not path:
            raise CommandError(_("Indiquez le fichier à importer (ou --fields)."))
        author = None
        if user:
            try:
                author = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(
                    _("Utilisateur inconnu : « %(user)s »") % {"user": user}
                ) from None
        try:
            content = Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Impossible de lire le fichier « %(path)s » : %(error)s")
                % {"path": path, "error": exc.strerror or exc}
            ) from exc
        try:
            chosen = tabular.parse_map_options(options["map"])
            extra = dict(o.partition("=")[::2] for o in options["option"])
            report, record = services.import_file(
                user=author,
                entity=entity,
                content=content,
                filename=Path(path).name,
                chosen=chosen,
                sheet=options["sheet"],
                dry_run=options["dry_run"],
                options=extra,
            )
        except tabular.FileError as exc:
            raise CommandError(str(exc)) from exc
        except PermissionDenied:
            raise CommandError(
                _("« %(user)s » n'a pas le droit d'importer ces données.") % {"user": user}
            ) from None
        except Exception as exc:
            raise CommandError(
                _("L'importation a échoué et rien n'a été enregistré : %(error)s") % {"error": exc}
            ) from exc
        if report.file_errors:
            lines = [_("Fichier refusé :"), *report.file_errors]
            if any("sans colonne" in e or "Champ inconnu" in e for e in report.file_errors):
                lines.append(
                    _(
                        'Indiquez la colonne de chaque champ : --map "En-tête=champ" '
                        "(tremplin import %(entity)s --fields énumère les champs)."
                    )
                    % {"entity": entity}
                )
            raise CommandError("\n".join(lines))
        self.print_report(report, dry_run=options["dry_run"], record=record)

    def list_fields(self, entity, importer):
        self.stdout.write(
            _("Champs de « %(entity)s » (%(label)s) :")
            % {"entity": entity, "label": _(importer.label)}
        )
        for f in importer.fields:
            flag = _(" (obligatoire)") if f.required else ""
            aliases = ""
            if f.aliases:
                aliases = " — " + _("aussi : %(aliases)s") % {
                    "aliases": ", ".join(f"« {a} »" for a in f.aliases)
                }
            self.stdout.write(f"  {f.key}: « {f.label} »{flag}{aliases}")

    def print_report(self, report, *, dry_run, record):
        for note in report.notes:
            self.stdout.write(note)
        for row in report.rows:
            line = _("Ligne %(line)s : %(action)s — %(label)s") % {
                "line": row.line,
                "action": action_label(row.action),
                "label": row.label,
            }
            if row.reasons:
                line += " : " + " ; ".join(row.reasons)
            self.stdout.write(line)
        counts = report.counts()
        summary = _("%(created)s créé(s), %(updated)s mis à jour, %(rejected)s rejeté(s).") % counts
        if dry_run:
            self.stdout.write(
                _("Essai : %(summary)s Rien n'a été enregistré.") % {"summary": summary}
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(_("Importation terminée : %(summary)s") % {"summary": summary})
            )
            self.stdout.write(
                _("Importation n° %(id)s (annulable 30 jours depuis la page Importations).")
                % {"id": record.public_id}
            )
