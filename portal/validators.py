"""Untrusted input from company editors: images, formatted text, links."""

import io
import re
from html.parser import HTMLParser
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

# What the rich-text editor (portal/static/portal/editor.js, Squire) produces, and nothing else: paragraphs,
# line breaks, bold, italic, lists, links, headings h3/h4. The editor's paste filter uses the same list.
ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "ul", "ol", "li", "a", "h3", "h4"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def image_clean(upload, *, max_bytes: int = MAX_IMAGE_BYTES, max_side: int = 1600) -> ContentFile:
    """Check an uploaded image and return it re-encoded (no metadata, no hidden payload).

    Refuses files over ``max_bytes``, anything Pillow does not read as PNG,
    JPEG or WebP (a PDF renamed .png, an SVG, a truncated file) and images
    with absurd dimensions (decompression bombs). Larger images are scaled down to
    ``max_side`` pixels on their long side (pages never show them bigger).
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
            if max(image.size) > max_side:
                image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
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


def image_small(image_file, *, max_side: int = 640) -> ContentFile | None:
    """A smaller copy of a checked image (for lists and phones), or ``None`` if it is small already."""
    from PIL import Image

    image_file.seek(0)
    with Image.open(image_file) as image:
        image.load()
        if max(image.size) <= max_side:
            return None
        image_format = image.format
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        image.save(buffer, format=image_format)
    image_file.seek(0)
    stem = Path(image_file.name or "bild").stem[:40] or "bild"
    extension = ALLOWED_IMAGE_FORMATS[image_format][0]
    return ContentFile(buffer.getvalue(), name=f"{stem}-klein.{extension}")


_EMPTY_BLOCK = re.compile(r"<(p|h3|h4|li)>(?:\s|&nbsp;|\u00a0|<br>)*</\1>")
# A paragraph Word made to look like a list item: a bullet character, spaces, the text.
_WORD_BULLET = re.compile(r"<p>\s*[\u00b7\u2022\u25aa\u25e6\uf0b7](?:\s|&nbsp;|\u00a0)+(.*?)</p>", re.S)
_LIST_ITEMS = re.compile(r"(?:<li data-bullet>.*?</li>\s*)+", re.S)


def html_clean(text: str) -> str:
    """Formatted text as editors may write it: the editor's tags only, no scripts, no styles, safe links.

    Also tidies what a paste from Word leaves behind: empty paragraphs go, and paragraphs that start
    with a bullet character ("·", "•") become a list.
    """
    cleaned = nh3.clean(
        text or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    cleaned = _WORD_BULLET.sub(lambda match: f"<li data-bullet>{match.group(1).strip()}</li>", cleaned)
    cleaned = _LIST_ITEMS.sub(
        lambda match: "<ul>" + match.group(0).replace("<li data-bullet>", "<li>") + "</ul>", cleaned
    )
    cleaned = _EMPTY_BLOCK.sub("", cleaned)
    return cleaned.strip()


class _Inspector(HTMLParser):
    """Notices tags and attributes the allow-list does not keep."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.removed = False
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.removed = self.removed or tag not in {"span", "div", "font", "o:p"} or any(attrs)
            return
        for name, value in attrs:
            if name not in ALLOWED_ATTRIBUTES.get(tag, set()):
                self.removed = True
            elif name == "href" and (value or "").split(":", 1)[0].lower() not in ALLOWED_URL_SCHEMES:
                self.removed = True


def html_removes_content(text: str) -> bool:
    """Whether :func:`html_clean` drops more than layout (scripts, styles, event handlers, foreign links …)."""
    inspector = _Inspector()
    inspector.feed(text or "")
    inspector.close()
    return inspector.removed


validate_web_url = URLValidator(
    schemes=["http", "https"], message=_("Bitte eine Web-Adresse angeben, die mit https:// oder http:// beginnt.")
)
