"""Message classification: encoder, heads, exact detectors, language and entity extraction."""
