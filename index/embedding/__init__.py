"""Text → vectors: the embedder protocol, its backends (ONNX Runtime, sentence-transformers), question batching,
the embedding cache, the int8 ONNX model shipped in docqa/models/ (shipped.py), its export recipe (onnx_export.py)
and the optional torch extra (extras.py)."""
