"""The payments service: fees, invoices (SKRD), SNAP virtual accounts, reconciliation."""
