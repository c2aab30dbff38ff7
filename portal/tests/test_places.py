"""The towns shipped for "near me": complete for the region, plausible, found however a pupil types them."""

import itertools
import math

import pytest

from portal.places import distance_text, haversine_km, municipalities, normalise, place_for, place_lookup, places

# Every town and municipality of Nord-Westfalen, by district (the chamber's region).
REGION = {
    "Münster": ["Münster"],
    "Gelsenkirchen": ["Gelsenkirchen"],
    "Bottrop": ["Bottrop"],
    "Borken": [
        "Ahaus", "Bocholt", "Borken", "Gescher", "Gronau (Westf.)", "Heek", "Heiden", "Isselburg", "Legden",
        "Raesfeld", "Reken", "Rhede", "Schöppingen", "Stadtlohn", "Südlohn", "Velen", "Vreden",
    ],
    "Coesfeld": [
        "Ascheberg", "Billerbeck", "Coesfeld", "Dülmen", "Havixbeck", "Lüdinghausen", "Nordkirchen", "Nottuln",
        "Olfen", "Rosendahl", "Senden",
    ],
    "Steinfurt": [
        "Altenberge", "Emsdetten", "Greven", "Hörstel", "Hopsten", "Horstmar", "Ibbenbüren", "Ladbergen", "Laer",
        "Lengerich", "Lienen", "Lotte", "Metelen", "Mettingen", "Neuenkirchen", "Nordwalde", "Ochtrup", "Recke",
        "Rheine", "Saerbeck", "Steinfurt", "Tecklenburg", "Westerkappeln", "Wettringen",
    ],
    "Warendorf": [
        "Ahlen", "Beckum", "Beelen", "Drensteinfurt", "Ennigerloh", "Everswinkel", "Oelde", "Ostbevern",
        "Sassenberg", "Sendenhorst", "Telgte", "Wadersloh", "Warendorf",
    ],
    "Recklinghausen": [
        "Castrop-Rauxel", "Datteln", "Dorsten", "Gladbeck", "Haltern am See", "Herten", "Marl", "Oer-Erkenschwick",
        "Recklinghausen", "Waltrop",
    ],
}  # fmt: skip


def test_every_municipality_of_the_region_is_shipped_once_with_its_district():
    shipped = {(place.district, place.name) for place in municipalities()}
    expected = {(district, name) for district, names in REGION.items() for name in names}
    assert shipped == expected
    assert len(municipalities()) == 78


def test_coordinates_are_plausible_for_the_region():
    # The region spans about 51.5–52.4 °N and 6.4–8.3 °E (Isselburg and Anholt lie west of Bocholt, at 6.4x °E).
    for place in places():
        assert 51.45 <= place.latitude <= 52.45, place
        assert 6.40 <= place.longitude <= 8.30, place
        assert all(len(code) == 5 and code.isdigit() for code in place.postcodes), place
    by_name = {place.name: place for place in places()}
    # neighbours are near, the corners are far apart (straight-line kilometres)
    assert 13 <= _km(by_name["Münster"], by_name["Greven"]) <= 16
    assert 29 <= _km(by_name["Münster"], by_name["Coesfeld"]) <= 34
    assert 15 <= _km(by_name["Bocholt"], by_name["Borken"]) <= 19
    assert 11 <= _km(by_name["Gelsenkirchen"], by_name["Recklinghausen"]) <= 15
    assert 118 <= _km(by_name["Isselburg"], by_name["Wadersloh"]) <= 128
    # a district of a town lies within 12 km of its town
    for place in places():
        if place.part_of:
            assert _km(place, by_name[place.part_of]) < 12, place


def test_no_two_places_share_a_postcode_or_a_spot():
    codes = [code for place in places() for code in place.postcodes]
    assert len(codes) == len(set(codes))
    for first, second in itertools.combinations(municipalities(), 2):
        assert _km(first, second) > 2, (first.name, second.name)


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("Münster", "Münster"), ("muenster", "Münster"), ("MUNSTER", "Münster"), ("48653", "Coesfeld"),
        ("48653 Coesfeld", "Coesfeld"), ("Gronau", "Gronau (Westf.)"), ("Gronau (Westf.)", "Gronau (Westf.)"),
        ("Haltern", "Haltern am See"), ("Castrop-Rauxel", "Castrop-Rauxel"), ("Münster-Hiltrup", "Hiltrup"),
        ("Gelsenkirchen-Buer", "Buer"), ("Steinfurt-Borghorst", "Borghorst"), ("44575", "Castrop-Rauxel"),
    ],
)  # fmt: skip
def test_a_pupil_finds_their_town_however_they_type_it(typed, found):
    assert place_lookup(typed).name == found


def test_unknown_places_are_not_guessed():
    assert place_lookup("Berlin") is None
    assert place_lookup("12345") is None
    assert place_lookup("") is None
    # a company's site: its town first, its postcode when the town is unknown
    assert place_for("Burgsteinfurt", "48565").name == "Burgsteinfurt"
    assert place_for("Gewerbegebiet Nord", "48565").name == "Steinfurt"
    assert place_for("Irgendwo", "") is None


def test_portable_distance_orders_like_the_great_circle():
    """The SQL approximation (equirectangular) is within 0.5 % of haversine across the region."""
    origin = place_lookup("Coesfeld")
    kx = math.pi * 6371.0088 / 180 * math.cos(math.radians(origin.latitude))
    ky = math.pi * 6371.0088 / 180
    for place in places():
        approx = math.hypot((place.latitude - origin.latitude) * ky, (place.longitude - origin.longitude) * kx)
        exact = haversine_km(origin.latitude, origin.longitude, place.latitude, place.longitude)
        assert abs(approx - exact) <= max(0.005 * exact, 0.01), place


def test_distance_text_is_rounded_like_people_say_it():
    assert distance_text(12.4) == "ca. 12 km"
    assert distance_text(0.4) == "unter 1 km"
    assert normalise("Gronau (Westf.)") == "gronau"


def _km(first, second):
    return haversine_km(first.latitude, first.longitude, second.latitude, second.longitude)
