"""``manage.py seed_scale --organisations 100000``: a large, deterministic data set for benchmarks.

Writes organisations with ``bulk_create`` in batches (one transaction per batch):
districts, WZ codes (and their sections), legal forms, employees and size classes,
member numbers (about three in four), cities and postcodes of the district, and
one or two tags on about a quarter of them. The same ``--seed`` gives the same
rows on every database.

Every row it writes is marked (``notes == SCALE_MARK``), so the command is
idempotent: a second run with the same ``--organisations`` creates nothing, a
larger number adds only the missing rows (the first N rows are always the same),
and ``--reset`` deletes the marked rows first. Rows from ``seed_demo`` or real
data are never touched.

What it skips on purpose: ``bulk_create`` sends no signals, so there are no
audit-trail (simple-history) rows and no people/functions for these
organisations. The full-text index needs nothing extra: PostgreSQL computes the
generated ``search_vector`` column on insert, and SQLite's FTS5 triggers fire on
insert. On PostgreSQL the table is ANALYZEd at the end so the planner sees the
new size at once.
"""

import itertools
import random
import time
from functools import cache

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.text import slugify

from contacts.models import District, Organisation, Tag
from contacts.regions import DEMO_DISTRICTS, LEGAL_FORMS, size_class_for, wz_section

SCALE_MARK = "[seed_scale]"
MEMBER_PREFIX = "SK"  # seed_demo uses "NW"; the unique constraint on member_number must not collide

CITIES = {
    "Münster": [("48143", "Münster"), ("48155", "Münster"), ("48163", "Münster"), ("48167", "Münster")],
    "Borken": [("46325", "Borken"), ("46395", "Bocholt"), ("48683", "Ahaus"), ("46414", "Rhede"), ("48691", "Vreden"), ("46342", "Velen"), ("48703", "Stadtlohn")],
    "Coesfeld": [("48653", "Coesfeld"), ("48249", "Dülmen"), ("59348", "Lüdinghausen"), ("48727", "Billerbeck"), ("48301", "Nottuln")],
    "Steinfurt": [("48565", "Steinfurt"), ("48431", "Rheine"), ("49477", "Ibbenbüren"), ("48268", "Greven"), ("48282", "Emsdetten"), ("49525", "Lengerich")],
    "Warendorf": [("48231", "Warendorf"), ("59227", "Ahlen"), ("59269", "Beckum"), ("59302", "Oelde"), ("48317", "Drensteinfurt")],
    "Gelsenkirchen": [("45879", "Gelsenkirchen"), ("45897", "Gelsenkirchen"), ("45881", "Gelsenkirchen")],
    "Bottrop": [("46236", "Bottrop"), ("46244", "Bottrop")],
    "Recklinghausen": [("45657", "Recklinghausen"), ("45768", "Marl"), ("45699", "Herten"), ("45721", "Haltern am See"), ("45964", "Gladbeck"), ("45739", "Oer-Erkenschwick"), ("45711", "Datteln")],
}  # fmt: skip
# Relative weight of each district (roughly the number of firms there).
DISTRICT_WEIGHTS = {
    "Münster": 14, "Borken": 17, "Coesfeld": 9, "Steinfurt": 18, "Warendorf": 11, "Gelsenkirchen": 8,
    "Bottrop": 4, "Recklinghausen": 19,
}  # fmt: skip

# (WZ code, name stem): industry first, then trade, transport, services.
SECTORS = [
    ("28.22", "Fördertechnik"), ("28.41", "Werkzeugmaschinen"), ("25.62", "Präzisionsmechanik"), ("22.29", "Kunststofftechnik"),
    ("10.71", "Backwaren"), ("13.92", "Textilwerk"), ("20.16", "Chemie"), ("23.61", "Betonwerk"), ("27.12", "Schaltanlagen"),
    ("29.32", "Fahrzeugteile"), ("31.01", "Büromöbel"), ("24.10", "Stahlwerk"), ("26.51", "Messtechnik"), ("17.21", "Verpackung"),
    ("33.12", "Industrieservice"), ("10.51", "Molkerei"), ("16.23", "Holzbau"), ("25.11", "Stahlbau"), ("22.21", "Folienwerk"),
    ("28.29", "Anlagenbau"), ("25.73", "Werkzeugbau"), ("10.13", "Fleischwaren"), ("11.05", "Brauerei"), ("32.50", "Medizintechnik"),
    ("35.11", "Energie"), ("35.30", "Stadtwerke"), ("38.11", "Entsorgung"), ("41.20", "Bauunternehmen"), ("43.22", "Haustechnik"),
    ("45.20", "Autohaus"), ("46.69", "Maschinenhandel"), ("47.11", "Lebensmittelmarkt"), ("49.41", "Spedition"), ("52.10", "Logistik"),
    ("55.10", "Hotel"), ("62.01", "Software"), ("63.11", "Rechenzentrum"), ("69.20", "Steuerberatung"), ("71.12", "Ingenieurbüro"),
    ("73.11", "Werbeagentur"), ("78.20", "Personaldienste"), ("81.21", "Gebäudereinigung"), ("86.23", "Zahnarztpraxis"),
]  # fmt: skip
ENERGY_INTENSIVE_DIVISIONS = {"13", "17", "20", "22", "23", "24"}

FAMILY_NAMES = [
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
    "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann",
    "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Schmitz", "Krause", "Meier",
    "Lehmann", "Schmid", "Schulze", "Maier", "Köhler", "Herrmann", "König", "Walter", "Mayer", "Huber",
    "Kaiser", "Fuchs", "Peters", "Lang", "Scholz", "Möller", "Weiß", "Jung", "Hahn", "Schubert",
    "Vogel", "Friedrich", "Keller", "Günther", "Frank", "Berger", "Winkler", "Roth", "Beck", "Lorenz",
    "Schulte", "Hölscher", "Terhechte", "Brüggemann", "Wessels", "Bücker", "Tenhagen", "Kemper", "Lütkenhaus", "Overbeck",
    "Büscher", "Niehues", "Rottmann", "Hüsing", "Wiesmann", "Große-Kleimann", "Bröcker", "Vennemann", "Althoff", "Sendker",
    "Többen", "Löhring", "Janning", "Wigger", "Kötter", "Möllers", "Pieper", "Reckers", "Stegemann", "Upmann",
]  # fmt: skip
STREETS = ["Industriestraße", "Gewerbering", "Am Hafen", "Dieselstraße", "Robert-Bosch-Straße", "Hauptstraße", "Kanalstraße", "Zechenweg"]  # fmt: skip
LEGAL_WEIGHTS = {"GmbH": 45, "GmbH & Co. KG": 20, "e.K.": 10, "KG": 5, "AG": 3, "UG (haftungsbeschränkt)": 6, "OHG": 2,
                 "GbR": 3, "Einzelunternehmen": 4, "eG": 1, "e.V.": 1}  # fmt: skip
LEGAL_CHOICES = list(LEGAL_WEIGHTS)
LEGAL_CUM_WEIGHTS = list(itertools.accumulate(LEGAL_WEIGHTS.values()))
assert set(LEGAL_CHOICES) <= set(LEGAL_FORMS)  # noqa: S101 – keeps the weights in step with the model's choices
TAGS = [
    "Wasserstoff", "Ausbildung", "Industrie-Initiative", "Meet-the-Boss", "CE-Kennzeichnung", "Energieeffizienz",
    "Export", "Fachkräfte", "Digitalisierung", "Nachfolge",
]  # fmt: skip


@cache
def _slug(text: str) -> str:
    return slugify(text)  # names repeat a lot; slugify is the slowest step of a row


class Command(BaseCommand):
    help = "Legt viele Organisationen für Lasttests an (deterministisch, idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--organisations", type=int, default=100_000, help="Zahl der Organisationen (Ziel)")
        parser.add_argument("--seed", type=int, default=20260, help="Zufallsstartwert (gleicher Wert → gleiche Daten)")
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument("--reset", action="store_true", help="vorher alle von seed_scale angelegten Zeilen löschen")

    def handle(self, *args, organisations, seed, batch_size, reset, **options):
        if organisations < 0 or batch_size < 1:
            raise CommandError("--organisations must be >= 0 and --batch-size >= 1")
        started = time.perf_counter()
        if reset:
            deleted = self._reset()
            self.stdout.write(f"{deleted} Organisationen von seed_scale gelöscht")
        districts = self._districts()
        tags = [Tag.objects.get_or_create(name=name)[0] for name in TAGS]
        existing = Organisation.objects.filter(notes=SCALE_MARK).count()
        if existing >= organisations:
            self.stdout.write(f"Nichts zu tun: {existing} Organisationen von seed_scale vorhanden")
            return

        rng = random.Random(seed)
        created = 0
        self.database_seconds = 0.0
        batch: list[tuple[dict, list[Tag]]] = []
        for number in range(1, organisations + 1):
            row = self._row(rng, number, districts, tags)  # always drawn, so row N is the same on every run
            if number <= existing:
                continue
            batch.append(row)
            if len(batch) >= batch_size:
                created += self._write(batch)
                batch = []
                self.stdout.write(f"  {existing + created} / {organisations}", ending="\r")
                self.stdout.flush()
        if batch:
            created += self._write(batch)
        self.stdout.write("")
        write_seconds = time.perf_counter() - started
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE contacts_organisation")
                cursor.execute("ANALYZE contacts_organisation_tags")
        total_seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"{created} Organisationen angelegt in {write_seconds:.1f} s "
                f"({created / max(write_seconds, 1e-9):,.0f}/s, davon {self.database_seconds:.1f} s in bulk_create; "
                f"mit ANALYZE {total_seconds:.1f} s), "
                f"{Organisation.objects.count()} im Bestand"
            )
        )

    def _districts(self) -> tuple[list[District], list[int]]:
        """The districts and their cumulative weights (for ``rng.choices``)."""
        districts = [
            District.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0] for name in DEMO_DISTRICTS
        ]
        return districts, list(itertools.accumulate(DISTRICT_WEIGHTS.get(d.name, 10) for d in districts))

    def _row(self, rng: random.Random, number: int, districts, tags) -> tuple[dict, list[Tag]]:
        district = rng.choices(districts[0], cum_weights=districts[1])[0]
        postcode, city = rng.choice(CITIES.get(district.name) or [("48143", district.name)])
        wz_code, stem = rng.choice(SECTORS)
        family, other = rng.choice(FAMILY_NAMES), rng.choice(FAMILY_NAMES)
        pattern = rng.random()
        if pattern < 0.5:
            name = f"{family} {stem}"
        elif pattern < 0.7:
            name = f"{stem} {family}"
        elif pattern < 0.85:
            name = f"{family} & {other}"
        else:
            name = f"{city} {stem}"
        legal_form = rng.choices(LEGAL_CHOICES, cum_weights=LEGAL_CUM_WEIGHTS)[0]
        employees = int(rng.lognormvariate(2.6, 1.4)) + 1
        is_member = rng.random() < 0.75
        domain = f"{_slug(name)}-{number}"
        tag_count = rng.choices((0, 1, 2), cum_weights=(75, 93, 100))[0]
        values = dict(
            name=name,
            legal_form=legal_form,
            street=f"{rng.choice(STREETS)} {rng.randint(1, 180)}",
            postcode=postcode,
            city=city,
            district=district,
            wz_code=wz_code,
            wz_section=wz_section(wz_code),
            employees=employees,
            size_class=size_class_for(employees),
            member_number=f"{MEMBER_PREFIX}{number:07d}" if is_member else "",
            energy_intensive=wz_code[:2] in ENERGY_INTENSIVE_DIVISIONS and rng.random() < 0.7,
            website=f"https://www.{domain}.example" if rng.random() < 0.8 else "",
            email=f"info@{domain}.example" if rng.random() < 0.7 else "",
            phone=f"0{rng.randint(2000, 5999)} {rng.randint(1000, 99999)}",
            notes=SCALE_MARK,
        )
        return values, rng.sample(tags, tag_count)

    def _write(self, batch: list[tuple[dict, list[Tag]]]) -> int:
        through = Organisation.tags.through
        organisations = [Organisation(**values) for values, _ in batch]
        for organisation in organisations:
            organisation.derive()  # search text and duplicate keys (bulk_create does not call save())
        started = time.perf_counter()
        with transaction.atomic():
            organisations = Organisation.objects.bulk_create(organisations)
            through.objects.bulk_create(
                [
                    through(organisation_id=organisation.pk, tag_id=tag.pk)
                    for organisation, (_, chosen) in zip(organisations, batch, strict=True)
                    for tag in chosen
                ]
            )
        self.database_seconds += time.perf_counter() - started
        return len(organisations)

    @staticmethod
    def _reset() -> int:
        """Delete the marked rows without loading them (100k post_delete signals would take minutes)."""
        marked = Organisation.objects.filter(notes=SCALE_MARK)
        with transaction.atomic():
            Organisation.tags.through.objects.filter(organisation__in=marked)._raw_delete(using="default")
            count = marked.count()
            marked._raw_delete(using="default")  # fails on commit if another table refers to these rows
        return count
