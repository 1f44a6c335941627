"""Bookings, passes, payments, tickets and check-in."""
