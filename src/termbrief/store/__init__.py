"""Where notes live: the notes store, its recovery, export and import."""
