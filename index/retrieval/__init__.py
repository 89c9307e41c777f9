"""A question → scored passages: dense, BM25 and hybrid search, fusion, pseudo-relevance feedback."""
