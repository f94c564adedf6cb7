"""The composition root: settings, logging, CLI, pipeline wiring and worker processes."""
