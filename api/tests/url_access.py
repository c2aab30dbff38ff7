from testing.access import Access  # noqa: F401

URL_ACCESS: dict = {}
