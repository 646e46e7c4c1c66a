"""The RAM and flash a `.mpy` module costs once imported: the footprint model.

What MicroPython 1.29 does on `import` (py/builtinimport.c, py/persistentcode.c):
1. creates the module (context + globals dict) and enters it in sys.modules;
2. loads the file: the constant tables, every qstr (interned unless the
   firmware has it), every constant object, and for each function a raw-code
   struct, a heap copy of its bytecode (prelude included) and a child table;
3. runs the module body, which makes function objects, classes (type object
   + class dict), property wrappers, module-level containers, and instances
   of classes it calls.
After the import only what is reachable stays: the bytecode, raw code and
child tables of the functions that were made (and everything nested in
them); the module body and the class bodies are garbage once run. This
model runs the module body and the class bodies abstractly, instruction by
instruction (and the __init__ of a known class it calls), and charges each
object at its size on the board (heap.py). Steps that depend on the state
of a running VM (qstr pool doublings, sys.modules growth) are averaged,
unless the caller gives that state.

`Footprint.ram` is what stays allocated (what gc.mem_alloc() grows by);
`Footprint.peak_extra` is what loading needs on top of that while it runs.
"""

from __future__ import annotations

import ast
import functools
import operator
from dataclasses import dataclass, field

from mpycross.deep import deep_stack, model_is_deep
from mpycross.errors import FormatError
from mpycross.footprint import heap
from mpycross.footprint.boards import Board
from mpycross.mpy.model import ComplexConst, MpyFile, RawCode
from mpycross.mpy.opcodes import DecodeError, decode, opcode_table
from mpycross.mpy.prelude import decode_prelude
from mpycross.mpy.qstrs import encode_str
from mpycross.mpy.writer import int_text

# the parts RAM is reported in
CATEGORIES = {
    "bytecode": "bytecode and prelude copied into the heap",
    "native": "machine code of native, viper and asm functions (on boards that load it into the heap)",
    "raw_code": "raw-code structs and child tables",
    "functions": "function, closure and property objects",
    "classes": "type objects, class dicts and cells",
    "qstrs": "qstrs interned (text + pool slot)",
    "constants": "constant tables and str/bytes/float/int objects",
    "module": "module object, globals dict and sys.modules entry",
    "data": "containers built by module and class bodies",
}

# the key, in the program's shared `classes`, of the frozen modules it has imported so far
FROZEN_IMPORTED = "<frozen modules imported>"
WRAPPERS = {"property": heap.property_obj, "staticmethod": heap.static_class_method,
            "classmethod": heap.static_class_method}
MAKERS = ("MAKE_FUNCTION", "MAKE_FUNCTION_DEFARGS", "MAKE_CLOSURE", "MAKE_CLOSURE_DEFARGS")
SEQ_OPS = ("ADD", "INPLACE_ADD", "MULTIPLY", "INPLACE_MULTIPLY")


@dataclass
class FunctionCost:
    """RAM a function made at import keeps alive (-v rows)."""

    name: str
    bytecode: int = 0
    raw_code: int = 0
    object: int = 0
    native: int = 0

    @property
    def total(self) -> int:
        return self.bytecode + self.raw_code + self.object + self.native


@dataclass
class Footprint:
    """The estimate for one module on one board."""

    name: str
    file_size: int
    flash: int
    kind: str = "mpy"                                  # the input: "mpy" or "py"
    path: str = ""
    ram_parts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))
    peak_extra: int = 0
    functions: list[FunctionCost] = field(default_factory=list)
    qstrs_total: int = 0
    qstrs_known: int = 0
    new_qstrs: list[str] = field(default_factory=list)
    unmodeled: list[str] = field(default_factory=list)   # module-level effects not costed
    source_load_peak: int | None = None                 # RAM to import the .py instead
    constants: dict[str, int] = field(default_factory=dict)   # the "constants" part by kind
    native_code: int = 0        # machine code bytes of the file's native/viper/asm functions
    native_outside_heap: int = 0  # of those, what the board keeps in executable memory outside the heap

    @property
    def ram(self) -> int:
        return round(sum(self.ram_parts.values()))

    @property
    def peak(self) -> int:
        """RAM while importing the module as a .mpy: the loader's peak."""
        return self.ram + self.peak_extra

    @property
    def load_peak(self) -> int:
        """RAM while importing the input as given: the compiler's peak for a .py."""
        if self.kind == "py" and self.source_load_peak is not None:
            return self.source_load_peak
        return self.peak

    def add(self, part: str, nbytes: float) -> None:
        self.ram_parts[part] += nbytes


@dataclass
class _Value:
    """An abstract stack value: the heap it will keep if it ends up stored."""

    parts: dict[str, int] = field(default_factory=dict)
    functions: list[FunctionCost] = field(default_factory=list)
    committed: bool = False
    map_alloc: int = 0      # a dict under construction: its table size and entries
    map_used: int = 0
    rc: RawCode | None = None          # a function made from this raw code
    klass: "ClassInfo | None" = None   # a class whose code is known
    module: str | None = None          # a module object (its dotted name)
    const: int | None = None           # a small int
    is_property: bool = False          # property(...) or one of its setter/getter
    seq: tuple[str, int] | None = None  # a tuple or list of known length: (kind, len)
    nbytes: int | None = None          # a bytes constant's length
    text: str | None = None            # a str constant
    iter_garbage: int = 0              # a map object: what iterating it drops

    def absorb(self, other: "_Value") -> None:
        for part, n in other.parts.items():
            self.parts[part] = self.parts.get(part, 0) + n
        self.functions.extend(other.functions)


@dataclass
class ClassInfo:
    """A class whose code is known: what calling it allocates can be costed."""

    name: str
    methods: dict[str, RawCode]
    bases: list["ClassInfo | None"]
    estimator: "_Estimator"            # the module it came from (its qstr table)
    instance: int | None = None        # memoised instance cost


@dataclass
class _Body:
    """What running one body (module or class) stores and makes."""

    stores: set[str] = field(default_factory=set)
    calls: int = 0
    bound: dict[str, "_Value"] = field(default_factory=dict)   # name -> value stored
    attrs: set[str] = field(default_factory=set)               # STORE_ATTR names
    calls_super_init: bool = False


def _entry(table: list, index: int, what: str):
    """table[index], or an IndexError saying what was expected."""
    if not 0 <= index < len(table):
        raise IndexError(f"{what} index {index} out of range (expected 0..{len(table) - 1})")
    return table[index]


def _instructions(rc: RawCode):
    table = opcode_table("v6")
    code = rc.fun_data
    prelude = decode_prelude(code, 0, "v5", "qstr_indices")
    ip = prelude.bytecode_offset
    while ip < len(code):
        ins = decode(table, code, ip)
        yield ins
        ip += ins.size


_BINOPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
           ast.BitAnd: operator.and_, ast.RShift: operator.rshift}


def _evaluate(node: ast.AST, names: dict[str, int]) -> int:
    """Evaluate a stack-effect expression of formats/bytecode (+ - * & >> ( ) ==)."""
    if isinstance(node, ast.Expression):
        return _evaluate(node.body, names)
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return node.value
    if isinstance(node, ast.Name) and node.id in names:
        return names[node.id]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_evaluate(node.operand, names)
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
        return _BINOPS[type(node.op)](_evaluate(node.left, names), _evaluate(node.right, names))
    if (isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], ast.Eq)):
        return int(_evaluate(node.left, names) == _evaluate(node.comparators[0], names))
    raise ValueError(f"unexpected stack-effect expression: {ast.dump(node)}")


@functools.cache
def _parsed(expression: str) -> ast.Expression:
    return ast.parse(expression, mode="eval")


def _prelude(rc: RawCode):
    """The prelude of bytecode, or of native code (after its machine code); None for viper/asm."""
    if rc.kind == "bytecode":
        return decode_prelude(rc.fun_data, 0, "v5", "qstr_indices")
    if rc.kind == "native" and rc.prelude_offset is not None:
        return decode_prelude(rc.fun_data, rc.prelude_offset, "v5", "qstr_indices")
    return None


def _stack_effect(ins) -> int:
    effect = ins.info.stack
    if isinstance(effect, int):
        return effect
    return _evaluate(_parsed(effect), {"arg": ins.arg or 0, "extra": ins.extra or 0})


class _Estimator:
    def __init__(self, mpy: MpyFile, board: Board, name: str, interned: set[str] | None,
                 pool: list | None = None, classes: dict[str, ClassInfo] | None = None,
                 loaded_modules: int | None = None, unavailable: frozenset[str] = frozenset()):
        self.mpy = mpy
        # modules the device has neither as a file nor built in: importing them fails
        self.unavailable = unavailable
        self.board = board
        self.name = name
        # qstrs already interned before this import (other modules of the same program)
        self.interned = interned if interned is not None else set()
        # [alloc, len] of the VM's last qstr pool when known (else pools are averaged)
        self.pool = pool
        # "module.Class" -> ClassInfo of the program so far (shared between modules)
        self.classes = classes if classes is not None else {}
        # frozen modules the program has imported so far: shared like the classes when the
        # module is one of a program (`interned` given), else its own
        self.frozen_imported: set[str] = (self.classes.setdefault(FROZEN_IMPORTED, set())
                                          if interned is not None else set())
        self.module_bound: dict[str, _Value] = {}
        self.loaded_modules = loaded_modules   # entries of sys.modules before, when known
        self.sink: _Value | None = None    # where commits go while costing an __init__
        self.is_package = False
        self.fp = Footprint(name=name, file_size=mpy.size or 0, flash=board.flash(mpy.size or 0))
        self.where: tuple[RawCode, int] = (mpy.root, 0)   # the instruction being costed

    # -- names ------------------------------------------------------------------

    def qstr(self, index: int) -> str:
        return _entry(self.mpy.qstr_table, index, "qstr")

    def simple_name(self, rc: RawCode) -> str:
        prelude = _prelude(rc)
        if prelude is None or prelude.simple_name_index is None:
            return "<native>"
        return self.qstr(prelude.simple_name_index)

    # -- loading ----------------------------------------------------------------

    def intern(self, text: str) -> bool:
        """Intern one qstr; True if it is new to the firmware and this program."""
        if text in self.board.known_qstrs or text in self.interned:
            return False
        self.interned.add(text)
        return True

    def load_tables(self) -> None:
        fp, board = self.fp, self.board
        tables = heap.const_tables(board, len(self.mpy.qstr_table), len(self.mpy.obj_table))
        fp.add("constants", tables)
        fp.constants["tables"] = tables
        chars = 0
        seen = set()
        for text in self.mpy.qstr_table:
            if text in seen:
                continue
            seen.add(text)
            fp.qstrs_total += 1
            if self.intern(text):
                fp.new_qstrs.append(text)
                chars += len(encode_str(text)) + 1
            else:
                fp.qstrs_known += 1
        self.qstr_chars = chars
        for obj in self.mpy.obj_table:
            self.peak_extra += self.number_text(obj)
            cost = self.const_obj(obj)
            fp.add("constants", cost)
            kind = type(obj).__name__.replace("FloatConst", "float").replace("ComplexConst", "complex")
            fp.constants[kind] = fp.constants.get(kind, 0) + cost

    def number_text(self, obj) -> int:
        """Garbage the loader leaves for a number constant: py/persistentcode.c load_obj
        reads its text into a vstr (len + 1 bytes) that it parses and never frees."""
        if isinstance(obj, tuple):
            return sum(self.number_text(o) for o in obj)
        if isinstance(obj, (int, float, complex)) and not isinstance(obj, bool):
            if isinstance(obj, int):
                text = int_text(obj)
            else:
                text = getattr(obj, "text", None) or repr(obj)
            return self.board.alloc(len(text) + 1)
        return 0

    def const_obj(self, obj) -> int:
        board = self.board
        if obj is None or obj is Ellipsis or isinstance(obj, bool):
            return 0
        if isinstance(obj, str):
            # py/objstr.c mp_obj_new_str_type_from_vstr: an existing qstr is reused
            if obj in self.board.known_qstrs or obj in self.interned:
                return 0
            return heap.str_obj(board, len(encode_str(obj)))
        if isinstance(obj, bytes):
            return heap.str_obj(board, len(obj)) if obj else 0
        if isinstance(obj, int):
            return 0 if heap.int_fits_small(board, obj) else heap.bigint_obj(board, obj)
        if isinstance(obj, (complex, ComplexConst)):
            # py/objcomplex.c: base + real + imag
            return board.alloc(board.word_bytes + 2 * board.float_bytes)
        if isinstance(obj, float):
            return heap.float_obj(board)
        if isinstance(obj, tuple):
            return heap.tuple_obj(board, len(obj)) + sum(self.const_obj(o) for o in obj)
        return board.words(2)

    # -- what stays of a function ----------------------------------------------

    def kept_code(self, rc: RawCode) -> tuple[int, int, int]:
        """(bytecode, raw-code, native) bytes a live function object keeps reachable."""
        board = self.board
        code = native = 0
        if rc.kind == "bytecode":
            code = board.alloc(len(rc.fun_data))
        else:
            native = self.native_heap(rc)
        raw = heap.children_table(board, len(rc.children)) if rc.children else 0
        for child in rc.children:
            raw += heap.raw_code(board)
            c_code, c_raw, c_native = self.kept_code(child)
            code += c_code
            raw += c_raw
            native += c_native
        return code, raw, native

    def native_heap(self, rc: RawCode) -> int:
        """GC heap a loaded native function's machine code (+ prelude) keeps: py/persistentcode.c
        loads it with MP_PLAT_ALLOC_EXEC, the GC heap unless the port says otherwise."""
        if self.board.native_code == "heap":
            return self.board.alloc(len(rc.fun_data))
        return 0

    def transient_code(self, rc: RawCode) -> int:
        """Heap a body that runs once (module, class body) holds while loading."""
        board = self.board
        code = board.alloc(len(rc.fun_data)) if rc.kind == "bytecode" else self.native_heap(rc)
        return heap.raw_code(board) + code + (heap.children_table(board, len(rc.children)) if rc.children else 0)

    def make_function(self, rc: RawCode, ins, kw_defaults: bool, qualname: str) -> _Value:
        board = self.board
        prelude = _prelude(rc)
        n_extra = 0
        if ins.name.endswith("_DEFARGS") and prelude is not None:
            # py/objfun.c mp_obj_new_fun_bc: positional defaults are copied into the
            # object, plus one slot for the keyword-only defaults dict
            n_extra = prelude.n_def_pos_args + (1 if kw_defaults else 0)
        code, raw, native = self.kept_code(rc)
        # py/emitglue.c: asm code gets an mp_obj_fun_asm_t, native and viper an mp_obj_fun_bc_t
        obj = heap.fun_asm(board) if rc.kind == "asm" else heap.fun_bc(board, n_extra)
        if ins.name.startswith("MAKE_CLOSURE"):
            obj += heap.closure(board, ins.extra & 0xFF)
        # the raw code struct itself is only reachable from the defining body
        self.peak_extra += heap.raw_code(board)
        value = _Value({"bytecode": code, "raw_code": raw, "functions": obj, "native": native})
        value.functions.append(FunctionCost(qualname, code, raw, obj, native))
        return value

    def commit(self, value: _Value) -> None:
        """The value is stored: what it holds stays allocated."""
        if value.committed:
            return
        value.committed = True
        if self.sink is not None:
            self.sink.absorb(value)
            return
        for part, n in value.parts.items():
            self.fp.add(part, n)
        self.fp.functions.extend(value.functions)

    def drop(self, value: _Value) -> None:
        """The value is dropped unstored: what it holds is garbage, which counts in the
        peak until a collection (on a firmware that collects only between top-level
        calls, until the program's call ends)."""
        if not value.committed and self.sink is None:
            self.peak_extra += sum(value.parts.values())

    def absolute(self, name: str, level: int) -> str:
        """The absolute name of `from <level dots><name> import ...` in this module."""
        if not level:
            return name
        package = self.name if self.is_package else self.name.rpartition(".")[0]
        base = package.split(".") if package else []
        if level > 1:
            base = base[: len(base) - (level - 1)]
        return ".".join(base + ([name] if name else []))

    def lookup(self, dotted: str) -> _Value:
        """A reference to a module, or to a class of the program, by dotted name."""
        return _Value(module=dotted, klass=self.classes.get(dotted))

    def instance_cost(self, klass: ClassInfo) -> int:
        """Heap one instance of a known class takes once its __init__ has run.

        py/objtype.c mp_obj_new_instance: base + members map (4 words); then
        each attribute __init__ stores grows the members table, and what it
        stores there stays (costed like a body's stores).
        """
        if klass.instance is not None:
            return klass.instance
        klass.instance = self.board.words(4)          # guards recursion
        attrs: set[str] = set()
        kept = _Value()
        chain, seen = [klass], set()
        while chain:
            cls = chain.pop(0)
            if cls is None or id(cls) in seen:
                continue
            seen.add(id(cls))
            init = cls.methods.get("__init__")
            if init is None:
                chain.extend(cls.bases)               # inherited __init__
                continue
            est = cls.estimator
            saved = est.sink, est.peak_extra
            est.sink = _Value()
            try:
                body = est.run_body(init, cls.name + ".__init__", set())
            except (DecodeError, IndexError):
                body = _Body()
            attrs |= body.attrs
            kept.absorb(est.sink)
            est.sink, est.peak_extra = saved
            if body.calls_super_init:
                chain.extend(cls.bases)
        board = self.board
        cost = board.words(4) + heap.map_table(board, heap.grown_table_alloc(len(attrs)))
        cost += sum(kept.parts.values())
        klass.instance = cost
        return cost

    def import_frozen(self, module: str) -> None:
        """The first import in a program of a module the firmware has frozen (Python code
        in ROM): its module, functions and classes are made on the heap, as a library's."""
        top = module.split(".")[0]
        frozen = self.board.frozen_imports.get(top)
        # a program that brings its own module of that name (found first on the path, as
        # /lib is in the tests) imports that one, costed as the program's
        own = f"{top}.*" in self.classes or self.name == top or self.name.startswith(top + ".")
        if frozen is not None and top not in self.frozen_imported and not own:
            self.frozen_imported.add(top)
            for imported in frozen.get("imports", ()):
                self.import_frozen(imported)
            self.fp.add("module", frozen["heap"])
            # what running its body dropped (binascii builds its tables at import)
            self.peak_extra += frozen.get("garbage", 0)

    def import_fails(self, module: str, name: str | None = None) -> bool:
        """Does `import module` (or `from module import name`) fail on the board?"""
        board = self.board
        top = module.split(".")[0]
        if top in board.absent_modules or module in self.unavailable or top in self.unavailable:
            return True
        builtins = board.builtin_modules
        if builtins is None or module not in builtins:
            return False
        return name is not None and name != "*" and name not in builtins[module]

    # -- running a body ---------------------------------------------------------

    def run_body(self, rc: RawCode, scope: str, module_stores: set[str]) -> _Body:
        """Run a module or class body (or an __init__) abstractly, in code order.

        Each stack value carries the heap it would keep; a STORE commits it, a
        POP_TOP drops it. Jumps are not followed (both arms of a branch are
        walked), except that an import the board cannot satisfy inside a
        `try` skips to its handler, as the VM does. Names bound to modules,
        functions and classes are remembered so that calling a known class
        costs an instance.
        """
        board = self.board
        body = _Body()
        stack: list[_Value] = []
        tries: list[tuple[int, int]] = []          # (handler offset, stack depth)
        skip_to: int | None = None
        pending_classes: list[list] = []           # [stack depth, class body rc]
        class_body_next = False

        def pop() -> _Value:
            return stack.pop() if stack else _Value()

        def pop_n(n: int) -> list[_Value]:
            # past the bottom of the stack nothing costed is popped: pad only the
            # few values a call reads by position, so that a corrupt count
            # (BUILD_TUPLE 10**9) costs no time
            n = max(0, n)
            taken = [pop() for _ in range(min(n, len(stack)))]
            return taken + [_Value() for _ in range(min(n - len(taken), 256))]

        def ref(value: _Value) -> _Value:
            # a second reference to a stored value: it costs nothing again
            return _Value(rc=value.rc, klass=value.klass, module=value.module, const=value.const,
                          is_property=value.is_property, seq=value.seq)

        def fail_to_handler() -> None:
            nonlocal skip_to
            # the ImportError raised is garbage once handled
            self.peak_extra += heap.import_error(self.board)
            skip_to, depth = tries[-1]
            del stack[depth:]

        prelude = _prelude(rc)
        stack_limit = min(prelude.n_state if prelude else 0, 1 << 16) + len(rc.fun_data)
        branch_end = 0     # the furthest forward jump seen: before it, code may not run
        for ins in _instructions(rc):
            self.where = (rc, ins.offset)
            while tries and ins.offset >= tries[-1][0]:
                tries.pop()
            if ins.info is not None and ins.info.operand.startswith("jump") and ins.arg > ins.offset:
                branch_end = max(branch_end, ins.arg)
            if skip_to is not None:
                if ins.offset < skip_to:
                    continue
                skip_to = None
            op = ins.name
            if op == "SETUP_EXCEPT":
                tries.append((ins.arg, len(stack)))
                continue
            if op in ("STORE_NAME", "STORE_GLOBAL"):
                name = self.qstr(ins.arg)
                value = pop()
                (body.stores if op == "STORE_NAME" else module_stores).add(name)
                body.bound[name] = value
                for f in value.functions:
                    if f.name.endswith("<native>"):     # viper/asm code has no prelude to name it
                        f.name = f.name[: -len("<native>")] + name
                if scope == "<module>" or op == "STORE_GLOBAL":
                    self.module_bound[name] = value
                    if value.klass is not None:
                        self.classes[f"{self.name}.{name}"] = value.klass
                self.commit(value)
            elif op == "STORE_ATTR":
                body.attrs.add(self.qstr(ins.arg))
                for value in pop_n(2):
                    self.commit(value)
            elif op == "STORE_SUBSCR":
                for value in pop_n(3):
                    self.commit(value)
            elif op == "POP_TOP":
                self.drop(pop())
            elif op == "DUP_TOP":
                stack.append(stack[-1] if stack else _Value())
            elif op in ("LOAD_CONST_SMALL_INT_MULTI", "LOAD_CONST_SMALL_INT"):
                value = ins.multi_index - ins.info.excess if op.endswith("MULTI") else ins.arg
                stack.append(_Value(const=value))
            elif op == "IMPORT_NAME":
                fromlist, level = pop(), pop()
                self.drop(fromlist)
                name = self.absolute(self.qstr(ins.arg), level.const or 0)
                self.import_frozen(name)
                stack.append(self.lookup(name))
                if self.import_fails(name):
                    if tries:
                        fail_to_handler()
                    elif ins.offset >= branch_end:
                        return self.stop_body(body, f"import {name}")
                    else:
                        self.fp.unmodeled.append(f"import {name} fails on {self.board.name} in a branch "
                                                 "(both arms costed, as for any branch)")
            elif op == "IMPORT_FROM":
                module = stack[-1].module if stack else None
                attr = self.qstr(ins.arg)
                stack.append(self.lookup(f"{module}.{attr}") if module else _Value())
                if module and self.import_fails(module, attr):
                    if tries:
                        fail_to_handler()
                    elif ins.offset >= branch_end:
                        return self.stop_body(body, f"from {module} import {attr}")
                    else:
                        self.fp.unmodeled.append(f"from {module} import {attr} fails on {self.board.name} "
                                                 "in a branch (both arms costed, as for any branch)")
            elif op == "IMPORT_STAR":
                module = pop().module
                names = self.classes.get(f"{module}.*") if module else None
                if names is None:
                    self.fp.unmodeled.append("from ... import *: the names it copies")
                else:
                    # py/runtime.c mp_import_all: every name not starting with "_" is stored
                    body.stores.update(names)
            elif op in ("LOAD_NAME", "LOAD_GLOBAL"):
                name = self.qstr(ins.arg)
                if name in WRAPPERS:
                    stack.append(_Value({"functions": WRAPPERS[name](board)},
                                        is_property=name == "property", module=f"builtins.{name}"))
                elif op == "LOAD_NAME" and name in body.bound:
                    stack.append(ref(body.bound[name]))
                elif name in self.module_bound:
                    stack.append(ref(self.module_bound[name]))
                else:
                    stack.append(_Value(module=f"builtins.{name}"))
            elif op in ("LOAD_ATTR", "LOAD_METHOD"):
                obj = pop()
                attr = self.qstr(ins.arg)
                if obj.is_property and attr in ("setter", "getter", "deleter"):
                    # prop.setter(f) makes a new property in place of the old one
                    value = _Value(is_property=True, module="builtins.property_copy")
                elif obj.module and not obj.module.startswith("builtins."):
                    value = self.lookup(f"{obj.module}.{attr}")
                elif obj.text is not None and attr == "join":
                    value = _Value(module="builtins.str.join")
                else:
                    value = _Value()
                if attr == "__init__":
                    body.calls_super_init = True
                stack.append(value)
                if op == "LOAD_METHOD":
                    stack.append(obj)
            elif op == "LOAD_SUPER_METHOD":
                pop_n(2)
                if self.qstr(ins.arg) == "__init__":
                    body.calls_super_init = True
                stack.extend((_Value(), _Value()))
            elif op == "LOAD_BUILD_CLASS":
                pending_classes.append([len(stack), None])
                class_body_next = True
                stack.append(_Value())
            elif op in MAKERS:
                child = _entry(rc.children, ins.arg, "child")
                if class_body_next:
                    pending_classes[-1][1] = child
                    class_body_next = False
                    stack.append(_Value())
                    continue
                kw_parts: dict[str, int] = {}
                if op.endswith("_DEFARGS"):
                    # py/objfun.c: the positional defaults are copied into the function and
                    # their tuple dropped; the keyword-only defaults dict stays
                    kw, pos = pop(), pop()
                    self.drop(pos)
                    kw_parts = kw.parts
                n_closed = (ins.extra & 0xFF) if op.startswith("MAKE_CLOSURE") else 0
                pop_n(n_closed)
                owner = "" if scope == "<module>" else scope + "."
                value = self.make_function(child, ins, bool(kw_parts), owner + self.simple_name(child))
                # the keyword-only defaults dict stays, pointed to by the function
                for n in kw_parts.values():
                    value.parts["functions"] = value.parts.get("functions", 0) + n
                value.rc = child
                stack.append(value)
            elif op in ("BUILD_TUPLE", "BUILD_LIST", "BUILD_SET"):
                items = pop_n(ins.arg)
                size = {"BUILD_TUPLE": heap.tuple_obj, "BUILD_LIST": heap.list_obj,
                        "BUILD_SET": heap.set_obj}[op](board, ins.arg)
                kind = {"BUILD_TUPLE": "tuple", "BUILD_LIST": "list"}.get(op)
                value = _Value({"data": size}, seq=(kind, ins.arg) if kind else None)
                for item in items:
                    value.absorb(item)
                stack.append(value)
            elif op == "LOAD_CONST_STRING":
                stack.append(_Value(text=self.qstr(ins.arg)))
            elif op == "LOAD_CONST_OBJ":
                obj = _entry(self.mpy.obj_table, ins.arg, "constant")
                stack.append(_Value(seq=("tuple", len(obj)) if isinstance(obj, tuple) else None,
                                    nbytes=len(obj) if isinstance(obj, bytes) else None,
                                    text=obj if isinstance(obj, str) else None))
            elif op == "BINARY_OP_MULTI" and ins.info.ops[ins.multi_index] in SEQ_OPS:
                right, left = pop(), pop()
                stack.append(self.sequence_op(ins.info.ops[ins.multi_index], left, right))
            elif op == "BUILD_MAP":
                # py/vm.c: mp_obj_new_dict(n) sizes the table for n entries
                stack.append(_Value({"data": heap.dict_obj(board) + heap.map_table(board, ins.arg)},
                                    map_alloc=ins.arg))
            elif op == "STORE_MAP":
                key, item = pop(), pop()
                target = stack[-1] if stack else _Value()
                target.absorb(key)
                target.absorb(item)
                target.map_used += 1
                if target.map_used > target.map_alloc:
                    grown = heap.grown_table_alloc(target.map_used, target.map_alloc)
                    target.parts["data"] = (target.parts.get("data", 0) + heap.map_table(board, grown)
                                            - heap.map_table(board, target.map_alloc))
                    target.map_alloc = grown
            elif op in ("CALL_FUNCTION", "CALL_METHOD", "CALL_FUNCTION_VAR_KW", "CALL_METHOD_VAR_KW"):
                n_pos, n_kw = ins.arg & 0xFF, (ins.arg >> 8) & 0xFF
                n_args = n_pos + 2 * n_kw + (1 if op.endswith("VAR_KW") else 0)
                args = pop_n(n_args)
                callee = pop_n(2 if op.startswith("CALL_METHOD") else 1)
                if (pending_classes and op == "CALL_FUNCTION"
                        and len(stack) == pending_classes[-1][0]):
                    _, class_rc = pending_classes.pop()
                    value = _Value()
                    if class_rc is not None:
                        bases = [a.klass for a in reversed(args[: max(0, n_pos - 2)])]
                        value = self.make_class(class_rc, max(0, n_pos - 2), module_stores, bases)
                    stack.append(value)
                    continue
                target = callee[-1] if callee else _Value()
                result = self.call(target, args, n_pos, n_kw)
                if result is None:
                    # an unknown call: assume it keeps its arguments; its own result is not costed
                    body.calls += 1
                    result = _Value()
                    for arg in args:
                        result.absorb(arg)
                stack.append(result)
            elif op in ("RETURN_VALUE",):
                pop()
            elif ins.info is not None:
                effect = _stack_effect(ins)
                if effect < 0:
                    for value in pop_n(-effect):
                        self.drop(value)
                else:
                    # values of no cost; the walk keeps both arms of each branch, so its stack
                    # may grow past n_state, but not past one value per code byte more
                    stack.extend(_Value() for _ in range(min(effect, stack_limit - len(stack))))
        return body

    def stop_body(self, body: _Body, what: str) -> _Body:
        """An import outside any `try` that fails on the board: the VM raises ImportError
        there and the module never finishes importing; say so, and cost no further."""
        self.fp.unmodeled.append(f"{what} fails on {self.board.name} (ImportError): the import of "
                                 f"{self.name} stops there; what follows is not costed")
        return body

    def sequence_op(self, op: str, left: _Value, right: _Value) -> _Value:
        """`seq + seq` and `seq * n` make a new tuple or list (py/objtuple.c, py/objlist.c)."""
        board = self.board
        n = None
        if op.endswith("ADD") and left.seq and right.seq and left.seq[0] == right.seq[0]:
            kind, n = left.seq[0], left.seq[1] + right.seq[1]
        elif op.endswith("MULTIPLY"):
            seq, count = (left, right) if left.seq else (right, left)
            if seq.seq and count.const is not None:
                kind, n = seq.seq[0], seq.seq[1] * max(0, count.const)
        if n is None:
            return _Value()
        size = heap.list_obj(board, n) if kind == "list" else heap.tuple_obj(board, n)
        return _Value({"data": size}, seq=(kind, n))

    def call(self, target: _Value, args: list[_Value], n_pos: int, n_kw: int) -> _Value | None:
        """What a call to a known callee keeps; None when the callee is unknown."""
        board = self.board
        if target.klass is not None:
            value = _Value({"data": self.instance_cost(target.klass)})
            for arg in args:
                value.absorb(arg)
            return value
        if target.module in ("builtins.property", "builtins.staticmethod", "builtins.classmethod",
                             "builtins.property_copy") and n_pos == 1 and not n_kw:
            # the wrapper keeps what it decorates
            target.absorb(args[0])
            return target
        if target.module in ("builtins.bytearray", "builtins.bytes") and n_pos == 1 and not n_kw:
            # bytearray(n), bytes(n), and of b"..." or of a list or tuple of known length: the
            # argument is copied, then dropped
            arg = args[0]
            n = arg.const if arg.const is not None else arg.nbytes
            if n is None and arg.seq is not None:
                n = arg.seq[1]
            if n is not None:
                n = max(0, n)
                if target.module == "builtins.bytes":
                    # py/objstr.c bytes_make_new: an mp_obj_str_t and its data (len + 1)
                    return _Value({"data": heap.str_obj(board, n) if n else 0})
                # py/objarray.c: mp_obj_array_t (base, typecode/free, len, items) + the items
                return _Value({"data": board.words(4) + board.alloc(n)})
        if target.module == "builtins.const" and n_pos == 1:
            return args[0]
        if target.module in ("builtins.map", "builtins.list", "builtins.tuple", "builtins.str.join"):
            return self.sequence_call(target.module.rpartition(".")[2], args, n_pos, n_kw)
        if target.module == "collections.namedtuple" and n_pos == 2 and not n_kw:
            # py/objnamedtuple.c new_namedtuple_type: a type with the fields as qstrs; a
            # "a b c" string is split and each name interned
            fields = args[0]
            if fields.text is not None:
                names = fields.text.replace(",", " ").split()
                for name in names:
                    if self.sink is None and self.intern(name):
                        self.fp.new_qstrs.append(name)
                        self.qstr_chars += len(encode_str(name)) + 1
                n = len(names)
            elif fields.seq is not None:
                n = fields.seq[1]
            else:
                return None
            return _Value({"classes": heap.namedtuple_type(board, n)})
        return None

    def sequence_call(self, kind: str, args: list[_Value], n_pos: int, n_kw: int) -> _Value | None:
        """map(f, seq), list(x), tuple(x) and sep.join(x) over sequences of known length.

        py/objmap.c map_iternext allocates the array of arguments for each call it makes
        and never frees it; list and tuple of an iterator grow an array by doubling
        (py/objlist.c; tuple frees its array once copied), as str.join does first with
        anything but a list or tuple (py/objstr.c), and keeps that list until a collection.
        What the mapped function makes is not costed (noted).
        """
        board = self.board
        args = args[::-1]      # popped last first
        if n_kw or n_pos < 1 or any(a.seq is None for a in args[1 if kind == "map" else 0:]):
            return None
        if kind == "map":
            if n_pos < 2:
                return None
            n_iters = n_pos - 1
            n = min(a.seq[1] for a in args[1:])
            self.fp.unmodeled.append(f"map(...) over {n} items: what the function it calls makes")
            value = _Value({"data": board.words(3 + n_iters)}, seq=("map", n),
                           iter_garbage=n * board.words(n_iters))
            for arg in args:
                value.absorb(arg)
            return value
        if n_pos != 1:
            return None
        arg = args[0]
        n = arg.seq[1]
        if kind == "tuple" and arg.seq[0] == "tuple":
            return arg        # py/objtuple.c returns a tuple as it is
        # what iterating the argument drops, and the argument itself once consumed
        self.peak_extra += arg.iter_garbage
        self.drop(arg)
        # appended one by one: the items array doubles from LIST_MIN_ALLOC
        alloc = heap.LIST_MIN_ALLOC
        while alloc < n:
            alloc *= 2
        grown = board.words(4) + board.words(alloc)
        if kind == "list":
            # py/objlist.c list_make_new appends even the items of a list or tuple
            return _Value({"data": grown}, seq=("list", n))
        if kind == "tuple":
            # py/objtuple.c: the items are gathered in an array it frees once copied
            return _Value({"data": heap.tuple_obj(board, n)}, seq=("tuple", n))
        if arg.seq[0] not in ("list", "tuple"):
            self.peak_extra += grown
        # str.join: the items' text is not known; one byte each is the least it can be
        return _Value({"data": heap.str_obj(board, n) if n else 0})

    def make_class(self, rc: RawCode, n_bases: int, module_stores: set[str],
                   bases: list[ClassInfo | None] | None = None) -> _Value:
        board, fp = self.board, self.fp
        name = self.simple_name(rc)
        self.peak_extra += self.transient_code(rc)
        # the class's methods are committed as the class body stores them
        body = self.run_body(rc, name, module_stores)
        cost = heap.type_obj(board, n_bases)
        # py/modbuiltins.c __build_class__: the class dict starts empty (mp_obj_new_dict(0))
        cost += heap.grown_dict(board, len(body.stores), initial=0)
        if n_bases >= 2:
            cost += heap.tuple_obj(board, n_bases)   # kept as the `parent` slot
        prelude = _prelude(rc)
        if prelude is not None and prelude.cells:
            cost += heap.cell(board)                 # __class__ cell for super()
        if body.calls:
            fp.unmodeled.append(f"class {name}: {body.calls} call(s) in the class body")
        methods = {n: v.rc for n, v in body.bound.items() if v.rc is not None}
        klass = ClassInfo(name, methods, list(bases or []), self)
        return _Value({"classes": cost}, klass=klass)

    def cost_native_code(self) -> None:
        """The file's machine code: where the board keeps it, and whether it loads at all."""
        board, fp = self.board, self.fp
        native = [rc for rc in self.mpy.root.walk() if rc.kind != "bytecode"]
        if not native:
            return
        fp.native_code = sum(len(rc.fun_data) for rc in native)
        arch = self.mpy.header.arch_name
        if board.native_code == "none" or (board.native_arch and arch != board.native_arch):
            runs = f"runs {board.native_arch} code" if board.native_code != "none" else "loads no native code"
            fp.unmodeled.append(f"native code for {arch}: {board.name} {runs}, the import fails "
                                "(ValueError); recompile without native decorators or for its -march")
        elif board.native_code in ("exec", "staged"):
            fp.native_outside_heap = sum(len(rc.fun_data) for rc in native)
            if board.native_code == "staged":
                # loaded into the GC heap, copied out, and left as garbage until a collection
                self.peak_extra += sum(board.alloc(len(rc.fun_data)) for rc in native)

    def run(self, import_path: str | None, is_package: bool) -> Footprint:
        board, fp = self.board, self.fp
        self.is_package = is_package
        # the file the import opens: the firmware's file object, reader and path strings
        self.peak_extra = board.import_transient if not self.name == "__main__" else 0
        self.load_tables()
        # module object, dict and the names py/builtinimport.c adds
        module_stores = {"__name__", "__file__"} | ({"__path__"} if is_package else set())
        extra_qstrs = [self.name]
        if import_path:
            extra_qstrs.append(import_path)
        if "." in self.name:
            extra_qstrs.append(self.name.rsplit(".", 1)[1])
            fp.add("module", heap.dict_slot_average(board))   # attribute on the parent package
        for text in extra_qstrs:
            fp.qstrs_total += 1
            if self.intern(text):
                fp.new_qstrs.append(text)
                self.qstr_chars += len(encode_str(text)) + 1
            else:
                fp.qstrs_known += 1
        if is_package and import_path:
            # py/builtinimport.c: __path__ is a str object holding the package folder
            folder = import_path.rsplit("/", 1)[0]
            fp.add("module", heap.str_obj(board, len(encode_str(folder))))
        main = self.name == "__main__"
        if not main:
            # code.py / main.py run in the __main__ module the firmware made at boot; any
            # other module gets a context and a sys.modules entry (py/objmodule.c
            # mp_obj_new_module): exact when the number of loaded modules is known
            fp.add("module", heap.module_context(board))
            if self.loaded_modules is not None:
                fp.add("module", heap.dict_growth(board, self.loaded_modules,
                                                  heap.LOADED_MODULES_DICT_SIZE))
            else:
                fp.add("module", heap.dict_slot_average(board))
        self.peak_extra += self.transient_code(self.mpy.root)
        self.cost_native_code()
        body = self.run_body(self.mpy.root, "<module>", module_stores)
        module_stores |= body.stores
        # what `from <this module> import *` copies, for later modules of the program
        self.classes[f"{self.name}.*"] = frozenset(n for n in module_stores if not n.startswith("_"))
        globals_dict = heap.grown_dict(board, len(module_stores), initial=heap.MODULE_DICT_SIZE)
        if main:
            # __main__'s dict already exists with __name__ (py/runtime.c mp_init): only its growth
            globals_dict -= heap.grown_dict(board, 1, initial=heap.MODULE_DICT_SIZE)
        fp.add("module", globals_dict)
        if body.calls:
            fp.unmodeled.append(f"{body.calls} call(s) at module level (objects they create)")
        n_new = len(fp.new_qstrs)
        if self.pool is not None:
            pool_cost, state = heap.qstr_pool_growth(board, tuple(self.pool), n_new)
            self.pool[:] = state
        else:
            pool_cost = n_new * heap.qstr_pool_slot(board)
        fp.add("qstrs", heap.qstr_chars(board, self.qstr_chars) + pool_cost)
        fp.peak_extra = self.peak_extra
        for part, value in fp.ram_parts.items():
            fp.ram_parts[part] = round(value)
        return fp


@deep_stack(needed=model_is_deep)
def estimate_mpy(mpy: MpyFile, board: Board, name: str, import_path: str | None = None,
                 is_package: bool = False, interned: set[str] | None = None,
                 qstr_pool: list | None = None, classes: dict | None = None,
                 loaded_modules: int | None = None, unavailable: frozenset[str] = frozenset()) -> Footprint:
    """The footprint of one loaded `.mpy` module on `board`.

    `name` is the dotted import name; `import_path` the path the firmware will
    record as `__file__`; `interned` the qstrs earlier imports already made
    (updated in place), for whole-program sums. `qstr_pool`, the [alloc, len]
    of a VM's last qstr pool (updated in place), makes the pool growth exact
    for that VM instead of the average over pool doublings. `classes` collects
    the classes of the program ("module.Class"), so that a later module that
    calls them at import is charged for the instances (it also keeps each
    module's public names under "module.*", for `import *`). `loaded_modules`, the
    length of a VM's sys.modules before the import, makes that dict's growth
    exact. `unavailable` names modules the device lacks: importing one outside a
    `try` stops the import (noted in `unmodeled`).
    """
    if mpy.header.version != 6:
        raise FormatError(f"footprint models .mpy version 6 (MicroPython 1.19+, CircuitPython 8+); "
                          f"this file is version {mpy.header.version_name}", filename=mpy.filename)
    estimator = _Estimator(mpy, board, name, interned, qstr_pool, classes, loaded_modules, unavailable)
    try:
        return estimator.run(import_path, is_package)
    except (DecodeError, IndexError) as exc:
        rc, at = estimator.where
        at = exc.offset if isinstance(exc, DecodeError) else at
        # the offset is the function's; the code byte counts from the start of its prelude
        raise FormatError(f"bytecode could not be followed (code byte {at}): {exc}",
                          rc.file_offset, mpy.filename) from None


def imports_of(mpy: MpyFile) -> list[tuple[str, int]]:
    """(module, level) of every import in the file, with `from m import x` also as m.x.

    The level is the LOAD_CONST_SMALL_INT pushed before the fromlist
    (py/compile.c compile_import_from); m.x covers importing a submodule.
    """
    if mpy.header.version != 6:
        return []
    found = []
    fromlist_ops = {"LOAD_CONST_STRING", "BUILD_TUPLE", "LOAD_CONST_NONE", "LOAD_CONST_OBJ"}
    for rc in mpy.root.walk():
        if rc.kind != "bytecode":
            continue
        try:
            code = list(_instructions(rc))
        except DecodeError:
            continue
        for i, ins in enumerate(code):
            if ins.name != "IMPORT_NAME":
                continue
            name = mpy.qstr_table[ins.arg]
            j = i - 1
            names = []
            while j >= 0 and code[j].name in fromlist_ops:
                if code[j].name == "LOAD_CONST_STRING":
                    names.append(mpy.qstr_table[code[j].arg])
                j -= 1
            level = 0
            if j >= 0 and code[j].name == "LOAD_CONST_SMALL_INT_MULTI":
                level = code[j].multi_index - code[j].info.excess
            found.append((name, level))
            found += [((name + "." if name else "") + n, level) for n in reversed(names)]
    return found
