"""Re-encrypt every encrypted field with the first key of TREMPLIN_FIELD_KEY."""

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from tremplin.core import crypto


class Command(BaseCommand):
    help = (
        "Chiffre de nouveau toutes les notes avec la première clé de TREMPLIN_FIELD_KEY "
        "(rotation de clé). Mettre la nouvelle clé en premier, lancer la commande, puis "
        "retirer l'ancienne clé."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args, batch_size: int, **options):
        total = 0
        for model, field in crypto.encrypted_fields():
            table = model._meta.db_table
            column = model._meta.get_field(field).column
            done = 0
            with transaction.atomic():
                # Raw values: rotate the stored token without decrypting into Python objects
                # that could be logged.
                queryset = (
                    model._default_manager.exclude(**{field: ""})
                    .exclude(**{f"{field}__isnull": True})
                    .values_list("pk", flat=True)
                    .order_by("pk")
                )

                pks = list(queryset)
                for start in range(0, len(pks), batch_size):
                    chunk = pks[start : start + batch_size]
                    with connection.cursor() as cursor:
                        placeholders = ",".join(["%s"] * len(chunk))
                        cursor.execute(
                            f"SELECT {model._meta.pk.column}, {column} FROM {table} "  # noqa: S608
                            f"WHERE {model._meta.pk.column} IN ({placeholders})",
                            chunk,
                        )
                        rows = cursor.fetchall()
                        cursor.executemany(
                            f"UPDATE {table} SET {column} = %s "  # noqa: S608
                            f"WHERE {model._meta.pk.column} = %s",
                            [(crypto.rotate(value), pk) for pk, value in rows if value],
                        )
                    done += len(chunk)
            total += done
            self.stdout.write(f"{model._meta.label}.{field} : {done}")
        self.stdout.write(self.style.SUCCESS(f"{total} valeurs chiffrées avec la clé courante."))
