from django.conf import settings

from core.navigation import nav_for


def navigation(request):
    user = request.user
    return {
        "public_nav": nav_for(user, "public"),
        "staff_nav": nav_for(user, "staff") if user.is_authenticated else [],
        "organisation_name": settings.KAMMERWERK_ORGANISATION_NAME,
    }
