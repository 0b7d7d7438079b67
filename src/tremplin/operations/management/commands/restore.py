"""``tremplin restore FILE [--replace]`` (see operations.backup)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tremplin.operations import backup


class Command(BaseCommand):
    help = (
        "Restaure une sauvegarde (base de données et fichiers privés) dans une base vide, "
        "ou à la place de son contenu avec --replace."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Remplacer le contenu d'une base qui contient déjà des données.",
        )

    def handle(self, *args, archive, replace, **options):
        say = self.stdout.write if options["verbosity"] > 1 else (lambda line: None)
        try:
            checked = backup.restore_backup(archive, replace=replace, say=say)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS("Restauré :"))
        for line in backup.describe(checked):
            self.stdout.write(line)
        self.stdout.write(
            "Chaque table a le nombre de lignes et la somme de contrôle du manifeste. Ensuite : "
            "tremplin migrate (si ce code est plus récent que la sauvegarde), puis "
            "tremplin indicators refresh --all."
        )
