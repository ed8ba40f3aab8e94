"""National integration with OSS RBA: NIB lookups and permit status reports (see README)."""
