"""The studio's own settings (appearance, content, scheduling) that the coach edits."""
