"""Passages → an answer: the answerer protocol and registry, the extractive answerer, question types, follow-ups, language."""
