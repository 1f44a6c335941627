"""Promo codes as CSV: export, and import with a preview and per-row errors.

The columns round-trip: a file exported here imports back to the same codes (courses and
offers by name, the beneficiary by e-mail, the batch by name, uses included).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.audit.service import record
from coachdesk.contacts.matching import Identity, match_or_create
from coachdesk.errors import Invalid
from coachdesk.kit.i18n import N_, gettext
from coachdesk.kit.money import cents_to_decimal_text, parse_amount
from coachdesk.kit.spreadsheet import cell, uncell
from coachdesk.kit.validation import field_errors
from coachdesk.models import Coach, Course, Offer, PromoBatch, PromoCode, PromoKind
from coachdesk.promo.schemas import PromoCodeIn

HEADER = [
    "code",
    "type",
    "valeur",
    "utilisations max",
    "utilisations",
    "valable dès",
    "valable jusqu'au",
    "actif",
    "bénéficiaire",
    "cours",
    "offres",
    "lot",
    "note",
]
MAX_BYTES = 3 * 1024 * 1024
MAX_ROWS = 10_000
YES, NO = {"oui", "yes", "ja", "1", "true", "vrai"}, {"non", "no", "nein", "0", "false", "faux"}
BAD_FILE = N_("Fichier illisible : utilisez le CSV exporté par coachdesk (UTF-8).")
MISSING_COLUMNS = N_("Colonnes manquantes : %(columns)s.")
TOO_MANY_ROWS = N_("Fichier trop grand : %(max)s lignes au plus.")
ROWS_INVALID = N_("%(count)s ligne(s) contiennent des erreurs : rien n'a été importé.")


def _text(value: date | None) -> str:
    return value.isoformat() if value else ""


def export(codes: list[PromoCode]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    for c in codes:
        value = (
            ""
            if c.kind == PromoKind.free
            else str(c.value)
            if c.kind == PromoKind.percent
            else cents_to_decimal_text(c.value)
        )
        writer.writerow(
            cell(v)  # a note or a name typed like a formula stays text (read back by uncell)
            for v in [
                c.code,
                c.kind.value,
                value,
                "" if c.max_uses is None else c.max_uses,
                c.uses,
                _text(c.valid_from),
                _text(c.valid_until),
                "oui" if c.active else "non",
                c.beneficiary.email if c.beneficiary else "",
                "|".join(sorted(x.name for x in c.courses)),
                "|".join(sorted(x.name for x in c.offers)),
                c.batch.name if c.batch else "",
                c.note,
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


@dataclass
class Row:
    line: int
    code: str
    errors: list[str] = field(default_factory=list)
    data: PromoCodeIn | None = None
    uses: int = 0
    beneficiary: str = ""
    batch: str = ""


def read(content: bytes) -> list[dict[str, str]]:
    if len(content) > MAX_BYTES:
        raise Invalid(TOO_MANY_ROWS, code="file_too_big", max=MAX_ROWS)
    try:
        text = content.decode("utf-8-sig")
        # only the separator is guessed; quotes are read the standard way ("" inside "…")
        delimiter = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=";,").delimiter
        rows = list(csv.DictReader(io.StringIO(text), delimiter=delimiter))
    except (UnicodeDecodeError, csv.Error):
        raise Invalid(BAD_FILE, code="bad_file") from None
    columns = {c.strip().lower() for c in (rows[0].keys() if rows else [])}
    missing = [c for c in ("code", "type", "valeur") if c not in columns]
    if missing:
        raise Invalid(MISSING_COLUMNS, code="missing_columns", columns=", ".join(missing))
    if len(rows) > MAX_ROWS:
        raise Invalid(TOO_MANY_ROWS, code="too_many_rows", max=MAX_ROWS)
    return [
        {(k or "").strip().lower(): uncell(v.strip()) for k, v in r.items() if isinstance(v, str)}
        for r in rows
    ]


def _day(text: str) -> date | None:
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _value(kind: str, text: str) -> int:
    if kind == PromoKind.amount:
        return parse_amount(text)
    return int(text) if text else 0


class Lookup:
    """Names and e-mails of the file, resolved once."""

    def __init__(self, courses: list[Course], offers: list[Offer], taken: set[str]) -> None:
        self.courses = _by_name(courses)
        self.offers = _by_name(offers)
        self.taken = taken


def _by_name(items: list[Any]) -> dict[str, int | None]:
    found: dict[str, int | None] = {}
    for item in items:  # two with the same name: ambiguous (None)
        found[item.name.lower()] = None if item.name.lower() in found else item.id
    return found


def _ids(names: str, known: dict[str, int | None], message: str, errors: list[str]) -> list[int]:
    ids = []
    for name in filter(None, (n.strip() for n in names.split("|"))):
        found = known.get(name.lower())
        if found is None:
            errors.append(gettext(message, name=name))
        else:
            ids.append(found)
    return ids


def check_row(line: int, raw: dict[str, str], lookup: Lookup, seen: set[str]) -> Row:
    row = Row(
        line=line,
        code=raw.get("code", ""),
        beneficiary=raw.get("bénéficiaire", ""),
        batch=raw.get("lot", ""),
    )
    kind = raw.get("type", "").lower()
    fields: dict[str, Any] = {"code": row.code, "kind": kind, "note": raw.get("note", "")}
    try:
        fields["value"] = _value(kind, raw.get("valeur", ""))
        fields["max_uses"] = int(m) if (m := raw.get("utilisations max", "")) else None
        row.uses = int(raw.get("utilisations", "") or 0)
        fields["valid_from"] = _day(raw.get("valable dès", ""))
        fields["valid_until"] = _day(raw.get("valable jusqu'au", ""))
    except ValueError:
        row.errors.append(gettext(N_("Nombre ou date illisible (dates : AAAA-MM-JJ).")))
        return row
    active = raw.get("actif", "oui").lower() or "oui"
    if active not in YES | NO:
        row.errors.append(gettext(N_("Colonne « actif » : oui ou non.")))
    fields["active"] = active in YES
    fields["course_ids"] = _ids(
        raw.get("cours", ""), lookup.courses, N_("Cours inconnu : %(name)s."), row.errors
    )
    fields["offer_ids"] = _ids(
        raw.get("offres", ""), lookup.offers, N_("Offre inconnue : %(name)s."), row.errors
    )
    try:
        row.data = PromoCodeIn.model_validate(fields)
    except ValidationError as exc:
        row.errors.extend(field_errors(exc.errors()).values())
        return row
    if row.data.code in lookup.taken or row.data.code in seen:
        row.errors.append(gettext(N_("Ce code existe déjà.")))
    if row.data.max_uses is not None and row.uses > row.data.max_uses:
        row.errors.append(gettext(N_("Plus d'utilisations que le maximum.")))
    seen.add(row.data.code)
    return row


async def preview(session: AsyncSession, content: bytes) -> list[Row]:
    raws = read(content)
    codes = {"".join(r.get("code", "").split()).upper() for r in raws}
    taken = set(await session.scalars(select(PromoCode.code).where(PromoCode.code.in_(codes))))
    lookup = Lookup(
        list(await session.scalars(select(Course))),
        list(await session.scalars(select(Offer))),
        taken,
    )
    seen: set[str] = set()
    rows = [check_row(n, raw, lookup, seen) for n, raw in enumerate(raws, start=2)]
    for row in rows:
        if row.beneficiary and not row.errors:
            try:
                Identity.parse(name="", email=row.beneficiary, phone="", language="fr")
            except Invalid as exc:
                row.errors.append(exc.translated())
    return rows


async def import_rows(
    session: AsyncSession, *, rows: list[Row], skip_invalid: bool, actor: Coach, now: datetime
) -> int:
    """All rows, or (when the coach chose it) the valid ones only; nothing if any row is
    wrong and ``skip_invalid`` is off."""
    bad = [r for r in rows if r.errors]
    if bad and not skip_invalid:
        raise Invalid(ROWS_INVALID, code="rows_invalid", count=len(bad))
    good = [r for r in rows if not r.errors and r.data is not None]
    batches: dict[str, PromoBatch] = {}
    courses = {c.id: c for c in await session.scalars(select(Course))}
    offers = {o.id: o for o in await session.scalars(select(Offer))}
    for row in good:
        assert row.data is not None
        code = PromoCode(
            **row.data.model_dump(exclude={"course_ids", "offer_ids"}),
            uses=row.uses,
            created_at=now,
            updated_at=now,
        )
        code.courses = [courses[i] for i in row.data.course_ids]
        code.offers = [offers[i] for i in row.data.offer_ids]
        code.beneficiary_id = await _beneficiary(session, row.beneficiary, now)
        code.batch_id = (await _batch(session, batches, row.batch, now)).id if row.batch else None
        session.add(code)
    await session.flush()
    await record(
        session,
        actor=actor,
        action="promo.imported",
        now=now,
        data={"imported": len(good), "skipped": len(bad)},
    )
    return len(good)


async def _beneficiary(session: AsyncSession, email: str, now: datetime) -> int | None:
    if not email:
        return None
    identity = Identity.parse(name="", email=email, phone="", language="fr")
    return (await match_or_create(session, identity=identity, source="import", now=now)).id


async def _batch(
    session: AsyncSession, known: dict[str, PromoBatch], name: str, now: datetime
) -> PromoBatch:
    if name not in known:
        existing = await session.scalar(select(PromoBatch).where(PromoBatch.name == name))
        known[name] = existing or PromoBatch(name=name, size=0, created_at=now)
        session.add(known[name])
        await session.flush()
    known[name].size += 1
    return known[name]
