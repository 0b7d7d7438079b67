"""``tremplin import directory FILE [--dry-run] [--user USERNAME]``: import the Répertoire."""

# ruff: noqa: N999 - the module name is the command's name, "import"

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tremplin.housing import importing


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
            "Importe le répertoire des immeubles d'un fichier CSV ou Excel (.xlsx). "
            "Avec --dry-run, vérifie le fichier sans rien enregistrer."
        )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["directory"], help=_("ce qui est importé : directory"))
        parser.add_argument("path", help=_("le fichier CSV ou .xlsx"))
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("vérifier seulement : rien n'est enregistré"),
        )
        parser.add_argument(
            "--user",
            default=None,
            help=_("nom d'utilisateur inscrit comme auteur de l'importation"),
        )

    def handle(self, *args, kind, path, dry_run, user, **options):
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

        filename = Path(path).name
        if dry_run:
            report = importing.check_directory_file(content, filename)
        else:
            try:
                report = importing.apply_directory_file(
                    user=author, content=content, filename=filename
                )
            except Exception as exc:
                raise CommandError(
                    _("L'importation a échoué et rien n'a été enregistré : %(error)s")
                    % {"error": exc}
                ) from exc

        if report.file_errors:
            raise CommandError("\n".join([_("Fichier illisible :"), *report.file_errors]))

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
