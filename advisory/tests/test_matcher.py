"""The funding-programme catalogue and matcher."""

import datetime

import pytest
from django.db import models
from django.urls import reverse

from advisory.matching import CompanyProfile, ProjectProfile
from advisory.models import FundingProgramme, Topic
from advisory.selectors import programmes_matched
from contacts.picker import organisation_label

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 25)


def _result(matches, slug):
    return next(m for m in matches if m.programme.slug == slug)


def test_catalogue_is_seeded_from_the_domain_facts():
    assert FundingProgramme.objects.count() == 11
    zim = FundingProgramme.objects.get(slug="zim")
    assert zim.max_employees == 499 and zim.level == "federal"
    assert FundingProgramme.objects.get(slug="go-digital").status == "ended"


def test_ended_programmes_never_fit_and_reasons_are_given():
    digital = Topic.objects.get(slug="foerderung-digitalisierung")
    matches = programmes_matched(
        CompanyProfile(employees=40, wz_section="C"),
        ProjectProfile(topic_ids=frozenset({digital.pk, digital.parent_id})),
        TODAY,
    )
    fitting = [m.programme.slug for m in matches if m.fits]
    assert "go-digital" not in fitting and "digital-jetzt" not in fitting
    assert "Programm ist beendet" in _result(matches, "go-digital").reasons_against
    assert fitting[0] == "mid-nrw"  # regional digitalisation programme ranks first
    assert matches.index(_result(matches, "go-digital")) > len(fitting) - 1


def test_large_company_gets_the_size_reason():
    innovation = Topic.objects.get(slug="foerderung-innovation")
    matches = programmes_matched(
        CompanyProfile(employees=650, wz_section="C"), ProjectProfile(topic_ids=frozenset({innovation.pk})), TODAY
    )
    assert "mehr als 499 Beschäftigte" in _result(matches, "zim").reasons_against
    assert _result(matches, "forschungszulage").fits
    assert not _result(matches, "inno-kom").fits


def test_end_date_before_project_start_does_not_fit():
    matches = programmes_matched(
        CompanyProfile(employees=20), ProjectProfile(starts_on=datetime.date(2027, 3, 1)), TODAY
    )
    assert not _result(matches, "bafa-unternehmensberatung").fits


def test_public_catalogue_lists_and_filters(client):
    response = client.get(reverse("advisory:programmes_public"))
    content = response.content.decode()
    assert "ZIM" in content and "go-digital" not in content  # open programmes by default
    content = client.get(reverse("advisory:programmes_public"), {"status": "all"}).content.decode()
    assert "go-digital" in content
    content = client.get(reverse("advisory:programmes_public"), {"level": "state"}).content.decode()
    assert "MID" in content and "ZIM – Zentrales" not in content
    content = client.get(reverse("advisory:programmes_public"), {"employees": "600"}).content.decode()
    assert "ZIM – Zentrales" not in content and "Forschungszulage" in content


def test_staff_matcher_page_and_programme_maintenance(login, staff, company_a):
    client = login(staff)
    company_a.employees = 700
    company_a.save()
    response = client.get(reverse("advisory:matcher"), {"organisation": organisation_label(company_a)})
    assert "mehr als 499 Beschäftigte" in response.content.decode()
    programme = FundingProgramme.objects.get(slug="wipano")
    data = {
        "name": programme.name, "short_name": "WIPANO", "slug": "wipano", "funder": programme.funder, "level": "federal",
        "status": "ended", "sectors": "c, x", "companies_eligible": "on",
    }  # fmt: skip
    response = client.post(reverse("advisory:programme_edit", args=[programme.pk]), data)
    assert response.status_code == 400 and "Unbekannte WZ-Abschnitte: X" in response.content.decode()
    data["sectors"] = "c"
    assert client.post(reverse("advisory:programme_edit", args=[programme.pk]), data).status_code == 302
    programme.refresh_from_db()
    assert programme.status == "ended" and programme.sectors == "C"


def test_the_catalogue_filters_by_a_topic_or_its_area_each_programme_once():
    from advisory.selectors import ProgrammeFilters, programme_list

    topic = Topic.objects.filter(parent__isnull=False, programmes__isnull=False).first()
    expected = set(topic.programmes.exclude(status="ended").values_list("slug", flat=True))
    found = [programme.slug for programme in programme_list(ProgrammeFilters(topic=topic))]
    assert expected and sorted(found) == sorted(expected)
    area = topic.parent
    in_area = FundingProgramme.objects.exclude(status="ended").filter(
        models.Q(topics=area) | models.Q(topics__parent=area)
    )
    found = [programme.slug for programme in programme_list(ProgrammeFilters(topic=area))]
    assert len(found) == len(set(found)) == len(set(in_area.values_list("slug", flat=True)))
