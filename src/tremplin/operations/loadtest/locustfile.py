"""The load test's scenario (Locust; run by ``tremplin loadtest`` in a process of its own: Locust
patches the standard library with gevent, it is never imported by Django or pytest).

Each simulated person signs in as one of the demo accounts (``TREMPLIN_LOADTEST_ACCOUNTS``:
JSON list of {"username", "password", "totp_key"}; the code of the second factor is worked
out here from the device's key, RFC 6238) and uses their daily pages, named by page group:
directory (list, search), projects (list, one project), caseload and a person's file (workers),
dashboard, and the public pages of events (list, one event).
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

from locust import HttpUser, between, task

ACCOUNTS = json.loads(os.environ.get("TREMPLIN_LOADTEST_ACCOUNTS", "[]"))
_next_account = itertools.count()
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
SEARCHES = ["levis", "beauce", "coop", "omh", "saint"]


def totp(key_hex: str, step: int) -> str:
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def csrf(response) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)
    return match[1] if match else ""


class Person(HttpUser):
    # Seconds between two pages of one person (shorter in the smoke test).
    wait_time = between(
        *(float(x) for x in os.environ.get("TREMPLIN_LOADTEST_WAIT", "1,3").split(","))
    )

    def on_start(self):
        self.account = ACCOUNTS[next(_next_account) % len(ACCOUNTS)]
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

    @task(2)
    def dashboard(self):
        if self.account["role"] in ("coordination", "organizer"):
            self.client.get("/evaluation/", name="dashboard")

    @task(2)
    def events(self):
        self._page("/evenements/a-venir/", "public events")
        link = self._one("public events", "/evenements/public/")
        if link:
            self.client.get(link, name="public event")
