"""A cached response: status, headers and the body in each encoding, packed into one blob."""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass, field

try:
    import brotli
except ImportError:  # brotli is optional: gzip alone is still a full answer
    brotli = None

# Headers that describe one particular transfer, set afresh for each answer.
_PER_ANSWER = {"content-length", "content-encoding", "etag", "date", "x-page-cache"}


@dataclass
class Entry:
    status: str
    headers: list[tuple[str, str]]
    bodies: dict[str, bytes] = field(default_factory=dict)  # "identity", "gzip", "br"
    etag: str = ""
    # Answers ready to send, per (encoding, HIT/MISS), filled by the WSGI layer on first use.
    prepared: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def build(cls, status: str, headers: list[tuple[str, str]], body: bytes) -> Entry:
        kept = [(k, v) for k, v in headers if k.lower() not in _PER_ANSWER]
        bodies = {"identity": body}
        if len(body) > 512:
            bodies["gzip"] = gzip.compress(body, compresslevel=9, mtime=0)
            if brotli is not None:
                bodies["br"] = brotli.compress(body, quality=9)
        etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
        return cls(status=status, headers=kept, bodies=bodies, etag=etag)

    def pack(self) -> bytes:
        meta = {
            "status": self.status,
            "headers": self.headers,
            "etag": self.etag,
            "sizes": [(name, len(data)) for name, data in self.bodies.items()],
        }
        head = json.dumps(meta, separators=(",", ":")).encode()
        return len(head).to_bytes(4, "big") + head + b"".join(self.bodies.values())

    @classmethod
    def unpack(cls, blob: bytes) -> Entry | None:
        try:
            size = int.from_bytes(blob[:4], "big")
            meta = json.loads(blob[4 : 4 + size])
            bodies, offset = {}, 4 + size
            for name, length in meta["sizes"]:
                bodies[name] = blob[offset : offset + length]
                offset += length
            if offset != len(blob):
                return None
            headers = [(str(k), str(v)) for k, v in meta["headers"]]
            return cls(status=meta["status"], headers=headers, bodies=bodies, etag=meta["etag"])
        except (ValueError, KeyError, TypeError):
            return None  # a damaged entry is a miss, never an error

    def choose_encoding(self, accept_encoding: str) -> str:
        offered = {
            part.split(";")[0].strip().lower()
            for part in accept_encoding.split(",")
            if part.strip() and not part.replace(" ", "").endswith(";q=0")
        }
        for name in ("br", "gzip"):
            if name in offered and name in self.bodies:
                return name
        return "identity"
