# ruff: noqa: N999
"""``tremplin demo-code USERNAME``: the current six-digit code of a demo account (demo only).

A reviewer of the demo has no authenticator app paired with the demo accounts: this prints the
code such an app would show now. It refuses unless the site runs as a demo
(``TREMPLIN_DEMO=1``) and the account is one of the demo loader's accounts. (The module name has
a hyphen so that the command reads ``demo-code``, as the README and the demo say.)
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from tremplin.accounts.two_factor import confirmed_device, current_code, seconds_left


def is_demo_account(user) -> bool:
    """One of the accounts the demo loader creates (its username and its demo address)."""
    from tremplin.demo.data import ACCOUNTS
    from tremplin.demo.loader import EMAIL_DOMAIN

    usernames = {spec["username"] for spec in ACCOUNTS}
    return user.username in usernames and user.email == f"{user.username}@{EMAIL_DOMAIN}"


class Command(BaseCommand):
    help = (
        "Affiche le code à six chiffres du moment d'un compte de démonstration "
        "(démonstration seulement : TREMPLIN_DEMO=1)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="compte de démonstration, p. ex. intervenant")

    def handle(self, *args, username, **options):
        if not getattr(settings, "TREMPLIN_DEMO", False):
            raise CommandError(
                "Refusé : cette commande ne sert qu'en démonstration (TREMPLIN_DEMO=1). "
                "Ailleurs, chaque personne lit son code dans sa propre application "
                "d'authentification."
            )
        user = get_user_model().objects.filter(username=username).first()
        if user is None or not is_demo_account(user):
            raise CommandError(f"Refusé : « {username} » n'est pas un compte de démonstration.")
        device = confirmed_device(user)
        if device is None:
            raise CommandError(
                f"« {username} » n'a pas de double authentification configurée : son rôle n'en "
                "demande pas, ou les données de démonstration n'ont pas été rechargées "
                "(tremplin loaddemo)."
            )
        code = current_code(device)
        if code is None:
            raise CommandError(
                "Les codes de ce moment ont déjà servi : réessayez dans "
                f"{seconds_left(device)} secondes."
            )
        self.stdout.write(code)
        self.stderr.write(
            f"Code de « {username} » : valable une seule fois, "
            f"pendant au moins {seconds_left(device)} secondes."
        )
