"""Running an ordered list of steps over one value: the contract every extraction step keeps.

A step takes the value and returns it (a new one: values are frozen) or raises `Skip(reason)`, which ends
the run for that value and reaches the caller as it is. Anything else a step raises is a bug in that step:
it comes out as `StepError`, naming the step, so the caller can report the page as failed and go on.
A step that returns something other than the value's type is such a bug too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from wiredesk.core.errors import Skip

__all__ = ["StepError", "run_steps"]

T = TypeVar("T")


class StepError(Exception):
    """A step failed other than by `Skip`: `step` names it, the message carries the original error."""

    def __init__(self, step: str, message: str) -> None:
        self.step = step
        super().__init__(step, message)

    def __str__(self) -> str:
        return f"step {self.step}: {self.args[1]}"


def run_steps(value: T, steps: Sequence[Callable[[T], T]]) -> T:
    """`value` passed through `steps` in order. Raises `Skip` from a step, `StepError` for any other failure."""
    kind = type(value)
    for step in steps:
        name = getattr(step, "__name__", repr(step))
        try:
            result = step(value)
        except Skip:
            raise
        except Exception as exc:
            raise StepError(name, f"{type(exc).__name__}: {exc}") from exc
        if not isinstance(result, kind):
            raise StepError(name, f"returned {type(result).__name__}, not {kind.__name__}")
        value = result
    return value
