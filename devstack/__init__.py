"""Run the whole GASPOL platform locally: five services and the gateway, one process each."""

from devstack.launcher import Platform, PlatformError

__all__ = ["Platform", "PlatformError"]
