"""Signing adapter: how the original of a decision is signed (art. 107 § 1 pkt 8, art. 14 KPA).

Two ways, chosen when signing:

* **handwritten** (``odreczny``) — paper delivery: the PDF carries the signature block (name,
  position, „z upoważnienia Prezydenta Miasta Kielce”, authorisation number) and the system
  records who signed the paper original; the PDF itself is not cryptographically signed;
* **electronic** (``elektroniczny``) — electronic delivery (e-Doręczenia): the PDF is signed
  with PAdES (ETSI.CAdES.detached in a PDF signature) by pyHanko with the centre's qualified
  certificate or seal, then validated with pyHanko's validator against the configured trust
  roots. „Signed” means: the signed file exists and validates; otherwise signing fails and
  nothing is saved.

Configuration (settings, from the environment in production)::

    OSTOJA_PADES_PKCS12 = "/run/secrets/mopr-seal.p12"     # the centre's certificate and key
    OSTOJA_PADES_PASSPHRASE = "…"                          # its passphrase
    OSTOJA_PADES_TRUST_ROOTS = ["/etc/ostoja/qualified-ca.pem"]  # roots a signature must chain to

An HSM or a remote signing service plugs in by replacing :func:`signer` (pyHanko ships PKCS#11
and CSC signers with the same interface). The tests generate a throw-away CA.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings

from ostoja.core.errors import DomainError

T = TypeVar("T")

__all__ = [
    "ELECTRONIC",
    "HANDWRITTEN",
    "METHODS",
    "SignatureReport",
    "SigningUnavailable",
    "electronic_available",
    "sign_pades",
    "validate_pades",
]

HANDWRITTEN = "odreczny"
ELECTRONIC = "elektroniczny"
METHODS: dict[str, str] = {
    HANDWRITTEN: "Podpis odręczny na papierowym oryginale (doręczenie pocztą lub osobiście)",
    ELECTRONIC: "Kwalifikowany podpis elektroniczny PAdES (doręczenie elektroniczne)",
}
FIELD_NAME = "PodpisDecyzji"


class SigningUnavailable(DomainError):
    """Electronic signing asked for but no certificate is configured, or it failed to validate."""


@dataclass(frozen=True, slots=True)
class SignatureReport:
    """What pyHanko's validator says about the (first) signature of a PDF."""

    intact: bool  # the signed bytes were not changed
    valid: bool  # the cryptographic signature is correct
    trusted: bool  # the signer's certificate chains to a configured trust root
    signer: str  # the certificate subject, human-readable
    coverage: str  # which part of the file the signature covers

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted


def electronic_available() -> bool:
    return bool(getattr(settings, "OSTOJA_PADES_PKCS12", ""))


def signer() -> Any:
    """The pyHanko signer from the configured PKCS#12 file."""
    # local: pyHanko (crypto, PDF parser) loaded only when signing or verifying
    from pyhanko.sign import signers

    path = getattr(settings, "OSTOJA_PADES_PKCS12", "")
    if not path:
        raise SigningUnavailable(
            "Podpis elektroniczny nie jest skonfigurowany (brak certyfikatu ośrodka) — podpisz "
            "decyzję odręcznie albo skontaktuj się z administratorem.",
            field="signature_method",
        )
    passphrase = getattr(settings, "OSTOJA_PADES_PASSPHRASE", "") or ""
    loaded = signers.SimpleSigner.load_pkcs12(
        pfx_file=path, passphrase=passphrase.encode() if passphrase else None
    )
    if loaded is None:
        raise SigningUnavailable(
            "Nie udało się wczytać certyfikatu do podpisu elektronicznego.",
            field="signature_method",
        )
    return loaded


def _trust_roots() -> list[Any]:
    # local: pyHanko (crypto, PDF parser) loaded only when signing or verifying
    from pyhanko.keys import load_cert_from_pemder

    return [load_cert_from_pemder(p) for p in getattr(settings, "OSTOJA_PADES_TRUST_ROOTS", [])]


def _outside_event_loop(fn: Callable[[], T]) -> T:
    """``fn()`` run where pyHanko may start its own event loop.

    pyHanko's synchronous API calls ``asyncio.run``, which refuses to run in a thread that
    already has a running loop (an ASGI server, or Playwright's sync API in the same test
    process). There the call runs in a short-lived worker thread instead."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn).result()


def sign_pades(pdf: bytes, *, reason: str, location: str, name: str) -> bytes:
    """``pdf`` signed with PAdES (baseline B: signing certificate attribute, no timestamp)."""
    # local: pyHanko (crypto, PDF parser) loaded only when signing or verifying
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        reason=reason,
        location=location,
        name=name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    out = _outside_event_loop(lambda: signers.sign_pdf(writer, meta, signer=signer()))
    return bytes(out.getvalue())


def validate_pades(pdf: bytes) -> SignatureReport | None:
    """The first signature of ``pdf`` checked by pyHanko against the configured trust roots;
    ``None`` when the file has no signature. Revocation is checked when the certificates name
    a source (soft-fail otherwise); nothing is fetched for certificates that name none."""
    # local: pyHanko (crypto, PDF parser) loaded only when signing or verifying
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(io.BytesIO(pdf))
    if not reader.embedded_signatures:
        return None
    sig = reader.embedded_signatures[0]
    context = ValidationContext(trust_roots=_trust_roots(), allow_fetching=False)
    status = _outside_event_loop(lambda: validate_pdf_signature(sig, context))
    return SignatureReport(
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        signer=status.signing_cert.subject.human_friendly if status.signing_cert else "",
        coverage=str(getattr(status.coverage, "name", status.coverage)),
    )


def sign_and_verify(pdf: bytes, *, reason: str, location: str, name: str) -> tuple[bytes, str]:
    """Sign, then validate the result: the signed bytes and the signer's subject, or
    :class:`SigningUnavailable` when the signature does not validate (nothing is kept)."""
    signed = sign_pades(pdf, reason=reason, location=location, name=name)
    report = validate_pades(signed)
    if report is None or not report.ok:
        raise SigningUnavailable(
            "Podpis elektroniczny nie przeszedł weryfikacji (certyfikat spoza zaufanych urzędów "
            "certyfikacji albo naruszona integralność) — decyzja nie została podpisana.",
            field="signature_method",
        )
    return signed, report.signer
