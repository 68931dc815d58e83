"""Reads of social infrastructure: places and occupancy on any date, waiting lists with their
order and expected waits (art. 54 ust. 2a, art. 59 ust. 3 u.p.s.), the summary for the
assessment of resources (Ocena zasobów pomocy społecznej, art. 16a), facility pages, nights.

Scope: the register and the counts are not personal data; residents and names on a waiting
list are, and are shown only within the user's units (``ostoja.facilities.rules``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet

from ostoja.core.dates import next_month_start, shift_months
from ostoja.facilities import policy as p
from ostoja.facilities.models import (
    AverageCost,
    Charge,
    Facility,
    FeeArrangement,
    Movement,
    Night,
    Place,
    RelativeFeeBasis,
    Stay,
    WaitingListEntry,
)
from ostoja.law.codes import DPS_RELATIONS
from ostoja.registry.scope import visible_unit_ids


def _active(qs: QuerySet[Any], on: date, start: str = "valid_from", end: str = "valid_to") -> Any:
    return qs.filter(**{f"{start}__lte": on}).filter(
        Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gt": on})
    )


def facilities_active(*, on: date) -> QuerySet[Facility]:
    return _active(Facility.objects.all(), on).order_by("kind", "name")


def places_by_facility(*, on: date) -> dict[int, int]:
    rows = _active(Place.objects.all(), on).values("facility_id").annotate(n=Count("id"))
    return {r["facility_id"]: r["n"] for r in rows}


def occupied_by_facility(*, on: date) -> dict[int, int]:
    """Stays present on ``on`` (started_on ≤ on < ended_on), and nights of ``on``."""
    rows = (
        _active(Stay.objects.all(), on, "started_on", "ended_on")
        .values("facility_id")
        .annotate(n=Count("id"))
    )
    result = {r["facility_id"]: r["n"] for r in rows}
    for r in Night.objects.filter(night=on).values("facility_id").annotate(n=Count("id")):
        result[r["facility_id"]] = result.get(r["facility_id"], 0) + r["n"]
    return result


def queue_by_facility(*, on: date) -> dict[int, int]:
    waiting = _waiting_on(WaitingListEntry.objects.all(), on)
    rows = waiting.values("facility_id").annotate(n=Count("id"))
    return {r["facility_id"]: r["n"] for r in rows}


def _waiting_on(qs: QuerySet[WaitingListEntry], on: date) -> QuerySet[WaitingListEntry]:
    """Entries waiting on ``on`` (entered by then, not closed by then)."""
    return qs.filter(entered_on__lte=on).filter(
        Q(closed_on__isnull=True, status="oczekuje") | Q(closed_on__gt=on)
    )


@dataclass(frozen=True)
class FacilityRow:
    facility: Facility
    kind_label: str
    subtypes_label: str
    operator_label: str
    places: int
    occupied: int
    free: int
    waiting: int


def facility_rows(*, on: date, kind: str | None = None) -> list[FacilityRow]:
    """The register with places, occupancy and queue on ``on`` (four queries in all)."""
    places = places_by_facility(on=on)
    occupied = occupied_by_facility(on=on)
    queue = queue_by_facility(on=on)
    qs = facilities_active(on=on)
    if kind:
        qs = qs.filter(kind=kind)
    return [
        FacilityRow(
            facility=f,
            kind_label=p.FACILITY_KINDS.get(f.kind, f.kind),
            subtypes_label=", ".join(p.FACILITY_SUBTYPES.get(s, s) for s in f.subtypes or []),
            operator_label=f.operator_name,
            places=places.get(f.pk, 0),
            occupied=occupied.get(f.pk, 0),
            free=max(0, places.get(f.pk, 0) - occupied.get(f.pk, 0)),
            waiting=queue.get(f.pk, 0),
        )
        for f in qs
    ]


def facilities_summary(*, on: date) -> list[dict[str, Any]]:
    """Per facility type: places, occupied and free on ``on`` (for Ocena zasobów, art. 16a).

    Each item: ``kind``, ``label``, ``facilities``, ``places``, ``occupied``, ``free``,
    ``waiting``. Types without a facility are left out.
    """
    totals: dict[str, dict[str, Any]] = {}
    for row in facility_rows(on=on):
        t = totals.setdefault(
            row.facility.kind,
            {"kind": row.facility.kind, "label": row.kind_label, "facilities": 0, "places": 0,
             "occupied": 0, "free": 0, "waiting": 0},
        )  # fmt: skip
        t["facilities"] += 1
        t["places"] += row.places
        t["occupied"] += row.occupied
        t["free"] += row.free
        t["waiting"] += row.waiting
    order = list(p.FACILITY_KINDS)
    return sorted(totals.values(), key=lambda t: order.index(t["kind"]))


# ------------------------------------------------------------------ waiting lists


@dataclass(frozen=True)
class ExpectedWait:
    """Expected waiting time (przewidywany czas oczekiwania, art. 59 ust. 3 u.p.s.) estimated
    from the queue ahead and the places freed in the last twelve months."""

    months: Decimal | None  # None — cannot be estimated (no place freed in a year)
    ahead: int
    free: int

    @property
    def over_three_months(self) -> bool:
        return self.months is None or self.months > p.THREE_MONTHS

    @property
    def under_three_months(self) -> bool:
        return self.months is not None and self.months < p.THREE_MONTHS

    @property
    def text(self) -> str:
        if self.months is None:
            return "nie da się oszacować (w ostatnim roku nie zwolniło się żadne miejsce)"
        if self.months == 0:
            return "miejsce dostępne od zaraz"
        return f"ok. {str(self.months).replace('.', ',')} mies."


def expected_wait(
    *, facility: Facility, on: date, entry: WaitingListEntry | None = None
) -> ExpectedWait:
    """For a new entrant (``entry`` None) or for ``entry``: the people ahead in the queue minus
    the free places, divided by the average number of places freed per month over the last 12
    months (stays ended in that year)."""
    queue = list(_waiting_on(facility.queue.all(), on).order_by("-priority", "entered_on", "pk"))
    if entry is not None:
        ahead = next((i for i, e in enumerate(queue) if e.pk == entry.pk), len(queue))
    else:
        ahead = len(queue)
    places = _active(Place.objects.filter(facility=facility), on).count()
    occupied = _active(Stay.objects.filter(facility=facility), on, "started_on", "ended_on").count()
    free = max(0, places - occupied)
    if ahead < free:
        return ExpectedWait(months=Decimal(0), ahead=ahead, free=free)
    year_ago = shift_months(on, -12)
    freed = Stay.objects.filter(facility=facility, ended_on__gt=year_ago, ended_on__lte=on).count()
    if freed == 0:
        return ExpectedWait(months=None, ahead=ahead, free=free)
    months = (Decimal(ahead - free + 1) * 12 / Decimal(freed)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
    return ExpectedWait(months=months, ahead=ahead, free=free)


@dataclass(frozen=True)
class QueueRow:
    position: int
    entry: WaitingListEntry
    entered_on: date
    days_waiting: int
    priority_reason: str
    name: str  # "" when outside the user's scope (shown only as a position)
    in_scope: bool
    subtype_label: str


def waiting_list(*, facility: Facility, on: date, user: Any = None) -> list[QueueRow]:
    """The facility's queue in order: out-of-turn entries (with their recorded reason) first,
    then by the date of entry (art. 59 ust. 3 u.p.s.; services.md §1.4). Names are given only
    for referrals of the user's units (``user`` None — all, for services and tests)."""
    units = None if user is None else visible_unit_ids(user)
    entries = (
        _waiting_on(facility.queue.all(), on)
        .select_related("referral", "referral__person")
        .order_by("-priority", "entered_on", "pk")
    )
    rows = []
    for i, e in enumerate(entries, start=1):
        visible = units is None or e.referral.unit_id in units
        person = e.referral.person
        rows.append(
            QueueRow(
                position=i,
                entry=e,
                entered_on=e.entered_on,
                days_waiting=(on - e.entered_on).days,
                priority_reason=e.priority_reason,
                name=f"{person.first_name} {person.last_name}" if visible else "",
                in_scope=visible,
                subtype_label=p.FACILITY_SUBTYPES.get(e.referral.subtype, ""),
            )
        )
    return rows


@dataclass(frozen=True)
class QueueStats:
    facility: Facility
    length: int
    average_days: int | None
    longest_days: int | None
    expected: ExpectedWait


def queue_stats(*, on: date) -> list[QueueStats]:
    """Queue lengths and waiting times per facility with a waiting list."""
    by_facility: dict[int, list[int]] = defaultdict(list)
    for e in _waiting_on(WaitingListEntry.objects.all(), on).values("facility_id", "entered_on"):
        by_facility[e["facility_id"]].append((on - e["entered_on"]).days)
    result = []
    for f in Facility.objects.filter(pk__in=list(by_facility)).order_by("kind", "name"):
        days = by_facility[f.pk]
        result.append(
            QueueStats(
                facility=f,
                length=len(days),
                average_days=round(sum(days) / len(days)) if days else None,
                longest_days=max(days) if days else None,
                expected=expected_wait(facility=f, on=on),
            )
        )
    return result


def nearest_under_three_months(*, entry: WaitingListEntry, on: date) -> list[Facility]:
    """Homes of the same type where the expected wait is under three months (art. 54 ust. 2a);
    "nearest" is for the worker to judge (no distances are stored)."""
    subtype = entry.referral.subtype
    return [
        f
        for f in facilities_active(on=on)
        .filter(kind=entry.facility.kind)
        .exclude(pk=entry.facility_id)
        if subtype in (f.subtypes or []) and expected_wait(facility=f, on=on).under_three_months
    ]


def referral_entries(*, referral: Any, on: date) -> list[dict[str, Any]]:
    """A referral's waiting-list entries; for a waiting one its expected wait and the homes of
    the same type with a wait under three months (art. 54 ust. 2a u.p.s.)."""
    rows = []
    for e in referral.entries.select_related("facility", "referral").order_by("entered_on", "pk"):
        row: dict[str, Any] = {"entry": e, "wait": None, "targets": []}
        if e.status == "oczekuje":
            row["wait"] = expected_wait(facility=e.facility, on=on, entry=e)
            if e.facility.kind == "dps" and row["wait"].over_three_months:
                row["targets"] = nearest_under_three_months(entry=e, on=on)
        rows.append(row)
    return rows


# ------------------------------------------------------------------ facility page


@dataclass
class FacilityPage:
    facility: Facility
    row: FacilityRow
    costs: list[AverageCost]
    residents: list[dict[str, Any]] = field(default_factory=list)
    movements: list[Movement] = field(default_factory=list)
    money: dict[str, Any] = field(default_factory=dict)
    nights: list[dict[str, Any]] = field(default_factory=list)


def facility_page(*, facility: Facility, on: date, residents: bool, money: bool) -> FacilityPage:
    """The facility with its places and queue; residents and movements only when ``residents``
    (the caller checked the scope), money (charges, cost per place against the plan) when
    ``money``."""
    row = next(r for r in facility_rows(on=on) if r.facility.pk == facility.pk) if _active(
        Facility.objects.filter(pk=facility.pk), on
    ).exists() else FacilityRow(facility, p.FACILITY_KINDS.get(facility.kind, ""), "",
                                 facility.operator_name, 0, 0, 0, 0)  # fmt: skip
    page = FacilityPage(facility=facility, row=row, costs=list(facility.costs.all()))
    if residents:
        stays = (
            _active(Stay.objects.filter(facility=facility), on, "started_on", "ended_on")
            .select_related("person", "place")
            .prefetch_related("absences")
            .order_by("person__last_name", "person__first_name")
        )
        for s in stays:
            absent = next((a for a in s.absences.all() if _covers(a, on)), None)
            page.residents.append(
                {
                    "stay": s,
                    "name": f"{s.person.first_name} {s.person.last_name}",
                    "place": f"{p.PLACE_KINDS.get(s.place.kind, '')} nr {s.place.number}",
                    "absent": p.ABSENCE_KINDS.get(absent.kind, "") if absent else "",
                }
            )
        page.movements = list(
            Movement.objects.filter(stay__facility=facility)
            .select_related("stay__person")
            .order_by("-on", "-pk")[:50]
        )
    if money:
        month = on.replace(day=1)
        charges = Charge.objects.filter(stay__facility=facility, month=month)
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for c in charges:
            totals[c.payer_kind] += c.amount
        unpaid = Charge.objects.filter(
            stay__facility=facility, month__lt=month, payer_kind__in=["mieszkaniec", "krewny"]
        )
        cost = next((c for c in page.costs if _covers(c, on, "valid_from", "valid_to")), None)
        page.money = {
            "month": month,
            "by_payer": [(p.CHARGE_PAYERS[k], totals[k]) for k in p.CHARGE_PAYERS if k in totals],
            "total": sum(totals.values(), Decimal(0)),
            "receivables": sum((c.amount - c.paid for c in unpaid), Decimal(0)),
            "cost": cost,
        }
    if facility.kind in p.NIGHTLY:
        page.nights = nights_month(facility=facility, month=on)
    return page


def _covers(obj: Any, on: date, start: str = "started_on", end: str = "ended_on") -> bool:
    to = getattr(obj, end)
    return bool(getattr(obj, start) <= on and (to is None or to > on))


def stays_of_facility(*, facility: Facility, on: date) -> QuerySet[Stay]:
    return _active(Stay.objects.filter(facility=facility), on, "started_on", "ended_on")


def stay_get(*, pk: int) -> Stay:
    return Stay.objects.select_related("person", "facility", "place", "referral").get(pk=pk)


def charge_get(*, pk: int) -> Charge | None:
    return Charge.objects.select_related("stay__person", "stay__facility").filter(pk=pk).first()


def charges_of_stay(*, stay: Stay) -> QuerySet[Charge]:
    return stay.charges.order_by("month", "payer_kind", "payer_key")


def fee_current(*, stay: Stay, on: date) -> FeeArrangement | None:
    return stay.fees.filter(valid_from__lte=on).order_by("-valid_from").first()


def stays_charged_in(*, start: date) -> QuerySet[Stay]:
    """The stays a month's charges are built for: in a DPS (art. 60–61) or a facility charging
    under art. 97, for at least a day of the month beginning ``start``."""
    end = next_month_start(start)
    return (
        Stay.objects.filter(facility__kind__in=["dps", *p.ART97_GROUPS], started_on__lt=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=start))
        .select_related("person", "facility")
    )


def fee_change_waits(*, fee: FeeArrangement, previous: FeeArrangement | None, on: date) -> str:
    """Why the months of ``fee`` are not charged yet on ``on``, empty when they are. A change
    of the resident's fee set by an earlier arrangement (``previous``) governs only once the
    decision changing it may be executed (art. 130 KPA; art. 59 ust. 1, art. 61, art. 97
    u.p.s.) — till then the earlier decision stands, and a month charged at its rate could not
    be set right afterwards (one charge per payer and month), so the month waits. A stay's first
    fee is charged at once: the city pays the home from the first day; the resident's part
    waits to be pursued. A change of relatives' shares or of the cost alone, the resident's fee
    unchanged, needs no decision (the relatives' agreements bind them, art. 103 ust. 2)."""
    if previous is None or previous.resident_amount == fee.resident_amount:
        return ""
    from ostoja.decisions.selectors import decision_payability

    d = fee.fee_decision
    if d is None:
        return f"zmiany opłaty od {fee.valid_from:%d.%m.%Y} nie ustalono decyzją"
    since = decision_payability(d).enforceable_from
    if since is None or since > on:
        return (
            f"decyzja zmieniająca opłatę od {fee.valid_from:%d.%m.%Y} nie jest jeszcze "
            "wykonalna (art. 130 KPA)"
        )
    return ""


def _governs(fee: FeeArrangement, day: date) -> bool:
    """False once the arrangement's decision stopped having effect by ``day`` — quashed on
    appeal (``ended_on``, art. 138 § 1 pkt 2 KPA): the decision before it stands again."""
    d = fee.fee_decision
    return d is None or d.ended_on is None or d.ended_on > day


def month_fees(
    stays: list[Stay], start: date
) -> dict[int, tuple[FeeArrangement, FeeArrangement | None]]:
    """For each stay, the arrangement in force on its first day in the month beginning
    ``start`` and the one before it (None for the first) — skipping arrangements whose
    decision was quashed by then — one query for all the stays."""
    rows = FeeArrangement.objects.filter(stay__in=stays).select_related("fee_decision")
    by_stay: dict[int, list[FeeArrangement]] = defaultdict(list)
    for fee in rows.order_by("stay_id", "valid_from"):
        by_stay[fee.stay_id].append(fee)
    found: dict[int, tuple[FeeArrangement, FeeArrangement | None]] = {}
    for stay in stays:
        first = max(start, stay.started_on)
        fees = [f for f in by_stay.get(stay.pk, []) if f.valid_from <= first and _governs(f, first)]
        if fees:
            found[stay.pk] = (fees[-1], fees[-2] if len(fees) > 1 else None)
    return found


@dataclass(frozen=True)
class WaitingStay:
    """A stay whose month is not charged: its fee change waits for an enforceable decision."""

    stay: Stay
    fee: FeeArrangement
    why: str


def charges_waiting(*, month: date, on: date) -> list[WaitingStay]:
    """The stays of ``month`` with no charge built because their fee change waits (see
    ``fee_change_waits``) — a fixed number of queries."""
    start = month.replace(day=1)
    stays = list(
        stays_charged_in(start=start)
        .exclude(charges__month=start)
        .order_by("facility__name", "person__last_name", "pk")
    )
    waiting = []
    fees = month_fees(stays, start)
    for stay in stays:
        if stay.pk not in fees:
            continue
        fee, previous = fees[stay.pk]
        if why := fee_change_waits(fee=fee, previous=previous, on=on):
            waiting.append(WaitingStay(stay=stay, fee=fee, why=why))
    return waiting


@dataclass(frozen=True)
class RelativeShare:
    """A relative's share in one fee arrangement and what binds them to pay it (art. 61 ust. 1
    pkt 2, art. 103 ust. 2 u.p.s.) — ``basis`` None until the agreement is recorded."""

    fee: FeeArrangement
    index: int  # 1-based, as the charges' ``krewny-N``
    name: str
    relation: str
    amount: Decimal
    basis: RelativeFeeBasis | None

    @property
    def key(self) -> str:
        return f"{self.fee.pk}-{self.index}"


def relative_shares(*, stay: Stay) -> list[RelativeShare]:
    """Every relative who pays a share under one of the stay's fee arrangements (newest
    arrangement first), with the agreement or decision recorded for it — two queries."""
    fees = list(stay.fees.order_by("-valid_from"))
    bases = {(b.fee_id, b.relative): b for b in RelativeFeeBasis.objects.filter(fee__in=fees)}
    return [
        RelativeShare(
            fee=fee,
            index=i,
            name=r["name"],
            relation=DPS_RELATIONS.get(r["relation"], r["relation"]),
            amount=Decimal(r["amount"]),
            basis=bases.get((fee.pk, i)),
        )
        for fee in fees
        for i, r in enumerate(fee.relatives or [], start=1)
        if Decimal(r["amount"]) > 0
    ]


# ------------------------------------------------------------------ nights


def nights_month(*, facility: Facility, month: date) -> list[dict[str, Any]]:
    """Night-by-night occupancy of a night shelter or warming room in ``month``."""
    start = month.replace(day=1)
    end = next_month_start(start)
    counts = dict(
        Night.objects.filter(facility=facility, night__gte=start, night__lt=end)
        .values_list("night")
        .annotate(n=Count("id"))
    )
    slots = list(Place.objects.filter(facility=facility).values_list("valid_from", "valid_to"))
    places = {
        d: sum(1 for f, t in slots if f <= d and (t is None or t > d))
        for d in (start + timedelta(days=i) for i in range((end - start).days))
    }
    return [
        {"night": d, "guests": counts.get(d, 0), "places": n, "free": max(0, n - counts.get(d, 0))}
        for d, n in places.items()
    ]


@dataclass(frozen=True)
class ChargesMonth:
    month: date
    charges: list[Charge]
    by_payer: list[tuple[str, Decimal]]
    by_facility: list[tuple[str, Decimal]]
    total: Decimal
    unpaid: Decimal
    # Resident charges whose fee decision is missing or not yet enforceable (art. 130 KPA):
    # charge id → why; such a charge is not put in the receivables register.
    undecided: dict[int, str] = field(default_factory=dict)
    # Stays of the month not charged: their fee change waits for an enforceable decision.
    waiting: list[WaitingStay] = field(default_factory=list)


def _fee_undecided(charge: Charge, on: date) -> str:
    """Why a resident's charge may not be pursued yet: no fee decision, or one not yet
    enforceable on ``on`` (art. 130 KPA); empty when it may."""
    from ostoja.decisions.selectors import decision_payability

    d = charge.fee.fee_decision
    if d is None:
        return "opłaty nie ustalono decyzją"
    since = decision_payability(d).enforceable_from
    if since is None or since > on:
        return "decyzja o odpłatności nie jest jeszcze wykonalna (art. 130 KPA)"
    return ""


def relative_unbound(*, signed_on: date | None, month: date, on: date) -> str:
    """Why a relative's charge of ``month`` is not theirs to pursue on ``on`` — no agreement
    (art. 103 ust. 2 u.p.s.) or final decision recorded by then (``signed_on`` None or later),
    or one binding only from after the month; empty when it is."""
    if signed_on is None or signed_on > on:
        return "brak umowy z krewnym (art. 103 ust. 2 u.p.s.) ani decyzji"
    if signed_on >= next_month_start(month):
        return f"umowa z krewnym wiąże od {signed_on:%d.%m.%Y}, nie za ten miesiąc"
    return ""


def _relatives_unbound(rows: list[Charge], on: date) -> dict[int, str]:
    """Relatives' charges with no agreement (art. 103 ust. 2) or final decision recorded for
    their share by ``on``, or one binding only from after the charge's month — one query."""
    mine = [c for c in rows if c.payer_kind == "krewny"]
    signed = {
        (fee_id, relative): day
        for fee_id, relative, day in RelativeFeeBasis.objects.filter(
            fee__in={c.fee_id for c in mine}, signed_on__lte=on
        ).values_list("fee_id", "relative", "signed_on")
    }
    return {
        c.pk: why
        for c in mine
        if (why := relative_unbound(signed_on=signed.get((c.fee_id, c.relative_index)),
                                    month=c.month, on=on))
    }  # fmt: skip


def charges_month(*, month: date, on: date) -> ChargesMonth:
    """The month's DPS charges per payer and what the city pays to each home (finance);
    ``on`` (today): which resident charges wait for an enforceable fee decision, which
    relatives' charges for their agreement."""
    start = month.replace(day=1)
    rows = list(
        Charge.objects.filter(month=start)
        .select_related("stay__person", "stay__facility", "fee__fee_decision")
        .order_by("stay__facility__name", "stay__person__last_name", "payer_kind", "payer_key")
    )
    payers: dict[str, Decimal] = defaultdict(Decimal)
    homes: dict[str, Decimal] = defaultdict(Decimal)
    for c in rows:
        payers[p.CHARGE_PAYERS[c.payer_kind]] += c.amount
        if c.payer_kind == "gmina":
            homes[c.stay.facility.name] += c.amount
    return ChargesMonth(
        month=start,
        charges=rows,
        by_payer=sorted(payers.items()),
        by_facility=sorted(homes.items()),
        total=sum(payers.values(), Decimal(0)),
        unpaid=sum((c.amount - c.paid for c in rows if c.payer_kind != "gmina"), Decimal(0)),
        undecided={
            **{
                c.pk: why
                for c in rows
                if c.payer_kind == "mieszkaniec" and (why := _fee_undecided(c, on))
            },
            **_relatives_unbound(rows, on),
        },
        waiting=charges_waiting(month=start, on=on),
    )


def place_counts(*, facility: Facility, on: date) -> dict[str, int]:
    """Live places of each kind on ``on`` (only kinds the facility has)."""
    rows = (
        Place.objects.filter(facility=facility, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .values("kind")
        .annotate(n=Count("pk"))
    )
    return {r["kind"]: r["n"] for r in rows}
