"""Content keys ("guide:pijat-oksitosin") as Wagtail translation keys, the same on every machine."""

import uuid

# Fixed namespace so a content key maps to the same translation key on every machine.
TRANSLATION_NAMESPACE = uuid.UUID("6f1d0a52-5b8e-4f55-9a57-3c1f3f1e2a10")


def translation_key(key: str) -> uuid.UUID:
    return uuid.uuid5(TRANSLATION_NAMESPACE, key)
