"""The nameko dependency that gives the applications service its one OSS gateway per process."""

from __future__ import annotations

from nameko.extensions import DependencyProvider

from chassis.config import Settings, settings_from_nameko
from services.applications.oss.client import HttpOssGateway, OssSettings


def oss_settings(settings: Settings) -> OssSettings:
    return OssSettings(
        base_url=settings["OSS_BASE_URL"],
        user_key=settings["OSS_USER_KEY"],
        username=settings["OSS_USERNAME"],
        password=settings["OSS_PASSWORD"],
        agency_code=settings["OSS_AGENCY_CODE"],
        timeout=settings["OSS_TIMEOUT"],
        retries=settings["OSS_RETRIES"],
        breaker_failures=settings["OSS_BREAKER_FAILURES"],
        breaker_reset_seconds=settings["OSS_BREAKER_RESET_SECONDS"],
    )


class Oss(DependencyProvider):
    """One gateway for the whole process, built at start: the circuit breaker's memory is
    shared by every worker, so a dead OSS is noticed once, not once per call."""

    def setup(self):
        self.gateway = HttpOssGateway(oss_settings(settings_from_nameko(self.container.config)))

    def get_dependency(self, worker_ctx):
        return self.gateway
