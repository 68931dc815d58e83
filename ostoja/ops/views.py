"""The health endpoint for monitoring (no personal data, no login: figures only) and the
files prepared in the background („Moje pliki do pobrania”, ``ostoja.ops.files``)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ostoja.audit.services import client_ip, refuse_access
from ostoja.core.access import login_only, public
from ostoja.core.dates import now
from ostoja.core.errors import DomainError, page_status
from ostoja.core.forms import attach_errors
from ostoja.ops import files
from ostoja.ops.forms import FileRequestForm
from ostoja.ops.health import health_report


@public
def health(request: HttpRequest) -> HttpResponse:
    report = health_report(now=now())
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)


def _my_files_page(
    request: HttpRequest, *, refusal: dict[str, object] | None = None, status: int = 200
) -> HttpResponse:
    rows = files.my_generated_files(user=request.user, now=now())
    pending = any(r.status in ("w_kolejce", "w_toku") for r in rows)
    context = {"rows": rows, "pending": pending, "refusal": refusal}
    return render(request, "ops/my_files.html", context, status=status)


@login_only
def my_files(request: HttpRequest) -> HttpResponse:
    """Moje pliki do pobrania: the person's own jobs and their state (refreshed by the page)."""
    return _my_files_page(request)


@require_POST
@login_only
def file_request(request: HttpRequest) -> HttpResponse:
    """Queue a file (the kind's role is checked by the service); the answer comes at once."""
    form = FileRequestForm(request.POST)
    if form.is_valid():
        try:
            row, created = files.generated_file_request(
                user=request.user,
                kind=form.cleaned_data["kind"],
                params=form.cleaned_data,
                now=now(),
            )
        except DomainError as exc:
            attach_errors(form, exc)
            status = page_status(exc)
        else:
            label = files.file_label(row)
            if created:
                messages.success(
                    request,
                    f"Zlecono przygotowanie pliku „{label}”. Plik pojawi się na tej liście, "
                    "gdy będzie gotowy — możesz w tym czasie pracować dalej.",
                )
            else:
                messages.info(
                    request,
                    f"Plik „{label}” jest już w przygotowaniu (zlecony "
                    f"{row.created_at:%H:%M}) — nie zlecono go drugi raz.",
                )
            return redirect("ops:my_files")
    else:
        status = 422
    return render(request, "ops/file_request.html", {"form": form}, status=status)


@login_only
def file_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The file, to its requester only, after a fresh check of their role and scope; every
    download is recorded (who, when, which file and its hash). Anyone else: 404."""
    try:
        row = files.generated_file_for_download(user=request.user, pk=pk, now=now())
    except files.FileNotVisible as exc:
        if exc.row is None:
            raise Http404 from None
        refuse_access(request, exc.row, reason="pobranie cudzego pliku lub poza zakresem")
    except files.FileGone as exc:
        # The list again, the reason at the file's row and in the summary on top (issue 17):
        # 410 Gone for an expired file, 409 for one still being prepared. Nothing is recorded.
        refusal = {
            "pk": exc.row.pk,
            "target": f"plik-{exc.row.pk}",
            "label": files.file_label(exc.row),
            "message": exc.message,
        }
        return _my_files_page(request, refusal=refusal, status=410 if exc.expired else 409)
    files.generated_file_download_record(user=request.user, row=row, ip=client_ip(request))
    response = HttpResponse(bytes(row.data or b""), content_type=row.content_type)
    response["Content-Disposition"] = f'attachment; filename="{row.filename}"'
    response["X-Content-SHA256"] = row.sha256
    return response
