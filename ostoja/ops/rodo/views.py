"""The DPO's pages of the data subject's rights (issue 21 §4): the register of processing
activities, the rectification trail, restriction of processing and anonymisation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ostoja.audit.services import access_record, client_ip
from ostoja.core import dates
from ostoja.core.access import require_perm
from ostoja.core.errors import DomainError, page_status
from ostoja.core.forms import attach_errors, refusal_form, refusal_status
from ostoja.ops.forms import ReasonForm
from ostoja.ops.models import Anonymisation, ProcessingRestriction
from ostoja.ops.rodo import rights
from ostoja.ops.rodo.maps import processing_register

REGISTER_COLUMNS = [
    ("activity", "Czynność przetwarzania"),
    ("purpose", "Cel"),
    ("legal_basis", "Podstawa prawna"),
    ("data_subjects", "Kategorie osób"),
    ("data_categories", "Kategorie danych"),
    ("recipients", "Odbiorcy"),
    ("retention", "Okres przechowywania"),
    ("safeguards", "Środki bezpieczeństwa"),
]


@require_perm("ops.manage_data_rights")
def register(request: HttpRequest) -> HttpResponse:
    """Rejestr czynności przetwarzania (art. 30 RODO), kept as data (``rodo/register.csv``)."""
    rows = [[row.get(key, "") for key, _ in REGISTER_COLUMNS] for row in processing_register()]
    return render(
        request,
        "ops/register.html",
        {
            "columns": [label for _, label in REGISTER_COLUMNS],
            "rows": rows,
            "restrictions": ProcessingRestriction.objects.filter(lifted_at__isnull=True)[:200],
            "pending": Anonymisation.objects.filter(status="oczekuje")[:200],
        },
    )


@require_perm("ops.manage_data_rights")
def rectifications(request: HttpRequest) -> HttpResponse:
    """Who changed which personal field of a person, and when (art. 16 RODO)."""
    raw = str(request.GET.get("osoba", "")).strip()
    person_id = int(raw) if raw.isdigit() else None
    return render(
        request,
        "ops/rectifications.html",
        {"rows": rights.rectification_trail(person_id=person_id), "person_id": person_id},
    )


@require_perm("ops.manage_data_rights")
def person_rights(request: HttpRequest, person_id: int) -> HttpResponse:
    """One person: restriction of processing (set or lift) and the anonymisation request."""
    from ostoja.registry.models import Person

    person = get_object_or_404(Person, pk=person_id)
    restriction = rights.active_restriction(person.pk)
    action = str(request.POST.get("action", ""))
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "GET":
        access_record(user=request.user, obj=person, remote_addr=client_ip(request))
    status = 422 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        now = dates.now()
        try:
            if action == "ogranicz":
                rights.restriction_start(
                    person_id=person.pk, reason=reason, actor=request.user, now=now
                )
                messages.success(request, "Ograniczono przetwarzanie danych osoby.")
            elif action == "znies":
                rights.restriction_lift(
                    person_id=person.pk, reason=reason, actor=request.user, now=now
                )
                messages.success(request, "Zniesiono ograniczenie przetwarzania.")
            elif action == "anonimizuj":
                rights.anonymisation_request(
                    person_id=person.pk,
                    reason=reason,
                    actor=request.user,
                    now=now,
                    on=dates.today(),
                )
                messages.success(
                    request, "Złożono wniosek o anonimizację — potwierdza go druga osoba."
                )
            else:
                raise DomainError("Nieznane działanie.")
        except DomainError as exc:
            # Issue 17: the page again with the reason at the field or in the summary — 422
            # at the reason, 409 in the person's present state (already restricted, …).
            attach_errors(form, exc)
            status = refusal_status(form, exc)
        else:
            return redirect("ops:person_rights", person_id=person.pk)
    return render(
        request,
        "ops/person_rights.html",
        {
            "person": person,
            "restriction": restriction,
            "history": ProcessingRestriction.objects.filter(person_id=person.pk),
            "requests": Anonymisation.objects.filter(person_id=person.pk),
            "form": form,
        },
        status=status,
    )


@require_perm("ops.confirm_anonymisation")
def anonymisations(request: HttpRequest) -> HttpResponse:
    return _anonymisations_page(request)


def _anonymisations_page(
    request: HttpRequest, *, refusal: Any = None, status: int = 200
) -> HttpResponse:
    """The requests; ``refusal`` (a :func:`refusal_form`) in the summary on top (issue 17)."""
    return render(
        request,
        "ops/anonymisations.html",
        {
            "rows": Anonymisation.objects.select_related("requested_by", "decided_by")[:200],
            "refusal": refusal,
        },
        status=status,
    )


@require_POST
@require_perm("ops.confirm_anonymisation")
def anonymisation_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_object_or_404(Anonymisation, pk=pk)
    try:
        rights.anonymisation_confirm(
            request_id=req.pk, actor=request.user, now=dates.now(), on=dates.today()
        )
    except DomainError as exc:
        return _anonymisations_page(
            request, refusal=refusal_form(exc.message), status=page_status(exc)
        )
    else:
        messages.success(request, f"Zanonimizowano dane osoby nr {req.person_id}.")
    return redirect("ops:anonymisations")


@require_POST
@require_perm("ops.confirm_anonymisation")
def anonymisation_reject(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_object_or_404(Anonymisation, pk=pk)
    try:
        rights.anonymisation_reject(request_id=req.pk, actor=request.user, now=dates.now())
    except DomainError as exc:
        return _anonymisations_page(
            request, refusal=refusal_form(exc.message), status=page_status(exc)
        )
    else:
        messages.success(request, "Odrzucono wniosek o anonimizację.")
    return redirect("ops:anonymisations")
