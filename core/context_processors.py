from django.conf import settings
from django.utils.functional import SimpleLazyObject

from core.fragments import request_csrf_token
from core.navigation import nav_for


def navigation(request):
    user = request.user
    return {
        "public_nav": nav_for(user, "public"),
        "staff_nav": nav_for(user, "staff") if user.is_authenticated else [],
        "organisation_name": settings.KAMMERWERK_ORGANISATION_NAME,
    }


def csrf_token(request):
    """``{% csrf_token %}`` with the token the page's fragments carry, masked once per response
    (it overrides Django's built-in processor, which would mask the secret once more)."""
    return {"csrf_token": SimpleLazyObject(lambda: request_csrf_token(request))}
