"""Plain command-line values without a Pydantic TypeAdapter each.

Typer (0.29) converts every parameter's value through a Pydantic TypeAdapter that it builds, per parameter,
in every process: for `brocheck assess` a dozen adapters and the import of Pydantic's plugin loader (with
importlib.metadata), about 40 ms of a 450 ms cold run, to turn strings into strings and paths. `plain`
gives such a parameter a conversion that does what the adapter does, for the values where that is plain:

- `str`: a string as it is; `bool`: a truth value as it is;
- `Path` (without a parser or another path type): `Path(value)`, then Typer's own path checks (`coerce_cli_path`);
- `int`: a string of decimal digits without leading zeros, within the parameter's `min` and `max`;
- `list[str]`, `list[Path]`: each element so, in a list.

Any other value or annotation goes to the conversion Typer would have built (built then, once), so
messages and edge cases stay Typer's. tests/test_cli_coerce.py holds both to the same results.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args, get_origin

from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
from typer._param_types import coerce_cli_path


def plain(param: Any) -> None:
    """Give a Typer parameter the plain conversion when its type allows (see the module's text)."""
    descriptor = getattr(param, "type_descriptor", None)
    if (isinstance(descriptor, TypeDescriptor) and getattr(param, "_runtime_param", False) is None
            and descriptor.file_annotation is None and descriptor.parameter_info.parser is None
            and _item(descriptor) is not None):
        param._runtime_param = Plain(descriptor.parameter_info, descriptor.annotation, descriptor=descriptor)


def _item(descriptor: TypeDescriptor) -> type | None:
    """The element type of a plain annotation (`str`, `bool`, `int`, `Path`, or a list of one), else None."""
    annotation: Any = descriptor.annotation
    info = descriptor.parameter_info
    if get_origin(annotation) is list:
        (annotation,) = get_args(annotation) or (None,)
    if annotation is Path:
        return Path if info.path_type is None else None
    if annotation is int:
        return None if info.clamp else int
    return annotation if annotation is str or annotation is bool else None


def _plain(kind: type | None, item: Any, info: Any) -> bool:
    """Whether `item` is a value of `kind` whose conversion is plain."""
    if kind is bool:
        return type(item) is bool
    if type(item) is not str:
        return False
    if kind is int:
        return (_DIGITS.fullmatch(item) is not None and (info.min is None or int(item) >= info.min)
                and (info.max is None or int(item) <= info.max))
    return True


_DIGITS = re.compile(r"0|[1-9][0-9]{0,17}")


@dataclass(frozen=True)
class Plain(RuntimeParam):
    """Typer's conversion for plain values (see the module's text)."""

    descriptor: TypeDescriptor = field(compare=False)
    _typer: list[RuntimeParam] = field(default_factory=list, compare=False)

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        annotation: Any = self.descriptor.annotation
        many = get_origin(annotation) is list
        items = list(value) if many and isinstance(value, list | tuple) else [value]
        kind = _item(self.descriptor)
        if not all(_plain(kind, item, self.parameter_info) for item in items):
            return self._fallback()._coerce_value(value, param=param, ctx=ctx)
        if kind is int:
            items = [int(item) for item in items]
        if kind is Path:
            info = self.parameter_info
            items = [coerce_cli_path(Path(item), info, path_type=Path, param=param, ctx=ctx) for item in items]
        return items if many else items[0]

    def _fallback(self) -> RuntimeParam:
        if not self._typer:
            self._typer.append(build_runtime_param(self.descriptor))
        return self._typer[0]
