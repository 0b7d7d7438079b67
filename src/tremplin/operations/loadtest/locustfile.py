"""The load test's scenario (Locust; run by ``tremplin loadtest`` in a process of its own: Locust
patches the standard library with gevent, it is never imported by Django or pytest).

Each simulated person signs in as one of the demo accounts (``TREMPLIN_LOADTEST_ACCOUNTS``:
JSON list of {"username", "password", "totp_key"}; the code of the second factor is worked
out here from the device's key, RFC 6238) and uses their daily pages, named by page group:
directory (list, search), projects (list, one project), caseload, a person's file and logging
an intervention (workers), dashboard, and the public pages of events (list, one event, now and
then a registration).

Each person connects from an address of its own on the loopback network (127.0.0.10, .11, …:
``TREMPLIN_LOADTEST_SOURCES=0`` turns it off), as visitors do from theirs: the public forms'
rate limits count per address.
"""

import hashlib
import hmac
import itertools
import json
import os
import random
import re
import struct
import time
import uuid

from locust import HttpUser, between, task
from locust.clients import LocustHttpAdapter
from urllib3 import PoolManager

ACCOUNTS = json.loads(os.environ.get("TREMPLIN_LOADTEST_ACCOUNTS", "[]"))
_next_account = itertools.count()
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
SEARCHES = ["levis", "beauce", "coop", "omh", "saint"]
SOURCES = os.environ.get("TREMPLIN_LOADTEST_SOURCES", "1") != "0"


def totp(key_hex: str, step: int) -> str:
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def csrf(response) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)
    return match[1] if match else ""


def options(html: str, name: str) -> list[str]:
    """The non-empty values of a select's options, or of radio buttons, named ``name``."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    if select:
        return [v for v in re.findall(r'<option value="([^"]*)"', select[1]) if v]
    return re.findall(rf'<input type="radio" name="{name}" value="([^"]+)"', html)


class Person(HttpUser):
    # Seconds between two pages of one person (shorter in the smoke test).
    wait_time = between(
        *(float(x) for x in os.environ.get("TREMPLIN_LOADTEST_WAIT", "1,3").split(","))
    )

    def on_start(self):
        number = next(_next_account)
        self.account = ACCOUNTS[number % len(ACCOUNTS)]
        if SOURCES:
            source = PoolManager(source_address=(f"127.0.0.{10 + number % 240}", 0))
            self.client.mount("http://", LocustHttpAdapter(pool_manager=source))
        self.links: dict[str, list[str]] = {}
        page = self.client.get("/comptes/connexion/", name="sign-in")
        with self.client.post(
            "/comptes/connexion/",
            {
                "username": self.account["username"],
                "password": self.account["password"],
                "csrfmiddlewaretoken": csrf(page),
            },
            name="sign-in",
            catch_response=True,
        ) as response:
            if "/comptes/connexion/" in response.url:
                response.failure("sign-in refused")  # a wrong password is a failure here
        if self.account.get("totp_key") and "double-authentification" in response.url:
            self.second_factor(response)

    def second_factor(self, page):
        # A code is good once: several people on one demo account wait for the next one.
        for _ in range(4):
            step = int(time.time() // 30)
            with self.client.post(
                "/comptes/double-authentification/",
                {"code": totp(self.account["totp_key"], step), "csrfmiddlewaretoken": csrf(page)},
                name="sign-in (code)",
                catch_response=True,
            ) as response:
                if "double-authentification" not in response.url:
                    response.success()
                    return
                response.success()  # not an error of the server: the code was just used
                page = response
            time.sleep(30 - time.time() % 30 + 0.5)

    def _page(self, path, group):
        response = self.client.get(path, name=group)
        found = re.findall(rf'href="(/[a-z-]+/(?:[a-z-]+/)?{UUID}/)"', response.text)
        if found:
            self.links[group] = found
        return response

    def _one(self, group, prefix):
        candidates = [u for u in self.links.get(group, []) if u.startswith(prefix)]
        return random.choice(candidates) if candidates else None

    @task(4)
    def directory(self):
        self._page("/repertoire/", "directory")
        self.client.get(f"/repertoire/?q={random.choice(SEARCHES)}", name="directory search")

    @task(3)
    def projects(self):
        self._page("/projets/", "projects")
        link = self._one("projects", "/projets/")
        if link:
            self.client.get(link, name="project")

    @task(3)
    def caseload(self):
        if self.account["role"] not in ("worker", "supervisor"):
            return
        self._page("/suivis/", "caseload")
        link = self._one("caseload", "/suivis/")
        if link:
            self.client.get(link, name="person file")

    @task(1)
    def intervention(self):
        if self.account["role"] != "worker":
            return
        page = self.client.get("/suivis/interventions/nouvelle/", name="intervention")
        follow_ups, types, modes = (options(page.text, n) for n in ("follow_up", "type", "mode"))
        if not (follow_ups and types and modes):
            return
        form = {
            "csrfmiddlewaretoken": csrf(page),
            "follow_up": random.choice(follow_ups),
            "occurred_on": time.strftime("%Y-%m-%d"),
            "type": random.choice(types),
            "mode": random.choice(modes),
            "duration_minutes": "30",
            "note": "Appel de suivi (test de charge).",
            "next_step": "",
            "next_step_on": "",
        }
        with self.client.post(
            "/suivis/interventions/nouvelle/", form, name="intervention", catch_response=True
        ) as response:
            if "/interventions/nouvelle/" in response.url:
                response.failure("intervention refused")

    @task(2)
    def dashboard(self):
        if self.account["role"] in ("coordination", "organizer"):
            self.client.get("/evaluation/", name="dashboard")

    @task(2)
    def events(self):
        self._page("/evenements/a-venir/", "public events")
        link = self._one("public events", "/evenements/public/")
        if link:
            page = self.client.get(link, name="public event")
            if random.random() < 0.3 and 'name="name"' in page.text:
                self.register(link, page)

    def register(self, link, page):
        stops = options(page.text, "stop")
        hidden = re.search(r'name="stop" value="([^"]*)"', page.text)
        form = {
            "csrfmiddlewaretoken": csrf(page),
            "name": "Visiteur Charge",
            "organization": "",
            "email": f"charge-{uuid.uuid4().hex[:12]}@example.org",
            "phone": "",
            "stop": random.choice(stops) if stops else (hidden[1] if hidden else ""),
            "accessibility_needs": "",
            "website": "",
        }
        with self.client.post(link, form, name="registration", catch_response=True) as response:
            if "/merci/" not in response.url:
                response.failure(f"registration refused ({response.status_code})")
