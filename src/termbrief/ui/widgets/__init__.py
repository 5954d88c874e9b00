"""Reusable widgets that know no screens."""
