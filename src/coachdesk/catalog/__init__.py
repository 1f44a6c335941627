"""Courses, their dated sessions, and the offers people buy."""
