"""A bulk INSERT's rows read from its own parameters, when they say exactly what the database will hold.

``session.execute(insert(Model), rows)`` with every primary key given (bulk imports reserve ids first) needs no
``RETURNING`` for the trail: the entry of each row is built from its parameters, plus the Python defaults the
INSERT would apply (computed here once and sent with the row, so the table and the trail hold the same value).
That is only done when every value is one the database stores unchanged — an int for an integer, a ``str`` for a
string, a ``date`` for a date, an aware ``datetime``, a ``Decimal`` within the column's scale, an enum member —
and no recorded column is left to a server default. Anything else (a server default, a SQL expression, a value
the database would round or convert) returns ``None``, and the caller falls back to ``RETURNING``.
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from registry.audit.policy import REDACTED, REDACTED_COLUMNS, columns

_MISSING = object()


def _impl(column: sa.Column) -> Any:
    kind = column.type
    return kind.impl_instance if isinstance(kind, sa.TypeDecorator) else kind


def _checker(column: sa.Column) -> Any:
    """A test of a value (not None): whether the database gives it back unchanged in ``column``."""
    kind = _impl(column)
    if isinstance(kind, sa.Enum):
        members, names = kind.enum_class, frozenset(kind.enums)
        return lambda v: (members is not None and isinstance(v, members)) or (type(v) is str and v in names)
    if isinstance(kind, sa.Boolean):
        return lambda v: isinstance(v, bool)
    if isinstance(kind, sa.Integer):
        return lambda v: type(v) is int
    if isinstance(kind, sa.Float):
        return lambda v: False
    if isinstance(kind, sa.Numeric):
        scale = kind.scale

        def decimal(v: Any) -> bool:
            if type(v) is int:
                return True
            if not isinstance(v, Decimal) or not v.is_finite():
                return False
            exponent = v.as_tuple().exponent
            return scale is None or (isinstance(exponent, int) and -exponent <= scale)

        return decimal
    if isinstance(kind, sa.String):
        length = kind.length
        return lambda v: type(v) is str and (length is None or len(v) <= length)
    if isinstance(kind, sa.DateTime):
        return lambda v: isinstance(v, dt.datetime) and v.tzinfo is not None
    if isinstance(kind, sa.Date):
        return lambda v: type(v) is dt.date
    return lambda v: False


def _default(column: sa.Column) -> Any:
    """What gives ``column`` its value when a row leaves it out: None (nothing: NULL), a function of no argument
    (the Python default the INSERT would call), or _MISSING (the database: a server default or an expression)."""
    if column.server_default is not None and column.default is None:
        return _MISSING
    if isinstance(column, sa.Column) and (column.computed is not None or column.identity is not None):
        return _MISSING
    default = column.default
    if default is None:
        return None
    if not isinstance(default, sa.ColumnDefault) or default.is_clause_element:
        return _MISSING
    if default.is_scalar:
        return lambda value=default.arg: value
    wrapped = getattr(default.arg, "__wrapped__", None)  # a function of no argument, wrapped by SQLAlchemy
    return wrapped if callable(wrapped) else _MISSING


def _converter(column: sa.Column) -> Any:
    """canonical(value, column) for the exact values above, without its chain of checks."""
    kind = _impl(column)
    if column.name in REDACTED_COLUMNS:
        return lambda v: None if v is None else REDACTED
    if isinstance(kind, sa.Enum):
        return lambda v: v.value if isinstance(v, enum.Enum) else v
    if isinstance(kind, sa.Numeric) and not isinstance(kind, sa.Float):

        def decimal(v: Any) -> Any:
            if v is None:
                return None
            text = format(Decimal(v).normalize(), "f")
            return "0" if text in ("-0", "") else text

        return decimal
    if isinstance(kind, sa.DateTime):
        return lambda v: None if v is None else v.astimezone(dt.UTC).isoformat()
    if isinstance(kind, sa.Date):
        return lambda v: None if v is None else v.isoformat()
    return lambda v: v  # ints, bools, strings


_PLANS: dict[Any, Any] = {}


def _recorder(column: sa.Column) -> Any:
    """The value (not None) as the trail records it, or _MISSING when the database might not give it back as is."""
    check, convert = _checker(column), _converter(column)
    kind = _impl(column)
    if isinstance(kind, sa.Integer) and column.name not in REDACTED_COLUMNS:
        return lambda v: v if type(v) is int else _MISSING
    if isinstance(kind, sa.String) and not isinstance(kind, sa.Enum) and column.name not in REDACTED_COLUMNS:
        length = kind.length
        return lambda v: v if type(v) is str and (length is None or len(v) <= length) else _MISSING
    return lambda v: convert(v) if check(v) else _MISSING


def _key(mapper: Any, column: sa.Column) -> str:
    """The parameter's name for ``column``: its mapped attribute's (an ORM INSERT) or its key (a Core one)."""
    return column.key if mapper is None else mapper.get_property_by_column(column).key


def _plan(mapper: Any, table: sa.Table) -> list[tuple[str, str, Any, Any]]:
    """(column name, parameter name, default, recorder) of every recorded column, computed once."""
    if (mapper, table) not in _PLANS:
        _PLANS[(mapper, table)] = [(c.name, _key(mapper, c), _default(c), _recorder(c)) for c in columns(table)]
    return _PLANS[(mapper, table)]


def rows_from_parameters(
    mapper: Any, table: sa.Table, params: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]] | None:
    """(the rows as the trail records them, the defaults to send with each row), or None when the parameters do
    not say exactly what the database will hold (then the caller reads the rows back)."""
    plan = _plan(mapper, table)
    pk_keys = [_key(mapper, c) for c in table.primary_key]
    known = {key for _name, key, _d, _r in plan}
    rows, extras = [], []
    for param in params:
        if any(param.get(k) is None for k in pk_keys) or not known.issuperset(param):
            return None
        extra: dict[str, Any] = {}
        row: dict[str, Any] = {}
        for name, key, default, record in plan:
            if key in param:
                value = param[key]
            elif default is _MISSING:
                return None
            elif default is None:
                value = None
            else:
                value = extra[key] = default()
            if value is not None and (value := record(value)) is _MISSING:
                return None
            row[name] = value
        rows.append(row)
        extras.append(extra)
    return rows, extras
