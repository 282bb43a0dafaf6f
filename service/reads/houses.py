"""A house project as a token may read it, for the API's routes and the inspector pages."""

from __future__ import annotations

from uuid import UUID

from service.adapters.db import Row, Transaction
from service.domain.errors import HouseProjectNotFound
from service.projections import houses as house_view
from service.reads import reached


def readable_house(tx: Transaction, project_id: UUID) -> Row:
    missing = HouseProjectNotFound(
        "Không có công trình nhà nào với mã này. Hãy kiểm tra lại mã.",
        project_id=str(project_id),
    )
    return reached(tx, house_view.get(tx, str(project_id)), missing)
