"""The documents service: requirement uploads, their review, signed permit certificates."""
