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
