"""``tremplin newsletter purge-pending [--days N] [--dry-run]`` and ``tremplin newsletter resume
NUMBER``.

* purge-pending: web sign-ups never confirmed within N days (default 30) are deleted: without
  consent there is nothing to keep (the confirmation email says so); a former subscriber who
  asked again without confirming is unsubscribed again. Meant for a daily timer.
* resume: queue the sending job again for a scheduled edition whose run stopped (the same as
  the "Reprendre l'envoi" button; nobody receives the edition twice).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tremplin.newsletter import services
from tremplin.newsletter.models import Edition, Subscriber, SubscriberStatus


class Command(BaseCommand):
    help = "Infolettre : efface les abonnements jamais confirmés ; reprend un envoi interrompu."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["purge-pending", "resume"])
        parser.add_argument("number", nargs="?", type=int, help="resume : numéro de l'édition")
        parser.add_argument("--days", type=int, default=30)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, action, number, days, dry_run, **options):
        if action == "resume":
            return self._resume(number)
        if days < 1:
            raise CommandError("Le délai doit être d'au moins 1 jour.")
        cutoff = timezone.now() - dt.timedelta(days=days)
        stale = Subscriber.objects.filter(
            status=SubscriberStatus.PENDING, consent_at__isnull=True, requested_at__lt=cutoff
        )
        # Someone who had unsubscribed, asked again and never confirmed: back to unsubscribed
        # (the record of their unsubscription is kept).
        returning = Subscriber.objects.filter(
            status=SubscriberStatus.PENDING, consent_at__isnull=False, requested_at__lt=cutoff
        )
        count = stale.count()
        if dry_run:
            self.stdout.write(f"Simulation : {count} demande(s) non confirmée(s) à effacer.")
            return
        stale.delete()
        returning.update(status=SubscriberStatus.UNSUBSCRIBED)
        self.stdout.write(
            self.style.SUCCESS(
                f"{count} demande(s) non confirmée(s) depuis {days} jours effacée(s)."
            )
        )

    def _resume(self, number):
        if number is None:
            raise CommandError("Indiquez le numéro de l'édition : tremplin newsletter resume 12")
        edition = Edition.objects.filter(number=number).first()
        if edition is None:
            raise CommandError(f"Aucune édition n° {number}.")
        try:
            services.edition_resume(user=None, edition=edition)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(f"Envoi de l'édition n° {number} relancé."))
