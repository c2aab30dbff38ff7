"""The CO2 cost calculator on the public home page: the two most common fuels, sent to the calculator."""

from django.utils.functional import SimpleLazyObject

from climate.forms import CalculatorForm
from core.startpage import register_home_block


@register_home_block(
    "climate.calculator", template="climate/_home_calculator.html", order=25, key=lambda context: ()
)  # the same form for everyone (the language is part of every fragment key)
def calculator(request):
    """A short form (natural gas, heating oil) that opens the full calculator with its result."""
    # built only when the fragment is rendered, not on every visit that finds it cached
    return {
        "form": SimpleLazyObject(lambda: CalculatorForm(fuels=["natural_gas", "heating_oil"], auto_id="home-co2-%s"))
    }
