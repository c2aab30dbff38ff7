"""Which endpoint URLs we post to: http(s) only, never a link-local or cloud-metadata address, and in
production only public addresses (no loopback, no private network) unless WEBHOOKS_ALLOW_PRIVATE.

Checked when staff save an endpoint and again before every POST (the name may resolve elsewhere by
then). Redirects are not followed, and no proxy is used, so the address checked is the one posted to.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from core.errors import ServiceError

# Cloud metadata services outside 169.254.0.0/16 (AWS over IPv6, Alibaba).
METADATA = {ipaddress.ip_address("fd00:ec2::254"), ipaddress.ip_address("100.100.100.200")}


class AddressRefused(ServiceError):
    default_code = "bad_url"


def _private_allowed() -> bool:
    return bool(settings.DEBUG or getattr(settings, "WEBHOOKS_ALLOW_PRIVATE", False))


def address_refusal(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why we do not post to ``address`` (``None``: we do)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address.is_link_local or address in METADATA:
        return _("Link-lokale Adressen und Metadaten-Dienste (wie 169.254.169.254) sind als Ziel nicht erlaubt.")
    if address.is_multicast or address.is_unspecified:
        return _("Diese Adresse kann kein Ziel eines Webhooks sein.")
    if not address.is_global and not _private_allowed():
        return _("Interne Adressen (localhost, private Netze) sind als Ziel nicht erlaubt; nur öffentlich erreichbare.")
    return None


def resolve(host: str, port: int) -> list:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError, ValueError):
        return []
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


def url_check(url: str) -> str:
    """The URL, stripped, or :class:`AddressRefused` with a German message (field ``url``)."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise AddressRefused(_("Bitte geben Sie eine gültige Adresse an."), field="url") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AddressRefused(
            _("Bitte geben Sie eine Adresse an, die mit https:// (oder http://) beginnt."), field="url"
        )
    if parts.username or parts.password:
        raise AddressRefused(_("Die Adresse darf keinen Benutzernamen und kein Passwort enthalten."), field="url")
    try:
        literal = ipaddress.ip_address(parts.hostname)
    except ValueError:
        literal = None
    addresses = [literal] if literal else resolve(parts.hostname, port)
    if not addresses:
        raise AddressRefused(
            _("Der Rechner „%(host)s“ ist nicht bekannt (DNS).") % {"host": parts.hostname}, field="url"
        )
    for address in addresses:
        reason = address_refusal(address)
        if reason:
            raise AddressRefused(reason, field="url")
    return url
