"""Promo codes: rules, atomic uses, bulk generation, CSV."""
