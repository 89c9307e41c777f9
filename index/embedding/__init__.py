"""Text → vectors: the embedder protocol, its backends (ONNX Runtime, sentence-transformers), question batching, the embedding cache."""
