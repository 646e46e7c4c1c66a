"""The code generator: walks the folded AST and drives the emitter (`py/compile.c`).

Like the reference, every scope is compiled twice over the same code:

* the scope pass (MP_PASS_SCOPE) creates child scopes, records how each name
  is used (`scope.py`) and registers qstrs and constants in first-use order;
* after all scope passes, `Scope.compute_things` numbers the locals;
* the emit pass records each scope's instruction list, which `emitbc.assemble`
  turns into the prelude and bytecode.

Every special case of `py/compile.c` is kept: method calls, `super()`, the
tuple-swap assignments, `for x in range(...)`, constant conditions, the
try/finally/with unwinding, async statements, default arguments, closures.
The AST nodes that correspond to parse-tree structs set the source line, as
`compile_node` does for struct nodes.
"""

from __future__ import annotations

import functools

from mpycross.errors import CompileError, MpyCrossError

from . import astnodes as A
from . import emitbc as E
from . import emitnative_target as NT
from . import scope as S
from .fold import ConstPass, FoldedConstant, first_line

INVALID_LABEL = 0xFFFF

ASSIGN_STORE, ASSIGN_AUG_LOAD, ASSIGN_AUG_STORE = range(3)

_BINARY = {
    "Add": "ADD", "Sub": "SUBTRACT", "Mult": "MULTIPLY", "MatMult": "MAT_MULTIPLY",
    "Div": "TRUE_DIVIDE", "FloorDiv": "FLOOR_DIVIDE", "Mod": "MODULO", "Pow": "POWER",
    "LShift": "LSHIFT", "RShift": "RSHIFT", "BitOr": "OR", "BitXor": "XOR", "BitAnd": "AND",
}
_COMPARE = {
    "Eq": "EQUAL", "NotEq": "NOT_EQUAL", "Lt": "LESS", "LtE": "LESS_EQUAL", "Gt": "MORE",
    "GtE": "MORE_EQUAL", "In": "IN", "NotIn": "NOT_IN", "Is": "IS", "IsNot": "IS_NOT",
}
_UNARY = {"UAdd": "POSITIVE", "USub": "NEGATIVE", "Invert": "INVERT", "Not": "NOT"}

_COMP_KIND = {A.ListComp: S.LIST_COMP, A.SetComp: S.SET_COMP, A.DictComp: S.DICT_COMP,
              A.GeneratorExp: S.GEN_EXPR}


class NotSupportedError(MpyCrossError):
    """The source asks for something this compiler does not do yet (native code)."""


class _Error(Exception):
    """A compile error on its way up; `line` None means "use the enclosing statement's"."""

    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.message = message
        self.line = line


class _ViperError(Exception):
    """A ViperTypeError found while compiling: message and line (None: the scope's line)."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


class Compiler:
    def __init__(self, filename: str, source_name: str, plan, build_qstr_ids: dict | None = None):
        """`plan`: the compile plan (plan.CompilePlan); `build_qstr_ids`: for .mpy v2-v4,
        the compiling build's qstr numbers (raw_qstr_ids.py)."""
        self.filename = filename
        # the native code plan (emitnative_target.NativeTarget): the -march chosen, or the
        # release's default, and the decorators the release knows
        self.native = plan.native
        self.source_lines = plan.source_lines
        # the firmware compiled for (mpycross.targets.Target); passes ask target.has(feature)
        self.target = plan.target
        self.source_name = source_name
        self.optimize = plan.optimize
        self.small_int_bits = plan.arg_count_bits
        self.small_int_min, self.small_int_max = plan.small_int_range
        self.is_const_true = plan.fold.truth.is_true
        self.is_const_false = plan.fold.truth.is_false
        self.line_after_error = LineAfterError(self.is_const_true, self.is_const_false,
                                               self.has("list_items_line_check"), self.is_struct)
        self.common = E.EmitCommon(source_name, plan.dead_code_suppression, plan.cache_lookup_bc, build_qstr_ids)
        # the emitter of the target's bytecode generation (.mpy v5 has its own operand layout)
        self.emitter_class, self.assembler = plan.emitter_class, plan.assembler
        self.scopes: list[S.Scope] = []
        self.node_scope: dict[int, S.Scope] = {}
        self._keep: list = []  # nodes whose id() keys node_scope

    # ---- driver ----------------------------------------------------------

    def compile(self, module: A.Module) -> S.Scope:
        """Compile the module; returns the module scope with raw code filled in."""
        module_scope = self._new_scope(S.MODULE, module, None, None)
        i = 0
        while i < len(self.scopes):
            s = self.scopes[i]
            self._compile_scope(s, recording=False)
            for info in list(s.id_info):
                if info.kind == S.GLOBAL_IMPLICIT:
                    s.check_to_close_over(info)
            i += 1
        for s in self.scopes:
            s.compute_things()
        for s in self.scopes:
            if s.emit_options in (NT.EMIT_NATIVE, NT.EMIT_VIPER) and not self.native.arch_accepts(s.emit_options):
                # compile.c: -X emit= for an -march without a native emitter (rv64imc); the
                # error names the last scope the scope pass made, at its line
                last = self.scopes[-1]
                raise CompileError("cannot emit native code for this architecture", self.source_name,
                                   self._scope_line(last) or 1, scope=last.simple_name, kind="NotImplementedError")
            self._compile_scope(s, recording=True)
        return module_scope

    def _new_scope(self, kind, node, parent, name, emit_options=None) -> S.Scope:
        s = S.Scope(kind, node, parent, name)
        # compile.c scope_new_and_link: a new scope inherits the current emitter unless
        # a decorator chose one; the module takes -X emit=
        if emit_options is None:
            emit_options = parent.emit_options if parent is not None else self.native.default_emit
        s.emit_options = emit_options
        self.scopes.append(s)
        self.node_scope[id(node)] = s
        self._keep.append(node)
        return s

    def _child_scope(self, kind, node, name=None, emit_options=None) -> S.Scope:
        if not self.recording:
            existing = self.node_scope.get(id(node))
            if existing is None:
                return self._new_scope(kind, node, self.scope, name, emit_options)
        return self.node_scope[id(node)]

    def _compile_scope(self, scope: S.Scope, recording: bool) -> None:
        self.scope = scope
        self.recording = recording
        if scope.emit_options == NT.EMIT_ASM:
            self._compile_inline_asm(scope, recording)
            return
        native = recording and scope.emit_options in (NT.EMIT_NATIVE, NT.EMIT_VIPER)
        if native:
            # compile.c runs the scope pass of every scope with the bytecode emitter; the
            # native emitter replays this pass's calls (emitnative.assemble_native)
            from .emitnative import NativeRecorder  # imported on demand: bytecode never needs it

            self.emit = NativeRecorder(self.common, scope, lambda: self.next_label)
        else:
            self.emit = self.emitter_class(self.common, scope, recording)
        self.emit_is_native_recorder = native
        self.next_label = 0
        if scope.emit_options != NT.EMIT_BYTECODE:
            self.next_label = 6  # compile.c reserve_labels_for_native: the emitter's own labels
        self.break_label = INVALID_LABEL
        self.continue_label = INVALID_LABEL
        self.cur_except_level = 0
        self.break_continue_except_level = 0
        self.have_star = False
        self.num_dict_params = 0
        self.num_default_params = 0

        if native:
            # the bytecode emitter's scope pass registered the name first (keeps the qstr order)
            self.common.use_qstr(scope.simple_name)
        if native or not recording:
            scope.stack_size = 0
            scope.exc_stack_size = 0

        self.pending_viper_error = None
        try:
            self._compile_scope_body(scope)
            if self.pending_viper_error is not None:
                raise _ViperError(self.pending_viper_error)
        except _ViperError as err:
            raise CompileError(str(err), self.source_name, err.line or self._scope_line(scope) or 1,
                               scope=scope.simple_name, kind="ViperTypeError") from None
        except _Error as err:
            if self.pending_viper_error is not None:
                raise CompileError(self.pending_viper_error, self.source_name, self._scope_line(scope) or 1,
                                   scope=scope.simple_name, kind="ViperTypeError") from None
            line = err.line if err.line is not None else self._scope_line(scope)
            # compile errors name the file as stored (-s), parse errors the file read
            raise CompileError(err.message, self.source_name, line or 1, scope=scope.simple_name) from None

        if native:
            from .emitnative import NativeNotImplemented, NativeRefused, ViperTypeError

            try:
                data, prelude_offset, emitter = self.native.assemble(self.emit, scope.emit_options == NT.EMIT_VIPER)
            except NativeNotImplemented as err:
                raise CompileError(str(err), self.source_name, None, kind=err.kind) from None
            except NativeRefused as err:
                raise NotSupportedError(f'File "{self.source_name}", line {self._scope_line(scope)}: {err}') from None
            except ViperTypeError as err:
                raise CompileError(str(err), self.source_name, err.line or self._scope_line(scope) or 1,
                                   scope=scope.simple_name, kind="ViperTypeError") from None
            kind = "viper" if scope.emit_options == NT.EMIT_VIPER else "native"
            if emitter.v5:
                # v5: the function's own constant table (argument names of native code, objects)
                # and the qstr links
                code = E.Assembled(data, tuple(self.emit.children), consts=tuple(emitter.v5_objs),
                                   arg_names=tuple(scope.param_names()) if kind == "native" else (),
                                   qstr_links=tuple(emitter.qstr_links))
            else:
                code = E.Assembled(data, tuple(self.emit.children))
            scope.raw_code = RawCode(scope, code, kind, prelude_offset)
        elif recording:
            scope.stack_size = self.emit.max_stack
            scope.raw_code = RawCode(scope, self.assembler(self.emit, self.next_label, self.source_lines,
                                                           self.source_name))

    def _compile_inline_asm(self, scope: S.Scope, recording: bool) -> None:
        """compile.c compile_scope_inline_asm: the scope pass checks, the others assemble."""
        from . import emitinline  # imported on demand: only @micropython.asm_* functions need it
        from .emitnative import NativeRefused

        iset = emitinline.instruction_set(self.native.arch, self.has, self.native.arch_flags)
        asm = emitinline.InlineAsmCompiler(self, scope, iset)
        passes = [emitinline.PASS_SCOPE]
        if recording:
            passes = [emitinline.PASS_CODE_SIZE] * iset.code_size_passes + [emitinline.PASS_EMIT]
        for i, pass_ in enumerate(passes):
            try:
                asm.run(pass_)
            except emitinline.InlineAsmMoved as err:
                raise NotSupportedError(f'File "{self.source_name}", line {err.line}: {err.message}') from None
            except NativeRefused as err:  # (Xtensa before 1.26: a branch past its short form)
                raise NotSupportedError(f'File "{self.source_name}", line {self._scope_line(scope)}: {err}') from None
            except emitinline.InlineAsmError as err:
                if err.kind != "SyntaxError":
                    raise CompileError(err.message, self.source_name, None, kind=err.kind) from None
                line = err.line
                if pass_ == emitinline.PASS_CODE_SIZE and passes[i + 1] == emitinline.PASS_CODE_SIZE:
                    # compile.c runs Xtensa's second code-size pass even after an error; that pass
                    # stops at its first check and moves the error to the def line
                    line = None
                raise CompileError(err.message, self.source_name, line or self._scope_line(scope) or 1,
                                   scope=scope.simple_name) from None
        if recording:
            scope.raw_code = RawCode(scope, E.Assembled(iset.code(), ()), "asm",
                                     n_pos_args=iset.n_params, type_sig=asm.type_sig)

    def _scope_line(self, scope: S.Scope) -> int:
        node = scope.node
        if isinstance(node, A.Module):
            return _stmt_line(node.body[0]) if node.body else 1
        if S.is_comp_like(scope.kind):
            # the comprehension's parse node starts at its element
            return first_line(node.key if scope.kind == S.DICT_COMP else node.elt)
        return getattr(node, "line", 1)

    def _compile_scope_body(self, scope: S.Scope) -> None:
        node = scope.node
        kind = scope.kind
        if kind == S.MODULE:
            if node.newline_line and node.body:
                # the NEWLINE and a statement make file_input a struct node, whose line is set
                self.emit.set_source_line(node.newline_line)
            self.compile_body(node.body, module=True)
            self.emit.load_const_tok(None)
            self.emit.return_value()
        elif kind == S.FUNCTION:
            if not self.recording:
                self.have_star = False
                try:
                    self._scope_params(node.args)
                except _Error as err:
                    if err.line is None:
                        err.line = self.line_after_error.after_params(node.body)
                    raise
                if scope.emit_options == NT.EMIT_VIPER:
                    from .emitnative import SCOPE_FLAG_VIPERRET_POS

                    scope.scope_flags |= self.viper_type_annotation(node.returns) << SCOPE_FLAG_VIPERRET_POS
            self.compile_body(node.body)
            if not self.after_return():
                self.emit.load_const_tok(None)
                self.emit.return_value()
        elif kind == S.LAMBDA:
            if self.has("lambda_comp_source_line"):
                self.emit.set_source_line(node.line)
            if not self.recording:
                self.have_star = False
                self._scope_params(node.args)
            self.compile_node(node.body)
            if scope.scope_flags & S.SCOPE_FLAG_GENERATOR:
                self.emit.pop_top()
                self.emit.load_const_tok(None)
            self.emit.return_value()
        elif S.is_comp_like(kind):
            qstr_arg = ""
            if not self.recording:
                scope.find_or_add_id(qstr_arg, S.LOCAL)
                scope.num_pos_args = 1
            inner = node.key if kind == S.DICT_COMP else node.elt
            if self.has("lambda_comp_source_line"):  # from 1.12
                self.emit.set_source_line(first_line(inner))
            if kind == S.LIST_COMP:
                self.emit.build(0, E.BUILD_LIST)
            elif kind == S.DICT_COMP:
                self.emit.build(0, E.BUILD_MAP)
            elif kind == S.SET_COMP:
                self.emit.build(0, E.BUILD_SET)
            if kind == S.GEN_EXPR:
                self.emit.load_null()
                self.compile_load_id(qstr_arg)
                self.emit.load_null()
                self.emit.load_null()
            else:
                self.compile_load_id(qstr_arg)
                self.emit.get_iter(True)
            self._comp_iter(node, 0)
            if kind == S.GEN_EXPR:
                self.emit.load_const_tok(None)
            self.emit.return_value()
        else:  # class
            if not self.recording:
                scope.find_or_add_id("__class__", S.LOCAL)
            self.compile_load_id("__name__")
            self.compile_store_id("__module__")
            self.emit.load_const_str(node.name)
            self.compile_store_id("__qualname__")
            self.compile_body(node.body)
            info = scope.find("__class__")
            if info.kind == S.LOCAL:
                self.emit.load_const_tok(None)
            else:
                self.emit.load_local("__class__", info.local_num, E.IDOP_LOCAL_FAST)
            self.emit.return_value()

    # ---- helpers ---------------------------------------------------------

    def label(self) -> int:
        n = self.next_label
        self.next_label += 1
        return n

    def error(self, message: str, node) -> None:
        for feature, (text, older) in _OLDER_MESSAGES.items():
            if message == text and not self.has(feature):
                message = older
        line = None
        if node is not None and node.line and (type(node) is A.Invalid or self.is_struct(node)):
            line = node.line
        raise _Error(message, line)

    def is_small_int(self, node) -> bool:
        return (type(node) in (A.Constant, FoldedConstant) and type(node.value) is int
                and self.small_int_min <= node.value <= self.small_int_max)

    def is_struct(self, node) -> bool:
        """Whether MicroPython's parser makes this a struct node (which sets the line)."""
        t = type(node)
        if t is A.Name:
            return False
        if t is FoldedConstant:
            return False  # has no line in the parse tree
        if t is A.arg:
            return node.annotation is not None  # a bare parameter name is a leaf
        if t is A.Constant:
            v = node.value
            if v is None or v is True or v is False or v is Ellipsis or type(v) is str:
                return False
            if type(v) is int:
                if not self.has("int_object_by_target_bits"):
                    # before 1.19 an int the host holds as a small int is a leaf (no line)
                    # however the target stores it (mp-v1.18/py/parse.c, compile.c)
                    return not (-(1 << 62) <= v < (1 << 62))
                return not (self.small_int_min <= v <= self.small_int_max)
            return True
        return True

    def increase_except_level(self, label: int, kind: int) -> None:
        self.emit.setup_block(label, kind)
        self.cur_except_level += 1
        if self.cur_except_level > self.scope.exc_stack_size:
            self.scope.exc_stack_size = self.cur_except_level

    def decrease_except_level(self) -> None:
        self.cur_except_level -= 1
        self.emit.end_finally()
        self.reserve_labels_for_native(1)

    def reserve_labels_for_native(self, n: int) -> None:
        """compile.c: labels the native emitter numbers from the compiler's counter."""
        if self.scope.emit_options != NT.EMIT_BYTECODE:
            self.next_label += n

    # ---- identifiers -----------------------------------------------------

    def _id_op(self, qst: str, op: str) -> None:
        info = self.scope.find(qst)
        kind = info.kind
        emit = self.emit
        if kind in (S.GLOBAL_IMPLICIT, S.GLOBAL_IMPLICIT_ASSIGNED):
            getattr(emit, op + "_global")(qst, E.IDOP_GLOBAL_NAME)
        elif kind == S.GLOBAL_EXPLICIT:
            getattr(emit, op + "_global")(qst, E.IDOP_GLOBAL_GLOBAL)
        elif kind == S.LOCAL:
            getattr(emit, op + "_local")(qst, info.local_num, E.IDOP_LOCAL_FAST)
        else:
            getattr(emit, op + "_local")(qst, info.local_num, E.IDOP_LOCAL_DEREF)

    def compile_load_id(self, qst: str) -> None:
        if not self.recording:
            self.scope.id_for_load(qst, self.close_over_at_load)
        else:
            self._id_op(qst, "load")

    @functools.cached_property
    def close_over_at_load(self) -> bool:
        return not self.has("implicit_close_over")

    @property
    def mark_assigned(self) -> bool:
        """Whether a name assigned in a class body is kept from being closed over: always
        before the close-over pass existed (1.10) and again from 1.19."""
        return not self.has("implicit_close_over") or self.has("class_assigned_not_closed")

    def compile_store_id(self, qst: str) -> None:
        if not self.recording:
            self.scope.id_for_modification(qst, self.mark_assigned)
        else:
            self._id_op(qst, "store")

    def compile_delete_id(self, qst: str) -> None:
        if not self.recording:
            self.scope.id_for_modification(qst, self.mark_assigned)
        else:
            self._id_op(qst, "delete")

    # ---- statements ------------------------------------------------------

    def compile_body(self, stmts, module: bool = False) -> None:
        """compile_generic_all_nodes over a statement list (a single one is not wrapped)."""
        several = len(stmts) > 1
        # a native scope's viper errors are found when its calls are replayed; the marks let
        # the replay stop the block where compile.c stops it, and name the statement's line
        marks = several and self.emit_is_native_recorder
        if marks:
            self.emit.block_begin()
        for i, stmt in enumerate(stmts):
            if type(stmt) is ConstPass and (stmt.starts_list or (i == 0 and several and not module)):
                # py/compile.c compile_node: the parse node holding several statements (a block's
                # suite, an `a; b` or `a;` list) sets the line of its first token, even when that
                # first statement is a line-less `_X = const(v)` pass
                self.emit.set_source_line(stmt.first_line)
            if not several:
                self.compile_stmt(stmt)
                return
            try:
                self.compile_stmt(stmt)
            except _Error as err:
                if err.line is None:
                    err.line = _stmt_line(stmt) or None
                raise
            if self.pending_viper_error is not None:
                # compile.c compile_generic_all_nodes stops the block and takes this line
                raise _ViperError(self.pending_viper_error, _stmt_line(stmt) or None)
            if marks:
                self.emit.stmt_end(_stmt_line(stmt) or None)
        if marks:
            self.emit.block_end()

    def compile_stmt(self, node) -> None:
        t = type(node)
        if t in (A.FunctionDef, A.AsyncFunctionDef, A.ClassDef) and node.decorator_list:
            self.emit.set_source_line(node.decorator_list[0].line)
            self.compile_decorated(node)
            return
        if node.line:
            self.emit.set_source_line(node.line)
        method = _STMT.get(t)
        if method is None:
            method = getattr(Compiler, "stmt_" + t.__name__, None)
            if method is None:
                self.error("invalid syntax", node)  # not a statement node
            _STMT[t] = method
        try:
            method(self, node)
        except _Error as err:
            if err.line is None:
                # py/compile.c goes on compiling after a line-less error: the first
                # compile_generic_all_nodes check in what is left of this statement names the line
                err.line = self.line_after_error.later_list_line(node, getattr(err, "inside", None))
                err.inside = node
            raise

    def stmt_Pass(self, node) -> None:
        pass

    stmt_ConstPass = stmt_Pass

    def stmt_Expr(self, node) -> None:
        self.compile_node(node.value)
        self.emit.pop_top()

    def stmt_Assign(self, node) -> None:
        targets = node.targets
        value = node.value
        if len(targets) > 1:
            self.compile_node(value)
            self.emit.dup_top()
            self.c_assign(targets[0], ASSIGN_STORE)
            rest = targets[1:]
            for i, target in enumerate(rest):
                if i + 1 < len(rest):
                    self.emit.dup_top()
                self.c_assign(target, ASSIGN_STORE)
            return
        self.plain_assign(targets[0], value)

    def plain_assign(self, target, value) -> None:
        # py/compile.c MICROPY_COMP_DOUBLE_TUPLE_ASSIGN / TRIPLE_TUPLE_ASSIGN
        if (type(value) is A.Tuple and type(target) is A.Tuple
                and not getattr(value, "parenthesized", False) and not getattr(target, "parenthesized", False)
                and len(target.elts) == len(value.elts) and len(target.elts) in (2, 3)
                and not any(type(e) is A.Starred for e in target.elts)):
            self.compile_node(value.elts[0])
            self.compile_node(value.elts[1])
            if len(target.elts) == 3:
                self.compile_node(value.elts[2])
                self.emit.rot_three()
            self.emit.rot_two()
            for e in target.elts:
                self.c_assign(e, ASSIGN_STORE)
            return
        self.compile_node(value)
        self.c_assign(target, ASSIGN_STORE)

    def stmt_AnnAssign(self, node) -> None:
        if node.value is None:
            if self.scope.kind == S.FUNCTION and type(node.target) is A.Name:
                self.scope.find_or_add_id(node.target.id, S.LOCAL)
            return
        self.plain_assign(node.target, node.value)

    def stmt_AugAssign(self, node) -> None:
        self.c_assign(node.target, ASSIGN_AUG_LOAD)
        self.compile_node(node.value)
        self.emit.binary_op("INPLACE_" + _BINARY[node.op])
        self.c_assign(node.target, ASSIGN_AUG_STORE)

    def stmt_Delete(self, node) -> None:
        for target in node.targets:
            self.c_del(target)

    def c_del(self, node) -> None:
        t = type(node)
        if t is A.Name:
            self.compile_delete_id(node.id)
        elif t is A.Attribute and not node.parens:
            self.compile_trailers_plain(node.value)
            self.emit.attr(node.attr, E.ATTR_DELETE)
        elif t is A.Subscript and not node.parens:
            self.compile_trailers_plain(node.value)
            self.compile_index(node.slice)
            self.emit.subscr(E.SUBSCR_DELETE)
        elif t is A.Tuple and node.elts:
            for e in node.elts:
                self.c_del(e)
        else:
            self.error("can't delete expression", node)

    def stmt_Break(self, node) -> None:
        self._break_continue(node, self.break_label)

    def stmt_Continue(self, node) -> None:
        self._break_continue(node, self.continue_label)

    def _break_continue(self, node, label: int) -> None:
        if label == INVALID_LABEL:
            if self.has("break_continue_joint_msg") and not self.dialect("circuitpython_error_texts"):
                self.error("'break'/'continue' outside loop", node)
            self.error("'break' outside loop" if type(node) is A.Break else "'continue' outside loop", node)
        self.emit.unwind_jump(label, self.cur_except_level - self.break_continue_except_level)

    def stmt_Return(self, node) -> None:
        if self.scope.kind != S.FUNCTION:
            self.error("'return' outside function", node)
        value = node.value
        if value is None:
            self.emit.load_const_tok(None)
        elif type(value) is A.IfExp:
            l_fail = self.label()
            self.c_if_cond(value.test, False, l_fail)
            self.compile_node(value.body)
            self.emit.return_value()
            self.emit.label_assign(l_fail)
            self.compile_node(value.orelse)
        else:
            self.compile_node(value)
        self.emit.return_value()

    def stmt_Raise(self, node) -> None:
        if node.exc is None:
            self.emit.raise_varargs(0)
        elif node.cause is not None:
            self.compile_node(node.exc)
            self.compile_node(node.cause)
            self.emit.raise_varargs(2)
        else:
            self.compile_node(node.exc)
            self.emit.raise_varargs(1)

    def do_import_name(self, name: str | None, asname: str | None) -> str:
        """py/compile.c do_import_name; returns the name to store."""
        if not name:
            self.emit.import_("", E.IMPORT_NAME)
            return ""
        parts = name.split(".")
        self.emit.import_(name, E.IMPORT_NAME)
        if asname is not None:
            for part in parts[1:]:
                self.emit.attr(part, E.ATTR_LOAD)
            return asname
        return parts[0]

    def stmt_Import(self, node) -> None:
        for alias in node.names:
            self.emit.load_const_small_int(0)
            self.emit.load_const_tok(None)
            q_base = self.do_import_name(alias.name, alias.asname)
            self.compile_store_id(q_base)

    def stmt_ImportFrom(self, node) -> None:
        level = node.level or 0
        if len(node.names) == 1 and node.names[0].name == "*":
            if self.scope.kind != S.MODULE and self.has("import_star_module_only"):
                self.error("import * not at module level", node)
            self.emit.load_const_small_int(level)
            self.emit.load_const_str("*")
            self.emit.build(1, E.BUILD_TUPLE)
            self.do_import_name(node.module, None)
            self.emit.import_(None, E.IMPORT_STAR)
            return
        self.emit.load_const_small_int(level)
        for alias in node.names:
            self.emit.load_const_str(alias.name)
        self.emit.build(len(node.names), E.BUILD_TUPLE)
        self.do_import_name(node.module, None)
        for alias in node.names:
            self.emit.import_(alias.name, E.IMPORT_FROM)
            self.compile_store_id(alias.asname or alias.name)
        self.emit.pop_top()

    def stmt_Global(self, node) -> None:
        self._global_nonlocal(node, True)

    def stmt_Nonlocal(self, node) -> None:
        self._global_nonlocal(node, False)

    def _global_nonlocal(self, node, is_global: bool) -> None:
        if self.recording:
            return
        if not is_global and self.scope.kind == S.MODULE:
            self.error("can't declare nonlocal in outer code", node)
        for name in node.names:
            info = self.scope.find_or_add_id(name, S.UNDECIDED)
            self.declare_global_or_nonlocal(node, info, is_global)

    def declare_global_or_nonlocal(self, node, info: S.IdInfo, is_global: bool) -> None:
        if is_global:
            if info.kind not in (S.UNDECIDED, S.GLOBAL_EXPLICIT):
                self.error("identifier redefined as global", node)
            info.kind = S.GLOBAL_EXPLICIT
            g = self.scope.find_global(info.qst)
            if g is not None:
                g.kind = S.GLOBAL_EXPLICIT
        else:
            if info.kind == S.UNDECIDED:
                info.kind = S.GLOBAL_IMPLICIT
                self.scope.check_to_close_over(info)
                if info.kind == S.GLOBAL_IMPLICIT:
                    self.error("no binding for nonlocal found", node)
            elif info.kind != S.FREE:
                self.error("identifier redefined as nonlocal", node)

    def stmt_Assert(self, node) -> None:
        if self.optimize != 0:
            return
        l_end = self.label()
        self.c_if_cond(node.test, True, l_end)
        self.emit.load_global("AssertionError", E.IDOP_GLOBAL_GLOBAL)
        if node.msg is not None:
            self.compile_node(node.msg)
            self.emit.call_function(1, 0, 0)
        self.emit.raise_varargs(1)
        self.emit.label_assign(l_end)

    def stmt_If(self, node) -> None:
        emit = self.emit
        l_end = self.label()
        # the elif clauses of this statement, then its final else block
        clauses = [node]
        orelse = node.orelse
        while len(orelse) == 1 and type(orelse[0]) is A.If and orelse[0].is_elif:
            clauses.append(orelse[0])
            orelse = orelse[0].orelse
        first = clauses[0]
        if not self.is_const_false(first.test):
            l_fail = self.label()
            self.c_if_cond(first.test, False, l_fail)
            self.compile_body(first.body)
            if self.is_const_true(first.test):
                emit.label_assign(l_end)
                return
            if (len(clauses) > 1 or orelse) and not self.after_return():
                emit.jump(l_end)
            emit.label_assign(l_fail)
        for clause in clauses[1:]:
            if not self.is_const_false(clause.test):
                l_fail = self.label()
                self.c_if_cond(clause.test, False, l_fail)
                self.compile_body(clause.body)
                if self.is_const_true(clause.test):
                    emit.label_assign(l_end)
                    return
                if not self.after_return():
                    emit.jump(l_end)
                emit.label_assign(l_fail)
        if orelse:
            self.compile_body(orelse)
        emit.label_assign(l_end)

    def has(self, feature: str) -> bool:
        """Whether the target has a release feature (formats/targets.toml)."""
        return self.target.has(feature)

    def dialect(self, feature: str) -> bool:
        """Whether the target has a CircuitPython dialect feature."""
        return self.target.has(feature)

    def after_return(self) -> bool:
        """Before 1.20 (no dead-code suppression) the compiler itself leaves out a jump or
        the closing `return None` right after a RETURN_VALUE (mp-v1.19.1/py/compile.c:
        EMIT(last_emit_was_return_value))."""
        return not self.common.dead_code_suppression and self.emit.last_emit_was_return_value

    def _start_loop(self):
        saved = (self.break_label, self.continue_label, self.break_continue_except_level)
        break_label = self.label()
        continue_label = self.label()
        self.break_label = break_label
        self.continue_label = continue_label
        self.break_continue_except_level = self.cur_except_level
        return saved, break_label, continue_label

    def _end_loop(self, saved) -> None:
        self.break_label, self.continue_label, self.break_continue_except_level = saved

    def stmt_While(self, node) -> None:
        emit = self.emit
        saved, break_label, continue_label = self._start_loop()
        if not self.is_const_false(node.test):
            top_label = self.label()
            if not self.is_const_true(node.test):
                emit.jump(continue_label)
            emit.label_assign(top_label)
            self.compile_body(node.body)
            emit.label_assign(continue_label)
            self.c_if_cond(node.test, True, top_label)
        self._end_loop(saved)
        if node.orelse:
            self.compile_body(node.orelse)
        emit.label_assign(break_label)

    def _range_args(self, node):
        """The (start, end, step) of an optimisable `for x in range(...)`, else None."""
        if type(node.target) is not A.Name:
            return None
        it = node.iter
        if not (type(it) is A.Call and type(it.func) is A.Name and it.func.id == "range"):
            return None
        args = it.args
        n = len(args) + len(it.keywords)
        if not 1 <= n <= 3:
            return None
        if it.keywords:
            return None
        if n == 1:
            start, end, step = A.Constant(0), args[0], A.Constant(1)
        elif n == 2:
            start, end, step = args[0], args[1], A.Constant(1)
        else:
            start, end, step = args
            if not self.is_small_int(step) or step.value == 0:
                return None
        for arg in (start, end):
            if type(arg) in (A.Starred, A.NamedExpr, A.GeneratorExp) and self._is_argument_node(arg, it):
                return None
        return start, end, step

    @staticmethod
    def _is_argument_node(arg, call) -> bool:
        """Whether the parser would make this argument an `argument`/star node."""
        if type(arg) in (A.Starred, A.NamedExpr):
            return not arg.parens
        # a lone generator expression argument without its own parentheses
        return type(arg) is A.GeneratorExp and len(call.args) == 1 and not getattr(arg, "parenthesized", False)

    def stmt_For(self, node) -> None:
        emit = self.emit
        rng = self._range_args(node)
        if rng is not None:
            self.for_range(node, *rng)
            return
        saved, break_label, continue_label = self._start_loop()
        self.break_label |= E.MP_EMIT_BREAK_FROM_FOR
        pop_label = self.label()
        self.compile_node(node.iter)
        emit.get_iter(True)
        emit.label_assign(continue_label)
        emit.for_iter(pop_label)
        self.c_assign(node.target, ASSIGN_STORE)
        self.compile_body(node.body)
        if not self.after_return():
            emit.jump(continue_label)
        emit.label_assign(pop_label)
        emit.for_iter_end()
        self._end_loop(saved)
        if node.orelse:
            self.compile_body(node.orelse)
        emit.label_assign(break_label)

    def for_range(self, node, start, end, step) -> None:
        emit = self.emit
        saved, break_label, continue_label = self._start_loop()
        top_label = self.label()
        entry_label = self.label()
        end_on_stack = not self.is_small_int(end)
        if end_on_stack:
            self.compile_node(end)
        self.compile_node(start)
        emit.jump(entry_label)
        emit.label_assign(top_label)
        emit.dup_top()
        self.c_assign(node.target, ASSIGN_STORE)
        self.compile_body(node.body)
        emit.label_assign(continue_label)
        self.compile_node(step)
        emit.binary_op("INPLACE_ADD")
        emit.label_assign(entry_label)
        if end_on_stack:
            emit.dup_top_two()
            emit.rot_two()
        else:
            emit.dup_top()
            self.compile_node(end)
        emit.binary_op("LESS" if step.value >= 0 else "MORE")
        emit.pop_jump_if(True, top_label)
        self._end_loop(saved)
        end_label = 0
        # from 1.9.2 the loop values are popped before the else block (which may break or
        # continue); before, the else block ran with them on the stack (mp-v1.9.1)
        else_fix = self.has("for_range_else_fix")
        if node.orelse and not else_fix:
            self.compile_body(node.orelse)
        elif node.orelse:
            emit.pop_top()
            if end_on_stack:
                emit.pop_top()
            self.compile_body(node.orelse)
            end_label = self.label()
            emit.jump(end_label)
            emit.adjust_stack_size(1 + end_on_stack)
        emit.label_assign(break_label)
        emit.pop_top()
        if end_on_stack:
            emit.pop_top()
        if node.orelse and else_fix:
            emit.label_assign(end_label)

    def stmt_Try(self, node) -> None:
        if node.finalbody:
            self.try_finally(node.body, node.handlers, node.orelse, node.finalbody)
        else:
            self.try_except(node.body, node.handlers, node.orelse)

    def try_except(self, body, handlers, orelse) -> None:
        emit = self.emit
        l1 = self.label()
        success_label = self.label()
        self.increase_except_level(l1, E.SETUP_EXCEPT)
        self.compile_body(body)
        emit.pop_except_jump(success_label, False)
        emit.label_assign(l1)
        emit.start_except_handler()
        l2 = self.label()
        n = len(handlers)
        for i, handler in enumerate(handlers):
            name = None
            end_finally_label = self.label()
            if handler.type is None:
                if i + 1 != n:
                    try:
                        self.error("default 'except' must be last", handler)
                    finally:
                        self.decrease_except_level()
            else:
                name = handler.name
                emit.dup_top()
                self.compile_node(handler.type)
                emit.binary_op("EXCEPTION_MATCH")
                emit.pop_jump_if(False, end_finally_label)
            if name is None:
                emit.pop_top()
            else:
                self.compile_store_id(name)
            l3 = 0
            if name is not None:
                l3 = self.label()
                self.increase_except_level(l3, E.SETUP_FINALLY)
            self.compile_body(handler.body)
            legacy_pops = not self.has("pop_except_jump")
            if legacy_pops:
                # before 1.11 the blocks are popped before the cleanup (mp-v1.10/py/compile.c)
                if name is not None:
                    emit.pop_block()
                emit.pop_except()
            if name is not None:
                emit.load_const_tok(None)
                emit.label_assign(l3)
                # room for a return value kept during the handler's cleanup (from 1.22.2)
                return_room = 1 if self.has("finally_return_stack") else 0
                emit.adjust_stack_size(return_room)
                emit.load_const_tok(None)
                self.compile_store_id(name)
                self.compile_delete_id(name)
                emit.adjust_stack_size(-return_room)
                self.decrease_except_level()
            if legacy_pops:
                emit.jump(l2)
            else:
                emit.pop_except_jump(l2, True)
            emit.label_assign(end_finally_label)
            emit.adjust_stack_size(1)
        self.decrease_except_level()
        emit.end_except_handler()
        emit.label_assign(success_label)
        if orelse:
            self.compile_body(orelse)
        emit.label_assign(l2)

    def try_finally(self, body, handlers, orelse, finalbody) -> None:
        emit = self.emit
        l_finally_block = self.label()
        self.increase_except_level(l_finally_block, E.SETUP_FINALLY)
        if not handlers:
            emit.adjust_stack_size(3)
            self.compile_body(body)
            emit.adjust_stack_size(-3)
        else:
            self.try_except(body, handlers, orelse)
        if not self.has("finally_fall_through"):
            emit.pop_block()  # before 1.11 the try block is popped first (mp-v1.10/py/compile.c)
        emit.load_const_tok(None)
        emit.label_assign(l_finally_block)
        # room for a return value kept while the finally block runs (from 1.22.2)
        return_room = 1 if self.has("finally_return_stack") else 0
        emit.adjust_stack_size(return_room)
        self.compile_body(finalbody)
        emit.adjust_stack_size(-return_room)
        self.decrease_except_level()

    def stmt_With(self, node) -> None:
        self._with(node.items, node.body)

    def _with(self, items, body) -> None:
        if not items:
            self.compile_body(body)
            return
        emit = self.emit
        l_end = self.label()
        item = items[0]
        self.compile_node(item.context_expr)
        self.increase_except_level(l_end, E.SETUP_WITH)
        if item.optional_vars is not None:
            self.c_assign(item.optional_vars, ASSIGN_STORE)
        else:
            emit.pop_top()
        self._with(items[1:], body)
        emit.with_cleanup(l_end)
        self.reserve_labels_for_native(3)
        self.decrease_except_level()

    def async_def_flags(self) -> int:
        """Scope flags of an `async def`: a generator; CircuitPython marks it async too
        (cp-9.2.9/py/compile.c compile_async_stmt, compile_decorated)."""
        if self.target.has("circuitpython_async_scope_flag"):
            return S.SCOPE_FLAG_GENERATOR | S.SCOPE_FLAG_ASYNC
        return S.SCOPE_FLAG_GENERATOR

    def compile_yield_from(self) -> None:
        self.emit.get_iter(False)
        self.emit.load_const_tok(None)
        self.emit.yield_(E.YIELD_FROM)
        self.reserve_labels_for_native(3)

    def await_object_method(self, method: str) -> None:
        self.emit.load_method(method, False)
        self.emit.call_method(0, 0, 0)
        self.compile_yield_from()

    def _check_async(self, node) -> None:
        # compiled anywhere before 1.16 (mp-v1.15: no check)
        if not self.scope.scope_flags & S.SCOPE_FLAG_GENERATOR and self.has("async_outside_async_error"):
            if self.dialect("circuitpython_error_texts"):
                self.error("'await', 'async for' or 'async with' outside async function", node)
            self.error("async for/with outside async function", node)

    def stmt_AsyncFor(self, node) -> None:
        self._check_async(node)
        emit = self.emit
        while_else_label = self.label()
        try_exception_label = self.label()
        try_else_label = self.label()
        try_finally_label = self.label()
        self.compile_node(node.iter)
        if self.has("async_for_no_await_aiter"):
            emit.load_method("__aiter__", False)
            emit.call_method(0, 0, 0)
        else:
            self.await_object_method("__aiter__")  # before 1.13 __aiter__() is awaited too
        # before 1.21 the iterable is kept in a variable, not on the stack: the iterator
        # expression's own name if it is a name, else a hidden local (mp-v1.20.0/py/compile.c
        # compile_async_for_stmt takes MP_PARSE_NODE_LEAF_ARG of the expression)
        on_stack = self.has("async_for_iterable_on_stack")
        if not on_stack:
            context = node.iter.id if type(node.iter) is A.Name else f"<async for {id(node)}>"
            self.compile_store_id(context)
        saved, break_label, continue_label = self._start_loop()
        emit.label_assign(continue_label)
        self.increase_except_level(try_exception_label, E.SETUP_EXCEPT)
        if on_stack:
            emit.dup_top()
        else:
            self.compile_load_id(context)
        self.await_object_method("__anext__")
        self.c_assign(node.target, ASSIGN_STORE)
        emit.pop_except_jump(try_else_label, False)
        emit.label_assign(try_exception_label)
        emit.start_except_handler()
        emit.dup_top()
        emit.load_global("StopAsyncIteration", E.IDOP_GLOBAL_GLOBAL)
        emit.binary_op("EXCEPTION_MATCH")
        emit.pop_jump_if(False, try_finally_label)
        emit.pop_top()
        emit.pop_except_jump(while_else_label, True)
        emit.label_assign(try_finally_label)
        emit.adjust_stack_size(1)
        self.decrease_except_level()
        emit.end_except_handler()
        emit.label_assign(try_else_label)
        self.compile_body(node.body)
        emit.jump(continue_label)
        self._end_loop(saved)
        emit.label_assign(while_else_label)
        if node.orelse:
            self.compile_body(node.orelse)
        emit.label_assign(break_label)
        if on_stack:
            emit.pop_top()

    def stmt_AsyncWith(self, node) -> None:
        self._check_async(node)
        self._async_with(node.items, node.body)

    def _async_with(self, items, body) -> None:
        if not self.has("async_with_unwind"):
            self._async_with_before_1_10(items, body)
            return
        if not items:
            self.compile_body(body)
            return
        emit = self.emit
        l_finally_block = self.label()
        l_aexit_no_exc = self.label()
        l_ret_unwind_jump = self.label()
        l_end = self.label()
        item = items[0]
        self.compile_node(item.context_expr)
        emit.dup_top()
        self.await_object_method("__aenter__")
        if item.optional_vars is not None:
            self.c_assign(item.optional_vars, ASSIGN_STORE)
        else:
            emit.pop_top()
        self.increase_except_level(l_finally_block, E.SETUP_FINALLY)
        emit.adjust_stack_size(3)
        self._async_with(items[1:], body)
        emit.adjust_stack_size(-3)
        emit.async_with_setup_finally(l_aexit_no_exc, l_finally_block, l_ret_unwind_jump)
        emit.dup_top()
        emit.rot_three()
        emit.rot_two()
        emit.load_method("__aexit__", False)
        emit.rot_three()
        emit.rot_three()
        emit.dup_top()
        emit.attr("__class__", E.ATTR_LOAD)
        emit.rot_two()
        emit.load_const_tok(None)
        emit.call_method(3, 0, 0)
        self.compile_yield_from()
        emit.pop_jump_if(False, l_end)
        emit.pop_top()
        emit.load_const_tok(None)
        emit.jump(l_end)
        emit.adjust_stack_size(2)
        emit.label_assign(l_ret_unwind_jump)
        emit.rot_three()
        emit.rot_three()
        emit.label_assign(l_aexit_no_exc)
        emit.load_method("__aexit__", False)
        emit.load_const_tok(None)
        emit.dup_top()
        emit.dup_top()
        emit.call_method(3, 0, 0)
        self.compile_yield_from()
        emit.pop_top()
        emit.adjust_stack_size(-1)
        emit.label_assign(l_end)
        self.decrease_except_level()

    def _async_with_before_1_10(self, items, body) -> None:
        """mp-v1.9.3/py/compile.c compile_async_with_stmt_helper: the context manager is kept
        in a variable (its own name, or a hidden local, as the old `async for`), __aexit__ is
        loaded up front, and the body runs in a try/except that calls it."""
        if not items:
            self.compile_body(body)
            return
        emit = self.emit
        try_exception_label = self.label()
        no_reraise_label = self.label()
        try_else_label = self.label()
        end_label = self.label()
        item = items[0]
        ctx = item.context_expr
        self.compile_node(ctx)
        context = ctx.id if type(ctx) is A.Name else f"<async with {id(item)}>"
        self.compile_store_id(context)
        self.compile_load_id(context)
        self.await_object_method("__aenter__")
        if item.optional_vars is not None:
            self.c_assign(item.optional_vars, ASSIGN_STORE)
        else:
            emit.pop_top()
        self.compile_load_id(context)
        emit.load_method("__aexit__", False)
        self.increase_except_level(try_exception_label, E.SETUP_EXCEPT)
        self._async_with_before_1_10(items[1:], body)
        emit.pop_block()
        emit.jump(try_else_label)
        emit.label_assign(try_exception_label)
        emit.start_except_handler()
        emit.dup_top()
        emit.attr("__class__", E.ATTR_LOAD)
        emit.rot_two()
        emit.load_const_tok(None)
        emit.call_method(3, 0, 0)
        self.compile_yield_from()
        emit.pop_jump_if(True, no_reraise_label)
        emit.raise_varargs(0)
        emit.label_assign(no_reraise_label)
        emit.pop_except()
        emit.jump(end_label)
        emit.adjust_stack_size(3)
        self.decrease_except_level()
        emit.end_except_handler()
        emit.label_assign(try_else_label)
        emit.load_const_tok(None)
        emit.dup_top()
        emit.dup_top()
        emit.call_method(3, 0, 0)
        self.compile_yield_from()
        emit.pop_top()
        emit.label_assign(end_label)

    # ---- functions and classes -------------------------------------------

    def stmt_FunctionDef(self, node) -> None:
        name = self.funcdef_helper(node)
        self.compile_store_id(name)

    def stmt_AsyncFunctionDef(self, node) -> None:
        name = self.funcdef_helper(node)
        self.node_scope[id(node)].scope_flags |= self.async_def_flags()
        self.compile_store_id(name)

    def stmt_ClassDef(self, node) -> None:
        name = self.classdef_helper(node)
        self.compile_store_id(name)

    def funcdef_helper(self, node, emit_options=None) -> str:
        fscope = self._child_scope(S.FUNCTION, node, node.name, emit_options)
        self.funcdef_lambdef(fscope, node.args)
        return fscope.simple_name

    def classdef_helper(self, node, emit_options=None) -> str:
        cscope = self._child_scope(S.CLASS, node, node.name, emit_options)
        self.emit.load_build_class()
        self.close_over_variables_etc(cscope, 0, 0)
        self.emit.load_const_str(cscope.simple_name)
        self.trailer_paren_helper(node.bases, node.keywords, False, 2)
        return cscope.simple_name

    def compile_decorated(self, node) -> None:
        emit = self.emit
        num_built_in = 0
        emit_options = self.scope.emit_options
        for deco in node.decorator_list:
            if type(deco) is A.Invalid:
                self.expr_Invalid(deco)
            func = deco.func if type(deco) is A.Call else deco
            dotted = _dotted_parts(func)
            if dotted is not None and dotted[0] == "micropython":
                num_built_in += 1
                if len(dotted) != 2:
                    self.error("invalid micropython decorator", A.Name(dotted[0]))
                emit_options = self.built_in_decorator(dotted[1], emit_options, deco.line)
                continue
            # a dotted name (leaves: no line), then maybe one call trailer
            if dotted is None:
                self.error("invalid syntax", deco)
            self.compile_load_id(dotted[0])
            for part in dotted[1:]:
                emit.attr(part, E.ATTR_LOAD)
            if type(deco) is A.Call:
                emit.set_source_line(deco.trailer_line)
                self.trailer_paren_helper(deco.args, deco.keywords, False, 0)
        t = type(node)
        if t is A.ClassDef:
            name = self.classdef_helper(node, emit_options)
        else:
            name = self.funcdef_helper(node, emit_options)
            if t is A.AsyncFunctionDef:
                self.node_scope[id(node)].scope_flags |= self.async_def_flags()
        for _ in range(len(node.decorator_list) - num_built_in):
            emit.call_function(1, 0, 0)
        self.compile_store_id(name)

    def built_in_decorator(self, attr: str, emit_options: int, line: int) -> int:
        """compile.c compile_built_in_decorator: the emitter `@micropython.<attr>` asks for."""
        native = self.native
        if attr == "bytecode":
            return NT.EMIT_BYTECODE
        chosen = native.decorator_emitter(attr)
        if chosen is None:
            self.error("invalid micropython decorator", A.Name(attr))
        where = f'File "{self.source_name}", line {line}: @micropython.{attr}'
        if chosen == NT.EMIT_ASM and native.asm_table_overrun():
            raise NotSupportedError(f"{where}: an inline assembler for -march={native.arch}, where the official "
                                    "mpy-cross crashes (py/compile.c reads past its emit_asm_table)")
        if not native.arch_accepts(chosen):
            self.error("invalid arch", A.Name(attr))
        try:
            if chosen == NT.EMIT_ASM:
                native.require_inline_asm(where)
            else:
                native.require_emitter(where)
        except NT.NativeUnsupported as err:
            raise NotSupportedError(str(err)) from None
        return chosen

    def funcdef_lambdef(self, fscope: S.Scope, args: A.arguments) -> None:
        saved = (self.have_star, self.num_dict_params, self.num_default_params)
        self.have_star = False
        self.num_dict_params = 0
        self.num_default_params = 0
        emit = self.emit
        positional = args.args
        first_default = len(positional) - len(args.defaults)
        for i, a in enumerate(positional):
            default = args.defaults[i - first_default] if i >= first_default else None
            self._param_default(a, default)
        if args.vararg is not None or args.kwonlyargs:
            self.have_star = True
        for a, default in zip(args.kwonlyargs, args.kw_defaults):
            self._param_default(a, default)
        if self.num_default_params > 0 and self.num_dict_params == 0:
            emit.build(self.num_default_params, E.BUILD_TUPLE)
            emit.load_null()
        self.close_over_variables_etc(fscope, self.num_default_params, self.num_dict_params)
        self.have_star, self.num_dict_params, self.num_default_params = saved

    def _param_default(self, a: A.arg, default) -> None:
        emit = self.emit
        if default is None:
            if not self.have_star and self.num_default_params != 0:
                self.error("non-default argument follows default argument", a if a.annotation else None)
            return
        if self.have_star:
            self.num_dict_params += 1
            if self.num_dict_params == 1:
                if self.num_default_params > 0:
                    emit.build(self.num_default_params, E.BUILD_TUPLE)
                else:
                    emit.load_null()
                emit.build(0, E.BUILD_MAP)
            self.compile_node(default)
            emit.load_const_str(a.arg)
            emit.store_map()
        else:
            self.num_default_params += 1
            self.compile_node(default)

    def close_over_variables_etc(self, this_scope: S.Scope, n_pos_defaults: int, n_kw_defaults: int) -> None:
        if n_kw_defaults > 0:
            this_scope.scope_flags |= S.SCOPE_FLAG_DEFKWARGS
        this_scope.num_def_pos_args = n_pos_defaults
        nfree = 0
        cur = self.scope
        if cur.kind != S.MODULE:
            for info in cur.id_info:
                if info.kind == S.CELL or info.kind == S.FREE:
                    for info2 in this_scope.id_info:
                        if info2.kind == S.FREE and info.qst == info2.qst:
                            self.emit.load_local(info.qst, info.local_num, E.IDOP_LOCAL_FAST)
                            nfree += 1
        if nfree == 0:
            self.emit.make_function(this_scope, n_pos_defaults, n_kw_defaults)
        else:
            self.emit.make_closure(this_scope, nfree, n_pos_defaults, n_kw_defaults)

    def _scope_params(self, args: A.arguments) -> None:
        """compile_scope_func_lambda_param for each parameter, in source order."""
        first_default = len(args.args) - len(args.defaults)
        for i, a in enumerate(args.args):
            self._scope_param(a, S.FLAG_IS_PARAM, struct=i >= first_default)
        if args.vararg is not None:
            self._scope_param(args.vararg, S.FLAG_IS_PARAM | S.FLAG_IS_STAR_PARAM, star=True)
        elif args.kwonlyargs:
            self.have_star = True  # bare '*'
        for a, default in zip(args.kwonlyargs, args.kw_defaults):
            self._scope_param(a, S.FLAG_IS_PARAM, struct=default is not None)
        if args.kwarg is not None:
            self._scope_param(args.kwarg, S.FLAG_IS_PARAM | S.FLAG_IS_DBL_STAR_PARAM, dbl=True)
        if args.invalid is not None:
            # a parameter after **kw or a second *: dropped by the parser, reported here
            self.error(args.invalid.message, args.invalid)

    def _scope_param(self, a: A.arg, flag: int, star: bool = False, dbl: bool = False,
                     struct: bool = False) -> None:
        """`struct`: the parameter has a default, so its parse node has a line even unannotated."""
        scope = self.scope
        if scope.scope_flags & S.SCOPE_FLAG_VARKEYWORDS:
            self.error("invalid syntax", a)
        if star:
            self.have_star = True
            scope.scope_flags |= S.SCOPE_FLAG_VARARGS
        elif dbl:
            scope.scope_flags |= S.SCOPE_FLAG_VARKEYWORDS
        elif self.have_star:
            scope.num_kwonly_args += 1
        else:
            scope.num_pos_args += 1
        info = scope.find_or_add_id(a.arg, S.UNDECIDED)
        if info.kind != S.UNDECIDED:
            # a struct parse node (annotated, defaulted, *x, **x) has the line; a bare name none
            is_struct = a.annotation is not None or struct or star or dbl
            self.error("argument name reused", A.Invalid("", line=a.line) if is_struct else None)
        info.kind = S.LOCAL
        info.flags = flag
        if scope.emit_options == NT.EMIT_VIPER and scope.kind == S.FUNCTION:
            info.flags |= self.viper_type_annotation(a.annotation) << S.FLAG_VIPER_TYPE_POS

    def viper_type_annotation(self, annotation) -> int:
        """compile.c compile_viper_type_annotation: the native type an annotation names."""
        if annotation is None:
            return 0  # object
        if type(annotation) is not A.Name:
            self.error("annotation must be an identifier", annotation)
        from .emitnative import native_type_from_qstr

        native_type = native_type_from_qstr(annotation.id)
        if native_type is None:
            # compile.c sets comp->compile_error directly: a later one replaces it, the
            # compile goes on, and syntax errors after it are not recorded
            self.pending_viper_error = f"unknown type '{annotation.id}'"
            return 0
        return native_type

    # ---- assignment ------------------------------------------------------

    def c_assign(self, node, kind: int) -> None:
        t = type(node)
        if t is A.Name:
            if kind == ASSIGN_AUG_LOAD:
                self.compile_load_id(node.id)
            else:
                self.compile_store_id(node.id)
        elif t is A.Attribute or t is A.Subscript:
            self.c_assign_atom_expr(node, kind)
        elif t is A.Tuple:
            if not node.elts or kind != ASSIGN_STORE:
                self.error("can't assign to expression", node)
            self.c_assign_tuple(node.elts)
        elif t is A.List:
            if kind != ASSIGN_STORE:
                self.error("can't assign to expression", node)
            self.c_assign_tuple(node.elts)
        else:
            self.error("can't assign to expression", node)

    def c_assign_atom_expr(self, node, kind: int) -> None:
        emit = self.emit
        if type(node) is A.Subscript:
            if kind == ASSIGN_AUG_STORE:
                emit.rot_three()
                emit.subscr(E.SUBSCR_STORE)
            else:
                self.compile_trailers_plain(node.value)
                self.compile_index(node.slice)
                if kind == ASSIGN_AUG_LOAD:
                    emit.dup_top_two()
                    emit.subscr(E.SUBSCR_LOAD)
                else:
                    emit.subscr(E.SUBSCR_STORE)
        else:
            if kind != ASSIGN_AUG_STORE:
                self.compile_trailers_plain(node.value)
            if kind == ASSIGN_AUG_LOAD:
                emit.dup_top()
                emit.attr(node.attr, E.ATTR_LOAD)
            else:
                if kind == ASSIGN_AUG_STORE:
                    emit.rot_two()
                emit.attr(node.attr, E.ATTR_STORE)

    def compile_trailers_plain(self, node) -> None:
        """The atom and leading trailers of an assignment or del target: c_assign_atom_expr
        compiles each trailer on its own, so `a.f().x = 1` calls f without LOAD_METHOD."""
        t = type(node)
        if node.parens or t not in (A.Attribute, A.Subscript, A.Call):
            self.compile_node(node)
            return
        emit = self.emit
        if t is A.Attribute:
            self.compile_trailers_plain(node.value)
            emit.set_source_line(node.trailer_line)
            emit.attr(node.attr, E.ATTR_LOAD)
        elif t is A.Subscript:
            self.compile_trailers_plain(node.value)
            emit.set_source_line(node.trailer_line)
            self.compile_index(node.slice)
            emit.subscr(E.SUBSCR_LOAD)
        else:
            self.compile_trailers_plain(node.func)
            emit.set_source_line(node.trailer_line)
            self.trailer_paren_helper(node.args, node.keywords, False, 0)

    def c_assign_tuple(self, elts) -> None:
        star_index = -1
        n = len(elts)
        for i, e in enumerate(elts):
            if type(e) is A.Starred:
                if star_index == -1:
                    self.emit.unpack_ex(i, n - i - 1)
                    star_index = i
                else:
                    self.error("multiple *x in assignment", e)
        if star_index == -1:
            self.emit.unpack_sequence(n)
        for i, e in enumerate(elts):
            self.c_assign(e.value if i == star_index else e, ASSIGN_STORE)

    # ---- conditions --------------------------------------------------------

    def c_if_cond(self, node, jump_if: bool, label: int) -> None:
        emit = self.emit
        if self.is_const_false(node):
            if not jump_if:
                emit.jump(label)
            return
        if self.is_const_true(node):
            if jump_if:
                emit.jump(label)
            return
        t = type(node)
        if t is A.BoolOp:
            logic1 = (node.op == "Or") != jump_if
            values = node.values
            if logic1:
                label2 = self.label()
                for v in values[:-1]:
                    self.c_if_cond(v, not jump_if, label2)
                self.c_if_cond(values[-1], jump_if, label)
                emit.label_assign(label2)
            else:
                for v in values:
                    self.c_if_cond(v, jump_if, label)
            return
        if t is A.UnaryOp and node.op == "Not":
            self.c_if_cond(node.operand, not jump_if, label)
            return
        if (t is A.Tuple or t is A.GeneratorExp) and not self.has("tuple_condition_evaluated"):
            # mp-v1.20.0/py/compile.c c_if_cond: a parenthesised tuple is not evaluated:
            # `()` is false, any other is true
            if jump_if == (t is A.GeneratorExp or bool(node.elts)):
                emit.jump(label)
            return
        self.compile_node(node)
        emit.pop_jump_if(jump_if, label)

    # ---- expressions -------------------------------------------------------

    def compile_node(self, node) -> None:
        t = type(node)
        if node.line and t is not A.Name and (t is not A.Constant or self.is_struct(node)) \
                and t is not FoldedConstant:
            self.emit.set_source_line(node.line)
        method = _EXPR.get(t)
        if method is None:
            method = getattr(Compiler, "expr_" + t.__name__, None)
            if method is None:
                self.error("invalid syntax", node)  # not an expression node
            _EXPR[t] = method
        method(self, node)

    def expr_Name(self, node) -> None:
        self.compile_load_id(node.id)

    def expr_Constant(self, node) -> None:
        v = node.value
        emit = self.emit
        if v is None or v is True or v is False or v is Ellipsis:
            emit.load_const_tok(v)
        elif type(v) is int:
            if self.small_int_min <= v <= self.small_int_max:
                emit.load_const_small_int(v)
            else:
                emit.load_const_obj(v)
        elif type(v) is str:
            emit.load_const_str(v)
        else:
            emit.load_const_obj(v)

    expr_FoldedConstant = expr_Constant
    expr_ConstTuple = expr_Constant

    def expr_ObjConstant(self, node) -> None:
        self.emit.load_const_obj(node.value)

    def expr_BinOp(self, node) -> None:
        if node.op == "Pow":  # compile_power: compile_generic_all_nodes over the operands
            self.compile_checked(node.left)
            self.compile_checked(node.right)
        else:
            self.compile_node(node.left)
            self.compile_node(node.right)
        self.emit.binary_op(_BINARY[node.op])

    def expr_UnaryOp(self, node) -> None:
        self.compile_node(node.operand)
        self.emit.unary_op(_UNARY[node.op])

    def expr_BoolOp(self, node) -> None:
        cond = node.op == "Or"
        l_end = self.label()
        values = node.values
        for i, v in enumerate(values):
            self.compile_node(v)
            if i + 1 < len(values):
                self.emit.jump_if_or_pop(cond, l_end)
        self.emit.label_assign(l_end)

    def expr_Compare(self, node) -> None:
        emit = self.emit
        self.compile_node(node.left)
        n = len(node.ops)
        multi = n > 1
        l_fail = self.label() if multi else 0
        for i, (op, right) in enumerate(zip(node.ops, node.comparators)):
            self.compile_node(right)
            if i + 1 < n:
                emit.dup_top()
                emit.rot_three()
            emit.binary_op(_COMPARE[op])
            if i + 1 < n:
                emit.jump_if_or_pop(False, l_fail)
        if multi:
            l_end = self.label()
            emit.jump(l_end)
            emit.label_assign(l_fail)
            emit.adjust_stack_size(1)
            emit.rot_two()
            emit.pop_top()
            emit.label_assign(l_end)

    def expr_IfExp(self, node) -> None:
        emit = self.emit
        l_fail = self.label()
        l_end = self.label()
        self.c_if_cond(node.test, False, l_fail)
        self.compile_node(node.body)
        emit.jump(l_end)
        emit.label_assign(l_fail)
        emit.adjust_stack_size(-1)
        self.compile_node(node.orelse)
        emit.label_assign(l_end)

    def expr_Lambda(self, node) -> None:
        lscope = self._child_scope(S.LAMBDA, node)
        self.funcdef_lambdef(lscope, node.args)

    def expr_NamedExpr(self, node) -> None:
        self.namedexpr_helper(node.target, node.value)

    def namedexpr_helper(self, target, value) -> None:
        if type(target) is not A.Name:
            self.error("can't assign to expression", target)
        self.compile_node(value)
        self.emit.dup_top()
        name = target.id
        scope = self.scope
        if S.is_comp_like(scope.kind) and not self.has("walrus_comprehension_scope"):
            # before 1.20 the store is compiled as if in the enclosing scope, into the
            # comprehension's code (mp-v1.19.1/py/compile.c compile_namedexpr_helper)
            self.scope = scope.parent
            try:
                self.compile_store_id(name)
            finally:
                self.scope = scope
            return
        if not self.recording and S.is_comp_like(scope.kind):
            parent_info = scope.parent.id_for_modification(name, self.mark_assigned)
            if parent_info.kind == S.GLOBAL_EXPLICIT:
                scope.find_or_add_id(name, S.GLOBAL_EXPLICIT)
            else:
                info = scope.find_or_add_id(name, S.UNDECIDED)
                is_global = scope.parent.parent is None
                if not is_global and info.kind == S.GLOBAL_IMPLICIT:
                    info.kind = S.UNDECIDED
                saved = self.scope
                self.declare_global_or_nonlocal(target, info, is_global)
                self.scope = saved
        self.compile_store_id(name)

    def expr_Starred(self, node) -> None:
        self.error("*x must be assignment target", node)

    def expr_Tuple(self, node) -> None:
        for e in node.elts:
            self.compile_node(e)
        self.emit.build(len(node.elts), E.BUILD_TUPLE)

    def expr_List(self, node) -> None:
        elts = node.elts
        # the items compile_generic_all_nodes goes over (LineAfterError.expr_line)
        n_list = len(elts) + node.trailing_comma
        if self.line_after_error.all_list_items:
            first_checked = 0 if n_list >= 2 else len(elts)
        else:
            first_checked = 1 if n_list >= 3 else len(elts)
        for i, e in enumerate(elts):
            if i >= first_checked:
                self.compile_checked(e)
            else:
                self.compile_node(e)
        self.emit.build(len(elts), E.BUILD_LIST)

    def compile_checked(self, node) -> None:
        """compile_node for a child of compile_generic_all_nodes: a line-less error in it
        takes the child's line when the child is a struct."""
        try:
            self.compile_node(node)
        except _Error as err:
            if err.line is None and self.is_struct(node) and node.line:
                err.line = node.line
            raise

    def expr_Set(self, node) -> None:
        for e in node.elts:
            self.compile_node(e)
        self.emit.build(len(node.elts), E.BUILD_SET)

    def expr_Dict(self, node) -> None:
        emit = self.emit
        emit.build(len(node.keys), E.BUILD_MAP)
        for key, value in zip(node.keys, node.values):
            if key is None:
                self.error("invalid syntax", node)
            emit.set_source_line(first_line(key))
            self.compile_node(value)
            self.compile_node(key)
            emit.store_map()

    def expr_ListComp(self, node) -> None:
        self.compile_comprehension(node)

    expr_SetComp = expr_ListComp
    expr_DictComp = expr_ListComp
    expr_GeneratorExp = expr_ListComp

    def compile_comprehension(self, node) -> None:
        kind = _COMP_KIND[type(node)]
        cscope = self._child_scope(kind, node)
        self.close_over_variables_etc(cscope, 0, 0)
        self.compile_node(node.generators[0].iter)
        if kind == S.GEN_EXPR:
            self.emit.get_iter(False)
        self.emit.call_function(1, 0, 0)

    def _comp_iter(self, node, depth: int) -> None:
        emit = self.emit
        gen = node.generators[depth]
        l_top = self.label()
        l_end = self.label()
        emit.label_assign(l_top)
        emit.for_iter(l_end)
        self.c_assign(gen.target, ASSIGN_STORE)
        for cond in gen.ifs:
            self.c_if_cond(cond, False, l_top)
        if depth + 1 < len(node.generators):
            self.compile_node(node.generators[depth + 1].iter)
            emit.get_iter(True)
            self._comp_iter(node, depth + 1)
        else:
            kind = self.scope.kind
            if kind == S.DICT_COMP:
                emit.set_source_line(first_line(node.key))
                self.compile_node(node.value)
                self.compile_node(node.key)
            else:
                self.compile_node(node.elt)
            if kind == S.GEN_EXPR:
                emit.yield_(E.YIELD_VALUE)
                self.reserve_labels_for_native(1)
                emit.pop_top()
            else:
                emit.store_comp(kind, 4 * depth + 5)
        emit.jump(l_top)
        emit.label_assign(l_end)
        emit.for_iter_end()

    def expr_Await(self, node) -> None:
        if self.scope.kind not in (S.FUNCTION, S.LAMBDA):
            self.error("'await' outside function", node)
        self.compile_node(node.value)
        if self.target.has("circuitpython_await"):
            # cp-9.2.9/py/compile.c compile_atom_expr_await: x.__await__() then yield from
            self.emit.load_method("__await__", False)
            self.emit.call_method(0, 0, 0)
            self.emit.load_const_tok(None)
            self.emit.yield_(E.YIELD_FROM)
            self.reserve_labels_for_native(3)
            return
        self.compile_yield_from()

    def expr_Yield(self, node) -> None:
        if self.scope.kind not in (S.FUNCTION, S.LAMBDA):
            self.error("'yield' outside function", node)
        if node.value is None:
            self.emit.load_const_tok(None)
        else:
            self.compile_node(node.value)
        self.emit.yield_(E.YIELD_VALUE)
        self.reserve_labels_for_native(1)

    def expr_YieldFrom(self, node) -> None:
        if self.scope.kind not in (S.FUNCTION, S.LAMBDA):
            self.error("'yield' outside function", node)
        if self.scope.scope_flags & S.SCOPE_FLAG_ASYNC and self.target.has("no_yield_from_in_async"):
            # cp-9.2.9/py/compile.c compile_yield_expr
            self.error("'yield from' inside async function", node)
        self.compile_node(node.value)
        self.compile_yield_from()

    def expr_Attribute(self, node) -> None:
        self.compile_node(node.value)
        self.emit.set_source_line(node.trailer_line)
        self.emit.attr(node.attr, E.ATTR_LOAD)

    def expr_Subscript(self, node) -> None:
        self.compile_node(node.value)
        self.emit.set_source_line(node.trailer_line)
        self.compile_index(node.slice)
        self.emit.subscr(E.SUBSCR_LOAD)

    def expr_Invalid(self, node) -> None:
        culprit = getattr(node, "node", None)
        if culprit is not None:
            # compile.c reports on the argument/parameter: its line if it is a struct
            self.error(node.message, culprit)
        self.error(node.message, node)

    stmt_Invalid = expr_Invalid

    def compile_index(self, index) -> None:
        if type(index) is A.Slice:
            if index.line:
                self.emit.set_source_line(index.line)
            self.compile_slice(index)
        else:
            self.compile_node(index)

    def expr_Slice(self, node) -> None:
        self.compile_slice(node)

    def compile_slice(self, node) -> None:
        emit = self.emit
        if node.lower is not None:
            self.compile_node(node.lower)
        else:
            emit.load_const_tok(None)
        if node.upper is not None:
            self.compile_node(node.upper)
        else:
            emit.load_const_tok(None)
        if node.step is not None:
            self.compile_node(node.step)
            emit.build(3, E.BUILD_SLICE)
        else:
            emit.build(2, E.BUILD_SLICE)

    def expr_Call(self, node) -> None:
        emit = self.emit
        func = node.func
        if self.scope.kind == S.FUNCTION:
            # super().f(...) and super()
            if (type(func) is A.Attribute and not func.parens and _is_bare_super(func.value)
                    and not func.value.parens):
                self._load_super_args(func.value)
                emit.load_method(func.attr, True)
                self.trailer_paren_helper(node.args, node.keywords, True, 0)
                return
            if _is_bare_super(node):
                self._load_super_args(node)
                emit.call_function(2, 0, 0)
                return
        if type(func) is A.Attribute and not func.parens:
            self.compile_node(func.value)
            emit.load_method(func.attr, False)
            self.trailer_paren_helper(node.args, node.keywords, True, 0)
            return
        self.compile_node(func)
        self.emit.set_source_line(node.trailer_line)
        self.trailer_paren_helper(node.args, node.keywords, False, 0)

    def _load_super_args(self, call) -> None:
        # compile_atom_expr_normal compiles the subject ("super") before spotting super()
        self.compile_node(call.func)
        self.compile_load_id("__class__")
        for info in self.scope.id_info:
            if info.flags & S.FLAG_IS_PARAM:
                self.compile_load_id(info.qst)
                return
        self.error("super() can't find self", call)

    def trailer_paren_helper(self, args, keywords, is_method: bool, n_positional_extra: int) -> None:
        if not self.has("multiple_star_args"):
            self.trailer_paren_helper_single_star(args, keywords, is_method, n_positional_extra)
            return
        emit = self.emit
        n_positional = n_positional_extra
        n_keyword = 0
        star_flags = 0
        star_args = 0
        for i, arg in enumerate(args):
            if type(arg) is A.Starred and not arg.parens:
                if star_flags & 2:
                    self.error("* arg after **", arg)
                if n_keyword:
                    self.error("* arg after kwarg", arg)
                if i >= self.small_int_bits - 1:
                    self.error("too many args", arg)
                star_flags |= 1
                star_args |= 1 << i
                self.compile_node(arg.value)
                n_positional += 1
            elif type(arg) is A.NamedExpr and not arg.parens:
                # an `argument` node: no line of its own; `(x := v)` is an expression that sets one
                self.namedexpr_helper(arg.target, arg.value)
                n_positional += 1
            elif type(arg) is A.GeneratorExp and len(args) == 1 and not keywords \
                    and not getattr(arg, "parenthesized", False):
                self.compile_comprehension(arg)
                n_positional += 1
            else:
                if star_flags & 2:
                    self.error("positional arg after **", arg)
                if n_keyword > 0:
                    self.error("positional arg after keyword arg", arg)
                self.compile_node(arg)
                n_positional += 1
        for j, kw in enumerate(keywords):
            if type(kw) is A.StarredKeyword:
                # a *x after keywords (1.19 - 1.28): pushed in place; its bit counts all arguments
                i = len(args) + j
                if star_flags & 2:
                    self.error("* arg after **", kw.value)
                if i >= self.small_int_bits - 1:
                    self.error("too many args", kw.value)
                star_flags |= 1
                star_args |= 1 << i
                self.compile_node(kw.value.value)
                n_positional += 1
                continue
            if type(kw) is A.NamedExprKeyword:
                self.namedexpr_helper(kw.value.target, kw.value.value)
                n_positional += 1
                continue
            if kw.arg is None:
                star_flags |= 2
                emit.load_null()
                self.compile_node(kw.value)
            else:
                emit.load_const_str(kw.arg)
                self.compile_node(kw.value)
            n_keyword += 1
        if star_flags:
            emit.load_const_small_int(star_args)
        if is_method:
            emit.call_method(n_positional, n_keyword, star_flags)
        else:
            emit.call_function(n_positional, n_keyword, star_flags)


    def trailer_paren_helper_single_star(self, args, keywords, is_method: bool, n_positional_extra: int) -> None:
        """Before 1.19 (mp-v1.18/py/compile.c compile_trailer_paren_helper): at most one *x and
        one **x, pushed after all the other arguments (NULL for a missing one)."""
        emit = self.emit
        n_positional = n_positional_extra
        n_keyword = 0
        star_flags = 0
        star_node = dblstar_node = None
        for arg in args:
            if type(arg) is A.Starred and not arg.parens:
                if star_flags & 1:
                    self.error("can't have multiple *x", arg)
                star_flags |= 1
                star_node = arg
            else:
                if star_flags and self.has("reject_pos_after_star_args"):
                    self.error("non-keyword arg after */**", arg)
                if type(arg) is A.NamedExpr and not arg.parens:
                    self.namedexpr_helper(arg.target, arg.value)
                elif type(arg) is A.GeneratorExp and len(args) == 1 and not keywords \
                        and not getattr(arg, "parenthesized", False):
                    self.compile_comprehension(arg)
                else:
                    self.compile_node(arg)
                n_positional += 1
        for kw in keywords:
            if type(kw) is A.NamedExprKeyword:
                self.namedexpr_helper(kw.value.target, kw.value.value)
                n_positional += 1
                continue
            if kw.arg is None:
                if star_flags & 2:
                    self.error("can't have multiple **x", kw)  # the arglist_dbl_star node: its "**" line
                star_flags |= 2
                dblstar_node = kw
            else:
                emit.load_const_str(kw.arg)
                self.compile_node(kw.value)
                n_keyword += 1
        if star_flags:
            if star_node is None:
                emit.load_null()
            else:
                self.compile_node(star_node.value)
            if dblstar_node is None:
                emit.load_null()
            else:
                self.compile_node(dblstar_node.value)
        if is_method:
            emit.call_method(n_positional, n_keyword, star_flags)
        else:
            emit.call_function(n_positional, n_keyword, star_flags)


_EXPR: dict = {}  # node type -> Compiler.expr_* (filled on first use)

# Error texts that changed: feature -> (text from that release, text before it)
_OLDER_MESSAGES = {
    # mp-v1.18/py/compile.c compile_trailer_paren_helper
    "msg_positional_after_keyword": ("positional arg after keyword arg", "non-keyword arg after keyword arg"),
    "multiple_star_args": ("positional arg after **", "non-keyword arg after */**"),
    "msg_argument_name_reused": ("argument name reused", "name reused for argument"),
}
_STMT: dict = {}


class LineAfterError:
    """Where py/compile.c puts an error that had no line: it goes on compiling after it, and the
    first compile_generic_all_nodes to finish a child while the error is pending takes that
    child's line (a struct's; a leaf has none, and the rest of that node list is skipped).
    Those node lists are statement lists of several, list displays (from 1.18 all items, before
    the items after the first, when there are two or more of them) and the two operands of `**`."""

    def __init__(self, is_const_true, is_const_false, all_list_items: bool, is_struct):
        self.is_const_true = is_const_true
        self.is_const_false = is_const_false
        self.all_list_items = all_list_items
        self.is_struct = is_struct

    def bodies(self, node) -> list:
        """A compound statement's statement lists in py/compile.c's compile order, its `elif`
        clauses flattened: one whose test is a constant false is left out, a true one ends them."""
        t = type(node)
        if t is A.If:
            bodies = []
            while True:  # the `elif` clauses are compiled by the one compile_if_stmt
                if not self.is_const_false(node.test):
                    bodies.append(node.body)
                    if self.is_const_true(node.test):
                        return bodies
                orelse = node.orelse
                if not (len(orelse) == 1 and type(orelse[0]) is A.If and orelse[0].is_elif):
                    return [*bodies, orelse]
                node = orelse[0]
        if t is A.While:
            return [node.orelse] if self.is_const_false(node.test) else [node.body, node.orelse]
        if t in (A.For, A.AsyncFor):
            return [node.body, node.orelse]
        if t is A.Try:
            return [node.body, *[h.body for h in node.handlers], node.orelse, node.finalbody]
        if t in (A.With, A.AsyncWith):
            return [node.body]
        return []  # a def/class body is its own scope, compiled later

    def later_list_line(self, node, after) -> int | None:
        """The line taken once a line-less error has happened in `node`: compiling goes on
        through node's bodies after the one holding `after` (all of them when None)."""
        bodies = self.bodies(node)
        start = 0
        if after is not None:
            start = next((i + 1 for i, body in enumerate(bodies) if any(s is after for s in body)),
                         len(bodies))
        for body in bodies[start:]:
            line = self.first_list_line(body) if body else None
            if line:
                return line
        return None

    def first_list_line(self, stmts) -> int | None:
        first = stmts[0]
        line = self.stmt_expr_line(first) or self.later_list_line(first, None)
        if line or len(stmts) == 1:
            return line
        return _stmt_line(first) or None

    def after_params(self, stmts) -> int | None:
        """The line for a parameter error: compiling goes on with the function's body."""
        return self.first_list_line(stmts) if stmts else None

    def stmt_expr_line(self, stmt) -> int | None:
        """A node-list check met while compiling a simple statement's expressions."""
        t = type(stmt)
        if t is A.Expr or t is A.Return:
            return self.expr_line(stmt.value)
        if t is A.Assign or t is A.AugAssign or t is A.AnnAssign:
            return self.expr_line(stmt.value)  # compiled before the target
        return None

    def expr_line(self, node) -> int | None:
        """The first node-list check in compiling expression `node` (None: none met)."""
        t = type(node)
        if t is A.List:
            elts = node.elts
            if not elts:
                return None
            # a node list: all the items (one only with a trailing comma); before 1.18 the
            # items after the first (PN_testlist_comp_3c: three or more, or two and a comma)
            n_list = len(elts) + node.trailing_comma
            line = self.expr_line(elts[0])
            if line or self.all_list_items:
                return line or (self._checked(elts[0]) if n_list >= 2 else None)
            if len(elts) < 2:
                return None
            return self.expr_line(elts[1]) or (self._checked(elts[1]) if n_list >= 3 else None)
        if t is A.BinOp and node.op == "Pow":
            return self.expr_line(node.left) or self._checked(node.left)
        if t is A.Call:
            parts = [node.func, *node.args, *[k.value for k in node.keywords]]
        elif t is A.Attribute or t is A.Starred:
            parts = [node.value]
        elif t is A.Subscript:
            parts = [node.value, node.slice]
        elif t is A.BinOp:
            parts = [node.left, node.right]
        elif t is A.UnaryOp:
            parts = [node.operand]
        elif t is A.Tuple:
            parts = node.elts
        else:
            return None  # a leaf, or a node whose compile order is not modelled here
        for part in parts:
            line = self.expr_line(part)
            if line:
                return line
        return None

    def _checked(self, node) -> int | None:
        return (getattr(node, "line", 0) or None) if self.is_struct(node) else None


def _stmt_line(stmt) -> int:
    """The line of a statement's parse node (a decorated definition starts at its '@')."""
    if type(stmt) in (A.FunctionDef, A.AsyncFunctionDef, A.ClassDef) and stmt.decorator_list:
        return stmt.decorator_list[0].line
    if type(stmt) is A.Invalid and stmt.start:
        return stmt.start  # the statement it replaces starts there
    return stmt.line


def _is_bare_super(node) -> bool:
    return (type(node) is A.Call and type(node.func) is A.Name and node.func.id == "super"
            and not node.args and not node.keywords)


def _dotted_parts(node):
    parts = []
    while type(node) is A.Attribute:
        parts.append(node.attr)
        node = node.value
    if type(node) is not A.Name:
        return None
    parts.append(node.id)
    parts.reverse()
    return parts


class RawCode:
    """One compiled function: its assembled code (emitbc.Assembled) and its kind."""

    __slots__ = ("scope", "code", "kind", "prelude_offset", "n_pos_args", "type_sig")

    def __init__(self, scope: S.Scope, code: E.Assembled, kind: str = "bytecode", prelude_offset=None,
                 n_pos_args: int = 0, type_sig: int = 0):
        self.scope = scope
        self.code = code
        self.kind = kind  # or "native", "viper", "asm" (py/emitglue.h MP_CODE_*)
        self.prelude_offset = prelude_offset  # native: where the prelude follows the machine code
        self.n_pos_args = n_pos_args  # asm: the argument count and return type (MP_NATIVE_TYPE_*)
        self.type_sig = type_sig

    @property
    def data(self) -> bytes:
        return self.code.data

    @property
    def child_codes(self) -> list["RawCode"]:
        return [child.raw_code for child in self.code.children]
