"""Guides: the home and stage pages, guide pages with typed blocks, and the content loader."""
