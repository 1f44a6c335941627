"""E-mail content: rendered from templates in the recipient's language at delivery time."""
