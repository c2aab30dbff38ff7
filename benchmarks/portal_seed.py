"""Fill a database with 20,000 portal companies and 100,000 offers (bulk, for the benchmark).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kw_portal_bench KAMMERWERK_INSECURE_DEV_KEY=1 \
        .venv/bin/python benchmarks/portal_seed.py [--companies 20000 --offers 100000]

Idempotent: does nothing if the portal already holds that many companies. Search columns are
computed with the same functions the services use (``portal.services._offer_index``).
"""

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.portal_settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.text import slugify  # noqa: E402

from contacts.demo import CITIES, FAMILY_NAMES  # noqa: E402
from contacts.models import District, Organisation  # noqa: E402
from contacts.regions import DEMO_DISTRICTS  # noqa: E402
from portal.demo import STEMS  # noqa: E402
from portal.models import CompanyProfile, Occupation, Offer, Site  # noqa: E402
from portal.services import _offer_index  # noqa: E402
from portal.text import stem_text  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--companies", type=int, default=20_000)
    parser.add_argument("--offers", type=int, default=100_000)
    args = parser.parse_args()
    if CompanyProfile.objects.count() >= args.companies:
        print(f"already seeded: {CompanyProfile.objects.count()} companies, {Offer.objects.count()} offers")
        return
    rng = random.Random("portal-bench")
    started = time.monotonic()
    districts = {
        name: District.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0] for name in DEMO_DISTRICTS
    }
    occupations = {o.number: o for o in Occupation.objects.all()}
    today = timezone.localdate()
    year = today.year if today.month < 8 else today.year + 1
    starts = [
        datetime.date(year, 8, 1),
        datetime.date(year, 9, 1),
        datetime.date(year + 1, 8, 1),
        datetime.date(year - 1, 8, 1),
    ]
    stems = list(STEMS.items())
    with transaction.atomic():
        organisations = []
        for number in range(args.companies):
            district = rng.choice(DEMO_DISTRICTS)
            postcode, city = rng.choice(CITIES[district])
            stem, _ = stems[number % len(stems)]
            organisations.append(Organisation(
                name=f"{rng.choice(FAMILY_NAMES)} {stem} {number}", street=f"Industriestraße {number % 200 + 1}",
                postcode=postcode, city=city, district=districts[district], member_number=f"BM{number:07d}",
            ))  # fmt: skip
        Organisation.objects.bulk_create(organisations, batch_size=2000)
        organisations = list(
            Organisation.objects.filter(member_number__startswith="BM").select_related("district").order_by("pk")
        )
        profiles = []
        for number, organisation in enumerate(organisations):
            stem, (sector, _numbers) = stems[number % len(stems)]
            profiles.append(CompanyProfile(
                organisation=organisation, name=organisation.name, slug=slugify(f"{organisation.name}"),
                short_description=f"{stem} aus {organisation.city}.", sector=sector, employees=rng.randint(5, 2000),
            ))  # fmt: skip
        CompanyProfile.objects.bulk_create(profiles, batch_size=2000)
        profiles = list(CompanyProfile.objects.select_related("organisation__district").order_by("pk"))
        Site.objects.bulk_create(
            [Site(profile=p, name="Hauptsitz", street=p.organisation.street, postcode=p.organisation.postcode,
                  city=p.organisation.city, district=p.organisation.district, is_main=True) for p in profiles],
            batch_size=2000,
        )  # fmt: skip
        through = CompanyProfile.occupations.through
        links, trained = [], {}
        for number, profile in enumerate(profiles):
            _stem, (_sector, numbers) = stems[number % len(stems)]
            chosen = [occupations[n] for n in rng.sample(numbers, min(3, len(numbers)))]
            trained[profile.pk] = chosen
            links += [through(companyprofile_id=profile.pk, occupation_id=o.pk) for o in chosen]
            profile.search_stems = stem_text(
                profile.name, profile.short_description, profile.get_sector_display(), profile.organisation.city,
                profile.organisation.district.name, " ".join(o.name for o in chosen),
            )  # fmt: skip
        through.objects.bulk_create(links, batch_size=5000)
        CompanyProfile.objects.bulk_update(profiles, ["search_stems"], batch_size=2000)
        print(f"{len(profiles)} companies in {time.monotonic() - started:.0f} s")
        offers = []
        for number in range(args.offers):
            profile = profiles[number % len(profiles)]
            occupation = trained[profile.pk][number % len(trained[profile.pk])]
            offer = Offer(
                profile=profile, occupation=occupation, kind=Offer.Kind.APPRENTICESHIP, start_date=starts[number % 4],
                places=1 + number % 4, requirements="Fachoberschulreife", how_to_apply="Per E-Mail",
                slug=f"{occupation.slug}-{profile.slug}-{number}"[:160],
            )  # fmt: skip
            _offer_index(offer, profile)
            offers.append(offer)
            if len(offers) == 5000:
                Offer.objects.bulk_create(offers)
                offers = []
        Offer.objects.bulk_create(offers)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"{CompanyProfile.objects.count()} companies, {Offer.objects.count()} offers in {time.monotonic() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
