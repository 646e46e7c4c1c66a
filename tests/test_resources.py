"""resources.load_toml: the marshal cache gives exactly what tomllib gives, and never stale data."""

from __future__ import annotations

import tomllib

import pytest

from mpycross import resources
from mpycross.resources import data_dir, load_toml


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("MPYCROSS_CACHE_DIR", str(folder))
    return folder


@pytest.mark.parametrize("path", sorted(data_dir("formats").rglob("*.toml")), ids=lambda p: p.name)
def test_same_data_as_tomllib(path, cache):
    expected = tomllib.loads(path.read_text(encoding="utf-8"))
    first = load_toml(path)  # parsed, cache written
    assert list((cache / "toml").glob(f"{path.stem}-*.marshal"))
    second = load_toml(path)  # from the cache
    assert first == expected and second == expected
    assert repr(second) == repr(expected)  # same types and key order, not only ==
    assert second is not load_toml(path)  # a fresh object each call: callers may change it


def test_changed_file_is_read_again(tmp_path, cache):
    path = tmp_path / "data.toml"
    path.write_text('a = 1\nb = [1.5, "x"]\n')
    assert load_toml(path) == {"a": 1, "b": [1.5, "x"]}
    path.write_text('a = 2\n')
    assert load_toml(path) == {"a": 2}


def test_corrupt_cache_is_ignored(tmp_path, cache):
    path = tmp_path / "data.toml"
    path.write_text('a = 1\n')
    load_toml(path)
    (cached,) = (cache / "toml").glob("data-*.marshal")
    cached.write_bytes(b"\x00garbage")
    assert load_toml(path) == {"a": 1}
    cached.write_bytes(b"")
    assert load_toml(path) == {"a": 1}


def test_dates_are_parsed_but_not_cached(tmp_path, cache):
    path = tmp_path / "dated.toml"
    path.write_text("when = 2024-01-02\n")
    assert str(load_toml(path)["when"]) == "2024-01-02"
    assert not list((cache / "toml").glob("dated-*.marshal"))


def test_no_cache_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(resources, "cache_folder", lambda: None)
    path = tmp_path / "data.toml"
    path.write_text('a = "b"\n')
    assert load_toml(path) == {"a": "b"}


def test_temp_fallback_refuses_a_folder_others_can_write(tmp_path, monkeypatch):
    """The caches are pickles: a shared temp folder must be this user's own."""
    import os
    import tempfile

    from mpycross import resources

    monkeypatch.delenv("MPYCROSS_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "file-not-dir"))
    (tmp_path / "file-not-dir").write_text("")  # the home cache cannot be made
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    planted = tmp_path / f"mpycross-{os.getuid()}"
    planted.mkdir()
    planted.chmod(0o777)
    assert resources.cache_dir() is None
    planted.chmod(0o700)
    assert resources.cache_dir() == planted


def _lengths(path):
    """A derivation for load_derived: the file's line lengths, and how often it ran."""
    _lengths.calls += 1
    with open(path, "rb") as f:
        return [len(line) for line in f.read().splitlines()]


def _widths(path):
    _lengths.calls += 1
    with open(path, "rb") as f:
        return [len(line) * 2 for line in f.read().splitlines()]


def test_derived_data_is_cached_until_its_file_or_code_changes(tmp_path, cache):
    data = tmp_path / "data.txt"
    data.write_bytes(b"a\nbcd\n")
    _lengths.calls = 0
    assert resources.load_derived("lengths", (str(data),), _lengths) == [1, 3]
    assert resources.load_derived("lengths", (str(data),), _lengths) == [1, 3]
    assert _lengths.calls == 1  # the second came from the cache
    assert list((cache / "derived").glob("lengths-*.marshal"))
    data.write_bytes(b"a\nbcdef\n")  # same size class, other bytes: never stale
    assert resources.load_derived("lengths", (str(data),), _lengths) == [1, 5]
    assert _lengths.calls == 2
    # another derivation under the same name is not served the first one's result
    assert resources.load_derived("lengths", (str(data),), _widths) == [2, 10]
    assert _lengths.calls == 3


def test_derived_data_without_a_cache_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(resources, "cache_folder", lambda: None)
    data = tmp_path / "data.txt"
    data.write_bytes(b"xy\n")
    _lengths.calls = 0
    assert resources.load_derived("lengths", (str(data),), _lengths) == [2]
    assert resources.load_derived("lengths", (str(data),), _lengths) == [2]
    assert _lengths.calls == 2 and list(tmp_path.iterdir()) == [data]
