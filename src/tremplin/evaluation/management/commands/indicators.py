"""``tremplin indicators refresh [--all] [--year Y …]``: bring the stored indicator values up to
date (run it from a timer, e.g. every 10 minutes; pages recompute what is stale anyway)."""

import time

from django.core.management.base import BaseCommand, CommandError

from tremplin.evaluation import engine


class Command(BaseCommand):
    help = "Met à jour les valeurs des indicateurs (tableau de bord et faits saillants)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["refresh"])
        parser.add_argument(
            "--all", action="store_true", help="Tout recalculer, même ce qui est à jour."
        )
        parser.add_argument("--year", type=int, action="append", help="Année (répétable).")

    def handle(self, *args, action, all, year, **options):
        years = year or None
        if years and any(y < 1900 or y > 2200 for y in years):
            raise CommandError("Année invalide : donnez une année comme 2008.")
        started = time.perf_counter()
        if all:
            written = engine.refresh_all(years)
            self.stdout.write(f"{written} valeurs recalculées")
        else:
            pairs = engine.refresh_stale(years)
            self.stdout.write(f"{pairs} groupes-périodes recalculés")
        self.stdout.write(f"en {time.perf_counter() - started:.1f} s")
