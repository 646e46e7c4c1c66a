"""`mpycross compile` reads its usual command lines without click (compile_tree.parse_fast).

Whatever parse_fast accepts, it must read exactly as click reads it (the
click command is built from the same OPTIONS); what it is unsure of goes to
click, and the usual forms must not (or the fast start is lost).
"""

from __future__ import annotations

import os
import subprocess
import sys

import click
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mpycross.cli.cmd_compile import compile_command
from mpycross.cli.compile_tree import OPTIONS, parse_fast


def click_params(args: list[str]) -> dict | None:
    """What click gives the command for `args`, or None if click refuses them."""
    try:
        with compile_command.make_context("compile", list(args), resilient_parsing=False) as ctx:
            return dict(ctx.params)
    except (click.exceptions.ClickException, click.exceptions.Exit):
        return None


USUAL = [
    ["lib"], ["a.py", "b.py"], ["-o", "out", "lib"], ["lib", "-o", "out"], ["-oout", "lib"],
    ["--output", "out", "lib"], ["--output=out", "lib"], ["-j", "2", "lib"], ["-j2", "lib"], ["--jobs=1", "lib"],
    ["-O", "3", "lib"], ["-O2", "lib"], ["--opt", "0", "lib"], ["--target", "circuitpython-9.2", "lib"],
    ["--target=micropython-1.22", "-o", "o", "lib"], ["-c", "1.20", "x.py"], ["-b", "6", "x.py"],
    ["--compat=1.19", "x.py"], ["--bytecode", "5", "x.py"], ["--device", "boot_out.txt", "lib"],
    ["--check", "lib"], ["--no-cache", "lib"], ["--format", "json", "lib"], ["--format=github", "lib"],
    ["--", "-odd.py"], ["-", "lib"], ["lib", "--check", "--no-cache", "-j", "1", "-O1", "--format", "text"],
    ["-o", "a", "-o", "b", "lib"], ["--check", "--check", "lib"],
]

LEFT_TO_CLICK = [
    [], ["--help"], ["-h"], ["-j", "0", "lib"], ["-O", "4", "lib"], ["-j", "x", "lib"], ["-j", " 2", "lib"],
    ["--format", "JSON", "lib"], ["--check=1", "lib"], ["--no-such", "lib"], ["-x", "lib"], ["-o"],
    ["lib", "-o"], ["-o", "--check", "lib"], ["-j", "-1", "lib"], ["--out", "o", "lib"], ["-j", "٣", "lib"],
]


@pytest.mark.parametrize("args", USUAL, ids=" ".join)
def test_usual_command_lines_are_read_without_click_as_click_reads_them(args):
    fast = parse_fast(args)
    assert fast is not None
    assert fast == click_params(args)


@pytest.mark.parametrize("args", LEFT_TO_CLICK, ids=lambda a: " ".join(a) or "(none)")
def test_anything_unsure_is_left_to_click(args):
    assert parse_fast(args) is None


NAMES = [name for option in OPTIONS for name in option.names]
TOKENS = st.one_of(
    st.sampled_from(NAMES + ["--", "-", "lib", "x.py", "out", "0", "1", "3", "4", "json", "text", "-1", "--help"]),
    st.builds(lambda n, v: f"{n}={v}", st.sampled_from(NAMES), st.sampled_from(["1", "x", "", "json", "-2"])),
    st.builds(lambda n, v: n + v, st.sampled_from([n for n in NAMES if not n.startswith("--")]),
              st.sampled_from(["1", "2", "9", "x", "=1", "-"])),
    # a real argv holds no NUL, and its only surrogates are the escapes of undecodable bytes
    st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=4),
    st.sampled_from(["\udcff.py", "\udc80", "-o\udcfe"]),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(TOKENS, max_size=7))
def test_random_command_lines_read_as_click_reads_them_or_go_to_click(args):
    fast = parse_fast(args)
    if fast is not None:
        assert fast == click_params(args)


def test_a_compile_does_not_import_click(tmp_path):
    (tmp_path / "m.py").write_text("x = 1\n")
    probe = ("import sys\nfrom mpycross.cli.toolchain import main\n"
             "try:\n    main(['compile', '-j', '1', 'm.py'])\nexcept SystemExit as stop:\n    code = stop.code\n"
             "print('click' in sys.modules, code)\n")
    env = dict(os.environ, MPYCROSS_CACHE_DIR=str(tmp_path / "cache"))
    proc = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.stdout.splitlines()[-1] == "False 0", proc.stderr
    assert (tmp_path / "m.mpy").is_file()


def test_usage_errors_found_late_are_reported_by_click(tmp_path):
    """A target that does not exist passes parse_fast; click then reports it in its words."""
    env = dict(os.environ, MPYCROSS_CACHE_DIR=str(tmp_path / "cache"))
    proc = subprocess.run([sys.executable, "-m", "mpycross", "compile", "--target", "no-such-firmware", "a.py"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2
    assert "Error: Invalid value for --target: " in proc.stderr and "Usage: mpycross compile" in proc.stderr
