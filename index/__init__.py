"""The on-disk index and everything that searches and answers from it (no file formats, no HTTP)."""
