"""Textual screens of termbrief."""
