"""HTTP only: pages, admin pages, the JSON API, templates and static files."""
