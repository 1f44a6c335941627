"""The chat: visitors, the assistant and the coach; identity proven, never by name."""
