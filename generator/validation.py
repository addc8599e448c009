"""Turn pydantic validation errors into one-line problems located in the YAML file."""

from __future__ import annotations

import typing
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .errors import Problem, Problems, Severity, close_match_hint
from .formats import explain_replaced
from .metrics import implausible
from .models.kpi import Kpi, Value
from .yamlio import Document, Loc, dotted

NAME_FIELDS = {"name", "first_name", "surname", "full_name"}
_DATE_TYPES = {"date_from_datetime_parsing", "date_parsing", "date_type", "date_from_datetime_inexact"}


def validate(model: type[BaseModel], doc: Document, data: Any = None, base: Loc = ()) -> tuple[Any, Problems]:
    """Validate `data` (default: the whole document) against `model`; return (record or None, problems)."""
    problems = Problems()
    try:
        return model.model_validate(doc.data if data is None else data), problems
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        explained = _missing_explained_by_typos(model, errors)
        found = [
            _with_replacement(model, e, _problem(model, doc, (*base, *e["loc"]), e))
            for e in errors
            if id(e) not in explained
        ]
        for problem in sorted(found, key=lambda p: (p.line, p.column)):
            problems.add(problem)
        return None, problems


def _missing_explained_by_typos(model: type[BaseModel], errors: list[ErrorDetails]) -> set[int]:
    """'Field required' errors for a field whose misspelling is already reported as unknown."""
    typos = {
        (e["loc"][:-1], close)
        for e in errors
        if e["type"] == "extra_forbidden"
        for close in [_closest(str(e["loc"][-1]), fields_at(model, e["loc"][:-1]))]
        if close
    }
    return {id(e) for e in errors if e["type"] == "missing" and (e["loc"][:-1], e["loc"][-1]) in typos}


def _closest(word: str, choices: set[str]) -> str | None:
    hint = close_match_hint(word, choices)
    return hint.split("`")[1] if hint else None


def _problem(model: type[BaseModel], doc: Document, loc: Loc, error: ErrorDetails) -> Problem:
    kind = error["type"]
    message = error["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    got: str | None = _got(error.get("input"))
    hint = None
    line, column = doc.where(loc)
    if kind == "missing":
        got = None
    elif kind == "extra_forbidden":
        got = None
        line, column = doc.key_where(loc)
        hint = close_match_hint(str(loc[-1]), fields_at(model, loc[:-1]))
        if str(loc[-1]).lower() in NAME_FIELDS:
            hint = "young people are never named; give their role and age only"
    elif kind in _DATE_TYPES:
        detail = message.split(", ", 1)[1] if ", " in message else None
        message = "Input should be a valid date"
        hint = f"{detail}; write dates as YYYY-MM-DD" if detail else "write dates as YYYY-MM-DD"
    elif kind == "value_error":
        first_word = message.split(" ", 1)[0]
        if first_word in fields_at(model, loc):
            loc = (*loc, first_word)
            line, column = doc.where(loc)
    return Problem(doc.display, line, column, dotted(tuple(p for p in loc if p != "__root__")), message, got, hint)


def _with_replacement(model: type[BaseModel], error: ErrorDetails, problem: Problem) -> Problem:
    """The problem reworded when the field is one an earlier release used differently."""
    owner, inside = _owner(model, tuple(p for p in error["loc"] if p != "__root__"))
    field = ".".join("*" if isinstance(p, int) else str(p) for p in inside)
    return explain_replaced(owner, field, error["type"], problem)


def _owner(model: Any, loc: Loc) -> tuple[str, Loc]:
    """The name of the innermost model on the way down `loc`, and the rest of `loc` inside it."""
    owner, start, current = model.__name__, 0, model
    for index, part in enumerate(loc):
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            owner, start = current.__name__, index
        current = _step(current, part)
        if current is None:
            break
    return owner, loc[start:]


def _got(value: Any) -> str | None:
    if isinstance(value, (dict, list)) or value is None:
        return None
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…'"


def fields_at(model: Any, loc: Loc) -> set[str]:
    """The field names allowed at `loc` inside `model`, for 'did you mean' hints."""
    current: Any = model
    for part in loc:
        current = _step(_unwrap(current), part)
        if current is None:
            return set()
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return set(current.model_fields)
    return set()


def _step(current: Any, part: str | int) -> Any:
    """The annotation one step down from `current` (an item of a list, or a model's field), or None
    when `part` leads out of the models."""
    if isinstance(part, int):
        args = typing.get_args(current)
        return args[0] if args else current
    if isinstance(current, type) and issubclass(current, BaseModel) and part in current.model_fields:
        return current.model_fields[part].annotation
    return None


def _unwrap(annotation: Any) -> Any:
    """Strip Optional[...] and Annotated[...] down to the model or list inside."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = options[0] if len(options) == 1 else annotation
            if len(options) != 1:
                return annotation
        else:
            return annotation


def plausibility_problems(kpi: Kpi, doc: Document) -> Problems:
    """A warning at each KPI or benchmark value that looks mistyped (see `metrics.implausible`).

    Warnings fail the strict build, so a percent typed as a fraction never reaches a page.
    """
    problems = Problems()
    series: list[tuple[Loc, list[Value]]] = [(("values",), kpi.values)]
    series += [(("benchmarks", i, "values"), b.values) for i, b in enumerate(kpi.benchmarks)]
    for base, values in series:
        for index, message, hint in implausible(values, kpi.unit):
            loc = (*base, index, "value")
            line, column = doc.where(loc)
            problems.add(Problem(doc.display, line, column, dotted(loc), message, hint=hint, severity=Severity.WARNING))
    return problems
