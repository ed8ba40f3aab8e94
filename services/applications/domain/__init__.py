"""The applications service's pure rules: lifecycle, SLA clock, catalogue."""
