"""Recommendations: what the responsible body should do about a deficiency, as rule data.

`rules/rekommendationer.yaml` (named by `recommendations:` in `rules/ruleset.yaml`) maps a rule id to
recommendation templates, each for one or more of the rule's outcomes below the best rating of its
scale. A recommendation names its addressee by role, never by name: `to` is an expression over the
shared derived facts that gives a body or a list of bodies (`$ks`, `$ledande`, `$granskade`, …). Its
`text` is a Jinja template like a comment: it reads the rule's facts, the shared derived facts and
`till`, the addressee's name(s) ("Kommunstyrelsen och Fritids- och folkhälsonämnden"; the
municipality's name when the case has no such body). A text that renders empty gives no
recommendation, so a text may speak only `{% if %}` something holds. A row that the auditor's manual
judgement rates otherwise than below the best keeps no recommendation (brocheck.engine).

Everything is validated when the rule set loads: unknown rule and outcome ids, an outcome that has the
rating that is not below the best of the rule's scale (the best, "Kan ej bedömas", "Ej tillämpligt"), an
addressee that is not a body and template errors are rule-set errors with
`rules/<file>:line:col`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Protocol, get_args, get_origin

from pydantic import Field

from brocheck import expr, yamlsafe
from brocheck.ruleset import RuleId, Strict
from brocheck.schema import Organ
from brocheck.text import lista

if TYPE_CHECKING:
    from brocheck.expr.language import Expr
    from brocheck.ruleset import Placed, RuleSet

ADDRESSEE = "till"
"""The template name of the addressee's name(s)."""


class RecommendationDef(Strict):
    outcomes: Annotated[list[RuleId], Field(min_length=1)]
    """The rule's outcomes this recommendation answers."""
    to: Expr
    """The addressee by role: a body or a list of bodies."""
    text: str


class RecommendationFile(Strict):
    recommendations: dict[RuleId, Annotated[list[RecommendationDef], Field(min_length=1)]]


@dataclass(frozen=True)
class Recommendation:
    """One rendered recommendation of a result."""

    text: str
    to: tuple[str, ...]
    """The addressed bodies' ids, in the order the role gives them; empty: the municipality."""


def key(rule_id: str, index: int) -> str:
    """The template key of a rule's `index`-th recommendation."""
    return f"recommendation:{rule_id}:{index}"


class Loader(Protocol):
    """What checking needs from the rule-set loader (brocheck.ruleset._Loader)."""

    problems: list[Any]

    def read(self, name: str, model: type[Strict]) -> tuple[Any, yamlsafe.Document] | None: ...

    def check(self, node: Expr, scope: expr.Scope, loc: tuple[str | int, ...],
              doc: yamlsafe.Document) -> Any: ...

    def compile(self, key: str, source: str, doc: yamlsafe.Document, loc: tuple[str | int, ...],
                names: dict[str, Any]) -> None: ...


def load(loader: Loader, name: str, placed: list[Placed], scope: expr.Scope,
         scales: dict[str, list[str]]) -> dict[str, list[RecommendationDef]]:
    """The recommendations in rules/`name`, checked against the rules; problems go to the loader."""
    got = loader.read(name, RecommendationFile)
    if got is None:
        return {}
    spec, doc = got
    rules = {p.rule.id: p.rule for p in placed}
    for rule_id, defs in spec.recommendations.items():
        rule = rules.get(rule_id)
        base: tuple[str | int, ...] = ("recommendations", rule_id)
        if rule is None:
            loader.problems.append(doc.problem(base, f"okänd regel {rule_id!r}: en rekommendation hör till en "
                                                     "regel i regeluppsättningen", key=True))
            continue
        ratings = {o.id: o.rating for o in rule.outcomes}
        below = scales.get(rule.scale, [])[1:]
        names = {**scope.names, **dict.fromkeys(rule.facts, Any), ADDRESSEE: Any}
        for i, d in enumerate(defs):
            loc = (*base, i)
            for j, outcome in enumerate(d.outcomes):
                if outcome not in ratings:
                    loader.problems.append(doc.problem((*loc, "outcomes", j), f"regeln {rule_id} har inget utfall "
                                                       f"{outcome!r} (finns: {', '.join(ratings)})"))
                elif ratings[outcome] not in below:
                    loader.problems.append(doc.problem((*loc, "outcomes", j), f"utfallet {outcome!r} har "
                                                       f"bedömningen {ratings[outcome]!r}: rekommendationer hör till "
                                                       f"utfall under skalans bästa ({', '.join(below)})"))
            type_ = loader.check(d.to, scope, (*loc, "to"), doc)
            if type_ is not Any and not _bodies(type_):
                loader.problems.append(doc.problem((*loc, "to"), "mottagaren ska vara ett organ eller en lista av "
                                                                 "organ, t.ex. $ks, $ledande eller $granskade"))
            loader.compile(key(rule_id, i), d.text, doc, (*loc, "text"), names)
    return dict(spec.recommendations)


def answers(ruleset: RuleSet, placed: Placed, rating: str) -> bool:
    """Whether a row rated `rating` keeps recommendations: a rating below the best of the rule's scale
    (not the best, not "Kan ej bedömas", not "Ej tillämpligt")."""
    return rating in ruleset.scales[placed.rule.scale][1:]


def _bodies(type_: Any) -> bool:
    if get_origin(type_) is list:
        args = get_args(type_)
        return not args or args[0] is Any or args[0] is Organ
    return type_ is Organ


class Texts(Protocol):
    """What rendering needs from the engine's per-case texts (brocheck.engine._Texts)."""

    ruleset: RuleSet
    ctx: expr.Ctx

    def render(self, key: str, **extra: Any) -> str:
        """The text `key` for the case, its whitespace collapsed."""


def recommend(texts: Texts, rule_id: str, outcome_id: str) -> tuple[Recommendation, ...]:
    """The recommendations for a rule's outcome, rendered for the case (in the file's order)."""
    out = []
    for i, d in enumerate(texts.ruleset.recommendations.get(rule_id, ())):
        if outcome_id not in d.outcomes:
            continue
        value = d.to.ev(texts.ctx, {})
        organs = [o for o in (value if isinstance(value, list) else [value]) if isinstance(o, Organ)]
        addressee = lista(o.namn for o in organs) or texts.ctx.case.kommun.namn
        text = texts.render(key(rule_id, i), **{ADDRESSEE: addressee})
        if text:
            out.append(Recommendation(text, tuple(dict.fromkeys(o.id for o in organs))))
    return tuple(out)
