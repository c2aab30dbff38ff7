"""No hostile input gives a server error (issue 12, item 10).

Every URL of the permission matrix, as every persona allowed to open it, with hostile values in
every query parameter its forms and links use, in the fields of the forms that post back to it,
and in every path argument (see :mod:`testing.fuzz`). One test per URL, so xdist spreads them.
"""

import pytest
from django.test import Client

from testing.fuzz import Fuzzer
from testing.matrix import matrices


@pytest.fixture(autouse=True)
def _quiet_request_log():
    # Every refused request would print a traceback; the failures list says what matters.
    import logging

    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(level)


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(matrices()[0]))
def test_hostile_input_never_gives_a_server_error(world, url_name):
    access = matrices()[0][url_name]
    fuzzer = Fuzzer(Client(raise_request_exception=False), world, url_name, access)
    failures = fuzzer.run()
    assert not failures, f"{url_name}: {len(failures)} of {fuzzer.requests} requests failed:\n" + "\n".join(
        str(failure) for failure in failures[:40]
    )


@pytest.mark.django_db
def test_the_fuzzer_finds_planted_server_errors_in_parameters_links_and_path_arguments(settings, world):
    from testing.access import Public

    settings.ROOT_URLCONF = "core.tests.urls_with_error"
    found = set()
    for url_name, kwargs in (("planted_year", None), ("planted_token", lambda w: {"token": "abc"})):
        fuzzer = Fuzzer(Client(raise_request_exception=False), world, url_name, Public(kwargs=kwargs))
        found |= {(failure.where, failure.value) for failure in fuzzer.run()}
    assert {("jahr", "²"), ("seite", "²"), ("<token>", "x" * 10_000)} <= found  # form field, link, path
    assert ("sortierung", "²") not in found  # a parameter the page ignores does not fail
