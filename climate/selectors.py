"""Reads of the climate module, each in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum

from climate.models import (
    CalculatorUse,
    CO2Price,
    EmissionFactor,
    PolicyTalk,
    Publication,
    ReferenceTableVersion,
    SurveyInvitation,
    SurveySubmission,
)
from contacts.models import District
from contacts.regions import WZ_SECTIONS

ZERO = Decimal(0)

LATEST_SUBMISSIONS = 50
LATEST_INVITATIONS = 30
TALKS_PER_PAGE = 50


def _submissions(*, district_id: int | None = None, section: str = ""):
    submissions = SurveySubmission.objects.all()
    if district_id:
        submissions = submissions.filter(district_id=district_id)
    if section:
        submissions = submissions.filter(wz_section=section)
    return submissions


@dataclass
class DemandRow:
    key: str
    label: str
    companies: int = 0
    full_t: Decimal = ZERO  # demand once every announced switch has happened
    by_year: list[Decimal] = field(default_factory=list)  # cumulative, per year of ``years``


@dataclass
class RegionalDemand:
    years: list[int]
    districts: list[DemandRow]
    sectors: list[DemandRow]
    total: DemandRow
    hosts: int
    need_connection: int


def _cumulate(per_year: dict[int, Decimal], years: list[int]) -> list[Decimal]:
    running, out = ZERO, []
    for year in years:
        running += per_year.get(year, ZERO)
        out.append(running)
    return out


def regional_demand(*, district_id: int | None = None, section: str = "") -> RegionalDemand:
    """Current submissions aggregated by district and WZ section, cumulative by switch year (two queries)."""
    # "IN (true)" rather than "= true": Django writes the latter as a bare column on SQLite, which
    # cannot use the covering index climate_sub_agg (1.1 s instead of 0.2 s for 100,000 rows).
    submissions = _submissions(district_id=district_id, section=section).filter(is_current__in=[True])
    grouped = list(
        submissions.values("district_id", "wz_section", "switch_year")
        .annotate(
            t=Sum("h2_demand_t"),
            n=Count("id"),
            hosts=Count("id", filter=Q(can_host=True)),
            connect=Count("id", filter=Q(needs_connection=True)),
        )  # fmt: skip
        .order_by()
    )
    flags = {"hosts": sum(g["hosts"] for g in grouped), "connect": sum(g["connect"] for g in grouped)}
    names = dict(District.objects.values_list("id", "name"))
    years = sorted({g["switch_year"] for g in grouped})
    by_district: dict = defaultdict(lambda: defaultdict(lambda: ZERO))
    by_sector: dict = defaultdict(lambda: defaultdict(lambda: ZERO))
    counts_d: dict = defaultdict(int)
    counts_s: dict = defaultdict(int)
    total: dict = defaultdict(lambda: ZERO)
    count_total = 0
    for g in grouped:
        t = g["t"] or ZERO
        by_district[g["district_id"]][g["switch_year"]] += t
        by_sector[g["wz_section"]][g["switch_year"]] += t
        counts_d[g["district_id"]] += g["n"]
        counts_s[g["wz_section"]] += g["n"]
        total[g["switch_year"]] += t
        count_total += g["n"]

    def rows(data, counts, label_for):
        result = [
            DemandRow(
                key=str(key or ""),
                label=label_for(key),
                companies=counts[key],
                full_t=sum(data[key].values(), ZERO),
                by_year=_cumulate(data[key], years),
            )  # fmt: skip
            for key in data
        ]
        return sorted(result, key=lambda r: (-r.full_t, r.label))

    return RegionalDemand(
        years=years,
        districts=rows(by_district, counts_d, lambda k: names.get(k, "–") if k else "–"),
        sectors=rows(by_sector, counts_s, lambda k: f"{k} – {WZ_SECTIONS[k]}" if k in WZ_SECTIONS else "–"),
        total=DemandRow(
            key="total",
            label="",
            companies=count_total,
            full_t=sum(total.values(), ZERO),
            by_year=_cumulate(total, years),
        ),  # fmt: skip
        hosts=flags["hosts"],
        need_connection=flags["connect"],
    )


def submissions_latest(limit: int = LATEST_SUBMISSIONS) -> list[SurveySubmission]:
    """The newest answers with their organisation and district (one query)."""
    return list(SurveySubmission.objects.select_related("organisation", "district").order_by("-created_at")[:limit])


def submission_rows(*, district_id: int | None = None, section: str = ""):
    """Every answer (current and superseded) for the export, newest first: one query, read in chunks."""
    return (
        _submissions(district_id=district_id, section=section)
        .order_by("-created_at", "-id")
        .values_list(
            "organisation__name",
            "organisation__member_number",
            "district__name",
            "wz_section",
            "contact_name",
            "contact_email",
            "natural_gas_kwh",
            "heating_oil_l",
            "switch_year",
            "switch_share",
            "h2_demand_t",
            "can_host",
            "needs_connection",
            "note",
            "created_at",
            "is_current",
        )  # fmt: skip
        .iterator(chunk_size=2000)
    )


def invitations_latest(limit: int = LATEST_INVITATIONS) -> list[SurveyInvitation]:
    """The newest invitations with their organisation and whether an answer came through the link (one query)."""
    answered = SurveySubmission.objects.filter(invitation=OuterRef("pk"))
    return list(
        SurveyInvitation.objects.select_related("organisation")
        .annotate(answered=Exists(answered))
        .order_by("-created_at", "-id")[:limit]
    )


def calculator_uses(year: int) -> list[CalculatorUse]:
    """The calculator's monthly counters of ``year`` (one query)."""
    return list(CalculatorUse.objects.filter(month__year=year).order_by("month"))


def talks_latest(limit: int = 5) -> list[PolicyTalk]:
    return list(PolicyTalk.objects.order_by("-date", "-id")[:limit])


def talks_filtered(*, year: int | None = None, q: str = ""):
    """Policy talks of a year and/or with ``q`` in topic or institution, newest first (a queryset to page)."""
    talks = PolicyTalk.objects.order_by("-date", "-id")
    if year:
        talks = talks.filter(date__year=year)
    if q:
        talks = talks.filter(Q(topic__icontains=q) | Q(institution__icontains=q))
    return talks


def talk_rows(*, year: int | None = None, q: str = ""):
    """The talks of :func:`talks_filtered` for the export: one query, read in chunks."""
    return (
        talks_filtered(year=year, q=q)
        .values_list("date", "institution", "people", "topic", "outcome")
        .iterator(chunk_size=2000)
    )


def publications_latest(limit: int = 5) -> list[Publication]:
    return list(Publication.objects.order_by("-published_on", "title")[:limit])


def publications_all() -> list[Publication]:
    return list(Publication.objects.order_by("-published_on", "title"))


def publications_public() -> list[Publication]:
    return list(Publication.objects.filter(is_public=True).order_by("-published_on", "title"))


def reference_versions() -> list[ReferenceTableVersion]:
    """Every version of the reference tables, newest first, with who made it (one query)."""
    return list(ReferenceTableVersion.objects.select_related("created_by", "based_on").order_by("-created_at", "-id"))


def reference_tables(version: ReferenceTableVersion) -> tuple[list[CO2Price], list[EmissionFactor]]:
    """The price and EBeV rows of one version (two queries)."""
    return list(version.prices.order_by("year")), list(version.factors.order_by("regulation", "nr"))


# --- figures for the annual report (aggregate queries only; added for the reports module) -----------------


def _latest_by_end_of(end):
    """Each organisation's last answer submitted before ``end`` (a newer one before ``end`` supersedes it)."""
    newer = SurveySubmission.objects.filter(organisation_id=OuterRef("organisation_id"), created_at__lt=end).filter(
        Q(created_at__gt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), pk__gt=OuterRef("pk"))
    )
    return SurveySubmission.objects.filter(created_at__lt=end).exclude(Exists(newer))


def reported_demand_at(end) -> dict:
    """Companies that reported a demand and the sum of their latest answers before ``end`` (1 query)."""
    totals = _latest_by_end_of(end).aggregate(companies=Count("organisation_id"), tonnes=Sum("h2_demand_t"))
    return {"companies": totals["companies"] or 0, "tonnes": (totals["tonnes"] or ZERO).quantize(Decimal("0.001"))}


def reported_demand_by_district(end) -> list[tuple[str | None, Decimal]]:
    """The latest answers' demand per district, as reported before ``end`` (1 query)."""
    rows = _latest_by_end_of(end).values("district__name").annotate(tonnes=Sum("h2_demand_t")).order_by()
    rows = sorted(rows, key=lambda row: (row["district__name"] is None, row["district__name"] or ""))
    return [(row["district__name"], (row["tonnes"] or ZERO).quantize(Decimal("0.001"))) for row in rows]
