"""Stage 1, reading sources: safe files, YAML, schemas, BibTeX, front matter, the
citation markup, and the records."""
