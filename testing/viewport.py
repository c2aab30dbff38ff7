"""Pages that scroll sideways on a phone: the permission matrix's public pages at 375 px.

``horizontal_overflow(page, world, prefix="portal:")`` opens every public GET page of the matrix whose
URL name starts with ``prefix`` (all of them with ``prefix=""``) in a 375 px wide tab and returns one
line per page where ``document.documentElement.scrollWidth > window.innerWidth``, naming the widest
elements. ``extra`` adds query strings per URL name (a page with filters set, another view).
"""

from pathlib import Path

from testing.access import PUBLIC
from testing.matrix import matrices, url_for

PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}
SCREENSHOTS = Path(__file__).resolve().parents[1] / "test-results" / "screens"

_CULPRITS = """() => {
  const width = window.innerWidth;
  const wide = [];
  for (const element of document.querySelectorAll("body *")) {
    const box = element.getBoundingClientRect();
    if (box.right > width + 0.5 && box.width > 0) {
      let inside = false;  // the overflow of an element in a box that scrolls by itself is fine
      for (let parent = element.parentElement; parent; parent = parent.parentElement) {
        const style = getComputedStyle(parent);
        if (["auto", "scroll", "hidden", "clip"].includes(style.overflowX)) { inside = true; break; }
      }
      if (!inside) wide.push(element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
        + (element.className && typeof element.className === "string" ? "." + element.className.trim().split(/\\s+/).join(".") : "")
        + " (" + Math.round(box.right) + " px)");
    }
  }
  return wide.slice(0, 5);
}"""


def public_pages(prefix: str = "") -> list[tuple[str, object]]:
    """The public GET pages of the permission matrix whose URL name starts with ``prefix``."""
    return [
        (name, access)
        for name, access in sorted(matrices()[0].items())
        if name.startswith(prefix) and access.is_page and access.allowed == PUBLIC
    ]


def horizontal_overflow(page, world, *, prefix: str = "", extra: dict | None = None) -> list[str]:
    """One line per page (and query variant) that is wider than a 375 px phone screen."""
    page.set_viewport_size(PHONE)
    page.context.clear_cookies()
    failures = []
    for url_name, access in public_pages(prefix):
        url = url_for(access, world, url_name)
        for query in ("", *(extra or {}).get(url_name, ())):
            page.goto(url + query)
            scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            if scroll_width > inner_width:
                culprits = ", ".join(page.evaluate(_CULPRITS)) or "?"
                failures.append(f"{url}{query} ({url_name}): {scroll_width} px at {inner_width} px – {culprits}")
    return failures


def screenshots(page, path: str, name: str) -> list[Path]:
    """Full-page screenshots of ``path`` at phone and desktop width, kept under test-results/screens/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    taken = []
    for label, size in (("375", PHONE), ("1280", DESKTOP)):
        page.set_viewport_size(size)
        page.goto(path)
        target = SCREENSHOTS / f"{name}-{label}.png"
        page.screenshot(path=str(target), full_page=True)
        taken.append(target)
    return taken
