"""Which pages each edition has, at which stable URL, with which template and data."""

from .links import edition_switch_href, relative_href
from .plan import PageSpec, plan_pages

__all__ = ["PageSpec", "edition_switch_href", "plan_pages", "relative_href"]
