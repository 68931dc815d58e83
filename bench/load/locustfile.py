"""Load: staff sessions doing the daily mix through the production server (issue 21 §3).

Each simulated user logs in once (a demo social worker account), then repeats: the desk,
a case file, a client search (POSTed, as the page does), a person's page. Run by
``bench/load/run.sh`` — never by pytest.
"""

from __future__ import annotations

import random
import re

from locust import HttpUser, between, task

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CASE = re.compile(r'href="/sprawy/(\d+)/"')
PERSON = re.compile(r'href="/klienci/(\d+)/"')
SURNAMES = ["Nowak", "Kowalsk", "Wiśniewsk", "Zieliń", "Wójcik", "Kamińsk", "Lewandowsk"]


class Staff(HttpUser):
    wait_time = between(1, 3)
    cases: list[str]
    persons: list[str]

    def on_start(self) -> None:
        page = self.client.get("/konto/login/", name="login form").text
        token = CSRF.search(page).group(1)
        r = self.client.post(
            "/konto/login/",
            {"login": "socjalny", "password": "demo", "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + "/konto/login/"},
            name="login",
        )
        assert "/konto/login/" not in r.url, "login failed"
        desk = self.client.get("/sprawy/", name="desk").text
        self.cases = CASE.findall(desk) or ["1"]
        self.persons = []

    @task(4)
    def desk(self) -> None:
        self.client.get("/sprawy/", name="desk")

    @task(4)
    def case_file(self) -> None:
        r = self.client.get(f"/sprawy/{random.choice(self.cases)}/", name="case file")
        self.persons = PERSON.findall(r.text) or self.persons

    @task(2)
    def search(self) -> None:
        page = self.client.get("/klienci/", name="search form").text
        token = CSRF.search(page).group(1)
        self.client.post(
            "/klienci/",
            {"q": random.choice(SURNAMES), "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + "/klienci/"},
            name="search",
        )

    @task(2)
    def person(self) -> None:
        if self.persons:
            self.client.get(f"/klienci/{random.choice(self.persons)}/", name="person")
