"""mpycross.records.frozen_dataclass against the real `dataclasses.dataclass(frozen=True, slots=True)`.

Every class of `astnodes` and `fold` is built a second time from the same source with
the standard decorator; both versions must agree on everything a caller can
see: `__init__` signature, fields, `__slots__`, `__match_args__`, repr, ==,
hash, `replace`, frozenness, pickling and copying.
"""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle
import sys
import types
from pathlib import Path

import pytest

from mpycross import records as nodeclass
from mpycross.compiler import astnodes, fold

IMPORT = "from mpycross.records import field, frozen_dataclass as dataclass"


def _with_standard_dataclasses(module: types.ModuleType, standard_astnodes=None) -> types.ModuleType:
    """The module executed again from its source with the standard decorator (and, for
    fold, subclassing the node classes of `standard_astnodes`: a class statement that
    subclasses a frozen, slotted record makes a record already)."""
    text = Path(module.__file__).read_text(encoding="utf-8")
    assert IMPORT in text
    text = text.replace(IMPORT, "from dataclasses import dataclass, field")
    copy_ = types.ModuleType("standard_" + module.__name__.rsplit(".", 1)[-1])
    copy_.__package__ = module.__package__
    if standard_astnodes is not None:
        assert "from . import astnodes as A\n" in text
        text = text.replace("from . import astnodes as A\n", "A = _standard_astnodes\n")
        copy_.__dict__["_standard_astnodes"] = standard_astnodes
    sys.modules[copy_.__name__] = copy_  # dataclasses looks the module up
    try:
        exec(compile(text, copy_.__name__, "exec"), copy_.__dict__)
    finally:
        del sys.modules[copy_.__name__]
    return copy_


_STANDARD_ASTNODES = _with_standard_dataclasses(astnodes)
PAIRS = [(astnodes, _STANDARD_ASTNODES), (fold, _with_standard_dataclasses(fold, _STANDARD_ASTNODES))]
CLASSES = sorted((new.__name__, name) for new, old in PAIRS for name, c in vars(old).items()
                 if isinstance(c, type) and dataclasses.is_dataclass(c) and c.__module__ == old.__name__)
_BY_NAME = {new.__name__: (new, old) for new, old in PAIRS}


def _pair(key):
    module, name = key
    new, old = _BY_NAME[module]
    return getattr(old, name), getattr(new, name)


def _field_facts(cls):
    return [(f.name, f.type, f.default, f.kw_only, f.compare, f.hash, f.init, f.repr) for f in dataclasses.fields(cls)]


def test_all_classes_present():
    assert len(CLASSES) > 50
    assert ("mpycross.compiler.fold", "ConstTuple") in CLASSES


@pytest.mark.parametrize("key", CLASSES, ids="-".join)
def test_same_class_shape(key):
    old, new = _pair(key)
    assert str(inspect.signature(old.__init__)) == str(inspect.signature(new.__init__))
    assert old.__match_args__ == new.__match_args__
    assert old.__slots__ == new.__slots__
    assert _field_facts(old) == _field_facts(new)
    assert new._field_names == tuple(f.name for f in dataclasses.fields(old))
    assert [b.__name__ for b in old.__mro__] == [b.__name__ for b in new.__mro__]
    assert old.__doc__ == new.__doc__ or old.__doc__.startswith(old.__name__ + "(")


@pytest.mark.parametrize("key", CLASSES, ids="-".join)
def test_same_instance_behaviour(key):
    old, new = _pair(key)
    required = {p.name: 7 for p in inspect.signature(old.__init__).parameters.values()
                if p.default is inspect.Parameter.empty and p.name != "self"}
    a, b = old(**required, line=3), new(**required, line=3)
    assert repr(a).replace("standard_", "") == repr(b)
    assert hash(a) == hash(b)
    assert dataclasses.asdict(a) == dataclasses.asdict(b)
    b4 = new(**required, line=4)
    assert dataclasses.replace(b, line=4) == b4 == nodeclass.replace(b, line=4)
    assert b4 != b and (b == 1) is False
    assert repr(dataclasses.replace(a, line=4)) == repr(nodeclass.replace(b, line=4))
    with pytest.raises(TypeError):
        nodeclass.replace(b, no_such_field=1)
    for action in (lambda: setattr(b, "line", 5), lambda: delattr(b, "line")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            action()
    with pytest.raises((AttributeError, TypeError)):
        b.not_a_field = 1
    assert not hasattr(b, "__dict__")
    assert pickle.loads(pickle.dumps(b)) == b
    assert copy.copy(b) == b == copy.deepcopy(b)


def test_unsupported_options_are_errors():
    with pytest.raises(TypeError):
        nodeclass.field(init=False)
    with pytest.raises(ValueError):
        nodeclass.field(default=1, default_factory=list)
    with pytest.raises(TypeError):
        nodeclass.frozen_dataclass(frozen=False)
    with pytest.raises(ValueError):
        @nodeclass.frozen_dataclass
        class Bad:
            items: list = []


# ---- the other records of a compile (mutable or not, with or without slots) ----

RECORD_IMPORTS = {"from mpycross.records import dataclass, field": "from dataclasses import dataclass, field",
                  "from mpycross.records import dataclass": "from dataclasses import dataclass"}


def _record_modules():
    import importlib

    names = ("mpycross.mpy.model", "mpycross.mpy.prelude", "mpycross.mpy.layout", "mpycross.mpy.opcodes",
             "mpycross.targets", "mpycross.compiler.plan", "mpycross.compiler.lexer", "mpycross.batch",
             "mpycross.cli.compile_tree")
    return [importlib.import_module(name) for name in names]


def _standard_copy(module):
    text = Path(module.__file__).read_text(encoding="utf-8")
    found = [old for old in RECORD_IMPORTS if old + "\n" in text]
    assert len(found) == 1, module.__name__
    text = text.replace(found[0] + "\n", RECORD_IMPORTS[found[0]] + "\n")
    copy_ = types.ModuleType("standard_" + module.__name__.rsplit(".", 1)[-1])
    copy_.__package__ = module.__package__
    sys.modules[copy_.__name__] = copy_
    try:
        exec(compile(text, copy_.__name__, "exec"), copy_.__dict__)
    finally:
        del sys.modules[copy_.__name__]
    return copy_


RECORDS = [(new, getattr(old, name)) for new, old in ((m, _standard_copy(m)) for m in _record_modules())
           for name, c in vars(old).items() if isinstance(c, type) and dataclasses.is_dataclass(c)
           and c.__module__ == old.__name__]


def test_records_found():
    assert {cls.__name__ for _, cls in RECORDS} >= {"RawCode", "MpyFile", "Header", "Prelude", "Target",
                                                   "CompilePlan", "Syntax", "Layout", "OpInfo", "Token", "Job", "Result",
                                                   "Option"}


@pytest.mark.parametrize("module, old", RECORDS, ids=lambda v: getattr(v, "__name__", ""))
def test_record_same_shape_and_behaviour(module, old):
    new = getattr(module, old.__name__)
    assert str(inspect.signature(old.__init__)) == str(inspect.signature(new.__init__))
    assert _field_facts(old) == _field_facts(new)
    assert old.__match_args__ == new.__match_args__
    assert ("__slots__" in old.__dict__) == ("__slots__" in new.__dict__)
    assert (old.__hash__ is None) == (new.__hash__ is None)
    assert old.__dataclass_params__.frozen == new.__dataclass_params__.frozen
    required = {p.name: 7 for p in inspect.signature(old.__init__).parameters.values()
                if p.default is inspect.Parameter.empty and p.name != "self"}
    a, b, c = old(**required), new(**required), new(**required)
    assert repr(a).replace("standard_", "") == repr(b)
    assert b == c and (b == 1) is False
    assert pickle.loads(pickle.dumps(b)) == b  # (the batch's jobs and results cross to worker processes)
    for f in dataclasses.fields(old):
        if f.default_factory is not dataclasses.MISSING:
            assert getattr(b, f.name) == getattr(a, f.name)
            assert getattr(b, f.name) is not getattr(c, f.name)  # a new value per instance


def test_compiled_inits_are_kept_across_runs_and_a_bad_cache_is_ignored(tmp_path, monkeypatch):
    """The __init__ code objects come back from the cache folder; garbage there is recompiled over."""
    from mpycross import records

    monkeypatch.setenv("MPYCROSS_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(records, "_codes", None)

    def make():
        @records.dataclass(frozen=True, slots=True)
        class Point:
            x: int
            y: int = 2
        return Point

    point_class = make()
    assert point_class(1) == point_class(1, 2)
    saved = list(tmp_path.glob("records-*.marshal"))
    assert len(saved) == 1
    monkeypatch.setattr(records, "_codes", None)  # a new run: the code is read back, not compiled

    def no_compiling(*args):
        raise AssertionError("compiled again")

    monkeypatch.setattr(records, "compile", no_compiling, raising=False)
    point = make()(5, y=7)
    assert (point.x, point.y) == (5, 7)
    monkeypatch.delattr(records, "compile")
    for garbage in (b"not marshal", __import__("marshal").dumps({"def f(): pass": 3})):
        saved[0].write_bytes(garbage)
        monkeypatch.setattr(records, "_codes", None)
        assert make()(3).y == 2


def test_a_subclass_statement_makes_the_record_in_one_step():
    """A class statement subclassing a frozen, slotted record makes the record itself (the
    decorator then finds it made): one class object, whose own methods see it (zero-argument
    super()), and an undecorated subclass is a frozen, slotted record too."""
    made = []

    @nodeclass.frozen_dataclass
    class Base:
        a: int

    class Child(Base):
        b: int = 2

        def total(self):
            made.append(super().__repr__())
            return self.a + self.b

    decorated = nodeclass.frozen_dataclass(Child)
    assert decorated is Child
    child = Child(1)
    assert child.total() == 3 and made[0].endswith("Child(a=1, b=2)")
    assert Child.__slots__ == ("b",) and not hasattr(child, "__dict__")
    with pytest.raises(dataclasses.FrozenInstanceError):
        child.b = 5
    assert [f.name for f in dataclasses.fields(Child)] == ["a", "b"]
    with pytest.raises(TypeError):
        nodeclass.dataclass(Child, frozen=False)
