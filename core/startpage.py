"""Blocks on a logged-in user's start page, registered in ``startpage.py``.

A block is a template plus a function that returns its context (or None to
hide the block) for the user; e.g. the adviser's follow-ups due.
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
