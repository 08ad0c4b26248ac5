"""Browser tests: a real Chromium reads the built site (`make test` runs them)."""
