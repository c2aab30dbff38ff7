import pytest

from climate.reference import clear_cache


@pytest.fixture(autouse=True)
def _fresh_reference_cache():
    clear_cache()
    yield
    clear_cache()
