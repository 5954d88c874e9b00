"""The domain: briefs, the loader, the library, search. No Textual, no Rich."""
