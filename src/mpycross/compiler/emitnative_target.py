"""Which native code a compile may emit: the -march chosen (or the release's
default), which decorators the release's mpy-cross knows, and which
architectures this compiler has an encoder for.

The rules are mpy-cross's, as data: `formats/targets.toml` features say which
release has which decorator and whether its mpy-cross defaults to the host's
architecture; `ENCODERS` lists the architectures built here. Nothing about
a release is decided inside the emitter.
"""

from __future__ import annotations

from mpycross.errors import MpyCrossError

# py/emitglue.h / mpy-cross: MP_EMIT_OPT_*
EMIT_NONE, EMIT_BYTECODE, EMIT_NATIVE, EMIT_VIPER, EMIT_ASM = range(5)
EMIT_BY_NAME = {"bytecode": EMIT_BYTECODE, "native": EMIT_NATIVE, "viper": EMIT_VIPER}

# py/compile.c emit_native_table / emit_asm_table (1.29): architectures with a native
# emitter, and those with an inline assembler
NATIVE_TABLE = frozenset({"x86", "x64", "armv6", "armv6m", "armv7m", "armv7em", "armv7emsp", "armv7emdp",
                          "xtensa", "xtensawin", "rv32imc", "debug"})
ASM_TABLE = frozenset({"armv6", "armv6m", "armv7m", "armv7em", "armv7emsp", "armv7emdp",
                       "xtensa", "xtensawin", "rv32imc"})

# the targets.toml feature of the releases whose emit_asm_table has an entry for the -march (before:
# NULL, "invalid arch")
ASM_ARCH_FEATURE = {"rv32imc": "asm_rv32_decorator", "xtensawin": "inline_xtensawin"}

# mpy-cross/main.c -march-flags=: the named flags each architecture accepts (py/asmrv32.h RV32_EXT_*)
ARCH_FLAGS = {"rv32imc": {"zba": 1, "zcmp": 2}}
# the targets.toml feature of the releases that accept a flag (the others: march_flags_option)
ARCH_FLAG_FEATURE = {"zcmp": "march_flag_zcmp"}

THUMB = ("armv6m", "armv7m", "armv7em", "armv7emsp", "armv7emdp")


# -march -> (encoder module, class): one module per architecture, imported when first used
ENCODER_CLASSES = {
    "x86": ("asm_x86", "AsmX86"), "x64": ("asm_x64", "AsmX64"), "armv6": ("asm_arm", "AsmArm"),
    **{arch: ("asm_thumb", "AsmThumb") for arch in THUMB},
    "xtensa": ("asm_xtensa", "AsmXtensa"), "xtensawin": ("asm_xtensa", "AsmXtensaWin"),
    "rv32imc": ("asm_rv32", "AsmRV32"), "debug": ("asm_debug", "AsmDebug"),
}
ENCODERS = tuple(ENCODER_CLASSES)  # the architectures this compiler emits native code for

# -march -> the targets.toml feature naming the releases whose native code for it is emitted
# (measured byte-identical to the official compilers; the others are refused)
ARCH_EMITTER_FEATURE = {
    "x86": "native_emitter_x86", "x64": "native_emitter_x64", "armv6": "native_emitter_arm",
    **{arch: "native_emitter_thumb" for arch in THUMB},
    "xtensa": "native_emitter_xtensa_v5", "xtensawin": "native_emitter_xtensawin_v5",
    "rv32imc": "native_emitter_rv32", "debug": "native_emitter_debug",
}


def _encoder(arch: str, arch_flags: int, shared: dict):
    """A new assembler for `arch`; `shared` is what the assemblers keep between the
    functions of one module (asmbase.AsmBase.for_compile)."""
    import importlib

    module, name = ENCODER_CLASSES[arch]
    cls = getattr(importlib.import_module(f".{module}", __package__), name)
    asm = cls.for_compile(arch, arch_flags, shared)
    asm.rules = shared.get("rules")
    return asm


# the architectures whose inline assembler is built (emitinline_thumb, _xtensa, _rv32), with the
# targets.toml feature of the releases it is built for
INLINE_ENCODERS = ("armv6", *THUMB, "xtensa", "xtensawin", "rv32imc")
INLINE_FEATURE = {"xtensa": "inline_xtensa_emitter", "xtensawin": "inline_xtensa_emitter",
                  "rv32imc": "inline_rv32_emitter"}


class NativeUnsupported(MpyCrossError):
    """Native code this compiler cannot emit yet (an architecture or a release)."""


def host_arch() -> str | None:
    """mpy-cross/main.c -march=host: the architecture of the machine compiling."""
    import platform  # only -march=host asks; importing it costs ~1.5 ms of every start

    machine = platform.machine().lower()
    if machine in ("x86_64", "amd64"):
        return "x64"
    if machine in ("i386", "i686", "x86"):
        return "x86"
    if machine.startswith("arm") and not machine.startswith("arm64"):
        return "armv6"
    if machine == "riscv64":
        return "rv64imc"
    return None


class NativeTarget:
    """The native-code plan of one compile."""

    def __init__(self, target, arch: str | None, default_emit: str = "bytecode", arch_flags: int = 0,
                 listing=None):
        self.target = target
        self.arch_flags = arch_flags  # -march-flags= (rv32imc: RV32_EXT_ZBA | RV32_EXT_ZCMP)
        # assembler state kept across the module's functions; "listing": where -march=debug
        # writes its text (a callable taking each line, or None)
        self.shared: dict = {"listing": listing}
        if arch == "host":
            arch = host_arch()
        if arch is None and target.has("native_emitters") and not target.has("native_arch_required"):
            # mpy-cross 1.11 .. 1.19 default to the host's architecture (an x86-64 build: x64)
            arch = "x64"
            self.arch_is_default = True
        else:
            self.arch_is_default = False
        self.arch = arch
        self.default_emit = EMIT_BY_NAME[default_emit]

    @property
    def rules(self) -> frozenset:
        """What the release's py/emitnative.c does differently (emitnative.RULES, as targets.toml
        features); read when native code is emitted, so a bytecode compile never imports emitnative."""
        rules = self.shared.get("rules")
        if rules is None:
            from .emitnative import RULES

            rules = self.shared["rules"] = frozenset(rule for rule in RULES if self.target.has(rule))
        return rules

    def decorator_emitter(self, attr: str) -> int | None:
        """The emitter `@micropython.<attr>` selects in this release, None if unknown."""
        if not self.target.has("native_emitters"):
            return None  # mpy-cross before 1.11 is built without native emitters
        if attr == "native":
            return EMIT_NATIVE
        if attr == "viper":
            return EMIT_VIPER
        if attr in ("asm_thumb", "asm_xtensa") or (attr == "asm_rv32" and self.target.has("asm_rv32_decorator")):
            return EMIT_ASM
        return None

    def arch_accepts(self, emit: int) -> bool:
        if emit == EMIT_ASM:
            feature = ASM_ARCH_FEATURE.get(self.arch)
            return self.arch in ASM_TABLE and (feature is None or self.target.has(feature))
        return self.arch in NATIVE_TABLE

    def asm_table_overrun(self) -> bool:
        """compile.c reads emit_asm_table past its end for -march=debug; from 1.27 (DEBUG is 13)
        the official mpy-cross crashes there (1.24 - 1.26 happen to read NULL: "invalid arch")."""
        return self.arch == "debug" and self.target.has("inline_asm_debug_crashes")

    def require_emitter(self, what: str) -> None:
        """Raise NativeUnsupported unless native code for this release and arch is built."""
        arch = f"-march={self.arch}" + (", the default of its mpy-cross" if self.arch_is_default else "")
        if self.arch not in ENCODERS:
            raise NativeUnsupported(f"{what}: native code for {arch} is not supported yet; "
                                    f"supported: {', '.join('-march=' + a for a in ENCODERS)}")
        feature = ARCH_EMITTER_FEATURE[self.arch]
        if self.target.family != "micropython":
            # no CircuitPython compiler's native code has been compared yet
            raise NativeUnsupported(f"{what}: native code for {self.target.display_name} ({arch}) "
                                    "is not supported yet; supported: MicroPython")
        if not self.target.has(feature):
            from mpycross.targets import feature_names

            raise NativeUnsupported(f"{what}: native code for {self.target.display_name} ({arch}) "
                                    f"is not supported yet; supported: {feature_names()[feature]}")

    def require_inline_asm(self, what: str) -> None:
        """Raise NativeUnsupported unless this compiler assembles inline code for this release and arch."""
        arch = f"-march={self.arch}" + (", the default of its mpy-cross" if self.arch_is_default else "")
        if self.arch not in INLINE_ENCODERS:
            raise NativeUnsupported(f"{what}: inline assembler for {arch} is not supported yet; "
                                    f"supported: {', '.join('-march=' + a for a in INLINE_ENCODERS)}")
        feature = INLINE_FEATURE.get(self.arch, "inline_thumb_emitter")
        if not self.target.has(feature):
            from mpycross.targets import feature_names

            raise NativeUnsupported(f"{what}: inline assembler for {self.target.display_name} ({arch}) "
                                    f"is not supported yet; supported: {feature_names()[feature]}")

    def arch_number(self) -> int:
        from mpycross.mpy.model import NATIVE_ARCHS

        # before 1.27 the enum has no MP_NATIVE_ARCH_RV64IMC: DEBUG, the last, is one lower
        archs = [a for a in NATIVE_ARCHS if a != "rv64imc" or self.target.has("native_arch_rv64imc")]
        return archs.index(self.arch) if self.arch in archs else 0

    def assemble(self, recorder, viper: bool):
        """Machine code (+ prelude), prelude offset and the emitter (.mpy v5: its constant
        objects and qstr links) of a recorded native scope."""
        from mpycross.mpy.reader import FUN_TABLE

        from .emitnative import assemble_native

        data, prelude_offset, emitter = assemble_native(
            recorder, lambda: _encoder(self.arch, self.arch_flags, self.shared), FUN_TABLE, viper, self.rules)
        return data, prelude_offset, emitter
