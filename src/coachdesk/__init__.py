"""coachdesk: the web platform of an independent coach."""

__version__ = "0.1.0"
