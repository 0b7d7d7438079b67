"""``tremplin loadtest --users N --duration SECONDS [--host URL]``: the demo's people, signed in,
using their daily pages, measured by Locust (headless, in a process of its own)."""

import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

LOCUSTFILE = Path(__file__).resolve().parents[2] / "loadtest" / "locustfile.py"
# The roles of the daily pages (the demo has one account per role).
ROLES = ("coordination", "organizer", "worker", "supervisor", "housing_manager", "partner")


def demo_accounts(password: str) -> list[dict]:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tremplin.demo.data import ACCOUNTS

    accounts = []
    for account in ACCOUNTS:
        if account["role"] not in ROLES:
            continue
        device = TOTPDevice.objects.filter(
            user__username=account["username"], confirmed=True
        ).first()
        accounts.append(
            {
                "username": account["username"],
                "role": account["role"],
                "password": password,
                "totp_key": device.key if device else "",
            }
        )
    return accounts


class Command(BaseCommand):
    help = "Test de charge (Locust, sans interface) contre un serveur Tremplin de démonstration."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=10)
        parser.add_argument("--duration", type=int, default=60, help="secondes")
        parser.add_argument("--host", default="http://127.0.0.1:8000")
        parser.add_argument("--password", default="", help="des comptes de démonstration")
        parser.add_argument(
            "--accounts", default="", help="ces comptes de démonstration seulement (a,b,…)"
        )

    def handle(self, *args, users, duration, host, password, accounts, **options):
        from tremplin.demo.management.commands.demo import demo_password

        wanted = {a for a in accounts.split(",") if a}
        accounts = [
            a
            for a in demo_accounts(password or demo_password())
            if not wanted or a["username"] in wanted
        ]
        if not accounts:
            raise CommandError("Aucun compte de démonstration : chargez d'abord la démo.")
        with tempfile.TemporaryDirectory(prefix="tremplin-loadtest-") as work:
            prefix = Path(work) / "run"
            env = dict(os.environ, TREMPLIN_LOADTEST_ACCOUNTS=json.dumps(accounts))
            command = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless"]
            command += ["--users", str(users), "--spawn-rate", str(max(1, users))]
            command += ["--run-time", f"{duration}s", "--host", host.rstrip("/")]
            command += ["--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"]
            result = subprocess.run(  # noqa: S603 - our interpreter, our locustfile
                command, env=env, capture_output=True, text=True, check=False
            )
            stats = Path(f"{prefix}_stats.csv")
            if not stats.exists():
                raise CommandError(f"Locust n'a rien mesuré : {result.stderr[-2000:]}")
            rows = list(csv.DictReader(stats.open()))
        self.stdout.write(
            f"{'groupe de pages':<22} {'requêtes':>9} {'échecs':>7} {'p50 ms':>7} {'p95 ms':>7} "
            f"{'p99 ms':>7}"
        )
        total_failures = 0
        names = [row["Name"] for row in rows]
        for row in rows:
            name = row["Name"]
            if name == "Aggregated":
                name = "total"
            elif names.count(name) > 1:
                name = f"{name} ({row['Type']})"
            failures = int(row["Failure Count"])
            if name != "total":
                total_failures += failures
            self.stdout.write(
                f"{name:<22} {row['Request Count']:>9} {failures:>7} "
                f"{row['50%']:>7} {row['95%']:>7} {row['99%']:>7}"
            )
        self.stdout.write(f"failures: {total_failures}")
        if total_failures:
            sys.exit(1)
