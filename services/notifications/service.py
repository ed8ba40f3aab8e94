"""The notifications service's nameko entrypoints (its RPC methods and event handlers)."""

from chassis.service import ServiceBase


class NotificationsService(ServiceBase):
    """Owns telling applicants and officers of every step, in the inbox and on their channels."""

    name = "notifications"
