"""Pages and API of the decision desk: permissions, scope, the frozen signed decision (409/403),
PDF download, register export."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from ostoja.core import dates
from ostoja.core.dates import today
from ostoja.decisions import services
from ostoja.decisions.models import Decision

NRB = "61109010140000071219812874"
pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_decision(ready_application, users):
    app = ready_application("zasilek_staly")
    d = services.decision_draft_from_application(
        application=app, actor=users["socjalny"], account_number=NRB
    )
    services.decision_check(now=dates.now(), decision=d, actor=users["kierownik"])
    return services.decision_sign(now=dates.now(), decision=d, actor=users["kierownik"], on=today())


def test_register_lists_and_filters(
    signed_decision, users, client_for, django_assert_max_num_queries
):
    c = client_for(users["socjalny"])
    with django_assert_max_num_queries(25):
        r = c.get(reverse("decisions:register"))
    assert r.status_code == 200 and signed_decision.number in r.content.decode()
    r = c.get(reverse("decisions:register"), {"kind": "odmowa"})
    assert signed_decision.number not in r.content.decode()


def test_register_out_of_scope_and_roles(signed_decision, make_staff, client_for, users):
    from ostoja.org.roles import Role

    other = make_staff("ro2worker", role=Role.SOCIAL_WORKER, unit_code="ro2")
    c = client_for(other)
    assert signed_decision.number not in c.get(reverse("decisions:register")).content.decode()
    assert c.get(reverse("decisions:detail", args=[signed_decision.pk])).status_code == 404
    assert c.get(reverse("decisions:pdf", args=[signed_decision.pk])).status_code == 404
    # finance has no access to the desk at all
    assert client_for(users["ksiegowosc"]).get(reverse("decisions:register")).status_code == 403


def test_detail_and_pdf_download(signed_decision, users, client_for, django_assert_max_num_queries):
    c = client_for(users["socjalny"])
    with django_assert_max_num_queries(45):
        r = c.get(reverse("decisions:detail", args=[signed_decision.pk]))
    assert r.status_code == 200
    r = c.get(reverse("decisions:pdf", args=[signed_decision.pk]) + "?pobierz=1")
    assert r["Content-Type"] == "application/pdf" and "attachment" in r["Content-Disposition"]
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    assert signed_decision.number in text


def test_signed_decision_cannot_be_edited_through_ui(signed_decision, users, client_for):
    c = client_for(users["socjalny"])
    url = reverse("decisions:edit", args=[signed_decision.pk])
    assert c.get(url).status_code == 409
    r = c.post(url, {"version": signed_decision.version, "justification": "zmiana"})
    assert r.status_code == 409
    assert Decision.objects.get(pk=signed_decision.pk).justification != "zmiana"
    # workflow button posted again → refused with a message, nothing changes
    r = c.post(reverse("decisions:transition", args=[signed_decision.pk, "podpisz"]))
    assert r.status_code == 403  # socjalny has no authorisation → no decisions.sign


def test_transitions_are_posts_and_permission_checked(ready_application, users, client_for):
    app = ready_application("zasilek_staly")
    c = client_for(users["socjalny"])
    calc = app.calculations.get()
    r = c.post(
        reverse("decisions:draft_from_application", args=[app.pk]),
        {"account_number": NRB, "calculations": [calc.pk]},
    )
    d = Decision.objects.get(application=app)
    assert r.status_code == 302
    assert c.get(reverse("decisions:transition", args=[d.pk, "sprawdz"])).status_code == 405
    # the drafter lacks decisions.check
    assert c.post(reverse("decisions:transition", args=[d.pk, "sprawdz"])).status_code == 403
    k = client_for(users["kierownik"])
    assert k.post(reverse("decisions:transition", args=[d.pk, "sprawdz"])).status_code == 302
    assert k.post(reverse("decisions:transition", args=[d.pk, "podpisz"])).status_code == 302
    assert Decision.objects.get(pk=d.pk).status == "podpisana"


def test_export_csv_and_xlsx(signed_decision, users, client_for):
    c = client_for(users["socjalny"])
    r = c.get(reverse("decisions:export", args=["csv"]))
    assert signed_decision.number in r.content.decode("utf-8-sig")
    r = c.get(reverse("decisions:export", args=["xlsx"]))
    z = zipfile.ZipFile(io.BytesIO(r.content))
    assert signed_decision.number in z.read("xl/worksheets/sheet1.xml").decode()


def test_batch_print_of_the_day(signed_decision, users, client_for):
    r = client_for(users["kierownik"]).get(
        reverse("decisions:batch_print"), {"dzien": today().isoformat()}
    )
    assert r["Content-Type"] == "application/pdf"
    assert signed_decision.number in PdfReader(io.BytesIO(r.content)).pages[0].extract_text()


# ------------------------------------------------------------------ API


def test_api_draft_actions_pdf_and_409_after_signing(ready_application, users, client_for):
    app = ready_application("zasilek_staly")
    s = client_for(users["socjalny"])
    r = s.post(
        "/api/v1/decisions",
        json.dumps({"application_id": app.pk, "from_calculation": True, "account_number": NRB}),
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    d = r.json()
    assert (
        d["status"] == "projekt"
        and "art. 37 ust. 1 pkt 1, ust. 2–3 i ust. 5 u.p.s." in d["legal_basis"]
    )
    pk = d["id"]
    assert (
        s.post(f"/api/v1/decisions/{pk}/check", "{}", content_type="application/json").status_code
        == 403
    )
    k = client_for(users["kierownik"])
    assert (
        k.post(f"/api/v1/decisions/{pk}/check", "{}", content_type="application/json").status_code
        == 200
    )
    r = k.post(f"/api/v1/decisions/{pk}/sign", "{}", content_type="application/json")
    assert r.status_code == 200 and r.json()["sha256"]
    assert r.json()["signature_method"] == "odreczny"  # paper original by default
    version = r.json()["version"]
    r = s.patch(
        f"/api/v1/decisions/{pk}",
        json.dumps({"version": version, "justification": "zmiana"}),
        content_type="application/json",
    )
    assert r.status_code == 409
    assert s.delete(f"/api/v1/decisions/{pk}").status_code == 409
    r = s.get(f"/api/v1/decisions/{pk}/pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    assert s.get("/api/v1/decisions", {"status": "podpisana"}).json()[0]["id"] == pk


def test_api_sign_refused_for_revoked_authorisation(ready_application, users, client_for):
    app = ready_application("zasilek_staly")
    d = services.decision_draft_from_application(
        application=app, actor=users["socjalny"], account_number=NRB
    )
    services.decision_check(now=dates.now(), decision=d, actor=users["kierownik"])
    c = client_for(users["swiadczenia"])
    r = c.post(f"/api/v1/decisions/{d.pk}/sign", "{}", content_type="application/json")
    assert r.status_code == 403


def test_api_deliver_computes_deadlines(signed_decision, users, client_for):
    c = client_for(users["socjalny"])
    on = today()
    r = c.post(
        f"/api/v1/decisions/{signed_decision.pk}/deliver",
        json.dumps({"channel": "osobiscie", "delivered_on": on.isoformat()}),
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    assert date.fromisoformat(r.json()["appeal_deadline"]) > on
