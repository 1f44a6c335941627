"""The ``coachdesk`` command."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
import uvicorn
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk import demo, migrate
from coachdesk.app import email_sender, whatsapp_endpoints
from coachdesk.auth import service as auth_service
from coachdesk.auth import sign_in_links
from coachdesk.auth.setup import first_run
from coachdesk.backup.files import backup_to, header_of, restore_from
from coachdesk.backup.full import BackupError
from coachdesk.config import Settings, get_settings
from coachdesk.db import make_engine, make_session_factory, unit_of_work
from coachdesk.errors import AppError
from coachdesk.kit.clock import SystemClock
from coachdesk.models import CoachRole
from coachdesk.notifications import live
from coachdesk.realtime.hub import Hub
from coachdesk.worker.loop import Worker

app = typer.Typer(help="coachdesk: the studio's web platform.", no_args_is_help=True)
console = Console()
T = TypeVar("T")


def in_transaction(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    async def run() -> T:
        engine = make_engine(settings.database_url)
        try:
            async with unit_of_work(make_session_factory(engine)) as session:
                return await work(session)
        finally:
            await engine.dispose()

    return asyncio.run(run())


@app.command("migrate")
def migrate_command() -> None:
    """Apply the database migrations."""
    migrate.upgrade(get_settings().database_url)
    console.print("[green]Database up to date.[/green]")


@app.command("demo")
def demo_command(
    if_empty: Annotated[
        bool, typer.Option(help="Only when there are no courses or offers")
    ] = False,
) -> None:
    """Load the demo studio (two courses in Neuchâtel, three offers, texts and colours)."""

    async def work(session: AsyncSession) -> bool:
        if not await demo.is_empty(session):
            return False
        await demo.load_demo(session, now=SystemClock().now())
        return True

    loaded = in_transaction(get_settings(), work)
    if loaded:
        console.print("[green]Demo studio loaded.[/green]")
    elif if_empty:
        console.print("Database not empty: demo studio not loaded.")
    else:
        console.print("[yellow]The database already has courses or offers; nothing loaded.[/]")
        raise typer.Exit(1)


@app.command("create-coach")
def create_coach_command(
    email: str,
    name: Annotated[str, typer.Option()] = "",
    role: Annotated[CoachRole, typer.Option()] = CoachRole.owner,
) -> None:
    """Create an account. Password from COACHDESK_NEW_PASSWORD, or prompted."""
    password = os.environ.get("COACHDESK_NEW_PASSWORD") or typer.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )

    async def work(session: AsyncSession) -> None:
        await auth_service.create_coach(
            session, email=email, password=password, name=name, role=role, now=SystemClock().now()
        )

    try:
        in_transaction(get_settings(), work)
    except AppError as exc:
        console.print(f"[red]{exc.translated()}[/red]")
        raise typer.Exit(1) from None
    console.print(f"[green]Account {email} ({role.value}) created.[/green]")


@app.command("sign-in-link")
def sign_in_link_command(email: str) -> None:
    """Print a one-time sign-in link for this account (15 min), e.g. when no e-mail leaves."""
    settings = get_settings()

    async def work(session: AsyncSession) -> str | None:
        coach = await auth_service.active_coach(session, email=email)
        if coach is None:
            return None
        return await sign_in_links.issue(session, coach=coach, now=SystemClock().now())

    token = in_transaction(settings, work)
    if token is None:
        console.print(f"[red]No active account for {email}.[/red]")
        raise typer.Exit(1)
    console.print(f"{settings.public_url()}/coach/sign-in/{token}")


def announce_first_run(settings: Settings, port: int | None = None) -> None:
    password = settings.admin_password.get_secret_value() if settings.admin_password else None

    async def work(session: AsyncSession) -> str | None:
        return await first_run(
            session,
            admin_email=settings.admin_email,
            admin_password=password,
            now=SystemClock().now(),
        )

    token = in_transaction(settings, work)
    if token:
        link = f"{settings.public_url(port)}/coach/setup/{token}"
        console.rule("[bold]No coach account yet")
        console.print(f"Create the owner account (link valid 24 h, usable once):\n  {link}")
        console.rule()


HTTP_PROTOCOL = "coachdesk.web.connections:GuardedHttpTools"  # a deadline for headers


def forwarding(settings: Settings) -> dict[str, Any]:
    """X-Forwarded-For / -Proto are believed only from the proxies the deployment names:
    anyone else could reset every per-address limit by sending the header."""
    proxies = [p.strip() for p in settings.trusted_proxies.split(",") if p.strip()]
    if not proxies:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": proxies}


@app.command("run")
def run_command(
    host: Annotated[str | None, typer.Option()] = None,
    port: Annotated[int | None, typer.Option()] = None,
    workers: Annotated[int, typer.Option(help="Web processes (use PostgreSQL for > 1)")] = 1,
) -> None:
    """Migrate, then serve the app (with the worker embedded unless disabled)."""
    settings = get_settings()
    migrate.upgrade(settings.database_url)
    announce_first_run(settings, port)
    uvicorn.run(
        "coachdesk.asgi:app",
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        log_level=settings.log_level,
        http=HTTP_PROTOCOL,
        timeout_keep_alive=settings.keep_alive_timeout,
        **forwarding(settings),
    )


@app.command("backup")
def backup_command(
    file: Annotated[Path, typer.Argument(help="Where to write it (.gz: compressed)")],
) -> None:
    """Write everything in the database to FILE (restore it with `coachdesk restore`)."""
    settings = get_settings()
    with _progress("Backup") as progress:
        now = SystemClock().now()
        header = asyncio.run(
            backup_to(settings.database_url, file, now, progress, settings.data_dir)
        )
    console.print(f"[green]{sum(header.tables.values())} rows written to {file}.[/green]")


@app.command("restore")
def restore_command(
    file: Annotated[Path, typer.Argument(help="A file written by `coachdesk backup`")],
    replace: Annotated[bool, typer.Option(help="Delete everything in the database first")] = False,
) -> None:
    """Put everything from FILE back into the (migrated, empty) database."""
    settings = get_settings()
    migrate.upgrade(settings.database_url)
    try:
        header = header_of(file)
        total = sum(header.tables.values()) + header.files
        with _progress("Restore", total=total) as progress:
            asyncio.run(
                restore_from(
                    settings.database_url,
                    file,
                    replace=replace,
                    progress=progress,
                    data_dir=settings.data_dir,
                )
            )
    except BackupError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    console.print(f"[green]{sum(header.tables.values())} rows restored from {file}.[/green]")


@contextlib.contextmanager
def _progress(label: str, total: int | None = None) -> Iterator[Callable[[str, int], None]]:
    """A progress bar (rows done, the table being read or written)."""
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console
    ) as bar:
        task = bar.add_task(label, total=total)

        def advance(table: str, rows: int) -> None:
            bar.update(task, advance=rows, description=f"{label}: {table}")

        yield advance


@app.command("worker")
def worker_command() -> None:
    """Run only the worker loop (due work), e.g. next to several web processes."""
    settings = get_settings()
    engine = make_engine(settings.database_url)
    hub = Hub(settings.redis_url)
    worker = Worker(
        make_session_factory(engine, info={live.HUB: hub}),
        SystemClock(),
        settings.worker_interval_seconds,
        email=email_sender(settings),
        base_url=settings.public_url(),
        secret=settings.resolved_secret(),
        campaign_per_minute=settings.campaign_emails_per_minute,
        data_dir=settings.data_dir,
        push_contact=f"mailto:{settings.mail_from}",
        whatsapp=whatsapp_endpoints(settings),
        hub=hub,
    )
    console.print("Worker running. Ctrl-C to stop.")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(worker.run_forever())


def main() -> None:
    app()
