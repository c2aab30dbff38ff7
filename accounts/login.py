"""The one key of the login lock (django-axes), whichever form the credentials come from.

Our login form passes the address as ``email`` (the ``USERNAME_FIELD``); the Django admin's form
passes it as ``username``. Both must lock the same account, or a locked account would still tell
a right password from a wrong one at the other form. ``settings.AXES_USERNAME_CALLABLE`` points here;
the address half of the key comes from :func:`core.http.client_ip` (``AXES_CLIENT_IP_CALLABLE``).
"""


def login_username(request, credentials: dict | None) -> str | None:
    """The address a login attempt names, stripped and lower-cased as accounts store it."""
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username")
    if value is None and request is not None:
        data = getattr(request, "POST", {})
        value = data.get("email") or data.get("username")
    return value.strip().lower() if isinstance(value, str) and value.strip() else None
