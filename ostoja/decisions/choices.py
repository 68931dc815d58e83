"""Code lists of the decisions context."""

from __future__ import annotations

from django.db import models


class DecisionKind(models.TextChoices):
    GRANT = "przyznanie", "Przyznanie świadczenia"
    REFUSAL = "odmowa", "Odmowa przyznania świadczenia"
    CHANGE = "zmiana", "Zmiana decyzji"
    REVOCATION = "uchylenie", "Uchylenie decyzji"
    EXPIRY = "wygaszenie", "Wygaszenie decyzji"
    RECOVERY = "nienalezne", "Zwrot nienależnie pobranego świadczenia"
    WRITE_OFF = "umorzenie_naleznosci", "Umorzenie należności"
    INSTALMENTS = "raty", "Rozłożenie należności na raty"
    FEE = "odplatnosc", "Ustalenie odpłatności"
    DISCONTINUANCE = "umorzenie_postepowania", "Umorzenie postępowania"


# Kinds that replace (for the future) an earlier decision's lines — art. 106 ust. 5 u.p.s.
AMENDING_KINDS = frozenset({DecisionKind.CHANGE, DecisionKind.REVOCATION, DecisionKind.EXPIRY})
# Kinds whose lines are paid to the person (payments builds schedules from them).
PAYING_KINDS = frozenset({DecisionKind.GRANT, DecisionKind.CHANGE})
# Kinds that settle a requested form of help (art. 104, 105 KPA): the form named in a line.
SETTLING_KINDS = (
    DecisionKind.GRANT,
    DecisionKind.REFUSAL,
    DecisionKind.FEE,
    DecisionKind.DISCONTINUANCE,
)


class DecisionStatus(models.TextChoices):
    DRAFTED = "projekt", "Projekt"
    CHECKED = "sprawdzona", "Sprawdzona"
    SIGNED = "podpisana", "Podpisana"
    SENT = "wyslana", "Wysłana"
    DELIVERED = "doreczona", "Doręczona"
    FINAL = "ostateczna", "Ostateczna"
    APPEALED = "odwolanie", "Zaskarżona (odwołanie)"
    CLOSED = "zakonczona", "Zakończona po odwołaniu"


class DeliveryChannel(models.TextChoices):
    RETURN_RECEIPT = "zpo", "List polecony za zwrotnym potwierdzeniem odbioru"
    E_DELIVERY = "e_doreczenia", "e-Doręczenia"
    IN_PERSON = "osobiscie", "Odbiór osobisty w ośrodku"


class AppealOutcome(models.TextChoices):
    UPHELD = "utrzymana", "SKO utrzymało decyzję w mocy"
    QUASHED = "uchylona", "SKO uchyliło decyzję i umorzyło postępowanie"
    REFERRED_BACK = (
        "przekazana",
        "SKO uchyliło decyzję i przekazało sprawę do ponownego rozpatrzenia",
    )
    REFORMED = "orzeczono", "SKO uchyliło decyzję i orzekło co do istoty sprawy"
    SELF_CORRECTED = "samokontrola", "Organ uwzględnił odwołanie (art. 132 KPA)"


class PaymentMethodChoice(models.TextChoices):
    TRANSFER = "przelew", "Przelew na rachunek bankowy"
    CASH = "kasa", "Gotówką w kasie ośrodka"
    POST = "poczta", "Przekazem pocztowym"
    IN_KIND = "rzeczowa", "Bezgotówkowo / w naturze (do dostawcy)"


# The draft-from-application form's payment method: empty follows the benefit (a transfer
# when an account number is given, else the centre's cash desk; help in kind to the supplier).
DRAFT_PAYMENT_METHODS: list[tuple[str, str]] = [
    ("", "— według świadczenia —"),
    *PaymentMethodChoice.choices,
]
