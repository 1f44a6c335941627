"""The demo studio: a silent-disco fitness class in Neuchâtel."""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.catalog.courses import create_course
from coachdesk.catalog.offers import create_offer
from coachdesk.catalog.schemas import CourseIn, OfferIn
from coachdesk.models import Course, Offer, OfferKind
from coachdesk.site import service as site_service

CONCEPT = (
    "Un casque sans fil sur les oreilles, la musique à fond dans ta tête et le silence "
    "autour : bienvenue au Silent Disco Fitness ! Une heure de cardio et de danse afro, "
    "accessible à tous les niveaux, pour transpirer en riant.\n\n"
    "Chaque séance mélange échauffement, chorégraphies simples et intervalles cardio. "
    "Les casques sont fournis et désinfectés ; viens en tenue de sport avec une bouteille "
    "d'eau."
)
TERMS = (
    "Réservation nominative. Annulation en ligne gratuite jusqu'à 12 heures avant la séance "
    "(les cours d'une carte sont recrédités) ; ensuite, la séance est due.\n\n"
    "Les casques sont prêtés pour la durée du cours et rendus à la fin. Chaque participant "
    "s'entraîne sous sa propre responsabilité et adapte l'effort à sa condition physique.\n\n"
    "Cartes et abonnements sont personnels et valables pendant la durée indiquée."
)
PLACE = {
    "location_name": "Salle du Faubourg",
    "address": "Faubourg de l'Hôpital 25, 2000 Neuchâtel",
    "maps_url": "https://maps.google.com/?q=Faubourg+de+l%27H%C3%B4pital+25+Neuch%C3%A2tel",
}
COURSES = [
    CourseIn(
        name="Silent Disco Cardio",
        weekday=2,
        start_time=time(18, 30),
        capacity=20,
        duration_minutes=60,
        description="Cardio et danse afro au casque, tous niveaux.",
        **PLACE,
    ),
    CourseIn(
        name="Silent Disco Afro Dance",
        weekday=6,
        start_time=time(18, 30),
        capacity=20,
        duration_minutes=60,
        description="Chorégraphies afro au casque, ambiance garantie.",
        **PLACE,
    ),
]
OFFERS = [
    OfferIn(
        name="Cours à l'unité",
        kind=OfferKind.single,
        price_cents=3000,
        display_order=1,
        description="Une séance, casque compris. Idéal pour découvrir.",
    ),
    OfferIn(
        name="Carte 10 cours",
        kind=OfferKind.pack,
        price_cents=15000,
        credits=10,
        validity_days=183,
        display_order=2,
        description="10 séances à utiliser en 6 mois, sur tous les cours. CHF 15.– la séance.",
    ),
    OfferIn(
        name="Abonnement 1 mois",
        kind=OfferKind.subscription,
        price_cents=10900,
        validity_days=30,
        display_order=3,
        description="Cours illimités pendant 30 jours : viens autant que tu veux.",
    ),
]
SETTINGS = {
    "app_name": "Silent Disco Fit",
    "tagline": "Cardio & afro dance au casque, à Neuchâtel",
    "concept_title": "Le concept",
    "concept_text": CONCEPT,
    "primary_color": "#ff2d95",
    "secondary_color": "#00e5ff",
    "footer_link1_label": "Instagram",
    "footer_link1_url": "https://www.instagram.com/",
    "footer_link2_label": "Conditions",
    "footer_link2_url": "/#conditions",
    "contact_email": "hello@example.ch",
    "booking_code_prefix": "SDF-",
    "terms_text": TERMS,
}


async def is_empty(session: AsyncSession) -> bool:
    courses = await session.scalar(select(func.count(Course.id))) or 0
    offers = await session.scalar(select(func.count(Offer.id))) or 0
    return courses + offers == 0


async def load_demo(session: AsyncSession, *, now: datetime, weeks: int = 4) -> None:
    await site_service.change(session, changes=SETTINGS, actor=None, now=now)
    for offer in OFFERS:
        await create_offer(session, data=offer, actor=None, now=now)
    for course in COURSES:
        await create_course(session, data=course, actor=None, now=now, weeks=weeks)
