"""Screens and dialogs, one module each."""
