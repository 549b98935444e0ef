"""What an import found: rows read, records created and updated, and every problem by row and column."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from registry.core.fields import Fields
from registry.core.i18n import translate
from registry.core.validators import FieldError

Progress = Callable[[int], None]


def no_progress(_done: int) -> None:
    return None


@dataclass
class Report:
    rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str, Any]] = field(default_factory=list)

    def add(self, row: int, column: str, message: Any) -> None:
        self.errors.append((row, column, message))

    def check(self, row: int, column: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``fn(*args)``; a FieldError becomes a row error and the value None."""
        try:
            return fn(*args, **kwargs)
        except FieldError as exc:
            self.add(row, column, exc.message)
            return None

    def take(self, row: int, fields: Fields, prefix: str = "") -> None:
        """A service's collected field errors as row errors."""
        for name, messages in fields.errors.items():
            for message in messages:
                self.add(row, prefix + name, message)

    def has_errors_in(self, row: int) -> bool:
        return any(r == row for r, _c, _m in self.errors)

    def as_dict(self) -> dict[str, Any]:
        """The body every import answers with; messages in the asker's language.

        A file with an error stores nothing, dry run or not, so it creates and updates nothing: the counts are
        those of a file that would go in.
        """
        ordered = sorted(self.errors, key=lambda e: (e[0], e[1]))
        return {
            "rows": self.rows,
            "created": 0 if self.errors else self.created,
            "updated": 0 if self.errors else self.updated,
            "errors": [{"row": r, "column": c, "message": translate(m)} for r, c, m in ordered],
        }
