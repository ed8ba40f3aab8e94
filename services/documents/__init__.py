"""The documents service: uploaded requirement documents, their review, and signed permit certificates."""
