"""What the coach sends to create or change codes and batches."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from coachdesk.kit.days import Day
from coachdesk.kit.ids import Id
from coachdesk.models import PromoKind
from coachdesk.promo.rules import MAX_CODE_LENGTH, normalise

CODE_CHARS = re.compile(r"^[A-Z0-9_-]+$")


def _clean_code(value: str) -> str:
    code = normalise(value)
    if not code:
        raise ValueError("code_required")
    if not CODE_CHARS.match(code):
        raise ValueError("code_chars")
    return code


class _Rules(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    kind: PromoKind
    value: int = Field(0, ge=0, le=10_000_000, description="percent 1–100, or cents")
    max_uses: int | None = Field(None, ge=0, le=1_000_000)
    valid_from: Day | None = None
    valid_until: Day | None = None
    active: bool = True
    note: str = Field("", max_length=255)
    course_ids: list[Id] = Field(default_factory=list, max_length=200)
    offer_ids: list[Id] = Field(default_factory=list, max_length=200)

    @model_validator(mode="after")
    def _coherent(self) -> Self:
        if self.kind == PromoKind.percent and not 1 <= self.value <= 100:
            raise ValueError("percent_range")
        if self.kind == PromoKind.amount and self.value < 1:
            raise ValueError("amount_required")
        if self.kind == PromoKind.free:
            self.value = 0
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValueError("dates_order")
        return self


class PromoCodeIn(_Rules):
    code: str = Field(max_length=200)
    beneficiary_id: Id | None = None

    _code = field_validator("code")(_clean_code)


class PromoCodePatch(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    kind: PromoKind | None = None
    value: int | None = Field(None, ge=0, le=10_000_000)
    max_uses: int | None = Field(None, ge=0, le=1_000_000)
    valid_from: Day | None = None
    valid_until: Day | None = None
    active: bool | None = None
    note: str | None = Field(None, max_length=255)
    beneficiary_id: Id | None = None
    course_ids: list[Id] | None = Field(None, max_length=200)
    offer_ids: list[Id] | None = Field(None, max_length=200)


class BatchIn(_Rules):
    count: int = Field(ge=1, le=10_000)
    naming: Literal["random", "sequence"] = "random"
    prefix: str = Field("", max_length=16)
    random_length: int = Field(6, ge=4, le=12)
    name: str = Field("", max_length=120)
    max_uses: int | None = Field(1, ge=0, le=1_000_000)
    contact_ids: list[Id] = Field(default_factory=list, max_length=10_000)

    @field_validator("prefix")
    @classmethod
    def _prefix(cls, value: str) -> str:
        prefix = normalise(value)
        if prefix and not CODE_CHARS.match(prefix):
            raise ValueError("code_chars")
        if len(prefix) > MAX_CODE_LENGTH - 14:
            raise ValueError("prefix_too_long")
        return prefix


class PromoCodeOut(BaseModel):
    id: Id
    code: str
    kind: PromoKind
    value: int
    max_uses: int | None
    uses: int
    valid_from: date | None
    valid_until: date | None
    active: bool
    note: str
    beneficiary_email: str | None
    course_ids: list[Id]
    offer_ids: list[Id]
    batch_id: Id | None


class BatchOut(BaseModel):
    id: Id
    name: str
    prefix: str
    size: int
    codes: list[str]
