"""What an index version is on disk: versions and the atomic switch, the file layout, the vector index, BM25 arrays."""
