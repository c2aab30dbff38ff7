import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kammerwerk.settings")
application = get_wsgi_application()

from core.warmup import warm_up  # noqa: E402 (needs the apps loaded above)

warm_up()  # views, catalogues and templates before the first request, not during it
