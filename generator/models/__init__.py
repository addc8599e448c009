"""Pydantic models for every collection. Each field carries a description (shown in JSON Schema)."""

from .entitlement import AreaOffer, Entitlement
from .event import Event
from .glossary import Glossary, Term
from .kpi import Kpi
from .meeting import Meeting
from .pledge import Pledge
from .source import Sources
from .update import Update

__all__ = ["AreaOffer", "Entitlement", "Event", "Glossary", "Kpi", "Meeting", "Pledge", "Sources", "Term", "Update"]
