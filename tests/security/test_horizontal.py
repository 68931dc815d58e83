"""Horizontal access: a social worker of ro2 is refused every ro1 record, page by page and
endpoint by endpoint. The URL list comes from the resolver, so a new URL with an id that is not
mapped here fails ``test_every_id_url_is_mapped`` until someone maps it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.conftest import reads_of

# ------------------------------------------------------------------ enumeration


def _walk(patterns: list[Any], prefix: str = "", ns: str = "") -> Iterator[tuple[str, str, Any]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern), p.namespace or ns)
        elif isinstance(p, URLPattern):
            name = f"{ns}:{p.name}" if ns else (p.name or "")
            yield prefix + str(p.pattern), name, p


def id_urls() -> dict[str, list[str]]:
    """URL name → its parameter names, for every page (not API) taking an object id."""
    found: dict[str, list[str]] = {}
    for route, name, pattern in _walk(get_resolver().url_patterns):
        if route.startswith(("api/", "konto/")):
            continue
        params = list(pattern.pattern.converters)
        if any(type(c).__name__ == "IntConverter" for c in pattern.pattern.converters.values()):
            found[name] = params
    return found


ID_URLS = id_urls()

# URL name → (kind of ro1 record the id points at, extra kwargs). The kwargs are built from the
# ``ro1`` fixture in ``_kwargs``.
PAGE_MAP: dict[str, tuple[str, dict[str, Any]]] = {
    # registry
    "registry:person_detail": ("person", {}),
    "registry:person_edit": ("person", {}),
    "registry:income_add": ("person", {}),
    "registry:income_delete": ("income", {}),
    "registry:person_merge": ("person", {}),
    "registry:household_create": ("person", {}),
    "registry:household_detail": ("household", {}),
    "registry:household_edit": ("household", {}),
    "registry:member_add": ("household", {}),
    "registry:member_end": ("household", {}),
    # cases
    "cases:case_detail": ("case", {}),
    "cases:case_assign": ("case", {}),
    "cases:interview_start": ("case", {}),
    "cases:calculate": ("case", {}),
    "cases:application_create": ("household", {}),
    "cases:application_forward": ("application", {}),
    "cases:application_leave": ("application", {}),
    "cases:application_ready": ("application", {}),
    "cases:letter_create": ("application", {}),
    "cases:letter_pdf": ("application", {"letter_pk": 1}),
    "cases:interview": ("interview", {}),
    "cases:interview_print": ("interview", {}),
    "cases:interview_section": ("interview", {"section": "__first_section__"}),
    "cases:interview_complete": ("interview", {}),
    "cases:calculation": ("calculation", {}),
    # decisions
    "decisions:draft_from_application": ("application", {}),
    "decisions:discontinue_application": ("application", {}),
    "decisions:detail": ("decision", {}),
    "decisions:edit": ("decision", {}),
    "decisions:pdf": ("decision", {}),
    "decisions:transition": ("decision", {"action": "__each_action__"}),
    "decisions:amend": ("decision", {}),
    "decisions:rectify": ("signed_decision", {}),
    "decisions:rectification_pdf": ("decision", {"rpk": 1}),
    "decisions:appeal_action": ("decision", {"apk": 1, "what": "przekaz"}),
    # social work
    "socialwork:case": ("case", {}),
    "socialwork:note_add": ("case", {}),
    "socialwork:note_correct": ("note", {}),
    "socialwork:visit_plan": ("case", {}),
    "socialwork:visit": ("visit", {}),
    "socialwork:visit_cancel": ("visit", {}),
    "socialwork:contract_new": ("case", {}),
    "socialwork:contract": ("contract", {}),
    "socialwork:contract_edit": ("contract", {}),
    "socialwork:contract_pdf": ("contract", {}),
    "socialwork:contract_action": ("contract", {"action": "podpisz"}),
    "socialwork:plan_new": ("case", {}),
    "socialwork:plan": ("plan", {}),
    "socialwork:protect": ("case", {}),
    "socialwork:break_glass": ("case", {}),
    "socialwork:reassign": ("case", {}),
    # payments: organisation-wide records (no unit); a social worker holds no payments role
    "payments:list_detail": ("payment_list", {}),
    "payments:list_approve": ("payment_list", {}),
    "payments:list_export": ("payment_list", {"fmt": "elixir"}),
    "payments:list_print": ("payment_list", {}),
    "payments:reissue": ("payment", {}),
    "payments:reissue_confirm": ("payment", {}),
    "payments:statement_detail": ("none", {}),
    "payments:receivable_detail": ("none", {}),
    "payments:receivable_from_decision": ("decision", {}),
    # facilities (issue 14): a referral and a stay of ro1, the waiting list of an ro1 facility
    "facilities:referral": ("facility_referral", {}),
    "facilities:stay": ("facility_stay", {}),
    "facilities:waiting_list": ("facility", {}),
    # the register entry and places of an ro1 facility: its head or the administrator only
    "facilities:facility_edit": ("facility", {}),
    # care (issue 15): an order of care services of the ro1 case and its month, the powiat's
    # programmes of ro1. Billing a month and turning it into a receivable need billing/finance
    # roles (a social worker holds neither); the record is still an ro1 client record.
    "care:order": ("care_order", {}),
    "care:month_action": ("care_month", {"action": "rachunek"}),
    "care:month_receivable": ("care_month", {}),
    # the client's bill of the ro1 month and the correcting bill proposed for it (PDF);
    # recording a refund of the month is finance's (POST only)
    "care:month_bill_pdf": ("care_month", {}),
    "care:correction_bill_pdf": ("care_correction", {}),
    "care:month_refund": ("care_month", {}),
    "care:leaving": ("leaving_programme", {}),
    "care:integration": ("integration_programme", {}),
    # drafting the decision behind an ro1 order / programme (POST only)
    "care:order_decide": ("care_order", {}),
    "care:order_change": ("care_order", {}),
    "care:leaving_decide": ("leaving_programme", {}),
    "care:integration_decide": ("integration_programme", {}),
    # partners (issue 16): the referrals of the ro1 case; a partner's referral on its portal
    # (a staff account holds no portal permission; another partner: test_other_partner_*)
    "partners:case_referrals": ("case", {}),
    "partners:portal_referral": ("partner_referral", {}),
    # issue 21 §4: the DPO's page of one person's rights (restriction, anonymisation)
    "ops:person_rights": ("person", {}),
    # the programmes of the ro1 case's household (enrolment, end of participation)
    "partners:case_programmes": ("case", {}),
}
# Ids that are not client records: administration of staff, units, authorisations, streets
# (administrator only — covered in test_vertical).
NOT_CLIENT_RECORDS = {
    "analysis:annual_report",  # <int:year>: the centre's yearly report, aggregates only
    "analysis:ozps",  # <int:year>: Ocena zasobów (art. 16a), aggregates only
    "org:staff_edit",
    "org:unit_edit",
    "org:authorisation_detail",
    "org:token_revoke",
    "org:role_change_confirm",  # staff roles, administrator or director only (two people)
    "org:role_change_reject",
    # Anonymisation requests: the DPO or the director only (two people) — name a person by id
    # only; tests/security/test_data_subject_rights.py.
    "ops:anonymisation_confirm",
    "ops:anonymisation_reject",
    # A staff member's own declaration (art. 24 KPA); only its author may withdraw it —
    # covered in ostoja/decisions/tests/test_exclusion.py.
    "org:relation_withdraw",
    "registry:street_district_delete",
    # The register's facility page and night-by-night counts: no personal data unless the
    # facility is in the user's units (ostoja/facilities/tests/test_views_api.py).
    "facilities:facility",
    "facilities:nights",
    # Cooperation with organisations (issue 16): organisation records, not client data, kept
    # for the whole centre. The register and a programme (aggregates only, no participant
    # names) are open to every reader role; editing a partner is for heads and management
    # (ostoja/partners/tests/test_pages.py::test_partner_edit_with_version_contact_and_agreement);
    # calls and grants are for heads and finance, only finance transfers an instalment and
    # only heads settle (test_pages.py::test_grant_pages_and_separation, and through the API
    # test_grants.py::test_grant_api_role_gates).
    "partners:partner",
    "partners:partner_edit",
    "partners:call",
    "partners:grant",
    "partners:programme",
    # Signing a grant agreement for an offer (heads and management only) — organisation
    # records (test_grant_steps_pages.py::test_agreement_signed_through_the_page_art_16_udpp).
    "partners:grant_sign",
    # Partner accounts: administrator asks, a second administrator or the director confirms
    # (test_accounts_page.py).
    "partners:account_action",
    # A file prepared in the background (issue 21 §1): only the person who asked for it, with
    # a fresh role/scope check (ostoja/ops/tests/test_files.py — other person, other unit).
    "ops:file_download",
}
# Pages that show personal data of the record and must audit a refusal.
PERSONAL_DATA = {n for n, (kind, _) in PAGE_MAP.items() if not kind.startswith(("pay", "none"))}


def _pk(ro1: dict[str, Any], kind: str) -> int:
    if kind == "payment_list":
        from ostoja.payments.models import PaymentList

        return PaymentList.objects.order_by("pk").first().pk  # type: ignore[union-attr]
    if kind == "payment":
        from ostoja.payments.models import Payment

        return Payment.objects.order_by("pk").first().pk  # type: ignore[union-attr]
    if kind == "none":
        return 1
    return int(ro1[kind].pk)


def _urls(name: str, ro1: dict[str, Any]) -> list[str]:
    from ostoja.cases.sections import SECTIONS
    from ostoja.decisions.workflow import Action

    kind, extra = PAGE_MAP[name]
    params = ID_URLS[name]
    id_param = params[0]
    kwargs: dict[str, Any] = {id_param: _pk(ro1, kind)}
    kwargs.update(extra)
    if kwargs.get("section") == "__first_section__":
        first = next(iter(SECTIONS))
        kwargs["section"] = first if isinstance(first, str) else first[0]
    if kwargs.get("action") == "__each_action__":
        return [reverse(name, kwargs={**kwargs, "action": a.value}) for a in Action]
    return [reverse(name, kwargs=kwargs)]


def test_every_id_url_is_mapped() -> None:
    unmapped = set(ID_URLS) - set(PAGE_MAP) - NOT_CLIENT_RECORDS
    assert not unmapped, f"map these URLs to an ro1 record in PAGE_MAP: {sorted(unmapped)}"
    assert not set(PAGE_MAP) - set(ID_URLS), "PAGE_MAP names a URL that no longer exists"


def _refused(response: Any) -> bool:
    """403/404, or 405 for a method the view does not take (answered before any lookup)."""
    return response.status_code in (403, 404, 405)


def _passes_page_gate(user: Any, url: str) -> bool:
    """True when the user holds the view's page-level permissions, so the object-level scope
    check (which must audit the refusal) is what refuses."""
    from django.urls import resolve

    from ostoja.core.access import policy_of

    policy = policy_of(resolve(url).func)
    return isinstance(policy, tuple) and all(user.has_perm(p) for p in policy)


@pytest.mark.parametrize("name", sorted(PAGE_MAP))
def test_ro2_worker_is_refused_every_ro1_page(
    name: str, ro1: dict[str, Any], stranger: Any, client_for: Callable[[Any], Client]
) -> None:
    client = client_for(stranger)
    for url in _urls(name, ro1):
        get = client.get(url)
        post = client.post(url, {"version": 0, "reason": "x" * 30, "text": "x"})
        assert _refused(get), (url, "GET", get.status_code)
        assert _refused(post), (url, "POST", post.status_code)
        reached = {get.status_code, post.status_code} != {405}
        if name in PERSONAL_DATA and reached and _passes_page_gate(stranger, url):
            refused = LogEntry.objects.filter(
                action=LogEntry.Action.ACCESS, actor=stranger, additional_data__refused=True
            )
            assert refused.count() >= 1, f"refusal of {url} was not audited"
            assert not reads_of(stranger).exists(), f"{url}: a read was recorded"


# Positive control: the same URLs open for the record's own worker (or the finance officer),
# so a refusal above is the scope at work, not a broken URL.
OWNER_GET_OK = [
    "registry:person_detail",
    "registry:household_detail",
    "cases:case_detail",
    "cases:interview",
    "cases:calculation",
    "decisions:detail",
    "decisions:pdf",
    "socialwork:case",
    "socialwork:visit",
    "socialwork:contract",
    "socialwork:contract_pdf",
    "socialwork:plan",
    "socialwork:note_correct",
    "care:order",
    "care:month_bill_pdf",
    "care:leaving",
    "care:integration",
    "partners:case_referrals",
]


@pytest.mark.parametrize("name", OWNER_GET_OK)
def test_ro1_worker_opens_the_same_pages(
    name: str, ro1: dict[str, Any], users: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    client = client_for(users["socjalny"])
    for url in _urls(name, ro1):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("name", ["payments:list_detail", "payments:list_print"])
def test_finance_opens_the_payment_pages(
    name: str, ro1: dict[str, Any], users: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    for url in _urls(name, ro1):
        assert client_for(users["ksiegowosc"]).get(url).status_code == 200, url


def test_other_partner_account_is_refused_the_referral(
    ro1: dict[str, Any], client_for: Callable[[Any], Client]
) -> None:
    """A partner's portal account (konto partnera) never reaches a referral addressed to
    another partner — neither reading nor answering it; the own partner's account does."""
    from ostoja.partners.models import Referral

    referral = ro1["partner_referral"]
    url = reverse("partners:portal_referral", kwargs={"pk": referral.pk})
    other = client_for(ro1["other_partner_user"])
    assert other.get(url).status_code == 404
    post = other.post(url, {"action": "accept", "note": "", "version": referral.version})
    assert post.status_code == 404
    assert Referral.objects.get(pk=referral.pk).status == referral.status
    refused = LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS,
        actor=ro1["other_partner_user"],
        additional_data__refused=True,
    )
    assert refused.count() >= 2, "the refused openings of another partner were not audited"
    assert not reads_of(ro1["other_partner_user"]).filter(object_pk=str(referral.pk)).exists()
    assert referral.number not in other.get(reverse("partners:portal")).content.decode()
    assert client_for(ro1["partner_user"]).get(url).status_code == 200
