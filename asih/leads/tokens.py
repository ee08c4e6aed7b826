"""One-time link tokens: the token goes in the email, only its digest is stored."""

import hashlib
import secrets


def new_token() -> tuple[str, str]:
    """A fresh token and the digest to store for it."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()
