"""Imported before the ingest workers are forked (litwatch.sync.workers): the parsers,
the pipeline and the compiled taxonomies, once, for every worker forked after it."""

from litwatch.records import Paper
from litwatch.sync import load, pipeline  # noqa: F401  (imported for the workers)

# Classifying one record compiles every taxonomy's patterns (a third of a second).
pipeline.prepare(pipeline.Incoming(Paper(pmid="0", title="Ketamine for depression"), b""))
