"""Towns of the region with their coordinates, for "near me": offers ordered by distance.

The towns and municipalities of Nord-Westfalen ship with the app (``data/orte_nordwestfalen.csv``:
name, district, latitude, longitude, postcodes, and for a few well-known districts of a town the
town they belong to). An offer's place is looked up from its site's (or the company's) town and
postcode when the offer is saved (``services._offer_index``); a pupil names their town or postcode.

Distances: :func:`haversine_km` for what a page shows; :func:`distance_sq_sql` for ordering and the
radius filter in portable SQL (only arithmetic, the same on PostgreSQL and SQLite): the
equirectangular approximation, which differs from the great-circle distance by less than 0.1 % at
the scale of the region (100 km).
"""

import csv
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db.models import ExpressionWrapper, F, FloatField, Value
from django.utils.translation import gettext as _

DATA_FILE = Path(__file__).resolve().parent / "data" / "orte_nordwestfalen.csv"
EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180  # along a meridian
# Words of a town's name that do not identify it ("Haltern am See", "Gronau (Westf.)").
_FILLER = {"am", "an", "der", "im", "in", "bei", "westf", "westfalen", "stadt", "see"}


@dataclass(frozen=True)
class Place:
    name: str
    district: str
    latitude: float
    longitude: float
    postcodes: tuple[str, ...] = ()
    part_of: str = ""  # the municipality of a district of a town ("Hiltrup" → "Münster")

    @property
    def label(self) -> str:
        return f"{self.name} ({self.part_of})" if self.part_of else self.name


def normalise(text: str, *, umlauts: str = "e") -> str:
    """Lower case, umlauts and ß folded, parentheses and punctuation gone: "Gronau (Westf.)" → "gronau".

    Umlauts become "ue" (``umlauts="e"``) or lose their dots (``umlauts=""``: "Munster").
    """
    text = re.sub(r"\(.*?\)", " ", text or "").casefold().replace("ß", "ss")
    if umlauts:
        text = text.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9-]+", " ", text).split())


def _keys(text: str) -> list[str]:
    """The spellings a name is known under: "muenster" and "munster"; "haltern am see" and "haltern"."""
    keys = []
    for name in (normalise(text), normalise(text, umlauts="")):
        for key in (name, " ".join(word for word in name.split() if word not in _FILLER)):
            if key and key not in keys:
                keys.append(key)
    return keys


@cache
def places() -> tuple[Place, ...]:
    """Every place of the data file, municipalities first (read once per process)."""
    with DATA_FILE.open(encoding="utf-8") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter=";")
        loaded = [
            Place(
                name=row["name"],
                district=row["kreis"],
                latitude=float(row["lat"]),
                longitude=float(row["lon"]),
                postcodes=tuple(row["plz"].split()),
                part_of=row["teil_von"],
            )
            for row in rows
        ]
    return tuple(sorted(loaded, key=lambda place: (bool(place.part_of), place.name)))


@cache
def _index() -> tuple[dict[str, Place], dict[str, Place]]:
    by_name, by_postcode = {}, {}
    for place in places():
        for key in _keys(place.name):
            by_name.setdefault(key, place)
        for postcode in place.postcodes:
            by_postcode[postcode] = place
    return by_name, by_postcode


def municipalities() -> list[Place]:
    """The towns a pupil can choose from (no districts of towns), by name."""
    return [place for place in places() if not place.part_of]


def place_for(city: str = "", postcode: str = "") -> Place | None:
    """The place a town name and/or postcode denote, or ``None``.

    The whole name first ("Castrop-Rauxel", "Haltern am See"), then its parts from the most specific
    ("Münster-Hiltrup" → Hiltrup, "Gelsenkirchen-Buer" → Buer), then the postcode.
    """
    by_name, by_postcode = _index()
    for name in _keys(city):
        if name in by_name:
            return by_name[name]
    for name in _keys(city):
        parts = [part for part in re.split(r"[-\s]+", name) if len(part) > 2 and part not in _FILLER]
        for part in reversed(parts):
            if part in by_name:
                return by_name[part]
    return by_postcode.get((postcode or "").strip())


def place_lookup(text: str) -> Place | None:
    """What a pupil typed: a town ("Coesfeld", "muenster") or a postcode ("48653")."""
    text = (text or "").strip()
    if not text:
        return None
    digits = re.sub(r"\D", "", text)
    if len(digits) == 5 and len(text) <= 6:
        return place_for(postcode=digits)
    postcode = re.search(r"\b\d{5}\b", text)
    return place_for(re.sub(r"\b\d{5}\b", " ", text), postcode.group(0) if postcode else "")


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def distance_sq_sql(place: Place, latitude: str = "latitude", longitude: str = "longitude") -> ExpressionWrapper:
    """The squared distance (km²) of a row's coordinates from ``place``, in portable SQL.

    Equirectangular: ``(Δlat·k)² + (Δlon·k·cos lat₀)²``; NULL where the row has no coordinates.
    """
    ky = KM_PER_DEGREE
    kx = KM_PER_DEGREE * math.cos(math.radians(place.latitude))
    dlat = F(latitude) - Value(place.latitude)
    dlon = F(longitude) - Value(place.longitude)
    return ExpressionWrapper(dlat * dlat * Value(ky * ky) + dlon * dlon * Value(kx * kx), output_field=FloatField())


def distance_text(km: float) -> str:
    """ "ca. 12 km" (a rounded whole number; under one kilometre: "unter 1 km")."""
    if km < 1:
        return _("unter 1 km")
    return _("ca. %(km)s km") % {"km": f"{round(km):d}"}
