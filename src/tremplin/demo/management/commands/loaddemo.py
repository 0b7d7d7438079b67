"""``tremplin loaddemo [--password P]``: load the demo data set (idempotent)."""

import os
import time

from django.core.management.base import BaseCommand

from tremplin.demo.loader import DEMO_ACCOUNTS, load_demo

FALLBACK_PASSWORD = "demo-tremplin-2026"  # noqa: S105 - the documented demo password


class Command(BaseCommand):
    help = (
        "Charge les données de démonstration (région 12, répertoire fictif, un compte par rôle). "
        "Peut être relancée sans créer de doublons."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help=(
                "Mot de passe des comptes de démonstration (par défaut : la variable "
                "TREMPLIN_DEMO_PASSWORD, sinon un mot de passe fixe affiché)."
            ),
        )

    def handle(self, *args, **options):
        password = options["password"] or os.environ.get("TREMPLIN_DEMO_PASSWORD", "")
        if not password:
            password = FALLBACK_PASSWORD
            self.stderr.write(
                self.style.WARNING(
                    f"Aucun mot de passe fourni (--password ou TREMPLIN_DEMO_PASSWORD) : "
                    f"les comptes de démonstration utilisent « {FALLBACK_PASSWORD} ». "
                    f"Ne pas utiliser en production."
                )
            )
        started = time.monotonic()
        summary = load_demo(password, stdout=self.stdout)
        elapsed = time.monotonic() - started

        created = summary["created"]
        kinds = summary["providers_by_kind"]
        lines = [
            f"Données de démonstration chargées en {elapsed:.1f} s ({summary['region']}).",
            f"  Territoires : {summary['territories']}",
            f"  MRC : {summary['mrcs']}",
            f"  Municipalités : {summary['municipalities']}",
            f"  Équipes locales élargies (ÉLÉ) : {summary['local_teams']}",
            f"  Organismes d'habitation (fictifs) : {summary['providers']} "
            f"(OMH {kinds.get('omh', 0)}, OH {kinds.get('oh', 0)}, "
            f"coopératives {kinds.get('coop', 0)}, OSBL-H {kinds.get('osbl', 0)})",
            f"  Personnes-ressources : {summary['contacts']}",
            f"  Immeubles : {summary['buildings']}",
            f"  Logements : {_thousands(summary['units'])}",
            f"  Nouveaux enregistrements : {_thousands(sum(created.values()))}",
            "Comptes de démonstration (même mot de passe pour tous) :",
        ]
        lines += [f"  {username:<22} {description}" for username, description in DEMO_ACCOUNTS]
        self.stdout.write(self.style.SUCCESS(lines[0]))
        self.stdout.write("\n".join(lines[1:]))


def _thousands(n: int) -> str:
    """Québec style: ``4 010`` (narrow no-break space between thousands)."""
    return f"{n:,}".replace(",", "\u202f")
