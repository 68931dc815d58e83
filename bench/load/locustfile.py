"""Load: staff sessions doing the daily mix through the production server (issue 21 §3).

Each simulated user logs in once (a demo social worker account), then repeats the issue's daily
mix: the desk, a case file, a client search (POSTed, as the page does), a person's page, a note
in the case's social-work chronology (a write), an interview part autosaved as htmx does (a write
with the optimistic version — two users on one draft get the Polish "changed meanwhile" answer,
status 200, as staff would). One user in ten is a benefits clerk drafting decisions: opens the
case file of an application ready for a decision and drafts the decision from its calculation
(``run.sh`` prepares the applications); two clerks on the same application — the second is refused
(422, the Polish reason), which is the right answer, not an error. Run by ``bench/load/run.sh`` —
never by pytest.
"""

from __future__ import annotations

import random
import re
from datetime import date

from locust import HttpUser, between, task

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CASE = re.compile(r'href="/sprawy/(\d+)/"')
PERSON = re.compile(r'href="/klienci/(\d+)/"')
DRAFT = re.compile(r'href="/sprawy/wywiady/(\d+)/">Kontynuuj')
SECTION = re.compile(r'hx-post="(/sprawy/wywiady/\d+/czesc/[\w-]+/)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
TEXTAREA = re.compile(r'<textarea name="([\w-]+)"')
CATEGORY = re.compile(r'<select name="category"[^>]*>\s*<option value="([^"]+)"')
DRAFT_FORM = re.compile(r'action="(/decyzje/projekt/wniosek/\d+/)"')
CALCULATION = re.compile(r'name="calculations" value="(\d+)" id="calc-\d+"(?! disabled)')
SURNAMES = ["Nowak", "Kowalsk", "Wiśniewsk", "Zieliń", "Wójcik", "Kamińsk", "Lewandowsk"]


class Staff(HttpUser):
    weight = 9
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
        self.interview = self._draft_interview()

    def _post(
        self, url: str, data: dict[str, str], name: str, page: str, htmx: bool = False, **kw: object
    ) -> object:
        data = {**data, "csrfmiddlewaretoken": CSRF.search(page).group(1)}
        headers = {"Referer": self.host + url} | ({"HX-Request": "true"} if htmx else {})
        return self.client.post(url, data, headers=headers, name=name, **kw)

    def _draft_interview(self) -> str:
        """A draft interview of one of the worker's cases: continued if there is one, else
        started (an update of the last one) — what the autosave task writes into."""
        for case in self.cases[:5]:
            page = self.client.get(f"/sprawy/{case}/", name="case file").text
            found = DRAFT.search(page)
            if found:
                return found.group(1)
        case = self.cases[0]
        page = self.client.get(f"/sprawy/{case}/", name="case file").text
        r = self._post(
            f"/sprawy/{case}/wywiad/", {"wywiad-application": ""}, "interview start", page
        )
        return r.url.rstrip("/").rsplit("/", 1)[-1] if "/wywiady/" in r.url else ""

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

    @task(2)
    def note(self) -> None:
        case = random.choice(self.cases)
        page = self.client.get(f"/praca-socjalna/sprawy/{case}/", name="social work").text
        category = CATEGORY.search(page)
        self._post(
            f"/praca-socjalna/sprawy/{case}/notatki/dodaj/",
            {
                "category": category.group(1) if category else "",
                "occurred_on": date.today().isoformat(),
                "text": "Rozmowa telefoniczna z klientem — ustalono termin wizyty (obciążenie).",
            },
            "note",
            page,
        )

    @task(3)
    def interview_autosave(self) -> None:
        if not self.interview:
            return
        page = self.client.get(f"/sprawy/wywiady/{self.interview}/", name="interview").text
        section, version, field = SECTION.search(page), VERSION.search(page), TEXTAREA.search(page)
        if not (section and version):
            return  # completed meanwhile by another user of the same account
        data = {"version": version.group(1)}
        if field:
            data[field.group(1)] = f"Autozapis {random.randint(1, 10**6)}"
        with self._post(
            section.group(1), data, "interview autosave", page, htmx=True,
            catch_response=True, allow_redirects=False,
        ) as r:  # fmt: skip
            if r.status_code == 200:  # saved, or "zmieniono w międzyczasie" — both answers
                r.success()


class Clerk(HttpUser):
    """A benefits clerk (specjalista ds. świadczeń) drafting decisions from calculations."""

    weight = 1
    wait_time = between(1, 3)
    cases: list[str]

    def on_start(self) -> None:
        page = self.client.get("/konto/login/", name="login form").text
        self.client.post(
            "/konto/login/",
            {"login": "swiadczenia", "password": "demo",
             "csrfmiddlewaretoken": CSRF.search(page).group(1)},
            headers={"Referer": self.host + "/konto/login/"},
            name="login",
        )  # fmt: skip
        ready = self.client.get(
            "/sprawy/wnioski/?status=gotowy_do_decyzji", name="applications list"
        ).text
        self.cases = CASE.findall(ready)
        random.shuffle(self.cases)

    @task
    def decision_draft(self) -> None:
        if not self.cases:
            return
        case = self.cases.pop()
        page = self.client.get(f"/sprawy/{case}/", name="case file (clerk)").text
        form, calculation = DRAFT_FORM.search(page), CALCULATION.search(page)
        if not (form and calculation):
            return  # drafted meanwhile by another clerk
        data = {
            "calculations": calculation.group(1), "separate": "", "payment_method": "",
            "next": f"/sprawy/{case}/", "csrfmiddlewaretoken": CSRF.search(page).group(1),
        }  # fmt: skip
        with self.client.post(
            form.group(1), data, headers={"Referer": self.host + f"/sprawy/{case}/"},
            name="decision draft", catch_response=True, allow_redirects=False,
        ) as r:  # fmt: skip
            refused_as_drafted = r.status_code == 422 and "ma już projekt decyzji" in r.text
            if r.status_code == 302 or refused_as_drafted:
                r.success()  # drafted, or refused because another clerk drafted it first
