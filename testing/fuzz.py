"""Hostile input for every URL of the permission matrix (``core/tests/test_fuzz.py``).

For one matrix entry, :func:`fuzz_failures` sends hostile values

- in every query parameter the page's GET forms and its own links use, and in the entry's data keys;
- in every field of the forms that post back to the page (and in a POST entry's data keys);
- in every path argument: each string argument gets every hostile value its converter lets through,
  each integer argument zero and a huge id;

as every persona allowed to open it, and reports each answer of 500 or more with the exception
that caused it. The first allowed persona sends every value in all parameters at once and then in
one parameter at a time (the rest as the form shows them); the other allowed personas send every
value in all parameters at once.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote_from_bytes, urlsplit

from django.urls import get_resolver, reverse
from django.urls.converters import IntConverter

from testing.access import Access
from testing.matrix import PERSONAS, is_allowed, persona_for

LONG = "x" * 10_000
LONE_SURROGATE = "\ud800"  # not valid UTF-8: goes out as the bytes ED A0 80
HOSTILE = (
    "\x00", "0", "999999", "-1", "²", "٣", LONG, "<script>alert(1)</script>", "' OR 1=1--", "%",
    LONE_SURROGATE, "../../etc/passwd", "🦄",
)  # fmt: skip
# One parameter at a time gets the values a field's own validation may let through to the code
# behind it. The NUL guard answers 400 for every parameter alike, a lone surrogate becomes U+FFFD
# when Django decodes the request, and markup or a file path is just text to a parser: those go
# out once with every parameter at the same time.
ONE_BY_ONE = ("0", "999999", "-1", "²", "٣", LONG, "' OR 1=1--", "%", "🦄")
# Posted forms go through Django's form fields, which treat quotes and percent signs as plain text:
# one field at a time gets the values that test number, date and id parsing, length and encoding.
POST_ONE_BY_ONE = ("0", "999999", "-1", "²", LONG, "🦄")
HUGE_ID = "99999999999999999999"


def encode(value: str) -> str:
    """Percent-encode ``value`` for a URL; a lone surrogate as its raw (invalid) UTF-8 bytes."""
    return quote_from_bytes(value.encode("utf-8", "surrogatepass"), safe="")


def query_string(params: dict[str, str]) -> str:
    return "&".join(f"{encode(key)}={encode(value)}" for key, value in params.items())


# --- what a page asks for -------------------------------------------------------------------


@dataclass
class Form:
    method: str
    action: str
    fields: dict[str, str] = field(default_factory=dict)  # name → the value the page shows


class FormParser(HTMLParser):
    """The forms of a page (their fields with the values shown) and the query keys of its links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.link_queries: list[tuple[str, list[str]]] = []  # (path, keys)
        self._form: Form | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._form = Form(method=(attrs.get("method") or "get").lower(), action=attrs.get("action", ""))
            self.forms.append(self._form)
        elif tag == "a" and "?" in attrs.get("href", ""):
            parts = urlsplit(attrs["href"])
            self.link_queries.append((parts.path, [key for key, _ in parse_qsl(parts.query, keep_blank_values=True)]))
        elif self._form is not None and attrs.get("name"):
            name = attrs["name"]
            if tag == "input" and attrs.get("type", "text") in ("submit", "button", "image", "reset", "file"):
                return
            if tag == "input" and attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                self._form.fields.setdefault(name, "")
                return
            if tag in ("input", "textarea"):
                self._form.fields[name] = attrs.get("value", "")
            elif tag == "select":
                self._select = name
                self._form.fields.setdefault(name, "")
            elif tag == "button":
                return
        if tag == "option" and self._form is not None and self._select and "selected" in attrs:
            self._form.fields[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def page_forms(html: str) -> FormParser:
    parser = FormParser()
    parser.feed(html)
    return parser


def _same_path(target: str, path: str) -> bool:
    return target in ("", "?", "#") or urlsplit(target).path in ("", path)


def query_fields(parser: FormParser, path: str) -> dict[str, str]:
    """Parameters this page reads from its query string: its GET forms' fields and its links' keys."""
    fields: dict[str, str] = {}
    for form in parser.forms:
        if form.method == "get" and _same_path(form.action, path):
            for name, value in form.fields.items():
                fields.setdefault(name, value)
    for link_path, keys in parser.link_queries:
        if link_path in ("", path):
            for key in keys:
                fields.setdefault(key, "")
    return fields


def post_fields(parser: FormParser, path: str) -> dict[str, str]:
    """Fields of the forms that post back to this page (``csrfmiddlewaretoken`` left out)."""
    fields: dict[str, str] = {}
    for form in parser.forms:
        if form.method == "post" and _same_path(form.action, path):
            for name, value in form.fields.items():
                if name != "csrfmiddlewaretoken":
                    fields.setdefault(name, value)
    return fields


# --- path arguments ---------------------------------------------------------------------------


def path_converters(url_name: str) -> dict:
    """The converters of ``url_name``'s path arguments (``{"token": StringConverter(), ...}``)."""
    resolver = get_resolver()
    *namespaces, name = url_name.split(":")
    for namespace in namespaces:
        resolver = resolver.namespace_dict[namespace][1]
    for _bits, _pattern, _defaults, converters in resolver.reverse_dict.getlist(name):
        return converters
    return {}


PLACEHOLDER = "fuzzplaceholder7"


def path_variants(url_name: str, kwargs: dict) -> list[tuple[str, str, str]]:
    """``(argument, value, url)`` for every hostile value each path argument's converter accepts:
    zero and a huge id for an integer, every hostile value that matches a string's or slug's pattern."""
    variants = []
    converters = path_converters(url_name)
    for argument in kwargs:
        converter = converters.get(argument)
        if converter is None:
            continue
        if isinstance(converter, IntConverter):
            for value in ("0", HUGE_ID):
                variants.append((argument, value, reverse(url_name, kwargs={**kwargs, argument: value})))
            continue
        # reverse() would quote the value its own way (and cannot encode a lone surrogate).
        template = reverse(url_name, kwargs={**kwargs, argument: PLACEHOLDER})
        for value in HOSTILE:
            if re.fullmatch(converter.regex, value):
                variants.append((argument, value, template.replace(PLACEHOLDER, encode(value), 1)))
    return variants


# --- the requests -------------------------------------------------------------------------------


@dataclass
class Failure:
    persona: str
    method: str
    url: str
    where: str  # which parameter or path argument carried the value
    value: str
    status: int
    error: str

    def __str__(self):
        shown = self.value if len(self.value) < 40 else f"{self.value[:10]}…({len(self.value)} chars)"
        return f"{self.persona:11} {self.method} {self.url[:90]} {self.where}={shown!r} → {self.status} {self.error}"


def describe_exception(exc_info) -> str:
    """``Type: message`` and the innermost frame in the project's code."""
    import traceback
    from pathlib import Path

    if not exc_info:
        return ""
    error_type, error, trace = exc_info
    root = str(Path(__file__).resolve().parents[1])
    frames = [frame for frame in traceback.extract_tb(trace) if frame.filename.startswith(root)]
    where = f" at {Path(frames[-1].filename).relative_to(root)}:{frames[-1].lineno}" if frames else ""
    message = str(error).splitlines()[0] if str(error) else ""
    return f"{error_type.__name__}: {message[:160]}{where}"


def allowed_personas(access: Access) -> list[str]:
    first = persona_for(access)
    others = [persona for persona, roles in PERSONAS.items() if persona != first and is_allowed(access, roles)]
    return [first, *others]


class Fuzzer:
    def __init__(self, client, world, url_name: str, access: Access):
        self.client, self.world, self.url_name, self.access = client, world, url_name, access
        self.failures: list[Failure] = []
        self.requests = 0

    def login(self, persona: str):
        self.client.logout()
        if PERSONAS[persona] is not None:
            user = getattr(self.world, persona)
            self.client.force_login(user, backend="accounts.backends.UserRolesBackend")

    def send(self, persona: str, method: str, url: str, params: dict[str, str], where: str, value: str):
        self.requests += 1
        encoded = query_string(params)
        if method == "post":
            response = self.client.post(url, data=encoded, content_type="application/x-www-form-urlencoded")
        else:
            response = self.client.get(f"{url}?{encoded}" if encoded else url)
        if response.status_code >= 500:
            error = describe_exception(getattr(response, "exc_info", None))
            self.failures.append(Failure(persona, method.upper(), url, where, value, response.status_code, error))
        return response

    def fields(self, url: str) -> tuple[dict[str, str], dict[str, str]]:
        """(query parameters, posted fields) the page at ``url`` uses, as shown to the current persona."""
        response = self.client.get(url)
        query, posted = {}, {}
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            parser = page_forms(response.content.decode("utf-8", "replace"))
            query, posted = query_fields(parser, url), post_fields(parser, url)
        if self.access.method == "post":
            posted = {**posted, **{key: str(value) for key, value in self.access.data.items()}}
            query = {}
        else:
            query = {**query, **{key: str(value) for key, value in self.access.data.items()}}
        return query, posted

    def fuzz_params(self, persona: str, method: str, url: str, fields: dict[str, str], *, one_by_one: bool):
        if not fields:
            return
        for value in HOSTILE:
            self.send(persona, method, url, dict.fromkeys(fields, value), "*", value)
        if one_by_one:
            for name in fields:
                for value in POST_ONE_BY_ONE if method == "post" else ONE_BY_ONE:
                    self.send(persona, method, url, {**fields, name: value}, name, value)

    def run(self) -> list[Failure]:
        kwargs = self.access.kwargs(self.world) if self.access.kwargs else {}
        url = reverse(self.url_name, kwargs=kwargs or None)
        for index, persona in enumerate(allowed_personas(self.access)):
            self.login(persona)
            query, posted = self.fields(url)
            first = index == 0
            self.fuzz_params(persona, "get", url, query, one_by_one=first)
            self.fuzz_params(persona, "post", url, posted, one_by_one=first)
            if first:
                for argument, value, hostile_url in path_variants(self.url_name, kwargs):
                    data = {key: str(v) for key, v in self.access.data.items()}
                    self.send(persona, self.access.method, hostile_url, data, f"<{argument}>", value)
        return self.failures
