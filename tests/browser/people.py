"""People outside the web client whom browser tests need: the partner bank that pays."""

from __future__ import annotations

from pathlib import Path

from services.payments.bank_simulator import BankSimulator, load_partner

PAID = "2002500"  # SNAP's answer to a payment the biller accepted


def bank_pays(platform, virtual_account_no: str) -> dict:
    """The platform's first partner bank pays the VA as the invoice page shows it (no spaces)."""
    partner = load_partner(str(platform.partners_file), None)
    bank = BankSimulator(
        f"http://127.0.0.1:{platform.bank_port}",
        partner["client_id"],
        partner["client_secret"],
        Path(partner["private_key_file"]).read_text(),
        partner["partner_service_id"],
        str(partner["channel_id"]),
    )
    # SNAP pads the 8-character partner prefix with leading spaces; the page shows digits only.
    prefix = partner["partner_service_id"]
    _, answer = bank.pay(prefix + virtual_account_no[len(prefix.strip()) :])
    assert answer["responseCode"] == PAID, answer
    return answer
