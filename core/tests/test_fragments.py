"""core.fragments: rendered once per key and language, bounded, never shared across keys."""

from django.utils import translation

from core import fragments


def test_a_fragment_is_rendered_once_per_key_and_language():
    fragments.fragments_clear()
    calls = []

    def render():
        calls.append(translation.get_language())
        return f"<p>{len(calls)}</p>"

    with translation.override("de"):
        assert fragments.fragment(("x", 1), render) == "<p>1</p>"
        assert fragments.fragment(("x", 1), render) == "<p>1</p>"
        assert fragments.fragment(("x", 2), render) == "<p>2</p>"  # another input, another fragment
    with translation.override("en"):
        assert fragments.fragment(("x", 1), render) == "<p>3</p>"  # another language too
    assert calls == ["de", "de", "en"]


def test_the_store_is_bounded(monkeypatch):
    fragments.fragments_clear()
    monkeypatch.setattr(fragments, "MAX_ENTRIES", 3)
    for n in range(5):
        fragments.fragment(("n", n), lambda n=n: str(n))
    assert fragments.fragment_get(("n", 0)) is None and fragments.fragment_get(("n", 4)) == "4"
    monkeypatch.setattr(fragments, "MAX_CHARS", 10)
    fragments.fragment(("big",), lambda: "x" * 8)  # 3 + 8 characters: the least recently used goes
    assert fragments.fragment_get(("n", 2)) is None and fragments.fragment_get(("big",)) == "x" * 8


def test_slots_are_filled_in_one_pass_escaped_and_one_name_is_no_prefix_of_another():
    html = f"<p>{fragments.slot_marker('free_3')} / {fragments.slot_marker('free_30')}</p>"
    values = {"free_3": "<3>", "free_30": fragments.slot_marker("free_3")}  # a value that looks like a slot
    assert fragments.fill_slots(html, values) == f"<p>&lt;3&gt; / {fragments.slot_marker('free_3')}</p>"
