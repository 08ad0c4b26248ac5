"""Stage 2, checks: what the records must satisfy before anything is rendered."""
