"""``tremplin retention apply [--dry-run] [--years N]``: the end of the retention period.

Closed follow-ups whose closing is older than N years (default: ``TREMPLIN_RETENTION_YEARS``,
5) are destroyed and persons left without follow-up are anonymized, each recorded in the
destruction register (``casework.privacy.retention`` explains what goes and what stays).
Meant for a daily cron job or systemd timer. The output names records by their public id
only: it may end up in a system log.
"""

from django.core.management.base import BaseCommand, CommandError

from tremplin.casework.privacy import retention


class Command(BaseCommand):
    help = (
        "Détruit les suivis fermés depuis plus de N ans et anonymise les personnes qui n'ont "
        "plus de suivi (registre des destructions)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["apply"], help="apply : appliquer la conservation")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Afficher ce qui serait détruit ou anonymisé, sans rien changer.",
        )
        parser.add_argument(
            "--years",
            type=int,
            default=None,
            help="Durée de conservation en années après la fermeture (défaut : "
            "TREMPLIN_RETENTION_YEARS, 5).",
        )

    def handle(self, *args, action, dry_run, years, **options):
        if years is not None and years < 1:
            raise CommandError("La durée de conservation doit être d'au moins 1 an.")
        plan = retention.retention_run(years=years, dry_run=dry_run)
        verb_fu = "à détruire" if dry_run else "détruit"
        verb_p = "à anonymiser" if dry_run else "anonymisée"
        self.stdout.write(
            f"Conservation : {plan.years} an(s) ; suivis fermés avant le {plan.cutoff.isoformat()}."
        )
        for f in plan.follow_ups:
            self.stdout.write(
                f"Suivi {f.public_id} fermé le {f.closed_on.isoformat()} "
                f"({f.interventions} intervention(s), {f.referrals} référence(s)) : {verb_fu}"
            )
        for p in plan.persons:
            self.stdout.write(f"Personne {p.public_id} (plus aucun suivi) : {verb_p}")
        summary = (
            f"{len(plan.follow_ups)} suivi(s), {plan.interventions} intervention(s), "
            f"{plan.referrals} référence(s), {len(plan.persons)} personne(s)"
        )
        if dry_run:
            self.stdout.write(f"Simulation, aucun changement : {summary}.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Fait : {summary} ; inscrit au registre."))
