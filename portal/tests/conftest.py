import pytest

from portal.selectors import clear_caches


@pytest.fixture(autouse=True)
def _fresh_portal_caches():
    clear_caches()
    yield
    clear_caches()


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def portal_a(company_a):
    from portal.tests.factories import ProfileFactory

    return ProfileFactory(organisation=company_a)


@pytest.fixture
def portal_b(company_b):
    from portal.tests.factories import ProfileFactory

    return ProfileFactory(organisation=company_b)
