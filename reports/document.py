"""A report's text: parsed into blocks, its placeholders resolved into a document every output draws.

What staff write in a section (German keywords, plain text):

- paragraphs, separated by an empty line; ``## Zwischenüberschrift`` on its own line;
- figures as placeholders: ``{advisory.inventor_talks}``, ``{advisory.talks_funding|rund}``,
  ``{jahr}`` (see :mod:`reports.formatting` for the options); ``{{`` and ``}}`` write braces;
- on a line of its own, a chart or a table:
  ``[[Verlauf: advisory.talks]]`` (the figure over the last 5 years; ``[[Verlauf: advisory.talks, 3]]``),
  ``[[Aufteilung: advisory.talks_by_topic]]`` (a figure by district, topic, kind …, as bars),
  ``[[Tabelle: advisory.inventor_days, advisory.inventor_talks]]`` (figures beside the previous year),
  ``[[Tabelle: events.held_by_kind]]`` (a breakdown beside the previous year).

Anything the text cannot mean – an unknown figure, an unknown option, a brace left open, a chart of
a figure that has no breakdown – becomes an :class:`Run` of kind ``error`` (or an error block) where
it stands, so the preview, the web page, the PDF and the Word file show it at its place, and
:func:`problems` lists it with its line. A version with problems cannot be frozen.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from core.figures import change, format_number
from reports import formatting
from reports.source import Meta

KEY_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
DIRECTIVE_RE = re.compile(r"^\[\[\s*([^\]:]+?)\s*(?::\s*(.*?))?\s*\]\]$")
DIRECTIVES = {"verlauf": "trend", "aufteilung": "breakdown", "tabelle": "table"}
TREND_YEARS, MIN_TREND_YEARS, MAX_TREND_YEARS = 5, 2, 10


# --- the rendered document -------------------------------------------------------------------------


@dataclass
class Run:
    text: str
    kind: str = "text"  # text | figure | error
    note: str = ""  # a figure's label, an error's message


@dataclass
class Paragraph:
    runs: list[Run]
    kind: str = "paragraph"


@dataclass
class Heading:
    text: str
    kind: str = "heading"


@dataclass
class Chart:
    title: str
    labels: list[str]
    values: list[float | None]
    texts: list[str]  # the values as printed ("1.234")
    unit: str = ""
    dimension: str = ""
    kind: str = "chart"
    chart_id: str = "grafik"

    @property
    def points(self) -> list[tuple[str, str]]:
        return list(zip(self.labels, self.texts, strict=True))

    @property
    def description(self) -> str:
        pairs = "; ".join(f"{label}: {text}" for label, text in zip(self.labels, self.texts, strict=True))
        return _("Balkendiagramm. %(title)s – %(pairs)s") % {"title": self.title, "pairs": pairs}


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list[str]]
    kind: str = "table"


@dataclass
class ErrorBlock:
    run: Run
    kind: str = "error"

    @property
    def runs(self) -> list[Run]:
        return [self.run]


@dataclass
class Problem:
    section: str
    line: int
    source: str
    message: str


@dataclass
class RenderedSection:
    title: str
    blocks: list
    problems: list[Problem] = field(default_factory=list)
    anchor: str = ""


@dataclass
class ComparisonGroup:
    name: str
    rows: list[list[str]]  # label, previous year, year, change


@dataclass
class Document:
    title: str
    subtitle: str
    year: int
    sections: list[RenderedSection]
    comparison: list[ComparisonGroup]
    frozen: bool
    status_line: str = ""

    @property
    def problems(self) -> list[Problem]:
        return [problem for section in self.sections for problem in section.problems]


# --- parsing and resolving ---------------------------------------------------------------------------


class _Context:
    def __init__(self, source, year: int, section: str):
        self.source, self.year, self.section = source, year, section
        self.problems: list[Problem] = []

    def error(self, line: int, source_text: str, message: str) -> Run:
        self.problems.append(Problem(self.section, line, source_text, message))
        return Run(source_text, kind="error", note=message)


def _placeholder(ctx: _Context, inner: str, line: int) -> Run:
    original = "{" + inner + "}"
    parts = [part.strip() for part in inner.split("|")]
    key = parts[0]
    if key in ("jahr", "vorjahr") and len(parts) == 1:
        return Run(str(ctx.year if key == "jahr" else ctx.year - 1), kind="figure", note=_("Berichtsjahr"))
    if not KEY_RE.match(key):
        return ctx.error(line, original, _("Kein gültiger Platzhalter: „%(key)s“") % {"key": key})
    meta = ctx.source.meta(key)
    if meta is None:
        return ctx.error(line, original, _("Unbekannte Kennzahl „%(key)s“") % {"key": key})
    if meta.kind == "breakdown":
        return ctx.error(
            line, original, _("„%(key)s“ ist eine Aufteilung: als [[Aufteilung: …]] oder [[Tabelle: …]] verwenden")
            % {"key": key},
        )  # fmt: skip
    try:
        previous, display = formatting.parse_options(parts[1:])
        year = ctx.year - 1 if previous else ctx.year
        value = ctx.source.value(key, year)
        before = ctx.source.value(key, year - 1) if display == "aenderung" else None
        text = formatting.write(meta, value, display=display, previous_value=before)
    except formatting.FormatError as error:
        return ctx.error(line, original, str(error))
    return Run(text, kind="figure", note=meta.label)


def _inline(ctx: _Context, text: str, first_line: int) -> list[Run]:
    """Text with placeholders → runs. Line numbers count from the paragraph's first line."""
    runs: list[Run] = []
    buffer, i, line = [], 0, first_line

    def flush():
        if buffer:
            runs.append(Run("".join(buffer)))
            buffer.clear()

    while i < len(text):
        char = text[i]
        if char == "\n":
            buffer.append(" ")
            line += 1
            i += 1
        elif text.startswith("{{", i) or text.startswith("}}", i):
            buffer.append(char)
            i += 2
        elif char == "{":
            end = text.find("}", i + 1)
            newline = text.find("\n", i + 1)
            if end == -1 or (newline != -1 and newline < end) or "{" in text[i + 1 : end]:
                flush()
                stop = len(text) if newline == -1 else newline
                runs.append(ctx.error(line, text[i:stop], _("Die Klammer „{“ wird nicht geschlossen")))
                i = stop
                continue
            flush()
            runs.append(_placeholder(ctx, text[i + 1 : end], line))
            i = end + 1
        elif char == "}":
            flush()
            runs.append(ctx.error(line, "}", _("Schließende Klammer „}“ ohne öffnende")))
            i += 1
        else:
            buffer.append(char)
            i += 1
    flush()
    return _merge(runs)


def _merge(runs: list[Run]) -> list[Run]:
    merged: list[Run] = []
    for run in runs:
        if merged and run.kind == "text" and merged[-1].kind == "text":
            merged[-1] = Run(merged[-1].text + run.text)
        else:
            merged.append(run)
    return merged


def _keys(argument: str) -> list[str]:
    return [part.strip() for part in (argument or "").split(",") if part.strip()]


def _trend(ctx: _Context, argument: str, line: int, source_text: str):
    parts = _keys(argument)
    if not parts:
        return ErrorBlock(ctx.error(line, source_text, _("Welche Kennzahl? z. B. [[Verlauf: advisory.talks]]")))
    key, years = parts[0], TREND_YEARS
    if len(parts) > 1:
        digits = parts[1].split()[0] if parts[1].split() else ""
        if not digits.isascii() or not digits.isdigit() or not MIN_TREND_YEARS <= int(digits) <= MAX_TREND_YEARS:
            message = _("Die Zahl der Jahre muss zwischen %(min)s und %(max)s liegen") % {
                "min": MIN_TREND_YEARS, "max": MAX_TREND_YEARS,
            }  # fmt: skip
            return ErrorBlock(ctx.error(line, source_text, message))
        years = int(digits)
    meta = ctx.source.meta(key)
    if meta is None or meta.kind == "breakdown":
        return ErrorBlock(ctx.error(line, source_text, _("Keine Kennzahl für einen Verlauf: „%(key)s“") % {"key": key}))
    span = list(range(ctx.year - years + 1, ctx.year + 1))
    values = [ctx.source.value(key, year) for year in span]
    return Chart(
        title=f"{meta.label} {span[0]}–{span[-1]}",
        labels=[str(year) for year in span],
        values=[None if value is None else float(value) for value in values],
        texts=[formatting.write(meta, value, display=None) for value in values],
        unit=meta.unit or ("%" if meta.kind == "percent" else ""),
        dimension=_("Jahr"),
    )


def _breakdown_chart(ctx: _Context, argument: str, line: int, source_text: str):
    keys = _keys(argument)
    meta = ctx.source.meta(keys[0]) if len(keys) == 1 else None
    if meta is None or meta.kind != "breakdown":
        message = _("Keine Aufteilung: „%(key)s“ (z. B. [[Aufteilung: advisory.talks_by_topic]])") % {
            "key": argument or ""
        }
        return ErrorBlock(ctx.error(line, source_text, message))
    rows = ctx.source.rows(meta.key, ctx.year)
    return Chart(
        title=f"{meta.label} {ctx.year}",
        labels=[label for label, _value in rows],
        values=[None if value is None else float(value) for _label, value in rows],
        texts=[format_number(value, meta.decimals) for _label, value in rows],
        unit=meta.unit,
        dimension=meta.dimension,
    )


def _change_text(meta: Meta, value, previous) -> str:
    if meta.kind == "month":
        return ""
    difference, percent = change(value, previous)
    if difference is None:
        return "–"
    if difference == 0:
        return "±0"
    text = format_number(difference, meta.decimals, sign=True)
    if meta.kind == "percent":
        return f"{text} Pp."
    return f"{text} ({format_number(percent, 1, sign=True)}\u00a0%)" if percent is not None else text


def _value_text(meta: Meta, value) -> str:
    text = formatting.write(meta, value, display=None)
    unit = "%" if meta.kind == "percent" else meta.unit
    return f"{text}\u00a0{unit}" if unit and value is not None else text


def _table(ctx: _Context, argument: str, line: int, source_text: str):
    keys = _keys(argument)
    if not keys:
        return ErrorBlock(ctx.error(line, source_text, _("Welche Kennzahlen? z. B. [[Tabelle: advisory.talks]]")))
    metas = [ctx.source.meta(key) for key in keys]
    unknown = [key for key, meta in zip(keys, metas, strict=True) if meta is None]
    if unknown:
        message = _("Unbekannte Kennzahl „%(key)s“") % {"key": ", ".join(unknown)}
        return ErrorBlock(ctx.error(line, source_text, message))
    header_years = [str(ctx.year - 1), str(ctx.year)]
    if len(metas) == 1 and metas[0].kind == "breakdown":
        meta = metas[0]
        current = dict(ctx.source.rows(meta.key, ctx.year))
        before = dict(ctx.source.rows(meta.key, ctx.year - 1))
        labels = list(current) + [label for label in before if label not in current]
        number = Meta(key=meta.key, label=meta.label, unit=meta.unit, decimals=meta.decimals)
        rows = [
            [label, _value_text(number, before.get(label)), _value_text(number, current.get(label)),
             _change_text(number, current.get(label), before.get(label))]
            for label in labels
        ]  # fmt: skip
        return Table(title=meta.label, header=[meta.dimension, *header_years, _("Veränderung")], rows=rows)
    if any(meta.kind == "breakdown" for meta in metas):
        message = _("Eine Aufteilung steht allein in einer Tabelle: [[Tabelle: %(key)s]]") % {
            "key": next(meta.key for meta in metas if meta.kind == "breakdown")
        }
        return ErrorBlock(ctx.error(line, source_text, message))
    rows = []
    for meta in metas:
        value, previous = ctx.source.value(meta.key, ctx.year), ctx.source.value(meta.key, ctx.year - 1)
        rows.append(
            [meta.label, _value_text(meta, previous), _value_text(meta, value), _change_text(meta, value, previous)]
        )
    return Table(title="", header=[_("Kennzahl"), *header_years, _("Veränderung")], rows=rows)


def _directive(ctx: _Context, name: str, argument: str, line: int, source_text: str):
    kind = DIRECTIVES.get(name.strip().lower())
    if kind == "trend":
        return _trend(ctx, argument, line, source_text)
    if kind == "breakdown":
        return _breakdown_chart(ctx, argument, line, source_text)
    if kind == "table":
        return _table(ctx, argument, line, source_text)
    message = _("Unbekannter Baustein „%(name)s“ (möglich: Verlauf, Aufteilung, Tabelle)") % {"name": name.strip()}
    return ErrorBlock(ctx.error(line, source_text, message))


def render_section(source, year: int, title: str, body: str, *, anchor: str = "") -> RenderedSection:
    """One section's text → blocks, with its placeholders resolved against ``source``."""
    ctx = _Context(source, year, title)
    blocks: list = []
    paragraph: list[str] = []
    paragraph_line = 0

    def close_paragraph():
        if paragraph:
            blocks.append(Paragraph(_inline(ctx, "\n".join(paragraph), paragraph_line)))
            paragraph.clear()

    for number, raw in enumerate((body or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        line = raw.strip()
        if not line:
            close_paragraph()
            continue
        directive = DIRECTIVE_RE.match(line)
        if directive:
            close_paragraph()
            blocks.append(_directive(ctx, directive.group(1), directive.group(2) or "", number, line))
        elif line.startswith("## "):
            close_paragraph()
            runs = _inline(ctx, line[3:].strip(), number)
            blocks.append(Heading("".join(run.text for run in runs)) if all(r.kind != "error" for r in runs)
                          else Paragraph(runs))  # fmt: skip
        else:
            if not paragraph:
                paragraph_line = number
            paragraph.append(line)
    close_paragraph()
    charts = [block for block in blocks if isinstance(block, Chart)]
    for number, chart in enumerate(charts, start=1):
        chart.chart_id = f"{anchor or 'vorschau'}-grafik-{number}"
    return RenderedSection(title=title, blocks=blocks, problems=ctx.problems, anchor=anchor)


def comparison(source, year: int) -> list[ComparisonGroup]:
    """Every figure of the year beside the previous year's, with the change, grouped by module."""
    groups = []
    for _app, name, keys in source.groups():
        rows = []
        for key in keys:
            meta = source.meta(key)
            value, previous = source.value(key, year), source.value(key, year - 1)
            rows.append(
                [meta.label, _value_text(meta, previous), _value_text(meta, value), _change_text(meta, value, previous)]
            )
        groups.append(ComparisonGroup(name=name, rows=rows))
    return groups
