"""The contact book (CRM): one contact per person, matched by e-mail or phone."""
