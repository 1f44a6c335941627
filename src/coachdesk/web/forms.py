"""Reading HTML forms into the same Pydantic schemas the API uses."""

from __future__ import annotations

from typing import Any, TypeVar

from fastapi import Request
from pydantic import BaseModel, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.errors import AppError
from coachdesk.kit.validation import field_errors
from coachdesk.models import Coach

Model = TypeVar("Model", bound=BaseModel)


async def read_form(request: Request, *, lists: tuple[str, ...] = ()) -> dict[str, Any]:
    """Form fields as a dict; empty values dropped so defaults and "required" apply."""
    form = await request.form()
    data: dict[str, Any] = {}
    for key in set(form.keys()) - {"csrf_token"}:
        if key in lists:
            data[key] = [v for v in form.getlist(key) if isinstance(v, str) and v.strip()]
        else:
            value = form.get(key)
            if isinstance(value, str) and value.strip():
                data[key] = value
    for key in lists:
        data.setdefault(key, [])
    return data


def checkbox(data: dict[str, Any], *names: str) -> dict[str, Any]:
    for name in names:
        data[name] = name in data
    return data


def validate(schema: type[Model], data: dict[str, Any]) -> tuple[Model | None, dict[str, str]]:
    try:
        return schema.model_validate(data), {}
    except ValidationError as exc:
        return None, field_errors(exc.errors())


def app_error_fields(exc: AppError) -> dict[str, str]:
    return {exc.field or "__all__": exc.translated()}


async def rollback(request: Request, db: AsyncSession) -> None:
    """Undo a refused change, keeping the signed-in account loaded for the page that says
    why (a rollback expires every object of the session)."""
    coach = getattr(request.state, "coach", None)
    coach_id = coach.id if coach is not None else None
    await db.rollback()
    if coach_id is not None:
        request.state.coach = await db.get(Coach, coach_id)
