"""litwatch configuration.

declarations.py  every setting, declared once (key, kind, default, variable, help)
kinds.py         value kinds: parsing and validation of one value
watchlist.py     the [drugs], [[indication]] and [[feed]] tables and their defaults
settings.py      the typed Settings dataclasses the rest of litwatch reads
loader.py        which file, unknown-key refusal, environment overrides -> Settings
checks.py        advice given when it matters (no NCBI contact email)
docs.py          the README settings table, generated from the declarations
"""
