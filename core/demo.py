"""Registry of demo-data builders for ``manage.py seed_demo``.

Each app registers a builder with an order (contacts first, modules after).
Builders must be idempotent: they look records up by natural keys and create
only what is missing, so a second run changes nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass

from core.registry import discover


@dataclass(frozen=True)
class DemoBuilder:
    name: str
    order: int
    build: Callable


_BUILDERS: dict[str, DemoBuilder] = {}


def register_demo(name: str, order: int):
    def decorator(function: Callable):
        _BUILDERS[name] = DemoBuilder(name=name, order=order, build=function)
        return function

    return decorator


def demo_builders() -> list[DemoBuilder]:
    discover()
    return sorted(_BUILDERS.values(), key=lambda builder: (builder.order, builder.name))
