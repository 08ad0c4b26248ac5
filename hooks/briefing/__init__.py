"""The briefing engine: load, validate and render a briefing, knowing nothing of MkDocs."""
