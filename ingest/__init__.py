"""Files to clean text to chunks: knows file formats, knows nothing of HTTP."""
