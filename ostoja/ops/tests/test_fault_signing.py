"""Faults (issue 21 §3): the database connection is lost in the middle of signing a decision.

Signing (``decisions.services.signing.decision_sign``) writes in one transaction: the status,
signer and number, then the PDF (``DecisionDocument``), the closing of the application and the
timeline entry. The connection is lost at two points — after the decision row was saved (while
the PDF is being rendered) and after the PDF row was written (at the timeline entry) — by
raising ``OperationalError`` (both databases) and, on PostgreSQL, by really killing this
connection's backend. Nothing may be half-saved (no signed state without its PDF, no PDF without
the signed record, no number used up), the user gets the Polish 503 message and may repeat;
repeating signs exactly once, and a third click signs nothing more.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from ostoja.ops.middleware import MESSAGE

pytestmark = pytest.mark.django_db(transaction=True)

NRB = "61109010140000071219812874"


def _kill_this_backend() -> None:
    import psycopg

    pid = connection.connection.info.backend_pid
    s = connection.settings_dict
    with psycopg.connect(
        host=s["HOST"] or "localhost", port=s["PORT"] or 5432, user=s["USER"],
        password=s["PASSWORD"] or None, dbname=s["NAME"], autocommit=True,
    ) as other:  # fmt: skip
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def _checked(users: dict[str, Any]) -> Any:
    from ostoja.core import dates
    from ostoja.decisions import services
    from ostoja.decisions.tests.factories import make_ready_application

    app = make_ready_application("zasilek_staly")
    d = services.decision_draft_from_application(
        application=app, actor=users["socjalny"], account_number=NRB
    )
    services.decision_check(now=dates.now(), decision=d, actor=users["kierownik"])
    return d


@pytest.mark.parametrize("where", ["render_pdf", "timeline"])
@pytest.mark.parametrize("how", ["raise", "kill"])
def test_connection_lost_mid_signing_nothing_half_saved_repeat_signs_once(
    demo_org: None, client_for: Any, monkeypatch: pytest.MonkeyPatch, where: str, how: str
) -> None:
    if how == "kill" and connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (CI's second pass)")
    from django.contrib.auth import get_user_model

    from ostoja.cases.models import Application, TimelineEvent
    from ostoja.decisions import documents
    from ostoja.decisions.models import Decision, DecisionDocument, DecisionStatus
    from ostoja.decisions.services import signing as signing_service

    users = {u.username: u for u in get_user_model().objects.all()}
    decision = _checked(users)
    url = reverse("decisions:transition", args=[decision.pk, "podpisz"])
    timeline_before = TimelineEvent.objects.count()
    fired: list[str] = []

    def lose_connection() -> None:
        fired.append(where)
        if how == "kill":
            _kill_this_backend()
            connection.cursor().execute("SELECT 1")  # the next statement meets the dead link
        raise OperationalError("server closed the connection unexpectedly")

    if where == "render_pdf":
        real_render = documents.render_pdf

        def render_pdf(html: str) -> bytes:
            real_render(html)
            lose_connection()
            raise AssertionError("unreachable")

        monkeypatch.setattr(documents, "render_pdf", render_pdf)
    else:

        def timeline(*args: Any, **kwargs: Any) -> None:
            assert DecisionDocument.objects.filter(decision_id=decision.pk).exists()
            lose_connection()

        monkeypatch.setattr(signing_service, "_timeline", timeline)

    signer = client_for(users["kierownik"])
    response = signer.post(url, {"signature_method": "odreczny"})
    assert fired == [where], "the fault was never injected: the test proves nothing"
    # A clear Polish message; the user may repeat.
    assert response.status_code == 503
    assert "Brak połączenia z bazą danych" in response.text and MESSAGE in response.text
    connection.close()  # what the next request does: a fresh connection
    monkeypatch.undo()

    # Nothing half-saved: not signed, no number, no PDF, application open, no timeline entry.
    after = Decision.objects.get(pk=decision.pk)
    assert after.status == DecisionStatus.CHECKED
    assert not after.number and after.signed_at is None and after.signer_id is None
    assert not DecisionDocument.objects.filter(decision_id=decision.pk).exists()
    assert Application.objects.get(pk=decision.application_id).closed_on is None
    assert TimelineEvent.objects.count() == timeline_before

    # Repeating signs exactly once.
    again = client_for(users["kierownik"])
    assert again.post(url, {"signature_method": "odreczny"}).status_code == 302
    signed = Decision.objects.get(pk=decision.pk)
    assert signed.status == DecisionStatus.SIGNED and signed.number
    assert DecisionDocument.objects.filter(decision_id=decision.pk).count() == 1
    # A third click (the impatient user) signs nothing more and keeps the number.
    again.post(url, {"signature_method": "odreczny"})
    third = Decision.objects.get(pk=decision.pk)
    assert third.number == signed.number and third.signed_at == signed.signed_at
    assert DecisionDocument.objects.filter(decision_id=decision.pk).count() == 1
