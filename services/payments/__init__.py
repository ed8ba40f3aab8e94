"""The payments service: fee assessment, invoices (SKRD), SNAP virtual accounts for partner banks, reconciliation."""
