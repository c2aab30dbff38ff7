"""Every URL of the app, for every persona (STYLE.md §6): one test per URL.

Fails when a URL has no entry in its app's ``tests/url_access.py``.
"""

import pytest

from testing.matrix import access_failures, matrices, url_names


def test_every_url_is_in_the_matrix():
    matrix, _ = matrices()
    missing = sorted(set(url_names()) - set(matrix))
    assert not missing, f"URLs without an entry in <app>/tests/url_access.py: {missing}"


def test_every_matrix_entry_is_a_url():
    matrix, _ = matrices()
    stale = sorted(set(matrix) - set(url_names()))
    assert not stale, f"entries in url_access.py for URLs that no longer exist: {stale}"


@pytest.mark.django_db
@pytest.mark.smoke
@pytest.mark.parametrize("url_name", sorted(matrices()[0]))
def test_permission_matrix(client, world, url_name):
    access = matrices()[0][url_name]
    failures = access_failures(client, world, url_name, access)
    assert not failures, f"{url_name}:\n" + "\n".join(failures)
