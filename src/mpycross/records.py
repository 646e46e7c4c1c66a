"""Dataclasses made cheaply: the decorator of the AST node classes and of the records a
compile reads (targets, plans, layouts, opcode tables, the `.mpy` model).

`dataclasses.dataclass(frozen=True, slots=True)` compiles six methods per
class with `exec` and builds an `inspect.signature` for each docstring; for
the sixty classes of `astnodes` that was half of `mpy-cross foo.py`'s start-up.
`frozen_dataclass` makes classes with the same behaviour -- the same
`__init__` signature (keyword-only fields after `*`), repr, `==`, hash,
`__match_args__`, `__slots__`, frozen attributes, pickling -- compiling only
`__init__`, and that on the class's first use.  `dataclasses.fields()`,
`replace()` and `asdict()` still work: the `Field` objects are made by
`dataclasses` itself the first time something asks for them.  The compiler uses the faster `replace` below and
`cls._field_names`.

A frozen, slotted record's type is `_RecordType`, so a class statement that subclasses one
makes the subclass as a record at once (fields from its annotations, as the decorator would),
and the decorator on it returns it unchanged: the plain class the statement would otherwise
make, only to be made again with slots, was half of the node classes' import time.

`dataclass(frozen=..., slots=...)` takes the two flags the project uses, and
`field()` takes `default`, `default_factory`, `kw_only`, `compare`, `repr` and
`hash`; anything else is an error at import, never a silent difference. A
class that is not frozen is unhashable, as with `dataclasses`.
"""

from __future__ import annotations

import _thread
import marshal
import os
import sys
import zlib
from operator import attrgetter

_MISSING = object()


class _FactoryDefault:
    """The default of a `default_factory` parameter (shown as dataclasses shows it)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _FactoryDefault()


class _FieldSpec:
    """What `field(...)` recorded."""

    __slots__ = ("default", "default_factory", "kw_only", "compare", "repr", "hash")

    def __init__(self, default, kw_only, default_factory=_MISSING, compare=True, repr=True, hash=None):
        self.default = default
        self.default_factory = default_factory
        self.kw_only = kw_only
        self.compare = compare
        self.repr = repr
        self.hash = hash  # None: as compare (dataclasses keeps None)


def field(*, default=_MISSING, default_factory=_MISSING, kw_only: bool = False,
          compare: bool = True, repr: bool = True, hash: bool | None = None) -> _FieldSpec:
    """`dataclasses.field` restricted to these arguments."""
    if default is not _MISSING and default_factory is not _MISSING:
        raise ValueError("cannot specify both default and default_factory")
    return _FieldSpec(default, kw_only, default_factory, compare, repr, hash)


def replace(node, /, **changes):
    """`dataclasses.replace` for these classes, without its per-call field scan."""
    for name in node._field_names:
        if name not in changes:
            changes[name] = getattr(node, name)
    return node.__class__(**changes)


# ---- the methods every class shares ------------------------------------------


def _repr(self) -> str:
    names = type(self)._repr_names
    inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
    return f"{self.__class__.__qualname__}({inner})"


def _eq(self, other):
    if other.__class__ is self.__class__:
        getter = type(self)._compared_values
        return getter(self) == getter(other)
    return NotImplemented


def _hash(self) -> int:
    return hash(type(self)._hashed_values(self))


def _getstate(self) -> list:
    return list(type(self)._field_values(self))


def _setstate(self, state) -> None:
    for name, value in zip(type(self)._field_names, state):
        object.__setattr__(self, name, value)


def _values_getter(names: tuple):
    """obj -> tuple of its field values (attrgetter returns a bare value for one name)."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        single = attrgetter(names[0])
        return lambda obj: (single(obj),)
    return lambda obj: ()


def _frozen_error(name: str) -> Exception:
    from dataclasses import FrozenInstanceError

    return FrozenInstanceError(f"cannot assign to field {name!r}")


class _LazyDataclassInfo:
    """`__dataclass_fields__` / `__dataclass_params__`, made by `dataclasses` on first use."""

    def __init__(self, attr: str):
        self.attr = attr

    def __get__(self, obj, cls):
        import dataclasses

        ns = {"__annotations__": dict(cls._field_types)}
        for name, spec in cls._field_specs.items():
            kw = {} if spec.default is _MISSING else {"default": spec.default}
            if spec.default_factory is not _MISSING:
                kw["default_factory"] = spec.default_factory
            ns[name] = dataclasses.field(kw_only=spec.kw_only, compare=spec.compare, repr=spec.repr,
                                         hash=spec.hash, **kw)
        shadow = dataclasses.dataclass(frozen=cls._frozen)(type(cls.__name__, (), ns))
        # cache on the class itself (replaces this descriptor)
        type.__setattr__(cls, "__dataclass_fields__", shadow.__dataclass_fields__)
        type.__setattr__(cls, "__dataclass_params__", shadow.__dataclass_params__)
        return getattr(shadow, self.attr)


def dataclass(cls=None, /, *, frozen: bool = False, slots: bool = False):
    """`@dataclass(frozen=..., slots=...)`, cheaply (see the module docstring)."""
    if cls is None:
        return lambda cls: _make(cls, frozen, slots)
    return _make(cls, frozen, slots)


def frozen_dataclass(cls=None, /, *, frozen: bool = True, slots: bool = True):
    """`@dataclass(frozen=True, slots=True)`, cheaply: the node classes' decorator."""
    if not (frozen and slots):
        raise TypeError("frozen_dataclass makes frozen, slotted classes only")
    return dataclass(cls, frozen=True, slots=True)


def _make(cls, frozen: bool, slots: bool):
    if cls.__dict__.get("_made_as_record"):  # made by _RecordType in one step
        if not (frozen and slots):
            raise TypeError(f"{cls.__name__}: a subclass of a frozen, slotted record is one too")
        return cls
    meta = type(cls)
    if frozen and slots and meta is type:
        meta = _RecordType  # its subclasses are then made in one step
    return _build(meta, cls.__name__, cls.__bases__, cls.__mro__[1:], dict(cls.__dict__), frozen, slots)


def _build(meta, cls_name: str, bases: tuple, base_mro: tuple, namespace: dict, frozen: bool, slots: bool):
    """The record class `meta(cls_name, bases, ...)` from a class body's namespace
    (`base_mro`: the new class's MRO without itself)."""
    # fields: the bases' first, then this class's annotations in order; a
    # redefined field keeps its place (as in dataclasses)
    specs: dict[str, _FieldSpec] = {}
    types: dict[str, object] = {}
    for base in reversed(base_mro):
        if "_field_specs" in base.__dict__:
            specs.update(base._field_specs)
            types.update(base._field_types)
    own_methods = {m: namespace[m] for m in ("__repr__", "__eq__") if m in namespace}
    own = namespace.get("__annotations__", {})
    for name, annotation in own.items():
        text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "")
        if "ClassVar" in text or "InitVar" in text:
            raise TypeError(f"{cls_name}.{name}: ClassVar/InitVar fields are not supported")
        value = namespace.pop(name, _MISSING)
        spec = value if isinstance(value, _FieldSpec) else _FieldSpec(value, False)
        if spec.default is not _MISSING and not slots:
            namespace[name] = spec.default  # a class attribute, as dataclasses leaves it
        if isinstance(spec.default, (list, dict, set)):
            raise ValueError(f"mutable default {type(spec.default)} for field {name} is not allowed")
        specs[name] = spec
        types[name] = annotation

    names = tuple(specs)
    positional = [n for n in names if not specs[n].kw_only]
    keyword = [n for n in names if specs[n].kw_only]
    inherited = {s for base in base_mro for s in base.__dict__.get("__slots__", ())}

    # the new class gets its own: the old class's descriptors do not apply to its instances
    for key in ("__dict__", "__weakref__"):
        namespace.pop(key, None)
    if slots:
        namespace["__slots__"] = tuple(n for n in names if n not in inherited)
        namespace.update(__getstate__=_getstate, __setstate__=_setstate)
    namespace.update(
        __match_args__=tuple(positional),
        _frozen=frozen,
        _field_names=names,
        _field_specs=specs,
        _field_types=types,
        # (read through the class, never an instance, so no staticmethod: making one costs more
        # than the getter, as it copies the getter's missing __name__ and __doc__)
        _field_values=_values_getter(names),
        _compared_values=_values_getter(tuple(n for n in names if specs[n].compare)),
        _hashed_values=_values_getter(tuple(
            n for n in names if (specs[n].compare if specs[n].hash is None else specs[n].hash))),
        _repr_names=tuple(n for n in names if specs[n].repr),
        __repr__=_repr,
        __eq__=_eq,
        # as dataclasses: eq without frozen makes instances unhashable
        __hash__=_hash if frozen else None,
        __dataclass_fields__=_LazyDataclassInfo("__dataclass_fields__"),
        __dataclass_params__=_LazyDataclassInfo("__dataclass_params__"),
    )
    for method in ("__repr__", "__eq__"):  # a class's own method stays, as with dataclasses
        if method in own_methods:
            namespace[method] = own_methods[method]
    # every method goes in before the class is made (a class _RecordType makes is not
    # changed afterwards)
    lazy_init = namespace["__init__"] = _LazyInit(positional, keyword, specs)
    if frozen:
        def __setattr__(self, name, value):
            if type(self) is new or name in specs:
                raise _frozen_error(name)
            super(new, self).__setattr__(name, value)

        def __delattr__(self, name):
            if type(self) is new or name in specs:
                raise _frozen_error(name)
            super(new, self).__delattr__(name)

        namespace.update(__setattr__=__setattr__, __delattr__=__delattr__)
    if meta is _RecordType:
        namespace["_made_as_record"] = True
        new = type.__new__(meta, cls_name, bases, namespace)
    else:
        new = meta(cls_name, bases, namespace)
    lazy_init.cls = new
    return new


class _RecordType(type):
    """The type of frozen, slotted records: a subclass's class statement makes the record at
    once (its decorator then finds it made), where a plain class would be made first and
    then made again with slots, at twice the cost (sixty node classes at every start)."""

    def __new__(mcls, name, bases, namespace, **kwargs):
        if len(bases) != 1 or kwargs:  # (the decorator makes it, the usual way)
            return super().__new__(mcls, name, bases, namespace, **kwargs)
        return _build(mcls, name, bases, bases[0].__mro__, namespace, True, True)


class _LazyInit:
    """`__init__` compiled on first use: a compile needs a handful of the node classes,
    and compiling all sixty `__init__`s was most of this module's import time."""

    __slots__ = ("cls", "positional", "keyword", "specs")

    def __init__(self, positional: list, keyword: list, specs: dict):
        self.cls = None  # the class, set once it is made
        self.positional = positional
        self.keyword = keyword
        self.specs = specs

    def __get__(self, obj, owner=None):
        init = _init_function(self.cls, self.positional, self.keyword, self.specs)
        type.__setattr__(self.cls, "__init__", init)  # replaces this descriptor
        return init if obj is None else init.__get__(obj, owner)


def _init_function(cls, positional: list, keyword: list, specs: dict):
    """Compile `__init__`: each field stored through its slot's setter (frozen classes too),
    or through object.__setattr__ for a class without slots."""
    env = {"_FACTORY": _FACTORY}
    params = ["self"]
    seen_default = False
    for name in positional:
        default = specs[name].default
        if specs[name].default_factory is not _MISSING:
            seen_default = True
            env[f"_factory_{name}"] = specs[name].default_factory
            params.append(f"{name}=_FACTORY")
        elif default is _MISSING:
            if seen_default:
                raise TypeError(f"non-default argument {name!r} follows default argument")
            params.append(name)
        else:
            seen_default = True
            env[f"_dflt_{name}"] = default
            params.append(f"{name}=_dflt_{name}")
    if keyword:
        params.append("*")
        for name in keyword:
            default = specs[name].default
            if specs[name].default_factory is not _MISSING:
                env[f"_factory_{name}"] = specs[name].default_factory
                params.append(f"{name}=_FACTORY")
            elif default is _MISSING:
                params.append(name)
            else:
                env[f"_dflt_{name}"] = default
                params.append(f"{name}=_dflt_{name}")
    body = []
    slotted = "__slots__" in cls.__dict__
    # a class that is not frozen takes plain stores (the fastest; a frozen class's
    # __setattr__ refuses them), unless it has a __setattr__ of its own
    plain = not cls._frozen and all("__setattr__" not in k.__dict__ for k in cls.__mro__[:-1])
    for name in specs:  # stored in field order, as dataclasses does
        if plain:
            setter = f"self.{name} = ("
        elif slotted:
            env[f"_set_{name}"] = getattr(cls, name).__set__
            setter = f"_set_{name}(self, "
        else:
            env["_setattr"] = object.__setattr__
            setter = f"_setattr(self, {name!r}, "
        if specs[name].default_factory is not _MISSING:
            body.append(f"    {setter}_factory_{name}() if {name} is _FACTORY else {name})")
        else:
            body.append(f"    {setter}{name})")
    text = f"def __init__({', '.join(params)}):\n" + ("\n".join(body) or "    pass") + "\n"
    local: dict = {}
    exec(_compiled(text), env, local)
    init = local["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__annotations__ = {**{name: cls._field_types[name] for name in specs}, "return": None}
    return init


# Compiling an `__init__`'s text costs more than the rest of a class's first use, and a
# short run uses a few dozen classes: the code objects are kept across runs in the
# cache folder, keyed by their text (and the exact Python, whose bytecode they are).
_codes: dict | None = None
_codes_lock = _thread.allocate_lock()
_CODE_TYPE = type(_init_function.__code__)


def _codes_file() -> str | None:
    from mpycross.resources import cache_folder

    folder = cache_folder()
    if folder is None:
        return None
    return os.path.join(folder, _CODES_NAME)


# the code objects are the exact Python's bytecode
_CODES_NAME = "records-%08x.marshal" % zlib.crc32(
    f"{sys.version}\0{sys.implementation.cache_tag}\0{marshal.version}".encode())


def _compiled(text: str):
    """compile(text) for exec, from the cross-run cache when it has it."""
    global _codes
    from mpycross.resources import read_cache_file, write_cache_file

    with _codes_lock:
        path = _codes_file()
        if _codes is None:
            loaded = read_cache_file(path) if path is not None else None
            _codes = {k: v for k, v in loaded.items() if type(k) is str and type(v) is _CODE_TYPE} \
                if type(loaded) is dict else {}  # missing or unreadable: compiled afresh and saved
        code = _codes.get(text)
        if code is None:
            code = _codes[text] = compile(text, "<records>", "exec")
            if path is not None:
                write_cache_file(path, _codes)
    return code
