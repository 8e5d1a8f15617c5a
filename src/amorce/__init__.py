"""amorce — from an AI idea to a prototype used by a French State administration."""

__version__ = "0.2.0"
