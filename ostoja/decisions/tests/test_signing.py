"""Signed means signed (issue 12 § 4; art. 107 § 1 pkt 8 and art. 14 KPA).

A throw-away certificate authority is generated here with ``cryptography``; the signing adapter
reads it as it would read the centre's qualified certificate (PKCS#12 + trust roots in
settings). An electronically signed decision validates with pyHanko's validator; a tampered or
untrusted one does not; a paper original records who signed it by hand.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pypdf import PdfReader

from ostoja.core import dates
from ostoja.core.errors import ValidationFailed
from ostoja.decisions import documents, signing
from ostoja.decisions.choices import DecisionKind
from ostoja.decisions.models import DecisionDocument
from ostoja.decisions.tests.test_documents import CASES

PASSPHRASE = "test-only"
NOT_BEFORE = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
NOT_AFTER = dt.datetime(2036, 1, 1, tzinfo=dt.UTC)


def _name(cn: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "PL"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Testowe CA Ostoja"),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


def _ca(cn: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(cn))
        .issuer_name(_name(cn))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOT_BEFORE)
        .not_valid_after(NOT_AFTER)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return key, cert


def _leaf(
    ca_key: ec.EllipticCurvePrivateKey, ca_cert: x509.Certificate, cn: str
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(cn))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOT_BEFORE)
        .not_valid_after(NOT_AFTER)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    return key, cert


@pytest.fixture
def test_ca(tmp_path: Path, settings) -> Path:
    """A throw-away CA and the centre's seal certificate, configured as in production."""
    ca_key, ca_cert = _ca("Testowe CA kwalifikowane")
    key, cert = _leaf(ca_key, ca_cert, "Miejski Ośrodek Pomocy Rodzinie w Kielcach")
    p12 = tmp_path / "seal.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"seal",
            key,
            cert,
            [ca_cert],
            serialization.BestAvailableEncryption(PASSPHRASE.encode()),
        )
    )
    root = tmp_path / "root.pem"
    root.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    settings.OSTOJA_PADES_PKCS12 = str(p12)
    settings.OSTOJA_PADES_PASSPHRASE = PASSPHRASE
    settings.OSTOJA_PADES_TRUST_ROOTS = [str(root)]
    return tmp_path


def _decision_pdf() -> bytes:
    content = CASES[DecisionKind.GRANT]
    return documents.render_pdf(documents.render_html(content))


def test_pades_signed_decision_validates_with_pyhanko(test_ca: Path) -> None:
    """art. 14 § 1a KPA, art. 107 § 1 pkt 8 KPA: the electronic original carries a signature
    that pyHanko's validator finds intact, valid and chained to a trusted root."""
    signed = signing.sign_pades(
        _decision_pdf(), reason="Decyzja nr 000012/RO1/2026", location="Kielce", name="M. Łęcka"
    )
    report = signing.validate_pades(signed)
    assert report is not None and report.ok, report
    assert "Miejski Ośrodek Pomocy Rodzinie w Kielcach" in report.signer
    # still a readable, tagged decision after the incremental update
    reader = PdfReader(io.BytesIO(signed))
    assert "/StructTreeRoot" in reader.trailer["/Root"]


def test_tampered_signed_pdf_does_not_validate(test_ca: Path) -> None:
    signed = bytearray(signing.sign_pades(_decision_pdf(), reason="r", location="K", name="n"))
    at = signed.find(b"/Title")  # a byte inside the signed range
    assert at > 0
    signed[at + 1] = ord("X")
    report = signing.validate_pades(bytes(signed))
    assert report is not None and not report.ok


def test_signature_from_an_untrusted_ca_does_not_validate(test_ca: Path, settings) -> None:
    _other_key, other_cert = _ca("Obce CA")
    other = test_ca / "other.pem"
    other.write_bytes(other_cert.public_bytes(serialization.Encoding.PEM))
    signed = signing.sign_pades(_decision_pdf(), reason="r", location="K", name="n")
    settings.OSTOJA_PADES_TRUST_ROOTS = [str(other)]
    report = signing.validate_pades(signed)
    assert report is not None and report.intact and not report.trusted and not report.ok
    with pytest.raises(signing.SigningUnavailable, match="nie przeszedł weryfikacji"):
        signing.sign_and_verify(_decision_pdf(), reason="r", location="K", name="n")


def test_unsigned_pdf_has_no_signature() -> None:
    assert signing.validate_pades(_decision_pdf()) is None


# ------------------------------------------------------------------ through the services


def _checked(ready_application, users):
    from ostoja.decisions import services
    from ostoja.decisions.tests.test_workflow import draft

    d = draft(ready_application, users)
    services.decision_check(now=dates.now(), decision=d, actor=users["kierownik"])
    return d


@pytest.mark.django_db
def test_electronic_signing_stores_the_validated_pades_file(
    test_ca, ready_application, users, on
) -> None:
    """„Signed” for electronic delivery = the signed file exists and validates (art. 14 KPA)."""
    from ostoja.decisions import services

    d = _checked(ready_application, users)
    d = services.decision_sign(
        now=dates.now(),
        decision=d,
        actor=users["kierownik"],
        on=on,
        signature_method=signing.ELECTRONIC,
    )
    doc = DecisionDocument.objects.get(decision=d)
    assert d.signature_method == doc.signature_method == signing.ELECTRONIC
    report = signing.validate_pades(bytes(doc.pdf))
    assert report is not None and report.ok
    assert doc.signed_by == report.signer
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(doc.pdf)).pages).split()
    )
    assert "podpisany kwalifikowanym podpisem elektronicznym" in text
    # the e-delivery it was signed for is allowed
    services.decision_send(decision=d, actor=users["kierownik"], on=on, channel="e_doreczenia")


@pytest.mark.django_db
def test_paper_original_records_who_signed_it_by_hand(ready_application, users, on) -> None:
    """art. 107 § 1 pkt 8 KPA: name, position, „z upoważnienia Prezydenta Miasta Kielce” and
    the authorisation number under a place for the handwritten signature."""
    from ostoja.decisions import services

    d = _checked(ready_application, users)
    d = services.decision_sign(now=dates.now(), decision=d, actor=users["kierownik"], on=on)
    doc = DecisionDocument.objects.get(decision=d)
    assert d.signature_method == doc.signature_method == signing.HANDWRITTEN
    assert d.signer_name in doc.signed_by and "podpis odręczny" in doc.signed_by
    assert "DYR/7/2025" in doc.signed_by
    assert signing.validate_pades(bytes(doc.pdf)) is None  # no pretend e-signature
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(doc.pdf)).pages).split()
    )
    assert "z upoważnienia Prezydenta Miasta Kielce" in text
    assert d.signer_name in text and "upoważnienie nr DYR/7/2025" in text
    # a paper original is not sent by e-Doręczenia
    with pytest.raises(ValidationFailed) as exc:
        services.decision_send(decision=d, actor=users["kierownik"], on=on, channel="e_doreczenia")
    assert "channel" in exc.value.errors


@pytest.mark.django_db
def test_electronic_signing_without_a_certificate_is_refused_and_nothing_is_saved(
    ready_application, users, on, settings
) -> None:
    from ostoja.decisions import services

    settings.OSTOJA_PADES_PKCS12 = ""
    d = _checked(ready_application, users)
    with pytest.raises(signing.SigningUnavailable, match="nie jest skonfigurowany"):
        services.decision_sign(
            now=dates.now(),
            decision=d,
            actor=users["kierownik"],
            on=on,
            signature_method=signing.ELECTRONIC,
        )
    d.refresh_from_db()
    assert d.status == "sprawdzona" and not d.number
    assert not DecisionDocument.objects.filter(decision=d).exists()


@pytest.mark.django_db
def test_api_signs_electronically_and_serves_the_validating_file(
    test_ca, ready_application, users, on, client_for
) -> None:
    """Through the API: ``signature_method=elektroniczny`` gives a PAdES file that validates;
    the PDF served is that file, byte for byte."""
    import json

    d = _checked(ready_application, users)
    k = client_for(users["kierownik"])
    r = k.post(
        f"/api/v1/decisions/{d.pk}/sign",
        json.dumps({"signature_method": "elektroniczny"}),
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["signature_method"] == "elektroniczny"
    pdf = k.get(f"/api/v1/decisions/{d.pk}/pdf").content
    report = signing.validate_pades(pdf)
    assert report is not None and report.ok


def test_signing_works_inside_a_running_event_loop(test_ca: Path) -> None:
    """An ASGI server (or Playwright's sync API in the same test process) runs an event loop in
    the calling thread; pyHanko's ``asyncio.run`` must not be called there directly."""
    import asyncio
    import concurrent.futures

    async def inside() -> bytes:
        return signing.sign_pades(_decision_pdf(), reason="r", location="Kielce", name="n")

    # The test starts its own loop in a fresh thread: the test process may already run
    # Playwright's loop in the main thread, where ``asyncio.run`` would refuse to start.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        signed = pool.submit(asyncio.run, inside()).result()
    report = signing.validate_pades(signed)
    assert report is not None and report.intact and report.valid
