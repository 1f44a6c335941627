"""``python -m coachdesk`` is the ``coachdesk`` command."""

from coachdesk.cli import main

main()
