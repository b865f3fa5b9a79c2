"""The rule language as one type: `OPERATORS` by name and `Expr`, the tagged union of every node the rule
files are validated with, and `build_models`, which builds the operator models' validators in one pass."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, TypeAlias, Union

from pydantic import BaseModel, Discriminator, Tag

from brocheck.expr import compare, iteration, lists, logic, nodes
from brocheck.expr.compare import (
    AddDays,
    AddMonths,
    AddYears,
    Days,
    Eq,
    Ge,
    Gt,
    Le,
    Lt,
    Member,
    Ne,
    Overlaps,
)
from brocheck.expr.iteration import Count, Every, Filter, IterArgs, Latest, MapOp, One, Some
from brocheck.expr.lists import Flatten, Max, Min, Unique
from brocheck.expr.logic import All, AnyOp, Coalesce, Exists, Known, Not, Rating
from brocheck.expr.nodes import Fact, ListLit, Lit, Node

OPERATORS: dict[str, type[Node]] = {
    cls.op: cls
    for cls in (Count, Filter, One, Latest, Some, Every, MapOp, All, AnyOp, Not, Exists, Known, Eq, Ne, Lt, Le, Gt,
                Ge, Member, Overlaps, AddYears, AddMonths, AddDays, Days, Min, Max, Unique, Flatten, Coalesce, Rating)
}


def _tag(value: Any) -> str | None:
    if isinstance(value, dict):
        return next(iter(value)) if len(value) == 1 and next(iter(value)) in OPERATORS else None
    if isinstance(value, list):
        return "list"
    if isinstance(value, str) and value.startswith("$"):
        return "fact"
    return "literal"


if TYPE_CHECKING:  # mypy sees the base class; Pydantic validates the tagged union
    Expr: TypeAlias = Node
else:
    Expr = Annotated[
        Union[
            Annotated[Lit, Tag("literal")],
            Annotated[ListLit, Tag("list")],
            Annotated[Fact, Tag("fact")],
            *(Annotated[cls, Tag(op)] for op, cls in OPERATORS.items()),
        ],
        Discriminator(
            _tag,
            custom_error_type="unknown_operator",
            custom_error_message="okänd operator eller fel form: ett villkor är en mappning med exakt en av "
            + ", ".join(OPERATORS)
            + ", ett $faktum, ett värde eller en lista",
        ),
    ]


for _module in (nodes, iteration, logic, compare, lists):
    _module.Expr = Expr  # type: ignore[attr-defined]  # the name the operators' fields are annotated with


def build_models() -> None:
    """Build the operator models' validators now, in one pass (the recursive union is then built once,
    not once per model on its first use). The rule-set loader calls this before validating rule files."""
    models: tuple[type[BaseModel], ...] = (ListLit, IterArgs, Not, Exists, Known, Coalesce, *OPERATORS.values())
    for cls in models:
        cls.model_rebuild()
