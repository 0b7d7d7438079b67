"""`tremplin adduser USERNAME --role ROLE [--territory SLUG …] --email E`: create an account."""

import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from tremplin.accounts.roles import Role
from tremplin.accounts.services import membership_set
from tremplin.territories.models import Territory


class Command(BaseCommand):
    help = "Crée un compte avec son rôle (le mot de passe est demandé, ou lu dans TREMPLIN_NEW_PASSWORD)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--territory", action="append", default=[], help="identifiant (slug) d'un territoire"
        )

    def handle(self, *args, username, role, email, territory, **options):
        User = get_user_model()  # noqa: N806
        if User.objects.filter(username=username).exists():
            raise CommandError(f"Le compte « {username} » existe déjà.")
        territories = list(Territory.objects.filter(slug__in=territory))
        unknown = set(territory) - {t.slug for t in territories}
        if unknown:
            raise CommandError(f"Territoire inconnu : {', '.join(sorted(unknown))}")
        password = os.environ.get("TREMPLIN_NEW_PASSWORD") or getpass.getpass("Mot de passe : ")
        user = User(username=username, email=email)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        with transaction.atomic():
            user.set_password(password)
            user.save()
            membership_set(user=user, role=role, territories=territories)
        self.stdout.write(self.style.SUCCESS(f"Compte « {username} » créé ({Role(role).label})."))
