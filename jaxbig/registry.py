"""The registry of jaxbig functions and :func:`make`, which builds them by name.

Every public function class is registered with :func:`register`, under its jaxbig
class name (``DuplicatedDiagonalPadding``) and its tinyBIG class name
(``duplicated_diagonal_padding_reconciliation``). :func:`make` accepts either, also
as a dotted path (``tinybig.reconciliation.lorr_reconciliation``, as tinyBIG's
configs write ``function_class``), with tinyBIG's keyword names.

tinyBIG's bookkeeping keywords ``name`` and ``device`` are accepted and ignored:
jaxbig functions are identified by their class, and JAX places arrays itself. Every
other keyword must be a hyperparameter of the function.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any, TypeVar

from jaxbig.ops.patches import grid_parameters

__all__ = ["Entry", "entries", "lookup", "make", "register"]

FAMILIES = (
    "reconciliation",
    "expansion",
    "compression",
    "interdependence",
    "remainder",
    "fusion",
    "entropy",
)

#: tinyBIG keywords that carry no meaning in jaxbig; make() accepts and drops them.
IGNORED_KEYWORDS = frozenset({"name", "device"})
#: The grid hyperparameters that tinyBIG's ``grid_configs`` stands for.
_GRID_FIELDS = frozenset({"h", "w", "d", "channel_num"})

T = TypeVar("T", bound=type)


@dataclasses.dataclass(frozen=True)
class Entry:
    """One registered function.

    Attributes:
      cls: the jaxbig class.
      family: one of ``FAMILIES``.
      tinybig: tinyBIG's class name, or ``None`` where tinyBIG has no such class.
      formula: a one-line summary of the formula the class implements.
      aliases: further names accepted by :func:`make`.
      keywords: tinyBIG keyword → jaxbig field renames accepted by :func:`make`.
    """

    cls: type
    family: str
    tinybig: str | None
    formula: str
    aliases: tuple[str, ...] = ()
    keywords: Mapping[str, str] = dataclasses.field(default_factory=dict)

    @property
    def name(self) -> str:
        """The jaxbig class name."""
        return self.cls.__name__

    def names(self) -> tuple[str, ...]:
        """Every name :func:`make` resolves to this entry."""
        return (self.name,) + ((self.tinybig,) if self.tinybig else ()) + self.aliases

    def fields(self) -> tuple[str, ...]:
        """The hyperparameters (constructor keywords) of the class."""
        return tuple(f.name for f in dataclasses.fields(self.cls) if f.init)

    def required(self) -> tuple[str, ...]:
        """The hyperparameters without a default."""
        return tuple(
            f.name
            for f in dataclasses.fields(self.cls)
            if f.init
            and f.default is dataclasses.MISSING
            and f.default_factory is dataclasses.MISSING
        )


_ENTRIES: dict[str, Entry] = {}  # jaxbig class name -> entry
_NAMES: dict[str, Entry] = {}  # every accepted name -> entry


def register(
    *,
    family: str,
    formula: str,
    tinybig: str | None = None,
    aliases: Iterable[str] = (),
    keywords: Mapping[str, str] | None = None,
) -> Callable[[T], T]:
    """Class decorator that registers a frozen-dataclass function.

    Args:
      family: the family, one of ``FAMILIES``.
      formula: one-line formula summary, which must also appear in the class docstring.
      tinybig: tinyBIG's class name for the same function.
      aliases: further names for :func:`make`.
      keywords: renames from tinyBIG keyword names to the class's field names.

    Returns:
      The decorator, which returns the class unchanged.

    Raises:
      ValueError: on an unknown family, a class that is not a frozen dataclass, a
        name already registered, or a keyword rename to a field that does not exist.
    """
    if family not in FAMILIES:
        raise ValueError(f"register: family={family!r} is not one of {FAMILIES}")

    def decorate(cls: T) -> T:
        params = getattr(cls, "__dataclass_params__", None)
        if params is None or not params.frozen:
            raise ValueError(f"register: {cls.__name__} must be a frozen dataclass")
        entry = Entry(
            cls=cls,
            family=family,
            tinybig=tinybig,
            formula=formula,
            aliases=tuple(aliases),
            keywords=MappingProxyType(dict(keywords or {})),
        )
        unknown = sorted(set(entry.keywords.values()) - set(entry.fields()))
        if unknown:
            raise ValueError(f"register: {cls.__name__} has no field(s) {unknown}")
        for name in entry.names():
            if name in _NAMES and _NAMES[name].cls is not cls:
                raise ValueError(
                    f"register: name {name!r} of {cls.__name__} is already taken by "
                    f"{_NAMES[name].name}"
                )
        _ENTRIES[cls.__name__] = entry
        for name in entry.names():
            _NAMES[name] = entry
        return cls

    return decorate


def entries(family: str | None = None) -> tuple[Entry, ...]:
    """All registered entries, sorted by family (in ``FAMILIES`` order) and name."""
    if family is not None and family not in FAMILIES:
        raise ValueError(f"entries: family={family!r} is not one of {FAMILIES}")
    selected = [e for e in _ENTRIES.values() if family is None or e.family == family]
    return tuple(sorted(selected, key=lambda e: (FAMILIES.index(e.family), e.name)))


def _close(word: str, candidates: Iterable[str]) -> str:
    matches = difflib.get_close_matches(word, list(candidates), n=5, cutoff=0.6)
    return f"; close matches: {', '.join(matches)}" if matches else ""


def lookup(name: str) -> Entry:
    """The entry for a jaxbig or tinyBIG class name (a dotted path's last part counts).

    Raises:
      ValueError: naming the unknown function and listing close matches.
    """
    if not isinstance(name, str):
        raise ValueError(f"make: function name must be a string, got {name!r}")
    key = name.rsplit(".", 1)[-1]
    if key not in _NAMES:
        raise ValueError(f"make: unknown function {name!r}{_close(key, _NAMES)}")
    return _NAMES[key]


def make(name: str, /, **kwargs: Any) -> Any:
    """Builds a registered function from its jaxbig or tinyBIG name.

    Args:
      name: jaxbig class name (``"DuplicatedDiagonalPadding"``), tinyBIG class
        name (``"duplicated_diagonal_padding_reconciliation"``), an alias, or a
        dotted path ending in one of these.
      **kwargs: hyperparameters, under jaxbig's or tinyBIG's keyword names.
        tinyBIG's ``name`` and ``device`` are accepted and ignored; a
        ``grid_configs`` dict stands for ``h, w, d, channel_num`` (see
        :func:`jaxbig.ops.grid_parameters`); an interdependence function accepts
        tinyBIG's ``require_data`` and ``require_parameters`` when they say what
        the function does (whether ``calculate_A`` reads ``x``; whether ``l > 0``).

    Returns:
      The frozen function object.

    Raises:
      ValueError: for an unknown name or keyword (listing close matches), a
        missing required hyperparameter, or a value the function rejects.

    >>> import jaxbig
    >>> jaxbig.make("duplicated_diagonal_padding_reconciliation", p=2, q=3).calculate_l(4, 6)
    4
    """
    entry = lookup(name)
    fields = entry.fields()
    resolved: dict[str, Any] = {}
    kwargs = dict(kwargs)
    declared = {k: kwargs.pop(k) for k in ("require_data", "require_parameters")
                if k in kwargs and entry.family == "interdependence" and k not in fields}
    if "grid_configs" in kwargs and "grid_configs" not in fields and _GRID_FIELDS <= set(fields):
        for key, value in grid_parameters(entry.name, kwargs.pop("grid_configs")).items():
            if key in kwargs:
                raise ValueError(f"make: {entry.name} got {key!r} twice (in grid_configs and as {key!r})")
            kwargs[key] = value
    for key, value in kwargs.items():
        if key in IGNORED_KEYWORDS and key not in fields:
            continue
        field = entry.keywords.get(key, key)
        if field not in fields:
            accepted = sorted(set(fields) | set(entry.keywords))
            raise ValueError(
                f"make: {entry.name} has no hyperparameter {key!r}{_close(key, accepted)} "
                f"(accepted: {', '.join(accepted) or 'none'})"
            )
        if field in resolved:
            raise ValueError(f"make: {entry.name} got {field!r} twice (as {key!r})")
        resolved[field] = value
    missing = [f for f in entry.required() if f not in resolved]
    if missing:
        raise ValueError(f"make: {entry.name} requires {', '.join(missing)}")
    function = entry.cls(**resolved)
    for key, value in declared.items():
        does = bool(function.require_data) if key == "require_data" else function.calculate_l() > 0
        if not isinstance(value, bool) or value != does:
            what = "read x" if key == "require_data" else "have parameters"
            raise ValueError(f"make: {entry.name} got {key}={value!r}, but it {'does' if does else 'does not'} {what}")
    return function
