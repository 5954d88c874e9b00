"""Turning brief text into what the terminal shows, literally."""
