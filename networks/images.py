"""Logos are uploaded by staff but come from companies: read by content, never by file name."""

import io
from pathlib import Path

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from core.errors import ServiceError

MAX_LOGO_BYTES = 2 * 1024 * 1024
MAX_LOGO_PIXELS = 4000 * 4000
# Pillow format → (extension, save format). SVG, PDF, GIF, TIFF … are refused.
LOGO_FORMATS = {"PNG": ("png", "PNG"), "JPEG": ("jpg", "JPEG"), "WEBP": ("webp", "WEBP")}


class LogoRefused(ServiceError):
    default_code = "logo"


def logo_clean(upload) -> ContentFile:
    """The uploaded logo re-encoded as PNG, JPEG or WebP (no metadata, nothing hidden), or :class:`LogoRefused`.

    Pillow decides what the file is: a PDF or a text file named ``logo.png`` is refused, so is an SVG
    (it can carry scripts), an over-large file and an image with absurd dimensions.
    """
    from PIL import Image, UnidentifiedImageError

    not_image = _("Die Datei ist kein Bild. Bitte laden Sie das Logo als PNG, JPEG oder WebP hoch.")
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_LOGO_BYTES:
        raise LogoRefused(_("Das Logo ist zu groß (höchstens 2 MB)."), field="image", code="too_large")
    data = upload.read(MAX_LOGO_BYTES + 1)
    if len(data) > MAX_LOGO_BYTES:
        raise LogoRefused(_("Das Logo ist zu groß (höchstens 2 MB)."), field="image", code="too_large")
    if b"<svg" in data[:1024].lower():
        raise LogoRefused(not_image, field="image", code="not_image")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
        if image_format not in LOGO_FORMATS:
            raise LogoRefused(not_image, field="image", code="not_image")
        if width * height > MAX_LOGO_PIXELS:
            raise LogoRefused(_("Das Logo ist zu groß (höchstens 4000 × 4000 Pixel)."), field="image", code="pixels")
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            extension, save_format = LOGO_FORMATS[image_format]
            if save_format == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            buffer = io.BytesIO()
            image.save(buffer, format=save_format)
    except LogoRefused:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise LogoRefused(not_image, field="image", code="not_image") from None
    stem = Path(getattr(upload, "name", "") or "logo").stem[:40] or "logo"
    return ContentFile(buffer.getvalue(), name=f"{stem}.{extension}")
