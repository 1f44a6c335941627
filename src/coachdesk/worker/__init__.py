"""The loop that runs due work, inside ``coachdesk run`` or alone as ``coachdesk worker``."""
