"""Stage 3, citations: BibTeX to CSL-JSON, and formatting references."""
