"""A webhook receiver on loopback that checks each delivery with the standardwebhooks library."""

from __future__ import annotations

from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from tests.integrations.contract_base import Call, ContractServer, Reply


class Receiver(ContractServer):
    def __init__(self) -> None:
        super().__init__()
        self.secret = ""
        self.verified: list[dict[str, Any]] = []
        self.rejected: list[str] = []

    def handle(self, call: Call) -> Reply:
        try:
            payload = Webhook(self.secret).verify(call.body, call.headers)
        except WebhookVerificationError as error:
            self.rejected.append(str(error))
            return Reply(400, {"error": str(error)})
        self.verified.append({"id": call.headers["webhook-id"], **payload})
        return Reply(200, {"ok": True})

    def types(self) -> list[str]:
        return [p["type"] for p in self.verified]
