"""panelsite: a static site generator for a council's Corporate Parenting Panel."""

__version__ = "0.2.0"
