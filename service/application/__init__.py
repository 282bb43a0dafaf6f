"""The use cases of Sổ Vàng, one module per family, mirroring ``service/domain``.

``Ledger`` (``ledger``) offers every use case; ``Request`` and ``Written`` are what a
write takes and gives (``engine``).
"""

from __future__ import annotations

from service.application.engine import Changes, Request, Written
from service.application.ledger import Ledger

__all__ = ["Changes", "Ledger", "Request", "Written"]
