"""Everything in the database as one file, and back: a header line, then one JSON line per
row, table by table (parents first). Written from one consistent snapshot; restored in one
transaction, so a broken file changes nothing. SQLite and PostgreSQL read each other's."""

from __future__ import annotations

import base64
import functools
import json
import re
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import IO, Any

from alembic.script import ScriptDirectory
from sqlalchemy import Column, Table, delete, func, insert, select, text, update
from sqlalchemy import types as sqltypes
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

import coachdesk.models  # noqa: F401 — every table registered
from coachdesk.db import Base
from coachdesk.migrate import alembic_config

FORMAT = "coachdesk-backup"
KEPT_FILES = re.compile(r"^(media/[0-9a-f]{24}\.(webp|png)|vapid_private\.pem)$")
VERSION = 1
BATCH = 1000

Progress = Callable[[str, int], None]  # (table, rows just done)


class BackupError(Exception):
    """The file can't be restored here; the message says why. Nothing was changed."""


@dataclass
class Header:
    schema: str
    tables: dict[str, int]
    created_at: str = ""
    files: int = 0  # files of the data folder kept with the rows (uploaded images, push keys)
    format: str = FORMAT
    version: int = VERSION

    def line(self) -> str:
        return json.dumps(self.__dict__, sort_keys=True)


def tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)  # parents before the rows that point to them


def schema_head() -> str:
    """The schema revision this version of coachdesk writes and reads."""
    head = ScriptDirectory.from_config(alembic_config("")).get_current_head()
    return head or ""


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.name
    if isinstance(value, bytes):
        return {"base64": base64.b64encode(value).decode()}
    if isinstance(value, Decimal):
        return str(value)
    return value


def _decoder(column: Column[Any]) -> Callable[[Any], Any]:
    kind = column.type
    if isinstance(kind, sqltypes.TypeDecorator):
        kind = kind.impl_instance
    if isinstance(kind, sqltypes.DateTime):
        return datetime.fromisoformat
    if isinstance(kind, sqltypes.Date):
        return date.fromisoformat
    if isinstance(kind, sqltypes.Time):
        return time.fromisoformat
    if isinstance(kind, sqltypes.LargeBinary):
        return lambda value: base64.b64decode(value["base64"])
    return lambda value: value


async def _revision(connection: AsyncConnection) -> str:
    try:
        found = await connection.scalar(text("SELECT version_num FROM alembic_version"))
    except Exception as exc:  # no migrations table: not a coachdesk database
        raise BackupError("the database is not migrated: run `coachdesk migrate` first") from exc
    return str(found or "")


def data_files(data_dir: Path | None) -> list[str]:
    """The data folder's files that belong with the rows (names relative to it)."""
    if data_dir is None or not data_dir.is_dir():
        return []
    found = [p.relative_to(data_dir).as_posix() for p in data_dir.rglob("*") if p.is_file()]
    return sorted(name for name in found if KEPT_FILES.match(name))


async def dump(
    engine: AsyncEngine,
    out: IO[str],
    now: datetime,
    progress: Progress,
    data_dir: Path | None = None,
) -> Header:
    """Writes every row of every table, then the data folder's files that go with them
    (uploaded images, the push keys); returns the header (counts)."""
    async with engine.connect() as connection, _snapshot(connection):
        counts = {
            table.name: int(await connection.scalar(select(func.count()).select_from(table)) or 0)
            for table in tables()
        }
        files = data_files(data_dir)
        header = Header(await _revision(connection), counts, now.isoformat(), len(files))
        out.write(header.line() + "\n")
        for table in tables():
            await _dump_table(connection, table, out, progress)
    for name in files:
        assert data_dir is not None
        data = base64.b64encode((data_dir / name).read_bytes()).decode()
        out.write(json.dumps({"f": name, "b": data}) + "\n")
        progress("files", 1)
    return header


@asynccontextmanager
async def _snapshot(connection: AsyncConnection) -> AsyncIterator[None]:
    """One read transaction for the whole file, so that rows written meanwhile are in
    neither the counts nor the rows. PostgreSQL: REPEATABLE READ. SQLite's driver starts a
    transaction only before a write, so the read transaction is opened by hand (WAL keeps
    its snapshot while others write)."""
    if connection.dialect.name == "sqlite":
        await connection.exec_driver_sql("BEGIN")
        try:
            yield
        finally:
            await connection.rollback()
        return
    await connection.execution_options(isolation_level="REPEATABLE READ")
    async with connection.begin():
        yield


async def _dump_table(
    connection: AsyncConnection, table: Table, out: IO[str], progress: Progress
) -> None:
    names = [column.name for column in table.columns]
    rows = await connection.stream(select(table).order_by(*table.primary_key.columns))
    done = 0
    async for row in rows:
        values = {name: _encode(value) for name, value in zip(names, row, strict=True)}
        out.write(json.dumps({"t": table.name, "r": values}, ensure_ascii=False) + "\n")
        done += 1
        if done % BATCH == 0:
            progress(table.name, BATCH)
    progress(table.name, done % BATCH)


def read_header(lines: Iterator[str]) -> Header:
    try:
        data = json.loads(next(lines))
        if data.get("format") != FORMAT:
            raise ValueError
        header = Header(**data)
    except (StopIteration, ValueError, TypeError) as exc:
        raise BackupError("this is not a coachdesk backup file") from exc
    if header.version != VERSION or header.schema != schema_head():
        raise BackupError(
            f"this backup was made by another version of coachdesk (schema {header.schema}); "
            f"this one reads schema {schema_head()}"
        )
    return header


@dataclass
class _Loader:
    """Rows arriving table by table, inserted in batches; a contact merged into a later
    one gets its link once all contacts are in."""

    connection: AsyncConnection
    progress: Progress
    decoders: dict[str, dict[str, Callable[[Any], Any]]] = field(default_factory=dict)
    pending: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    links: list[tuple[Table, Any, dict[str, Any]]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    async def add(self, name: str, values: dict[str, Any]) -> None:
        table = Base.metadata.tables.get(name)
        if table is None:
            raise BackupError(f"unknown table {name!r}: made by another version")
        decoders = self.decoders.setdefault(
            name, {column.name: _decoder(column) for column in table.columns}
        )
        unknown = set(values) - set(decoders)
        if unknown:
            raise BackupError(f"unknown column {sorted(unknown)[0]!r} in {name!r}")
        row = {key: None if v is None else decoders[key](v) for key, v in values.items()}
        self._defer_self_links(table, row)
        batch = self.pending.setdefault(name, [])
        batch.append(row)
        if len(batch) >= BATCH:
            await self.flush(name)

    def _defer_self_links(self, table: Table, row: dict[str, Any]) -> None:
        for column in _self_links(table):
            if row.get(column.name) is not None:
                keys = {key.name: row[key.name] for key in table.primary_key.columns}
                self.links.append((table, keys, {column.name: row[column.name]}))
                row[column.name] = None

    async def flush(self, name: str) -> None:
        batch = self.pending.pop(name, [])
        if batch:
            await self.connection.execute(insert(Base.metadata.tables[name]), batch)
            self.counts[name] = self.counts.get(name, 0) + len(batch)
            self.progress(name, len(batch))

    async def finish(self) -> None:
        for name in list(self.pending):
            await self.flush(name)
        for table, keys, values in self.links:
            where = [table.c[key] == value for key, value in keys.items()]
            await self.connection.execute(update(table).where(*where).values(values))


@functools.cache
def _self_links(table: Table) -> tuple[Column[Any], ...]:
    """Columns pointing to the same table (a contact merged into another)."""
    return tuple(c for c in table.columns if any(fk.column.table is table for fk in c.foreign_keys))


async def restore(
    engine: AsyncEngine,
    lines: Iterable[str],
    *,
    replace: bool,
    progress: Progress,
    data_dir: Path | None = None,
) -> Header:
    """Puts every row back, in one transaction, then the files into ``data_dir``. An empty
    database is required unless ``replace`` (then everything in it is deleted first)."""
    stream = iter(lines)
    header = read_header(stream)
    try:
        files = await _put_back(engine, stream, header, replace=replace, progress=progress)
    except IntegrityError as exc:
        raise BackupError(
            "the file is inconsistent (rows point to rows it does not hold): nothing was restored"
        ) from exc
    if data_dir is not None:
        for name, data in files.items():
            target = data_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + ".partial")
            partial.write_bytes(data)
            partial.replace(target)
            progress("files", 1)
    return header


async def _put_back(
    engine: AsyncEngine,
    stream: Iterator[str],
    header: Header,
    *,
    replace: bool,
    progress: Progress,
) -> dict[str, bytes]:
    """Every row in one transaction; returns the files to write once it is committed."""
    files: dict[str, bytes] = {}
    async with engine.begin() as connection:
        if await _revision(connection) != header.schema:
            raise BackupError("the database is at another schema: run `coachdesk migrate` first")
        await _make_room(connection, replace)
        loader = _Loader(connection, progress)
        current = ""
        for number, line in enumerate(stream, start=2):
            try:
                item = json.loads(line)
                if "f" in item:
                    files[_kept_name(item["f"])] = base64.b64decode(item["b"], validate=True)
                    continue
                name, values = item["t"], item["r"]
            except (ValueError, KeyError, TypeError) as exc:
                raise BackupError(f"line {number} is damaged: nothing was restored") from exc
            if name != current and current:
                await loader.flush(current)
            current = name
            await loader.add(name, values)
        await loader.finish()
        if loader.counts != {k: v for k, v in header.tables.items() if v}:
            raise BackupError("the file is incomplete (row counts differ): nothing was restored")
        if len(files) != header.files:
            raise BackupError("the file is incomplete (files missing): nothing was restored")
        await _advance_sequences(connection)
    return files


def _kept_name(name: str) -> str:
    if not isinstance(name, str) or not KEPT_FILES.match(name):
        raise ValueError(name)  # never a path outside the data folder
    return name


async def _make_room(connection: AsyncConnection, replace: bool) -> None:
    for table in reversed(tables()):
        if replace:
            await connection.execute(delete(table))
        elif await connection.scalar(select(func.count()).select_from(table)):
            raise BackupError(
                "the database is not empty: restore into a new one, or pass --replace"
            )


async def _advance_sequences(connection: AsyncConnection) -> None:
    """PostgreSQL hands out ids from sequences: move them past the restored rows."""
    if connection.dialect.name != "postgresql":
        return
    for table in tables():
        keys = list(table.primary_key.columns)
        if len(keys) == 1 and keys[0].name == "id" and isinstance(keys[0].type, sqltypes.Integer):
            highest = select(func.max(keys[0])).scalar_subquery()
            sequence = func.pg_get_serial_sequence(table.name, "id")
            await connection.execute(
                select(func.setval(sequence, func.coalesce(highest, 0) + 1, False))
            )
