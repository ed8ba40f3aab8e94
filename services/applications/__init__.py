"""The applications service: permit catalogue, lifecycle, SLA clock, tracking, issuance."""
