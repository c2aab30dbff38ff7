"""Reference tables: load the data files into a version, read a version into dataclasses.

``load_version_from_files`` is used by the data migration and by
``manage.py climate_load_reference``; ``current_reference()`` gives the
calculator the current version as plain dataclasses, cached per version id.
"""

import csv
import datetime
import json
import re
from decimal import Decimal
from functools import cache

from climate.calculator import DATA_DIR, FUELS, Factor, Price, ReferenceData

REGULATION_YEARS = {"EBeV 2022": (2021, 2022), "EBeV 2030": (2023, 2030)}
INITIAL_LABEL = "BEHG/EBeV – Rechtsstand 19.08.2026"
INITIAL_SOURCE = (
    "§ 10 BEHG (gesetze-im-internet.de, konsolidierte Fassung, Stand 19.08.2026); EBeV 2030 Anlage 2 Teil 4 "
    "(BGBl. I 2022, 2881); EBeV 2022 Anlage 1 Teil 4 (BGBl. I 2020, 3021); Szenarien 2026–2030: Annahmen der Kammer "
    "(siehe co2_price_scenarios.csv)"
)


def _dec(text: str) -> Decimal | None:
    text = (text or "").strip()
    return Decimal(text) if text else None


def read_price_rows() -> list[dict]:
    """Fixed prices from co2_price_behg.csv; corridor and scenario years from co2_price_scenarios.csv."""
    rows: dict[int, dict] = {}
    with (DATA_DIR / "co2_price_behg.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            year = int(row["year"])
            if row["price_type"] == "fixed price":
                price = Decimal(row["price_eur_per_t"])
                rows[year] = {
                    "year": year, "kind": "fixed", "low": price, "mid": price, "high": price,
                    "legal_basis": row["legal_basis"], "status": row["confirmation"], "source": row["source"],
                }  # fmt: skip
    with (DATA_DIR / "co2_price_scenarios.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            year = int(row["year"])
            rows[year] = {
                "year": year, "kind": row["kind"], "low": Decimal(row["low"]), "mid": Decimal(row["mid"]),
                "high": Decimal(row["high"]), "legal_basis": row["legal_basis"], "status": row["status"],
                "source": row["source"],
            }  # fmt: skip
    return [rows[year] for year in sorted(rows)]


def read_factor_rows() -> list[dict]:
    rows = []
    with (DATA_DIR / "ebev_standard_values.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            first, last = REGULATION_YEARS[row["regulation"]]
            gj_per_mwh = None
            match = re.match(r"\s*(\d+),(\d+)\s*GJ/MWh", row["conversion_factor_text"])
            if match:
                gj_per_mwh = Decimal(f"{match.group(1)}.{match.group(2)}")
            rows.append(
                {
                    "regulation": row["regulation"],
                    "first_year": first,
                    "last_year": last,
                    "nr": row["nr"],
                    "fuel_de": row["fuel_de"],
                    "fuel_en": row["fuel_en"],
                    "conversion_text": row["conversion_factor_text"][:200],
                    "density_t_per_1000l": _dec(row["density_t_per_1000l"]),
                    "hi_gj_per_t": _dec(row["hi_gj_per_t"]),
                    "gj_per_mwh_hs": gj_per_mwh,
                    "ef_t_per_gj": Decimal(row["ef_t_co2_per_gj_hi"]),
                    "source": row["source"],
                }  # fmt: skip
            )
    return rows


def load_version_from_files(version_model, price_model, factor_model, *, label=INITIAL_LABEL, source=INITIAL_SOURCE,
                            valid_from=datetime.date(2026, 8, 19), note="", user=None):  # fmt: skip
    """Create a version holding every row of the data files (the migration passes historical models)."""
    version = version_model.objects.create(
        label=label, valid_from=valid_from, source=source, note=note, created_by=user
    )
    price_model.objects.bulk_create(price_model(version=version, **row) for row in read_price_rows())
    factor_model.objects.bulk_create(factor_model(version=version, **row) for row in read_factor_rows())
    return version


def read_becv() -> dict:
    return json.loads((DATA_DIR / "becv.json").read_text(encoding="utf-8"))


def read_hydrogen() -> dict:
    return json.loads((DATA_DIR / "hydrogen.json").read_text(encoding="utf-8"))


def read_hydrogen_prices() -> list[dict]:
    with (DATA_DIR / "hydrogen_prices.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


# --- database → dataclasses --------------------------------------------------------


def current_version():
    """The newest version already in force (a version dated in the future waits for its day)."""
    from django.utils import timezone

    from climate.models import ReferenceTableVersion

    query, row = _in_force_query()
    rows = query.rows(today=timezone.localdate())
    version = row.instance(rows[0]) if rows else ReferenceTableVersion.objects.order_by("valid_from", "-id").first()
    return version or _load_initial_version()


@cache
def _in_force_query():
    """The newest version in force on a day: compiled once per process (every calculation asks)."""
    from climate.models import ReferenceTableVersion
    from core.prepared import SAMPLE_DAY, PreparedQuery, RowModel

    row = RowModel(ReferenceTableVersion)
    query = PreparedQuery(
        lambda today: (
            ReferenceTableVersion.objects.filter(valid_from__lte=today)
            .order_by("-created_at", "-id")
            .values(*row.names)[:1]
        ),
        today=SAMPLE_DAY,
    )
    return query, row


def _load_initial_version():
    """The migration loads the data files; a flushed database (e.g. after a transactional test) loads them here."""
    from django.db import IntegrityError, transaction

    from climate.models import CO2Price, EmissionFactor, ReferenceTableVersion

    try:
        with transaction.atomic():
            return load_version_from_files(ReferenceTableVersion, CO2Price, EmissionFactor)
    except IntegrityError:
        return ReferenceTableVersion.objects.get(label=INITIAL_LABEL)


@cache
def _reference_for(version_id: int, stamp: str) -> ReferenceData:
    from climate.models import ReferenceTableVersion

    version = ReferenceTableVersion.objects.get(pk=version_id)
    prices = {
        p.year: Price(
            year=p.year,
            kind=p.kind,
            low=p.low,
            mid=p.mid,
            high=p.high,
            legal_basis=p.legal_basis,
            status=p.status,
            source=p.source,
        )  # fmt: skip
        for p in version.prices.all()
    }
    factors, regulation_years = {}, {}
    for f in version.factors.all():
        factors[(f.regulation, f.nr)] = Factor(
            regulation=f.regulation, nr=f.nr, fuel_de=f.fuel_de, ef_t_per_gj=f.ef_t_per_gj, hi_gj_per_t=f.hi_gj_per_t,
            density_t_per_1000l=f.density_t_per_1000l, gj_per_mwh_hs=f.gj_per_mwh_hs, source=f.source,
        )  # fmt: skip
        regulation_years[f.regulation] = (f.first_year, f.last_year)
    return ReferenceData(
        version_id=version.pk, version_label=version.label, version_source=version.source, prices=prices,
        factors=factors, regulation_years=regulation_years, fuels=FUELS,
    )  # fmt: skip


def reference_for(version) -> ReferenceData:
    """A version never changes once written, so its dataclasses are cached (keyed by id and creation time)."""
    return _reference_for(version.pk, version.created_at.isoformat())


def current_reference() -> ReferenceData | None:
    """The current version as dataclasses (two queries the first time a version is seen, one after)."""
    version = current_version()
    return reference_for(version) if version else None


def clear_cache() -> None:
    _reference_for.cache_clear()


def reference_from_files(label: str = "data files") -> ReferenceData:
    """The data files as dataclasses, without the database (tests and benchmarks)."""
    prices = {row["year"]: Price(**{k: row[k] for k in ("year", "kind", "low", "mid", "high", "legal_basis", "status",
                                                         "source")}) for row in read_price_rows()}  # fmt: skip
    factors, regulation_years = {}, {}
    for row in read_factor_rows():
        factors[(row["regulation"], row["nr"])] = Factor(
            regulation=row["regulation"], nr=row["nr"], fuel_de=row["fuel_de"], ef_t_per_gj=row["ef_t_per_gj"],
            hi_gj_per_t=row["hi_gj_per_t"], density_t_per_1000l=row["density_t_per_1000l"],
            gj_per_mwh_hs=row["gj_per_mwh_hs"], source=row["source"],
        )  # fmt: skip
        regulation_years[row["regulation"]] = (row["first_year"], row["last_year"])
    return ReferenceData(version_id=None, version_label=label, version_source="", prices=prices, factors=factors,
                         regulation_years=regulation_years, fuels=FUELS)  # fmt: skip
