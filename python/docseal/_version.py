"""The version of this binding; the same as the crate's (tests/test_docseal.py checks it)."""

__version__ = "0.1.0"
