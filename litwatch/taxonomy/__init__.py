"""Taxonomy data files (TOML) read by litwatch.classify; no code lives here."""
