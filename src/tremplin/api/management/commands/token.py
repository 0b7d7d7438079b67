"""``tremplin token create|scopes|list|revoke``: personal access tokens from the command line.

``create USERNAME --scope S [--scope S…] [--expires DAYS] [--name NAME]`` prints the token
alone on its last line (``TOKEN=$(tremplin token create … | tail -n 1)``); it is never shown
again. ``scopes`` lists the scopes, one a line. ``list [USERNAME]`` shows prefixes, scopes,
expiry and last use, never a secret. ``revoke PREFIX`` revokes at once.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tremplin.api import scopes as scope_list
from tremplin.api import services
from tremplin.api.models import AccessToken


class Command(BaseCommand):
    help = "Jetons d'accès personnels à l'API : create, scopes, list, revoke."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser(
            "create", help="Créer un jeton (affiché seul sur la dernière ligne)."
        )
        create.add_argument("username")
        create.add_argument("--scope", action="append", default=[], dest="scopes")
        create.add_argument("--expires", type=int, default=services.DEFAULT_DAYS, dest="days")
        create.add_argument("--name", default="")
        sub.add_parser("scopes", help="Les portées, une par ligne.")
        listing = sub.add_parser("list", help="Les jetons (préfixe, portées, expiration).")
        listing.add_argument("username", nargs="?")
        revoke = sub.add_parser("revoke", help="Révoquer un jeton par son préfixe.")
        revoke.add_argument("prefix")

    def handle(self, *args, action, **options):
        getattr(self, f"do_{action}")(**options)

    def _user(self, username):
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"Utilisateur inconnu : {username}") from None

    def do_create(self, username, scopes, days, name, **_):
        user = self._user(username)
        try:
            token, raw = services.token_create(
                user=user,
                name=name or f"Ligne de commande {timezone.localdate().isoformat()}",
                scopes=scopes,
                days=days,
            )
        except ValidationError as e:
            raise CommandError(" ".join(e.messages)) from None
        self.stdout.write(
            f"Jeton {token.prefix}… pour {user.username}, portées {' '.join(token.scopes)}, "
            f"expire le {timezone.localtime(token.expires_at):%Y-%m-%d %H:%M}. "
            "Il ne sera plus affiché :"
        )
        self.stdout.write(raw)

    def do_scopes(self, **_):
        for scope_id in scope_list.SCOPES:
            self.stdout.write(scope_id)

    def do_list(self, username=None, **_):
        qs = AccessToken.objects.select_related("user").order_by("user__username", "-created_at")
        if username:
            qs = qs.filter(user=self._user(username))
        for t in qs:
            state = (
                "révoqué"
                if t.revoked_at
                else "expiré"
                if t.is_expired
                else f"expire {timezone.localtime(t.expires_at):%Y-%m-%d}"
            )
            used = (
                f"utilisé {timezone.localtime(t.last_used_at):%Y-%m-%d %H:%M} "
                f"de {t.last_used_ip or '?'}"
                if t.last_used_at
                else "jamais utilisé"
            )
            self.stdout.write(
                f"{t.prefix}\t{t.user.username}\t{t.name}\t{','.join(t.scopes)}\t{state}\t{used}"
            )

    def do_revoke(self, prefix, **_):
        prefix = prefix.rstrip("…. ")[: services.PREFIX_LENGTH]
        token = AccessToken.objects.filter(prefix=prefix).first()
        if token is None:
            raise CommandError(f"Aucun jeton de préfixe {prefix}.")
        services.token_revoke(token=token, by=None)
        self.stdout.write(f"Jeton {token.prefix}… révoqué.")
