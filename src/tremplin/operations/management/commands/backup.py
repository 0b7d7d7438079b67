"""``tremplin backup -o FILE`` and ``tremplin backup --verify FILE`` (see operations.backup)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tremplin.operations import backup


class Command(BaseCommand):
    help = (
        "Sauvegarde la base de données et les fichiers privés dans une archive (-o FICHIER), "
        "ou vérifie une archive sans la restaurer (--verify FICHIER)."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("-o", "--output", type=Path, help="L'archive à écrire (.tar).")
        group.add_argument("--verify", type=Path, metavar="FICHIER", help="L'archive à vérifier.")

    def handle(self, *args, output=None, verify=None, **options):
        say = self.stdout.write if options["verbosity"] > 1 else (lambda line: None)
        try:
            if verify is not None:
                checked = backup.verify_backup(verify)
                for line in backup.describe(checked):
                    self.stdout.write(line)
                self.stdout.write(self.style.SUCCESS(f"{verify} : archive intacte."))
                return
            manifest = backup.create_backup(output, say=say)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(t["rows"] for t in manifest["tables"].values())
        files = sum(1 for n in manifest["members"] if n.startswith(backup.PRIVATE_PREFIX))
        self.stdout.write(
            self.style.SUCCESS(
                f"Sauvegarde écrite : {output} ({len(manifest['tables'])} tables, {rows} lignes, "
                f"{files} fichiers privés). La clé de chiffrement n'y est pas."
            )
        )
