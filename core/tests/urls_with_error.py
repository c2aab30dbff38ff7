"""The project's URLs plus one view that fails, to see the 500 page as a visitor would."""

from django.urls import path

from kammerwerk.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def fails(request):
    raise RuntimeError("a bug")


urlpatterns = [path("kaputt/", fails), *urlpatterns]
