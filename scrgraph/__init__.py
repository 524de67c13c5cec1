"""scrgraph: what child-safeguarding case reviews have taught, and whether anyone acted on it."""

__version__ = "0.1.0"
__all__ = ["__version__"]
