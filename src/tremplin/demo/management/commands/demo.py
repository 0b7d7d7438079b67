"""`tremplin demo`: set up the demo database and serve it with gunicorn (what `make demo` runs)."""

import os
import secrets
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from tremplin.core.formatting import number


def demo_password() -> str:
    """TREMPLIN_DEMO_PASSWORD, or a random password generated once into var/ and reused."""
    if os.environ.get("TREMPLIN_DEMO_PASSWORD"):
        return os.environ["TREMPLIN_DEMO_PASSWORD"]
    path = settings.VAR_DIR / "demo_password"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(12))
        path.chmod(0o600)
    return path.read_text().strip()


def two_factor_usernames() -> set[str]:
    """The demo accounts whose role requires two-factor authentication."""
    from tremplin.accounts.models import Membership
    from tremplin.demo.data import ACCOUNTS

    return {a["username"] for a in ACCOUNTS if Membership(role=a["role"]).requires_two_factor}


class Command(BaseCommand):
    help = "Migrate, load the demo data (idempotent) and serve Tremplin with gunicorn."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--workers", type=int, default=3)
        parser.add_argument("--no-serve", action="store_true", help="Set up only; do not serve.")

    def handle(self, *args, **options):
        from tremplin.demo.loader import DEMO_ACCOUNTS, load_demo

        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        password = demo_password()
        summary = load_demo(password)
        # The demo loader leaves the indicators to be computed when first read; the demo's
        # first visitors should not wait for that (#21: an indicator page took 1.9 s).
        from tremplin.evaluation import engine

        started = time.monotonic()
        stored = engine.refresh_all()
        refreshed_in = time.monotonic() - started
        url = f"http://{options['host']}:{options['port']}/"
        out = self.stdout
        out.write("")
        out.write(self.style.SUCCESS("Tremplin — données de démonstration chargées (fictives)"))
        kinds = summary.get("providers_by_kind", {})
        out.write(
            f"  {summary['providers']} organismes ({kinds.get('omh', 0)} OMH, {kinds.get('oh', 0)} OH, "
            f"{kinds.get('coop', 0)} coopératives, {kinds.get('osbl', 0)} OSBL-H), "
            f"{number(summary['buildings'])} immeubles, {number(summary['units'])} logements, "
            f"{summary['municipalities']} municipalités, {summary['local_teams']} ÉLÉ"
        )
        out.write("")
        out.write("Comptes de démonstration (un par rôle) :")
        two_factor = two_factor_usernames()
        for username, description in DEMO_ACCOUNTS:
            mark = "*" if username in two_factor else " "
            out.write(f"  {username:<23}{mark} {description}")
        out.write(f"Mot de passe (tous les comptes) : {password}")
        out.write("* Double authentification : après le mot de passe, un code à six chiffres.")
        out.write("  Sans application d'authentification, le code du moment s'obtient avec :")
        out.write(f"    TREMPLIN_DEMO=1 .venv/bin/tremplin demo-code {sorted(two_factor)[0]}")
        out.write(
            f"Indicateurs : {number(stored)} valeurs calculées d'avance en {refreshed_in:.1f} s."
        )
        out.write(f"Adresse : {url}")
        out.write("")
        if options["no_serve"]:
            return
        env = dict(os.environ, TREMPLIN_HTTPS="0", TREMPLIN_DEMO="1")
        env.setdefault("DJANGO_SETTINGS_MODULE", "tremplin.settings")
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "tremplin.wsgi:application",
            "--bind",
            f"{options['host']}:{options['port']}",
            "--workers",
            str(options["workers"]),
            "--access-logfile",
            "-",
            "--forwarded-allow-ips",
            "127.0.0.1",
        ]
        sys.stdout.flush()
        # The background jobs (newsletter sends, e-mails, large PDFs) run beside the server.
        worker = subprocess.Popen(  # noqa: S603 - our own interpreter and command
            [sys.executable, "-m", "tremplin", "db_worker", "--no-reload", "-v", "0"], env=env
        )
        try:
            subprocess.run(argv, env=env, check=False)  # noqa: S603
        except KeyboardInterrupt:
            pass
        finally:
            worker.terminate()
            worker.wait(timeout=30)
