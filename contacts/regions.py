"""Reference lists: WZ 2008 sections and the size classes by employees."""

from django.db import models
from django.utils.translation import gettext_lazy as _

WZ_SECTIONS = {
    "A": _("Land- und Forstwirtschaft, Fischerei"),
    "B": _("Bergbau und Gewinnung von Steinen und Erden"),
    "C": _("Verarbeitendes Gewerbe"),
    "D": _("Energieversorgung"),
    "E": _("Wasserversorgung, Abwasser- und Abfallentsorgung"),
    "F": _("Baugewerbe"),
    "G": _("Handel; Instandhaltung und Reparatur von Kraftfahrzeugen"),
    "H": _("Verkehr und Lagerei"),
    "I": _("Gastgewerbe"),
    "J": _("Information und Kommunikation"),
    "K": _("Finanz- und Versicherungsdienstleistungen"),
    "L": _("Grundstücks- und Wohnungswesen"),
    "M": _("Freiberufliche, wissenschaftliche und technische Dienstleistungen"),
    "N": _("Sonstige wirtschaftliche Dienstleistungen"),
    "O": _("Öffentliche Verwaltung, Verteidigung; Sozialversicherung"),
    "P": _("Erziehung und Unterricht"),
    "Q": _("Gesundheits- und Sozialwesen"),
    "R": _("Kunst, Unterhaltung und Erholung"),
    "S": _("Sonstige Dienstleistungen"),
    "T": _("Private Haushalte"),
    "U": _("Exterritoriale Organisationen"),
}

# Division (first two digits) → section letter.
_DIVISION_RANGES = [
    (1, 3, "A"), (5, 9, "B"), (10, 33, "C"), (35, 35, "D"), (36, 39, "E"), (41, 43, "F"),
    (45, 47, "G"), (49, 53, "H"), (55, 56, "I"), (58, 63, "J"), (64, 66, "K"), (68, 68, "L"),
    (69, 75, "M"), (77, 82, "N"), (84, 84, "O"), (85, 85, "P"), (86, 88, "Q"), (90, 93, "R"),
    (94, 96, "S"), (97, 98, "T"), (99, 99, "U"),
]  # fmt: skip


def wz_section(code: str) -> str:
    """The WZ section letter of a code ("28.22" → "C")."""
    code = (code or "").strip()
    if not code:
        return ""
    if code[0].isalpha():
        return code[0].upper()
    division = int(code[:2])
    for low, high, letter in _DIVISION_RANGES:
        if low <= division <= high:
            return letter
    return ""


class SizeClass(models.TextChoices):
    """EU SME size classes by headcount."""

    MICRO = "micro", _("Kleinstunternehmen (unter 10)")
    SMALL = "small", _("Kleinunternehmen (10–49)")
    MEDIUM = "medium", _("Mittleres Unternehmen (50–249)")
    LARGE = "large", _("Großunternehmen (ab 250)")


def size_class_for(employees: int | None) -> str:
    if employees is None:
        return ""
    if employees < 10:
        return SizeClass.MICRO
    if employees < 50:
        return SizeClass.SMALL
    if employees < 250:
        return SizeClass.MEDIUM
    return SizeClass.LARGE


LEGAL_FORMS = [
    "GmbH", "GmbH & Co. KG", "AG", "KG", "OHG", "UG (haftungsbeschränkt)", "e.K.", "GbR", "eG", "e.V.",
    "SE", "Einzelunternehmen", "Körperschaft des öffentlichen Rechts",
]  # fmt: skip

# The districts of the demo region (IHK Nord Westfalen).
DEMO_DISTRICTS = [
    "Münster", "Borken", "Coesfeld", "Steinfurt", "Warendorf", "Gelsenkirchen", "Bottrop", "Recklinghausen",
]  # fmt: skip
