"""The applications service: the permit catalogue, the application lifecycle, the SLA clock, tracking and issuance."""
