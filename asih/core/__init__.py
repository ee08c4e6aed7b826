"""Shared pieces: the clinic's identity, people, template helpers. Imports no feature app."""
