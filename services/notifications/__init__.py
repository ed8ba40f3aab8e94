"""The notifications service: every step told to the right person on the right channel."""
