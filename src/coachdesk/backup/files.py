"""Backup files on disk: gzip-compressed when the name ends in .gz, written to a temporary
name first so that a failed backup never leaves a half file under the real name."""

from __future__ import annotations

import gzip
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO, cast

from coachdesk.backup.full import (
    BackupError,
    Header,
    Progress,
    dump,
    read_header,
    restore,
)
from coachdesk.db import make_engine


@contextmanager
def _open(path: Path, mode: str, *, compressed: bool) -> Iterator[IO[str]]:
    if compressed:
        with gzip.open(path, mode + "t", encoding="utf-8") as handle:
            yield cast(IO[str], handle)
    else:
        with path.open(mode, encoding="utf-8") as handle:
            yield handle


async def backup_to(
    url: str, path: Path, now: datetime, progress: Progress, data_dir: Path | None = None
) -> Header:
    partial = path.with_name(path.name + ".partial")
    engine = make_engine(url)
    try:
        with _open(partial, "w", compressed=path.suffix == ".gz") as out:
            header = await dump(engine, out, now, progress, data_dir)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
        await engine.dispose()
    return header


def header_of(path: Path) -> Header:
    if not path.is_file():
        raise BackupError(f"no such file: {path}")
    try:
        with _open(path, "r", compressed=path.suffix == ".gz") as lines:
            return read_header(iter(lines))
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        raise BackupError("this is not a coachdesk backup file") from exc


async def restore_from(
    url: str, path: Path, *, replace: bool, progress: Progress, data_dir: Path | None = None
) -> Header:
    header_of(path)  # a clear error before touching the database
    engine = make_engine(url)
    try:
        with _open(path, "r", compressed=path.suffix == ".gz") as lines:
            return await restore(
                engine, lines, replace=replace, progress=progress, data_dir=data_dir
            )
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        raise BackupError(
            f"the file can't be read to the end ({exc}): nothing was restored"
        ) from exc
    finally:
        await engine.dispose()
