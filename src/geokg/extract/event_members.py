"""``T``, the event types the extraction rules name, in a form mypy can check.

``geokg.model.EventType`` is made from the registry at import (``geokg.event_types``), so a
type checker sees no members on it. At run time ``T`` is ``EventType`` itself; for mypy it
declares the members the rules name, each an ``EventType``. A rule that names a member not
declared here fails mypy; a declared member the registry lacks fails
``tests/test_extract_event_members.py``. Declare a member here when a rule first names it.

Example:
    >>> from geokg.model import EventType
    >>> T is EventType, T.PRICE_CHANGE.value
    (True, 'PriceChange')
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from geokg.model import EventType

__all__ = ["T"]

if TYPE_CHECKING:

    class T:
        AGREEMENT: ClassVar[EventType]
        DEMAND_CHANGE: ClassVar[EventType]
        ECONOMIC_TREND: ClassVar[EventType]
        EXPORT_RESTRICTION: ClassVar[EventType]
        FORECAST: ClassVar[EventType]
        INVENTORY_CHANGE: ClassVar[EventType]
        MARKET_BALANCE: ClassVar[EventType]
        MEETING: ClassVar[EventType]
        OFFER: ClassVar[EventType]
        PRICE_CHANGE: ClassVar[EventType]
        PRODUCTION: ClassVar[EventType]
        PURCHASE_OR_IMPORT: ClassVar[EventType]
        RESERVES_RANK: ClassVar[EventType]
        SALE_OR_SUPPLY: ClassVar[EventType]
        SANCTION: ClassVar[EventType]
        STATEMENT: ClassVar[EventType]
        SUPPLY_DISRUPTION: ClassVar[EventType]
        TARIFF: ClassVar[EventType]
        TRADE_CHANGE: ClassVar[EventType]

else:
    T = EventType
