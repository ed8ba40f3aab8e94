"""The notifications service: telling applicants and officers of every step, in the inbox and on their channels."""
