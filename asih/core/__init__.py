"""Shared pieces of Asih: the clinic's identity, people, template helpers. Imports no feature app."""
