"""People outside the web client whom browser tests need: the partner bank that pays."""

from __future__ import annotations

from devstack.demo import bank_of

PAID = "2002500"  # SNAP's answer to a payment the biller accepted


def bank_pays(platform, virtual_account_no: str) -> dict:
    """The platform's first partner bank pays the VA as the invoice page shows it (no spaces)."""
    bank, partner = bank_of(platform)
    # SNAP pads the 8-character partner prefix with leading spaces; the page shows digits only.
    prefix = partner["partner_service_id"]
    _, answer = bank.pay(prefix + virtual_account_no[len(prefix.strip()) :])
    assert answer["responseCode"] == PAID, answer
    return answer
