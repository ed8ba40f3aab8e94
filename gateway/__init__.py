"""The HTTP gateway: the only door of the web and mobile clients into the platform."""
