"""The panes of the brief screen, one module each."""
