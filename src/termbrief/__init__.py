"""termbrief: a terminal reader for policy briefs."""

__version__ = "0.1.0"
