"""What every endpoint shares: the error body, ids, keyset (cursor) pagination."""

import base64
import json
from hashlib import md5
from typing import Annotated

from django.utils.cache import quote_etag
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Schema
from pydantic import ConfigDict

from api.auth import ApiError

MAX_ID = 2_147_483_647
PAGE_SIZE = 50

Id = Annotated[int, Path(ge=1, le=MAX_ID)]
BodyId = Annotated[int, Field(ge=1, le=MAX_ID)]
Limit = Annotated[int, Query(ge=1, le=200, description="Einträge je Seite (1–200)")]
Cursor = Annotated[str, Query(max_length=200, description="`next_cursor` der vorigen Seite")]


class FieldError(Schema):
    field: str
    message: str


class Error(Schema):
    code: str = Field(description="stabiler Fehlercode, z. B. `scope_missing`")
    message: str
    field: str | None = None
    errors: list[FieldError] | None = None


ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error, 429: Error}
PUBLIC_ERRORS = {400: Error, 401: Error, 404: Error, 422: Error, 429: Error}


class Input(Schema):
    """Input bodies: unknown fields are refused (422 ``invalid``)."""

    model_config = ConfigDict(extra="forbid")


def encode_cursor(pk: int) -> str:
    return base64.urlsafe_b64encode(json.dumps([pk]).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        (pk,) = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(pk, int) or not 0 <= pk <= MAX_ID:
            raise ValueError
        return pk
    except (ValueError, TypeError, UnicodeDecodeError):
        raise ApiError(
            400, "cursor_invalid", _("Der Cursor ist ungültig; nehmen Sie `next_cursor` einer Antwort.")
        ) from None


def keyset_page(queryset, cursor: str, limit: int) -> dict:
    """One page of a queryset ordered by ``id``: rows after the cursor, no COUNT, no OFFSET."""
    if cursor:
        queryset = queryset.filter(pk__gt=decode_cursor(cursor))
    rows = list(queryset[: limit + 1])
    next_cursor = encode_cursor(rows[limit - 1].pk) if len(rows) > limit else None
    return {"items": rows[:limit], "next_cursor": next_cursor}


def get_or_404(queryset, pk: int):
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise ApiError(404, "not_found", _("Nicht gefunden."))
    return found


def current_etag(request, schema, obj) -> str:
    """The ETag a GET of ``obj`` answers (Django's: the MD5 of the JSON body ninja renders)."""
    from ninja.renderers import JSONRenderer

    content = JSONRenderer().render(request, schema.model_validate(obj).model_dump(), response_status=200)
    body = content.encode() if isinstance(content, str) else content
    return quote_etag(md5(body, usedforsecurity=False).hexdigest())


def check_if_match(request, schema, obj) -> None:
    """``If-Match``: write only if the caller saw the current version (else 412, nothing changed)."""
    wanted = request.headers.get("If-Match", "").strip()
    if not wanted or wanted == "*":
        return
    tags = {tag.strip().removeprefix("W/") for tag in wanted.split(",")}
    if current_etag(request, schema, obj) not in tags:
        raise ApiError(
            412, "precondition_failed",
            _("Die Organisation wurde inzwischen geändert; laden Sie sie neu (ETag) und versuchen Sie es erneut."),
        )  # fmt: skip
