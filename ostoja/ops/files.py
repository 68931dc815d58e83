"""Pliki przygotowywane w tle (issue 21 §1): long jobs whose result is a file.

A person asks for a file (``generated_file_request``: one row, one queued task — a repeated click
while the job waits returns the same job); the worker builds it (``generated_file_task`` →
``generated_file_start`` / ``generated_file_build`` / ``generated_file_finish``); the person finds
it on „Moje pliki do pobrania” and downloads it. The download re-checks the requester's role and
scope *at download time* (``generated_file_for_download``: a person who lost the role, or whose
decisions moved to another unit, gets 404 like anyone else) and is recorded in the audit trail
(``generated_file_download_record``).

Each kind of file is one :class:`FileKind`: how its parameters are read, who may ask for it and
download it, how it is built. Kinds live here because ``ops`` sits above the contexts it calls
(analysis, decisions) — see the layers contract in ``pyproject.toml``.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from ostoja.core.errors import DomainError, NotPermitted, ValidationFailed
from ostoja.ops.models import ACTIVE_FILE_STATUSES, GeneratedFile, GeneratedFileStatus

logger = logging.getLogger(__name__)

# A queued job this old never ran (the worker was down): a new request replaces it.
STALE_AFTER = timedelta(hours=1)
INTERNAL_ERROR = (
    "Nie udało się przygotować pliku z powodu błędu systemu (zapisano go w dzienniku "
    "technicznym). Zleć plik ponownie; jeśli błąd się powtórzy, zgłoś go administratorowi."
)
STALE_ERROR = (
    "Zadanie nie zakończyło się w ciągu godziny (proces zadań w tle nie działał albo został "
    "przerwany) — zlecono je ponownie."
)


@dataclass(frozen=True)
class Output:
    data: bytes
    filename: str
    content_type: str
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class FileKind:
    code: str
    perm: str
    clean: Callable[[Mapping[str, Any]], dict[str, str]]
    label: Callable[[Mapping[str, Any]], str]
    # (requester, parameters, the moment the worker started the job) → the file
    build: Callable[[Any, Mapping[str, Any], datetime], Output]
    # The scope check when asked for, beyond the role (default: the role is enough).
    may_request: Callable[[Any, Mapping[str, Any]], bool] = lambda user, params: True
    # The scope check at download time beyond the role (default: the role is enough).
    still_in_scope: Callable[[Any, GeneratedFile], bool] = lambda user, row: True
    # Extra audit of the download (e.g. a bulk read of the decisions inside).
    audit: Callable[[Any, GeneratedFile, str | None], None] = lambda user, row, ip: None
    refused: str = "Nie masz uprawnień do przygotowania tego pliku."


# ------------------------------------------------------------------ MRPiPS-03 export

MRPIPS03_FORMATS = {"xlsx": "XLSX", "pdf": "PDF", "cas": "plik do CAS (XML)"}


def _mrpips03_clean(params: Mapping[str, Any]) -> dict[str, str]:
    from ostoja.analysis.periods import parse_period

    period = parse_period(params.get("okres", ""), field="okres")
    fmt = str(params.get("format", ""))
    if fmt not in MRPIPS03_FORMATS:
        raise ValidationFailed(
            {"format": [f"Wybierz format pliku: {', '.join(MRPIPS03_FORMATS.values())}."]}
        )
    return {"okres": period.code, "format": fmt}


def _mrpips03_label(params: Mapping[str, Any]) -> str:
    fmt = MRPIPS03_FORMATS.get(str(params.get("format")), str(params.get("format")))
    return f"Sprawozdanie MRPiPS-03 — okres {params.get('okres')} ({fmt})"


def _mrpips03_build(user: Any, params: Mapping[str, Any], now: datetime) -> Output:
    from ostoja.analysis import exports, selectors
    from ostoja.analysis.periods import parse_period
    from ostoja.org.selectors import instance_settings

    period = parse_period(params["okres"], field="okres")
    fmt = params["format"]
    report = selectors.mrpips03_report(period=period)
    centre = instance_settings()
    data = exports.export(report, fmt, regon=centre.regon, centre=centre.name)
    return Output(
        data=data,
        filename=f"MRPiPS-03_{period.code}.{exports.EXTENSIONS[fmt]}",
        content_type=exports.CONTENT_TYPES[fmt],
    )


# ------------------------------------------------------------------ decisions signed on a day


def _day_clean(params: Mapping[str, Any]) -> dict[str, str]:
    raw = str(params.get("dzien", "")).strip()
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise ValidationFailed(
            {"dzien": [f"Nieprawidłowa data „{raw}” — podaj dzień jako RRRR-MM-DD."]}
        ) from None
    return {"dzien": day.isoformat()}


def _day_label(params: Mapping[str, Any]) -> str:
    return f"Decyzje podpisane dnia {params.get('dzien')} — wydruk zbiorczy (PDF)"


def _day_build(user: Any, params: Mapping[str, Any], now: datetime) -> Output:
    from ostoja.decisions import selectors, services

    day = date.fromisoformat(params["dzien"])
    decisions = selectors.signed_on_day(user=user, on=day)
    if not decisions:
        raise DomainError(f"Brak podpisanych decyzji z dnia {day.isoformat()}.", field="dzien")
    return Output(
        data=services.batch_pdf(decisions=decisions),
        filename=f"decyzje-{day.isoformat()}.pdf",
        content_type="application/pdf",
        meta={"decision_ids": sorted(d.pk for d in decisions)},
    )


def _day_in_scope(user: Any, row: GeneratedFile) -> bool:
    """Every decision in the file is still visible to the requester (a transfer of the case
    files to another unit, or a new assignment, takes the file away with them)."""
    from ostoja.decisions import selectors

    ids = set(row.meta.get("decision_ids") or [])
    visible = selectors.decisions_visible(user=user).filter(pk__in=ids).count()
    return visible == len(ids)


def _day_audit(user: Any, row: GeneratedFile, ip: str | None) -> None:
    from ostoja.audit.bulk import bulk_read_record
    from ostoja.decisions.models import Decision

    bulk_read_record(
        user=user,
        model=Decision,
        what="druk dnia (decyzje podpisane), plik przygotowany w tle",
        rows=len(row.meta.get("decision_ids") or []),
        filters={"day": row.params.get("dzien"), "file": row.pk},
        remote_addr=ip,
    )


# ------------------------------------------------------------------ a person's data (art. 15 RODO)

RODO_FORMATS = {"pdf": "PDF do odczytu", "json": "plik maszynowy JSON"}


def _id_param(params: Mapping[str, Any], name: str, what: str) -> str:
    raw = str(params.get(name, "")).strip()
    if not raw.isdigit() or int(raw) < 1:
        raise ValidationFailed({name: [f"Podaj numer {what} (liczba)."]})
    return str(int(raw))


def _rodo_clean(params: Mapping[str, Any]) -> dict[str, str]:
    person = _id_param(params, "osoba", "osoby")
    fmt = str(params.get("format", ""))
    if fmt not in RODO_FORMATS:
        raise ValidationFailed(
            {"format": [f"Wybierz format pliku: {', '.join(RODO_FORMATS.values())}."]}
        )
    return {"osoba": person, "format": fmt}


def _rodo_label(params: Mapping[str, Any]) -> str:
    fmt = RODO_FORMATS.get(str(params.get("format")), str(params.get("format")))
    return f"Dane osoby nr {params.get('osoba')} — art. 15 RODO ({fmt})"


def _rodo_build(user: Any, params: Mapping[str, Any], now: datetime) -> Output:
    from ostoja.ops.rodo.export import export_json, export_pdf, person_data_export
    from ostoja.registry.models import Person
    from ostoja.registry.selectors import person_get

    try:
        person = person_get(pk=int(params["osoba"]))
    except Person.DoesNotExist:
        raise DomainError(f"Nie ma osoby o numerze {params['osoba']}.", field="osoba") from None
    data = person_data_export(person=person, now=now)
    fmt = params["format"]
    return Output(
        data=export_pdf(data) if fmt == "pdf" else export_json(data),
        filename=f"dane-osoby-{person.pk}-art15.{fmt}",
        content_type="application/pdf" if fmt == "pdf" else "application/json",
        meta={"person_id": person.pk},
    )


def _rodo_in_scope(user: Any, row: GeneratedFile) -> bool:
    """The person was not anonymised after the file was built (the file would hand out the
    identifiers the anonymisation erased)."""
    from ostoja.ops.models import Anonymisation, AnonymisationStatus

    built = row.started_at or row.created_at
    return not Anonymisation.objects.filter(
        person_id=int(row.params.get("osoba", 0)),
        status=AnonymisationStatus.DONE,
        decided_at__gte=built,
    ).exists()


def _rodo_audit(user: Any, row: GeneratedFile, ip: str | None) -> None:
    """The download is a read of the person's data: an access entry on the person."""
    from ostoja.audit.services import access_record
    from ostoja.registry.models import Person

    person = Person.objects.filter(pk=int(row.params.get("osoba", 0))).first()
    if person is not None:
        access_record(
            user=user,
            obj=person,
            remote_addr=ip,
            reason="eksport danych osoby (art. 15 RODO), plik przygotowany w tle",
            extra={"file": row.pk, "format": row.params.get("format"), "sha256": row.sha256},
        )


# ------------------------------------------------------------------ payment list printout


def _list_clean(params: Mapping[str, Any]) -> dict[str, str]:
    return {"lista": _id_param(params, "lista", "listy wypłat")}


def _list_label(params: Mapping[str, Any]) -> str:
    return f"Lista wypłat nr {params.get('lista')} — wydruk (PDF)"


def _list_build(user: Any, params: Mapping[str, Any], now: datetime) -> Output:
    from ostoja.payments.printout import payment_list_pdf

    out = payment_list_pdf(user=user, list_id=int(params["lista"]), now=now)
    return Output(
        data=out.data,
        filename=out.filename,
        content_type="application/pdf",
        meta={"list_id": out.list_id, "rows": out.rows},
    )


def _list_scope(user: Any, *_: Any) -> bool:
    """A list mixes districts: only whoever sees every district takes it (as on its page)."""
    from ostoja.payments.selectors import sees_lists

    return sees_lists(user=user)


def _list_audit(user: Any, row: GeneratedFile, ip: str | None) -> None:
    """As the print page: an access entry on the list (its payments are personal data)."""
    from ostoja.audit.services import access_record
    from ostoja.payments.models import PaymentList

    pl = PaymentList.objects.filter(pk=int(row.params.get("lista", 0))).first()
    if pl is not None:
        access_record(
            user=user,
            obj=pl,
            remote_addr=ip,
            reason="wydruk listy (plik przygotowany w tle)",
            extra={"file": row.pk, "rows": row.meta.get("rows"), "sha256": row.sha256},
        )


KINDS: dict[str, FileKind] = {
    "mrpips03": FileKind(
        code="mrpips03",
        perm="analysis.view_reports",
        clean=_mrpips03_clean,
        label=_mrpips03_label,
        build=_mrpips03_build,
        refused="Sprawozdanie MRPiPS-03 przygotowują osoby z dostępem do sprawozdań.",
    ),
    "decyzje_dnia": FileKind(
        code="decyzje_dnia",
        perm="decisions.view_decision",
        clean=_day_clean,
        label=_day_label,
        build=_day_build,
        still_in_scope=_day_in_scope,
        audit=_day_audit,
        refused="Wydruk decyzji przygotowują osoby z dostępem do decyzji.",
    ),
    "rodo_eksport": FileKind(
        code="rodo_eksport",
        perm="ops.manage_data_rights",
        clean=_rodo_clean,
        label=_rodo_label,
        build=_rodo_build,
        still_in_scope=_rodo_in_scope,
        audit=_rodo_audit,
        refused="Eksport danych osoby (art. 15 RODO) przygotowuje inspektor ochrony danych.",
    ),
    "lista_wyplat": FileKind(
        code="lista_wyplat",
        perm="payments.view_payments",
        clean=_list_clean,
        label=_list_label,
        build=_list_build,
        may_request=_list_scope,
        still_in_scope=_list_scope,
        audit=_list_audit,
        refused="Listę wypłat drukują osoby z dostępem do wypłat, które widzą wszystkie rejony.",
    ),
}


def kind_of(code: str) -> FileKind:
    try:
        return KINDS[code]
    except KeyError:
        raise ValidationFailed({"kind": [f"Nieznany rodzaj pliku „{code}”."]}) from None


def kind_permitted(*, user: Any, kind: FileKind, params: Mapping[str, Any]) -> bool:
    """Who may have a file of ``kind`` built: an active account holding the kind's permission
    and, beyond it, its scope (``may_request``). The one check of the page's request, the
    worker's build and ``ostoja rodo export`` (issue 21: the command checked a group name)."""
    return bool(
        user is not None
        and user.is_active
        and user.has_perm(kind.perm)
        and kind.may_request(user, params)
    )


def _key(params: Mapping[str, Any]) -> str:
    return json.dumps(params, sort_keys=True, ensure_ascii=False, separators=(",", ":"))[:255]


def file_label(row: GeneratedFile) -> str:
    kind = KINDS.get(row.kind)
    return kind.label(row.params) if kind else row.kind


# ------------------------------------------------------------------ services


def generated_file_request(
    *, user: Any, kind: str, params: Mapping[str, Any], now: datetime
) -> tuple[GeneratedFile, bool]:
    """Queue the file ``kind`` with ``params`` for ``user``; ``(row, created)``.

    While the same person's identical job waits or runs, the same row is returned (created
    False) — a double click or an impatient repeat queues nothing twice (a partial unique
    constraint makes it hold under concurrent requests too). A job queued (or started) more
    than an hour ago — the worker was down or died in it — is marked failed and replaced; a
    late finish of the replaced job changes nothing (``generated_file_finish``). The task is
    queued when the transaction that wrote the row commits (``transaction.on_commit``): never
    before the row is visible to the worker, never for a rolled-back request."""
    k = kind_of(kind)
    clean = k.clean(params)
    if not kind_permitted(user=user, kind=k, params=clean):
        raise NotPermitted(k.refused)
    key = _key(clean)
    days = int(getattr(settings, "OSTOJA_GENERATED_FILE_DAYS", 7))
    with transaction.atomic():
        active = GeneratedFile.objects.select_for_update().filter(
            requested_by=user, kind=k.code, params_key=key, status__in=ACTIVE_FILE_STATUSES
        )
        existing = active.first()
        if existing is not None:
            since = existing.started_at or existing.created_at
            if now - since < STALE_AFTER:
                return existing, False
            active.filter(pk=existing.pk).update(
                status=GeneratedFileStatus.FAILED, error=STALE_ERROR, finished_at=now
            )
        try:
            with transaction.atomic():
                row = GeneratedFile.objects.create(
                    requested_by=user,
                    kind=k.code,
                    params=clean,
                    params_key=key,
                    created_at=now,
                    expires_at=now + timedelta(days=days),
                )
        except IntegrityError:  # the same request committed a moment ago by a second click
            return active.get(), False
        # Queued only once the row is committed (with Redis the worker could otherwise take
        # the task before the row exists); a rolled-back request queues nothing.
        transaction.on_commit(lambda: _enqueue(row.pk))
    row.refresh_from_db()
    return row, True


def _enqueue(file_id: int) -> None:
    """Queue the build of the committed row ``file_id`` and keep the task's id with it."""
    from ostoja.ops.tasks import generated_file_task

    result = generated_file_task.enqueue(file_id)
    GeneratedFile.objects.filter(pk=file_id).update(task_id=str(result.id)[:64])


def generated_file_start(*, file_id: int, now: datetime) -> GeneratedFile | None:
    """The worker takes the job: queued → running (``None`` when it is no longer queued —
    a duplicate delivery of the task builds nothing twice)."""
    taken = GeneratedFile.objects.filter(pk=file_id, status=GeneratedFileStatus.QUEUED).update(
        status=GeneratedFileStatus.RUNNING, started_at=now
    )
    return GeneratedFile.objects.get(pk=file_id) if taken else None


def generated_file_build(*, row: GeneratedFile) -> Output | str:
    """Build the file as its requester (their role and scope today); the Polish reason on
    refusal or failure instead of the output."""
    k = KINDS.get(row.kind)
    if k is None:
        return f"Nieznany rodzaj pliku „{row.kind}”."
    user = row.requested_by
    if not kind_permitted(user=user, kind=k, params=row.params):
        return k.refused
    try:
        with transaction.atomic():
            return k.build(user, row.params, row.started_at or row.created_at)
    except DomainError as exc:
        return exc.message
    except Exception:
        logger.exception("generated file %s (%s) failed", row.pk, row.kind)
        return INTERNAL_ERROR


def generated_file_finish(*, row: GeneratedFile, outcome: Output | str, now: datetime) -> None:
    """Store the bytes and their SHA-256 (done) or the Polish reason (failed) — only while
    the job is still running (a job replaced as stale stays failed)."""
    running = GeneratedFile.objects.filter(pk=row.pk, status=GeneratedFileStatus.RUNNING)
    if isinstance(outcome, str):
        running.update(status=GeneratedFileStatus.FAILED, error=outcome, finished_at=now)
        return
    running.update(
        status=GeneratedFileStatus.DONE,
        data=outcome.data,
        size=len(outcome.data),
        sha256=hashlib.sha256(outcome.data).hexdigest(),
        filename=outcome.filename,
        content_type=outcome.content_type,
        meta=outcome.meta,
        finished_at=now,
    )


def generated_files_purge(*, now: datetime) -> int:
    """Drop the bytes of files past their expiry (the row stays: who asked, what, its hash)."""
    return GeneratedFile.objects.filter(expires_at__lte=now, data__isnull=False).update(data=None)


def generated_file_download_record(*, user: Any, row: GeneratedFile, ip: str | None) -> None:
    """The audit entry of one download (who, when, which file, its hash), and the kind's own
    read record (e.g. the decisions inside)."""
    from ostoja.audit.services import access_record

    with transaction.atomic():
        access_record(
            user=user,
            obj=row,
            remote_addr=ip,
            reason="pobranie pliku przygotowanego w tle",
            extra={"kind": row.kind, "file": row.pk, "sha256": row.sha256},
        )
        KINDS[row.kind].audit(user, row, ip)


# ------------------------------------------------------------------ selectors


@dataclass(frozen=True)
class FileRow:
    pk: int
    label: str
    status: str
    status_label: str
    error: str
    created_at: datetime
    finished_at: datetime | None
    expires_at: datetime
    size: int
    sha256: str
    downloadable: bool
    expired: bool


def my_generated_files(*, user: Any, now: datetime, limit: int = 100) -> list[FileRow]:
    """The user's own jobs, newest first (without the bytes)."""
    rows = (
        GeneratedFile.objects.filter(requested_by=user)
        .defer("data")
        .order_by("-created_at", "-pk")[:limit]
    )
    out = []
    for r in rows:
        expired = r.expires_at <= now
        out.append(
            FileRow(
                pk=r.pk,
                label=file_label(r),
                status=r.status,
                status_label=r.get_status_display(),
                error=r.error,
                created_at=r.created_at,
                finished_at=r.finished_at,
                expires_at=r.expires_at,
                size=r.size,
                sha256=r.sha256,
                downloadable=r.status == GeneratedFileStatus.DONE and not expired,
                expired=expired,
            )
        )
    return out


class FileGone(DomainError):
    """The file existed but cannot be downloaded (expired, failed) or is not ready yet;
    ``row`` is the file (its page names it); ``expired`` — it never will be (expired, or
    its preparation failed): the page answers 410 Gone, and 409 for one still being prepared."""

    def __init__(self, message: str, *, row: GeneratedFile, expired: bool) -> None:
        super().__init__(message, field="file")
        self.row = row
        self.expired = expired


class FileNotVisible(Exception):
    """Not this person's file, or no longer in their role/scope; ``row`` (if any) is recorded
    as a refused access by the page, which answers 404."""

    def __init__(self, row: GeneratedFile | None) -> None:
        super().__init__("no such file")
        self.row = row


def generated_file_for_download(*, user: Any, pk: int, now: datetime) -> GeneratedFile:
    """The file ``pk`` if ``user`` asked for it and still holds the role and the scope it
    was built in; :class:`FileNotVisible` otherwise (the page answers 404 — another person's
    file, even by its id, looks like no file). Expired or unfinished: :class:`FileGone`."""
    row = GeneratedFile.objects.filter(pk=pk).first()
    if row is None:
        raise FileNotVisible(None)
    if row.requested_by_id != user.pk:
        raise FileNotVisible(row)
    k = KINDS.get(row.kind)
    if k is None or not user.has_perm(k.perm) or not k.still_in_scope(user, row):
        raise FileNotVisible(row)
    if row.status == GeneratedFileStatus.FAILED:
        raise FileGone(
            "Tego pliku nie udało się przygotować — przyczyna jest podana w wierszu; "
            "zleć go ponownie.",
            row=row,
            expired=True,
        )
    if row.status != GeneratedFileStatus.DONE:
        raise FileGone(
            "Plik nie jest jeszcze gotowy — odśwież listę za chwilę.", row=row, expired=False
        )
    if row.expires_at <= now or row.data is None:
        raise FileGone(
            "Plik wygasł i został usunięty — zleć go ponownie (pliki są przechowywane "
            f"{int(getattr(settings, 'OSTOJA_GENERATED_FILE_DAYS', 7))} dni).",
            row=row,
            expired=True,
        )
    return row
