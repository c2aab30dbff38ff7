"""Untrusted input from company editors: images, formatted text, links."""

import io
from pathlib import Path

import nh3
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 6000 * 6000
# Pillow format → (extension, save format). SVG, PDF, GIF … are refused.
ALLOWED_IMAGE_FORMATS = {"PNG": ("png", "PNG"), "JPEG": ("jpg", "JPEG"), "WEBP": ("webp", "WEBP")}

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "ul", "ol", "li", "a", "h3", "h4", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def image_clean(upload, *, max_bytes: int = MAX_IMAGE_BYTES) -> ContentFile:
    """Check an uploaded image and return it re-encoded (no metadata, no hidden payload).

    Refuses files over ``max_bytes``, anything Pillow does not read as PNG,
    JPEG or WebP (a PDF renamed .png, an SVG, a truncated file) and images
    with absurd dimensions (decompression bombs).
    """
    from PIL import Image, UnidentifiedImageError

    if upload.size > max_bytes:
        raise ValidationError(
            _("Die Datei ist %(size)s MB groß; erlaubt sind höchstens %(max)s MB.")
            % {"size": f"{upload.size / 1048576:.1f}".replace(".", ","), "max": max_bytes // 1048576},
            code="too_large",
        )
    head = upload.read(512)
    upload.seek(0)
    if b"<svg" in head.lower() or Path(upload.name or "").suffix.lower() == ".svg":
        raise ValidationError(
            _("SVG-Grafiken sind nicht erlaubt. Bitte laden Sie ein PNG-, JPEG- oder WebP-Bild hoch."), code="svg"
        )
    try:
        with Image.open(upload) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
        if image_format not in ALLOWED_IMAGE_FORMATS:
            raise ValidationError(
                _("Das Format %(format)s ist nicht erlaubt. Bitte laden Sie ein PNG-, JPEG- oder WebP-Bild hoch.")
                % {"format": image_format},
                code="format",
            )
        if width * height > MAX_IMAGE_PIXELS:
            raise ValidationError(_("Das Bild ist zu groß (höchstens 6000 × 6000 Pixel)."), code="pixels")
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            extension, save_format = ALLOWED_IMAGE_FORMATS[image_format]
            if save_format == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            buffer = io.BytesIO()
            image.save(buffer, format=save_format)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(
            _("Die Datei ist kein lesbares Bild. Bitte laden Sie ein PNG-, JPEG- oder WebP-Bild hoch."),
            code="not_image",
        ) from None
    finally:
        upload.seek(0)
    stem = Path(upload.name or "bild").stem[:40] or "bild"
    return ContentFile(buffer.getvalue(), name=f"{stem}.{extension}")


def html_clean(text: str) -> str:
    """Formatted text as editors may write it: a few tags, no scripts, no event handlers, safe links."""
    return nh3.clean(
        text or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


validate_web_url = URLValidator(
    schemes=["http", "https"], message=_("Bitte eine Web-Adresse angeben, die mit https:// oder http:// beginnt.")
)
