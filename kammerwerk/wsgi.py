import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kammerwerk.settings")
application = get_wsgi_application()

from core.warmup import warm_up  # noqa: E402 (needs the apps loaded above)

warm_up()  # views, catalogues and templates before the first request, not during it
# What the start loaded (~240,000 objects: modules, views, templates) lives as long as the worker. Frozen,
# Python's full garbage collection no longer walks it: without this a full collection paused one request
# in ~1,000 for 140-170 ms (benchmarks/RESULTS-stafflists.md, 4 December 2026); with --preload it also
# keeps those pages shared between the workers (the gc.freeze() documentation).
gc.freeze()
