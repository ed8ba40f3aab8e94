"""The identity service: accounts, sign-in, tokens, roles and the protection of citizens' personal data."""
