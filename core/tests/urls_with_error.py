"""The project's URLs plus views with planted bugs: the 500 page as a visitor sees it, and
the fuzz test's proof that it finds what it looks for."""

from django.http import HttpResponse
from django.urls import path

from kammerwerk.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def fails(request):
    raise RuntimeError("a bug")


def year_page(request):
    """A filter page with the classic bugs: ``int()`` on a parameter, trusted as a year."""
    year = int(request.GET.get("jahr") or 2020)
    page = int(request.GET.get("seite") or 1)
    return HttpResponse(
        f'<form method="get"><input name="jahr" value="{year}"><select name="sortierung">'
        f'<option value="name" selected>Name</option></select></form><a href="?seite={page + 1}">weiter</a>'
    )


def token_page(request, token):
    if len(token) > 1000:
        raise ValueError("token longer than the column")
    return HttpResponse("ok")


urlpatterns = [
    path("kaputt/", fails),
    path("planted/jahr/", year_page, name="planted_year"),
    path("planted/<str:token>/", token_page, name="planted_token"),
    *urlpatterns,
]
