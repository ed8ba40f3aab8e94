"""A business's NIB checked in OSS: what a file keeps of it, or the error a caller should see."""

from __future__ import annotations

import re
from datetime import datetime

from chassis.errors import ServiceUnavailable, ValidationFailed
from services.applications.oss.client import NibNotFound, OssError, OssGateway

NIB_PATTERN = re.compile(r"^\d{13}$")


def business_of(gateway: OssGateway, nib: str, now: datetime) -> dict:
    """`{nib, name, kbli, address, checked_at}` of the business OSS knows by this NIB."""
    nib = re.sub(r"[\s.-]", "", str(nib or ""))
    if not NIB_PATTERN.match(nib):
        raise _nib_error("nib_invalid", "a NIB is 13 digits")
    try:
        business = gateway.lookup_nib(nib)
    except NibNotFound:
        raise _nib_error("nib_unknown", "OSS knows no business with this NIB") from None
    except OssError:
        raise ServiceUnavailable(
            "OSS cannot be reached now; try again in a few minutes", code="oss_unavailable"
        ) from None
    return {
        "nib": business.nib or nib,
        "name": business.name,
        "kbli": list(business.kbli),
        "address": business.address,
        "checked_at": now.isoformat(),
    }


def _nib_error(code: str, message: str) -> ValidationFailed:
    return ValidationFailed(
        message, code=code, errors=[{"field": "nib", "code": code, "message": message}]
    )
