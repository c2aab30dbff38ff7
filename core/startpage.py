"""Blocks on a logged-in user's start page and on the public home page, registered in ``startpage.py``.

A block is a template plus a function that returns its context (or None to hide the block):
for the start page it gets the user (e.g. the adviser's follow-ups due), for the home page the
request (e.g. the next events, the next consultation days with free slots).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string

from core.registry import discover


@dataclass(frozen=True)
class StartBlock:
    name: str
    template: str
    context: Callable
    order: int = 100


_BLOCKS: dict[str, StartBlock] = {}
_HOME_BLOCKS: dict[str, StartBlock] = {}


def register_start_block(name: str, *, template: str, order: int = 100):
    def decorator(function: Callable):
        _BLOCKS[name] = StartBlock(name=name, template=template, context=function, order=order)
        return function

    return decorator


def start_blocks_for(request) -> list[str]:
    discover()
    rendered = []
    for block in sorted(_BLOCKS.values(), key=lambda b: (b.order, b.name)):
        context = block.context(request.user)
        if context is not None:
            rendered.append(render_to_string(block.template, context, request=request))
    return rendered


def register_home_block(name: str, *, template: str, order: int = 100):
    """A block on the public home page; the function gets the request and returns a context or None."""

    def decorator(function: Callable):
        _HOME_BLOCKS[name] = StartBlock(name=name, template=template, context=function, order=order)
        return function

    return decorator


def home_blocks_for(request) -> list[str]:
    discover()
    rendered = []
    for block in sorted(_HOME_BLOCKS.values(), key=lambda b: (b.order, b.name)):
        context = block.context(request)
        if context is not None:
            rendered.append(render_to_string(block.template, context, request=request))
    return rendered
