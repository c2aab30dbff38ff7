from django.conf import settings
from django.utils import translation
from django.utils.deprecation import MiddlewareMixin


class GermanFirstLocaleMiddleware(MiddlewareMixin):
    """German unless the visitor chose another language with the switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language; a
    German chamber's site speaks German first, and English only on request
    (the choice is kept in the language cookie).
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


def _has_nul(values) -> bool:
    return any("\x00" in key or any("\x00" in value for value in items) for key, items in values.lists())


class RejectNulMiddleware:
    """A NUL byte in the path, a query parameter or a form field is never valid input.

    PostgreSQL refuses NUL in text, so such a value would reach a view only to fail with a 500;
    this answers 400 (the site's error page) before any view sees it. Uploaded files are not
    inspected here: their readers check their own content.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            from django.core.exceptions import BadRequest

            raise BadRequest("NUL byte in the request")
        return self.get_response(request)


def content_security_policy(directives: dict[str, list[str]]) -> str:
    """``{"script-src": ["'self'"], ...}`` → ``"script-src 'self'; ..."`` (empty lists: the bare directive)."""
    return "; ".join(" ".join([name, *values]) for name, values in directives.items())


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response (``SECURE_CSP``,
    ``SECURE_CSP_REPORT_ONLY`` and ``PERMISSIONS_POLICY`` in settings).

    Django's SecurityMiddleware already sends HSTS, Referrer-Policy, nosniff and COOP; these two it
    does not (until Django 6.0, whose ``SECURE_CSP`` setting has the same shape). A view that needs
    another policy sets its own header, which is left alone.
    """

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.headers = {}
        if getattr(settings, "SECURE_CSP", None):
            self.headers["Content-Security-Policy"] = content_security_policy(settings.SECURE_CSP)
        if getattr(settings, "SECURE_CSP_REPORT_ONLY", None):
            self.headers["Content-Security-Policy-Report-Only"] = content_security_policy(
                settings.SECURE_CSP_REPORT_ONLY
            )
        if settings.PERMISSIONS_POLICY:
            self.headers["Permissions-Policy"] = ", ".join(
                f"{feature}=({' '.join(allowed)})" for feature, allowed in settings.PERMISSIONS_POLICY.items()
            )

    def __call__(self, request):
        response = self.get_response(request)
        for name, value in self.headers.items():
            response.headers.setdefault(name, value)
        return response
