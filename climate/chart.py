"""The calculator's and the survey's charts, drawn by core's SVG bar chart."""

from django.utils.translation import gettext as _

from climate.calculator import CalcResult, money
from core.charts import bar_chart


def cost_chart(result: CalcResult) -> str:
    """The calculator's CO2 cost per year: mid scenario as bars, low to high as whiskers."""
    return bar_chart(
        title=_("CO2-Kosten pro Jahr"),
        description=_("Balken: mittleres Szenario; Striche: Spanne niedrig bis hoch. Die Werte stehen in der Tabelle."),
        labels=[year.year for year in result.years],
        values=[money(year.cost["mid"]) for year in result.years],
        low=[money(year.cost["low"]) for year in result.years],
        high=[money(year.cost["high"]) for year in result.years],
        unit="€",
        chart_id="co2-chart",
    )


def demand_chart(demand) -> str | None:
    """The survey's regional hydrogen demand, cumulative by switch year; None without answers."""
    if not demand.years:
        return None
    return bar_chart(
        title=_("Regionaler Wasserstoffbedarf nach Umstiegsjahr (kumuliert)"),
        description=_("Tonnen Wasserstoff pro Jahr (Heizwertbasis), kumuliert über die geplanten Umstiegsjahre."),
        labels=demand.years,
        values=demand.total.by_year,
        unit="t H2",
        chart_id="survey-chart",
    )
