"""Version 1 of the JSON API: one NinjaAPI, routers per module, errors as ``{"code", "message"}``."""

import json

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from api.auth import ApiError, SessionActorAuth, TokenAuth
from api.v1 import contacts, events, more, portal
from core.errors import ServiceError


def _check_text(value) -> None:
    """NUL bytes and lone surrogates cannot be stored: refuse them in the body like the pages do."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError("NUL")
        value.encode("utf-8")  # lone surrogates raise UnicodeEncodeError (a ValueError)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key)
            _check_text(item)
    elif isinstance(value, list):
        for item in value:
            _check_text(item)


class StrictJSONParser(Parser):
    def parse_body(self, request):
        data = json.loads(request.body)
        _check_text(data)
        return data


class KammerwerkSwagger(Swagger):
    """The browsable page: swagger-ui from the ninja wheel's static files (no CDN), no external validator."""


api = NinjaAPI(
    title="Kammerwerk API",
    version="1",
    description=(
        "JSON-API des Industriebereichs. Anmeldung mit `Authorization: Bearer <Token>` (Tokens legt die "
        'Geschäftsstelle unter /api/tokens/ an). Fehler: `{"code": …, "message": …}`.'
    ),
    urls_namespace="api:v1",
    auth=[TokenAuth(), SessionActorAuth()],
    parser=StrictJSONParser(),
    docs=KammerwerkSwagger(settings={"validatorUrl": None, "deepLinking": False}),
    docs_url="/docs/",
)
api.add_router("", contacts.router)
api.add_router("", events.router)
api.add_router("", portal.router)
api.add_router("", more.router)


def _error(request, status: int, code: str, message: str, *, headers=None, **extra):
    response = api.create_response(request, {"code": code, "message": str(message), **extra}, status=status)
    for key, value in (headers or {}).items():
        response[key] = value
    return response


@api.exception_handler(ApiError)
def on_api_error(request, exc: ApiError):
    return _error(request, exc.status, exc.code, exc.message, headers=exc.headers, **exc.extra)


@api.exception_handler(ServiceError)
def on_service_error(request, exc: ServiceError):
    return _error(request, 422, exc.code, exc.message, field=exc.field)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    errors = []
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ()) if part not in ("body", "data", "query", "path")]
        kind = error.get("type", "")
        if kind == "extra_forbidden":
            message = _("Unbekanntes Feld.")
        elif kind == "missing":
            message = _("Pflichtfeld fehlt.")
        else:
            message = str(error.get("msg", ""))
        errors.append({"field": ".".join(loc), "message": message})
    return _error(request, 422, "invalid", _("Die Eingabe ist ungültig; nichts wurde geändert."), errors=errors)


@api.exception_handler(AuthenticationError)
def on_authentication_error(request, exc):
    return _error(request, 401, "token_missing", _("Bitte melden Sie sich mit einem API-Token an."))


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    if exc.status_code == 400:
        return _error(request, 400, "malformed_json", _("Der Inhalt ist kein gültiges JSON (UTF-8, ohne NUL-Zeichen)."))
    if exc.status_code == 403:
        return _error(request, 403, "csrf_failed", _("CSRF-Prüfung fehlgeschlagen; nehmen Sie ein Token."))
    return _error(request, exc.status_code, "error", str(exc))


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, 404, "not_found", _("Nicht gefunden."))
