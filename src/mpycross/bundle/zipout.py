"""Reproducible zip files and the sha256 manifest.

The same entries always give the same bytes: entries sorted by name, one
timestamp for all (SOURCE_DATE_EPOCH when set, else 1980-01-01, the
earliest a zip can hold), Unix permissions 0644, no directory entries, no
extra fields, deflate level 9. (The deflated bytes are those of the
Python's zlib; one zlib version gives one output.)
"""

from __future__ import annotations

import hashlib
import io
import os
import time
import zipfile

ZIP_EPOCH = 315532800  # 1980-01-01T00:00:00Z: zip timestamps start there


def source_date_epoch() -> int:
    """SOURCE_DATE_EPOCH (reproducible-builds.org) or the zip epoch."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    try:
        return max(int(value), ZIP_EPOCH) if value else ZIP_EPOCH
    except ValueError:
        return ZIP_EPOCH


def zip_bytes(entries: dict[str, bytes], epoch: int | None = None, comment: bytes = b"") -> bytes:
    """A zip holding entries (name -> bytes), byte-for-byte reproducible."""
    stamp = time.gmtime(max(epoch if epoch is not None else source_date_epoch(), ZIP_EPOCH))[:6]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = 3                      # Unix, so external_attr holds a mode
            info.external_attr = (0o100644 << 16)       # regular file, rw-r--r--
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, entries[name], compresslevel=9)
        z.comment = comment
    return buf.getvalue()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest_text(outputs: dict[str, bytes]) -> str:
    """`sha256sum` format: "<hex>  <name>" per output, sorted by name."""
    return "".join(f"{sha256(outputs[name])}  {name}\n" for name in sorted(outputs))

