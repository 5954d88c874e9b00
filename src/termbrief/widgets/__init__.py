"""Textual widgets of termbrief."""
