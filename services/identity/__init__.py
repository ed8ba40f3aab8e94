"""The identity service: accounts, sign-in, tokens, roles and citizens' personal data."""
