"""The data subject's rights kept by the DPO (issue 21 §4).

- Restriction of processing (art. 18 RODO): while active the person's record is not edited and
  the person is not used in a new decision or payment — the saves are refused by the guards
  below (connected in ``OpsConfig.ready``), so every path (page, API, batch) obeys them.
- Anonymisation after the retention period (art. 5 ust. 1 lit. e and art. 17 ust. 3 lit. b
  RODO read with the filing list): two people — one asks, another confirms; identifiers are
  replaced, the statistical fields (sex, year of birth, city, disability) and the audit rows
  (as references) are kept.
- Rectification trail (art. 16): who changed which personal field and when, from the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Q

from ostoja.core.errors import DomainError, NotPermitted, ValidationFailed
from ostoja.core.four_eyes import require_second_person
from ostoja.ops.models import Anonymisation, AnonymisationStatus, ProcessingRestriction

RESTRICTED = (
    "Przetwarzanie danych osoby nr {person_id} jest ograniczone (art. 18 RODO) od {since} — "
    "jej danych nie można zmieniać ani wykorzystać w nowej decyzji lub wypłacie, dopóki "
    "inspektor ochrony danych nie zniesie ograniczenia."
)
SECOND_PERSON = (
    "Anonimizację potwierdza druga osoba: inny inspektor ochrony danych albo dyrektor — nie ta, "
    "która o nią wnioskowała (zasada dwóch osób)."
)
MIN_REASON = 10


def _need(actor: Any, perm: str, message: str) -> None:
    if not actor.has_perm(perm):
        raise NotPermitted(message)


def _reason(text: str, field: str) -> str:
    text = " ".join((text or "").split())
    if len(text) < MIN_REASON or len(text.split()) < 2:
        raise ValidationFailed(
            {field: ["Podaj podstawę i powód (co najmniej dwa słowa, 10 znaków)."]}
        )
    return text[:2000]


# ----------------------------------------------------------------------------- restriction


def active_restriction(person_id: int | None) -> ProcessingRestriction | None:
    if not person_id:
        return None
    return ProcessingRestriction.objects.filter(person_id=person_id, lifted_at__isnull=True).first()


def restricted_persons_at(now: datetime) -> dict[int, datetime]:
    """Person id → start, for every restriction in force at ``now`` (one query of a small table);
    registered with ``ostoja.core.restriction`` for the payment run."""
    rows = ProcessingRestriction.objects.filter(started_at__lte=now).filter(
        Q(lifted_at__isnull=True) | Q(lifted_at__gt=now)
    )
    return dict(rows.values_list("person_id", "started_at"))


def _person(person_id: int) -> Any:
    from ostoja.registry.models import Person

    try:
        return Person.objects.get(pk=person_id)
    except Person.DoesNotExist:
        raise ValidationFailed({"person": ["Nie ma osoby o tym numerze."]}) from None


@transaction.atomic
def restriction_start(
    *, person_id: int, reason: str, actor: Any, now: datetime
) -> ProcessingRestriction:
    """Ogranicz przetwarzanie (the DPO, at the data subject's request)."""
    _need(actor, "ops.manage_data_rights", "Ograniczenie przetwarzania ustanawia inspektor.")
    _person(person_id)
    text = _reason(reason, "reason")
    try:
        with transaction.atomic():
            return ProcessingRestriction.objects.create(
                person_id=person_id, reason=text, started_by=actor, started_at=now
            )
    except IntegrityError:
        raise ValidationFailed(
            {"reason": ["Przetwarzanie danych tej osoby jest już ograniczone."]}
        ) from None


@transaction.atomic
def restriction_lift(
    *, person_id: int, reason: str, actor: Any, now: datetime
) -> ProcessingRestriction:
    _need(actor, "ops.manage_data_rights", "Ograniczenie przetwarzania znosi inspektor.")
    text = _reason(reason, "lift_reason")
    restriction = (
        ProcessingRestriction.objects.select_for_update()
        .filter(person_id=person_id, lifted_at__isnull=True)
        .first()
    )
    if restriction is None:
        raise DomainError("Przetwarzanie danych tej osoby nie jest ograniczone.")
    restriction.lifted_by, restriction.lifted_at, restriction.lift_reason = actor, now, text
    restriction.save(update_fields=["lifted_by", "lifted_at", "lift_reason"])
    return restriction


def restriction_message(restriction: ProcessingRestriction) -> str:
    from ostoja.core.dates import local_time

    since = f"{local_time(restriction.started_at):%d.%m.%Y}"
    return RESTRICTED.format(person_id=restriction.person_id, since=since)


def _refuse_if_restricted(person_id: int | None) -> None:
    restriction = active_restriction(person_id)
    if restriction is not None:
        raise DomainError(restriction_message(restriction))


def guard_person_save(sender: Any, instance: Any, **kwargs: Any) -> None:
    """pre_save of ``registry.Person``: a restricted person's record is not edited."""
    if instance.pk and not instance._state.adding and not getattr(instance, "_rodo_bypass", False):
        _refuse_if_restricted(instance.pk)


def guard_new_decision(sender: Any, instance: Any, **kwargs: Any) -> None:
    """pre_save of ``decisions.Decision``: no new decision addressed to a restricted person."""
    if instance._state.adding:
        _refuse_if_restricted(getattr(instance, "addressee_id", None))


def guard_new_payment(sender: Any, instance: Any, **kwargs: Any) -> None:
    """pre_save of ``payments.Payment``: no new payment of a restricted person."""
    if instance._state.adding:
        _refuse_if_restricted(getattr(instance, "person_id", None))


def connect_guards() -> None:
    from django.db.models.signals import pre_save

    pre_save.connect(guard_person_save, sender="registry.Person", dispatch_uid="rodo_person")
    pre_save.connect(guard_new_decision, sender="decisions.Decision", dispatch_uid="rodo_dec")
    pre_save.connect(guard_new_payment, sender="payments.Payment", dispatch_uid="rodo_pay")


# ----------------------------------------------------------------------------- anonymisation

# Replaced (identifiers) — everything else (sex, city, disability, dates of records) is kept
# for the statistics; the birth date keeps its year only (1 July), so ages still count.
IDENTIFYING_BLANK = [
    "second_name", "id_document_type", "id_document_number", "reg_street_text", "reg_house",
    "reg_flat", "reg_postal_code", "act_street_text", "act_house", "act_flat",
    "act_postal_code", "phone", "email",
]  # fmt: skip


def anonymisation_eligible(person_id: int, *, on: date) -> bool:
    """The retention period of everything concerning the person has passed (art. 5 ust. 1
    lit. e RODO read with the filing list): every case file (class ``case_file``) — or, for a
    person who never had one, the person record (class ``person_record``) — and no later
    service record. The same functions build ``retention_dry_run``'s report."""
    from ostoja.ops.rodo.retention import person_retention_expired

    return person_retention_expired(person_id, on=on)


@transaction.atomic
def anonymisation_request(
    *, person_id: int, reason: str, actor: Any, now: datetime, on: date
) -> Anonymisation:
    _need(actor, "ops.manage_data_rights", "O anonimizację wnioskuje inspektor ochrony danych.")
    _person(person_id)
    text = _reason(reason, "reason")
    if not anonymisation_eligible(person_id, on=on):
        raise ValidationFailed(
            {
                "person": [
                    "Okres przechowywania akt tej osoby jeszcze nie minął (teczka sprawy "
                    "otwarta albo zamknięta zbyt niedawno, albo ostatni zapis o osobie jest "
                    "zbyt świeży) — anonimizacja jest niedopuszczalna."
                ]
            }
        )
    try:
        with transaction.atomic():
            return Anonymisation.objects.create(
                person_id=person_id, reason=text, requested_by=actor, requested_at=now
            )
    except IntegrityError:
        waiting = "Wniosek o anonimizację tej osoby już czeka."
        raise ValidationFailed({"person": [waiting]}) from None


def _decide(request_id: int, actor: Any) -> Anonymisation:
    _need(actor, "ops.confirm_anonymisation", "Anonimizację rozstrzyga inspektor albo dyrektor.")
    req = Anonymisation.objects.select_for_update().get(pk=request_id)
    if req.status != AnonymisationStatus.PENDING:
        raise DomainError("Ten wniosek o anonimizację został już rozstrzygnięty.")
    return req


@transaction.atomic
def anonymisation_confirm(*, request_id: int, actor: Any, now: datetime, on: date) -> Anonymisation:
    """The second person confirms: the person's identifiers are replaced at once."""
    req = _decide(request_id, actor)
    require_second_person(actor, req.requested_by_id, message=SECOND_PERSON)
    if not anonymisation_eligible(req.person_id, on=on):
        raise DomainError("Okres przechowywania akt tej osoby nie minął — odrzućcie wniosek.")
    req.fields_replaced = _anonymise(req.person_id, actor=actor, request_id=req.pk)
    req.status, req.decided_by, req.decided_at = AnonymisationStatus.DONE, actor, now
    req.save(update_fields=["fields_replaced", "status", "decided_by", "decided_at"])
    return req


@transaction.atomic
def anonymisation_reject(*, request_id: int, actor: Any, now: datetime) -> Anonymisation:
    req = _decide(request_id, actor)
    req.status, req.decided_by, req.decided_at = AnonymisationStatus.REJECTED, actor, now
    req.save(update_fields=["status", "decided_by", "decided_at"])
    return req


def _replace_identifiers(person: Any) -> dict[str, Any]:
    from ostoja.registry.models import Person

    values: dict[str, Any] = {f: "" for f in IDENTIFYING_BLANK}
    values.update(
        first_name="Osoba",
        last_name=f"zanonimizowana nr {person.pk}",
        search_key=f"zanonimizowana nr {person.pk}",
        pesel=None,
        birth_date=date(person.birth_date.year, 7, 1),
        reg_street=None,
        act_street=None,
        address_key="",
    )
    values = {k: v for k, v in values.items() if hasattr(person, k)}
    Person.objects.filter(pk=person.pk).update(**values, version=person.version + 1)
    return values


def _anonymise(person_id: int, *, actor: Any, request_id: int) -> list[str]:
    """Replace the identifiers in place by an UPDATE (the audit entry written here names the
    fields only — an ordinary save would copy the old values into the audit log forever), and
    the person's identifiers in every row reachable from them (``anonymise.anonymise_related``:
    free text, notes, contact data; issued decisions, payments and audit rows are kept)."""
    from ostoja.ops.rodo.anonymise import anonymise_related
    from ostoja.registry.models import Person

    person = Person.objects.select_for_update().get(pk=person_id)
    # Records merged into this one (registry's duplicate merge) are the same human: their rows
    # keep the old name, address and contact data, so they are anonymised with it.
    duplicates: list[Any] = []
    seen, frontier = {person_id}, [person_id]
    while frontier:
        found = [
            d
            for d in Person.objects.select_for_update().filter(merged_into_id__in=frontier)
            if d.pk not in seen
        ]
        duplicates += found
        seen |= {d.pk for d in found}
        frontier = [d.pk for d in found]
    # First the rows elsewhere (they need the old identifiers to find them), then the person.
    related = anonymise_related(person, also=duplicates)
    values = _replace_identifiers(person)
    for duplicate in duplicates:
        _replace_identifiers(duplicate)
    if duplicates:
        related["registry.Person (scalone duplikaty)"] = len(duplicates)
    fields = sorted(values)
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Person),
        object_pk=str(person_id),
        object_id=person_id,
        object_repr=f"Osoba nr {person_id} (zanonimizowana)",
        action=LogEntry.Action.UPDATE,
        changes={f: ["[usunięto]", "[zanonimizowano]"] for f in fields},
        actor=actor,
        additional_data={
            "person_id": person_id, "anonymisation": request_id, "related_rows": related,
        },
    )  # fmt: skip
    return fields + [f"{label} ({n})" for label, n in sorted(related.items())]


# ----------------------------------------------------------------------------- DPO's reads


@dataclass(frozen=True)
class Rectification:
    when: datetime
    actor: str
    person_id: int
    field: str
    before: str
    after: str


def rectification_trail(*, person_id: int | None = None, limit: int = 200) -> list[Rectification]:
    """Who changed which personal field of a person, and when (newest first), from the audit
    log's before → after of ``registry.Person``; field names in Polish."""
    from ostoja.registry.models import Person

    labels = {f.name: str(f.verbose_name) for f in Person._meta.concrete_fields}
    labels.update({f.attname: str(f.verbose_name) for f in Person._meta.concrete_fields})
    qs = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Person), action=LogEntry.Action.UPDATE
    ).select_related("actor")
    if person_id is not None:
        qs = qs.filter(object_pk=str(person_id))
    rows: list[Rectification] = []
    for entry in qs.order_by("-timestamp", "-pk")[:limit]:
        actor = entry.actor
        who = (actor.get_full_name() or actor.get_username()) if actor else "system"
        changes = entry.changes_dict if hasattr(entry, "changes_dict") else entry.changes or {}
        for name, pair in sorted(changes.items()):
            if name in ("version", "search_key", "address_key") or name not in labels:
                continue
            before, after = [*pair, "", ""][:2] if isinstance(pair, list) else ("", "")
            rows.append(
                Rectification(
                    entry.timestamp,
                    who,
                    int(entry.object_pk),
                    labels[name],
                    "" if before in (None, "None") else str(before),
                    "" if after in (None, "None") else str(after),
                )
            )
    return rows
