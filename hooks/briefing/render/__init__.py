"""Rendering: a checked briefing in, Markdown pages with resolved citations and links out."""
