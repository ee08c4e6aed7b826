"""Where cached pages live: files under var/ (embedded) or Redis (several app servers).

Both stores keep two kinds of counters. The *generation* changes when something that many pages
show changes (a publish, the clinic's settings): every cached page is then stale at once. A
*path version* changes when only one page's own extras change (a comment approved, a share
count): only that path's entries are stale. A cached entry is stored under the generation and
path version read when its request started, so a page rendered from old data while an
invalidation happened is filed under the old counters and never served.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import mmap
import os
import shutil
import tempfile
import time
from pathlib import Path


@functools.lru_cache(maxsize=4096)
def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


class _Counters:
    """Counters shared by every process on this machine, in one memory-mapped file.

    Slot 0 is the generation; every other slot is the version of the paths whose digest falls
    into it. Two paths sharing a slot are retired together, which only ever costs an extra miss.
    A cache hit reads two slots straight from shared memory (no system call); an invalidation
    takes an exclusive lock on the file for its read-increment-write.
    """

    SLOTS = 1 << 16

    def __init__(self, filename: str):
        self.filename = filename
        size = 8 * (self.SLOTS + 1)
        fd = os.open(filename, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if os.fstat(fd).st_size < size:
                os.ftruncate(fd, size)  # new bytes read as zero: every counter starts at 0
            self._map = mmap.mmap(fd, size)
        finally:
            os.close(fd)
        # Native 8-byte words: each read or write of a counter is one aligned machine word,
        # so a reader never sees half of an increment.
        self.words = memoryview(self._map).cast("Q")

    @staticmethod
    @functools.lru_cache(maxsize=4096)
    def slot_of_path(path: str) -> int:
        return int(_digest(path)[:8], 16) % _Counters.SLOTS + 1

    def increment(self, slot: int) -> int:
        # A fresh open file description per call: flock() then excludes other threads and
        # forked workers alike (a descriptor inherited across fork would share its lock).
        with open(self.filename, "rb") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            value = self.words[slot] + 1
            self.words[slot] = value
        return value


class FileStore:
    """Entries are files under `entries/<generation>/`; the counters live in `counters`, a
    memory-mapped file (see `_Counters`), so reading them on a cache hit costs no system call."""

    def __init__(self, root: str | os.PathLike, *, ttl: int = 86400):
        self.root = Path(root)
        self.ttl = ttl
        (self.root / "entries").mkdir(parents=True, exist_ok=True)
        self._counters = _Counters(str(self.root / "counters"))

    def versions(self, path: str) -> tuple[int, int]:
        words = self._counters.words
        return words[0], words[_Counters.slot_of_path(path)]

    def _entry_file(self, versions: tuple[int, int], path: str, variant: str) -> Path:
        generation, path_version = versions
        return (
            self.root
            / "entries"
            / str(generation)
            / f"{_digest(path)}.{path_version}"
            / _digest(variant)
        )

    def get(self, versions: tuple[int, int], path: str, variant: str) -> bytes | None:
        entry = self._entry_file(versions, path, variant)
        try:
            if time.time() - entry.stat().st_mtime > self.ttl:
                return None
            return entry.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            return None

    def put(self, versions: tuple[int, int], path: str, variant: str, data: bytes) -> None:
        entry = self._entry_file(versions, path, variant)
        entry.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename: another worker never reads half a page.
        fd, temporary = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(temporary, entry)

    def bump_generation(self) -> None:
        current = str(self._counters.increment(0))
        # Entries of older generations can never be served again: reclaim the space.
        for old in (self.root / "entries").iterdir():
            if old.name != current:
                shutil.rmtree(old, ignore_errors=True)

    def purge_path(self, path: str) -> None:
        self._counters.increment(_Counters.slot_of_path(path))

    def clear(self) -> None:
        shutil.rmtree(self.root / "entries", ignore_errors=True)
        (self.root / "entries").mkdir(parents=True, exist_ok=True)
        self.bump_generation()


class RedisStore:
    """The same counters and entries in Redis, shared by every app server."""

    def __init__(self, url: str, *, ttl: int = 86400, prefix: str = "asih:pagecache"):
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.ttl = ttl
        self.prefix = prefix

    def versions(self, path: str) -> tuple[int, int]:
        generation, path_version = self.client.mget(
            f"{self.prefix}:generation", f"{self.prefix}:path:{_digest(path)}"
        )
        return int(generation or 0), int(path_version or 0)

    def _key(self, versions: tuple[int, int], path: str, variant: str) -> str:
        generation, path_version = versions
        return f"{self.prefix}:entry:{generation}:{_digest(path)}:{path_version}:{_digest(variant)}"

    def get(self, versions, path, variant):
        return self.client.get(self._key(versions, path, variant))

    def put(self, versions, path, variant, data):
        # Entries of an old generation are never read again and expire on their own.
        self.client.set(self._key(versions, path, variant), data, ex=self.ttl)

    def bump_generation(self) -> None:
        self.client.incr(f"{self.prefix}:generation")

    def purge_path(self, path: str) -> None:
        self.client.incr(f"{self.prefix}:path:{_digest(path)}")

    def clear(self) -> None:
        self.bump_generation()


_store = None


def get_store():
    """The configured store: Redis when REDIS_URL is set, else files under the var/ folder."""
    global _store
    if _store is None:
        from django.conf import settings

        ttl = getattr(settings, "ASIH_PAGE_CACHE_TTL", 86400)
        redis_url = getattr(settings, "REDIS_URL", "")
        if redis_url:
            _store = RedisStore(redis_url, ttl=ttl)
        else:
            _store = FileStore(settings.ASIH_PAGE_CACHE_DIR, ttl=ttl)
    return _store


def reset_store() -> None:
    """Forget the configured store (tests change the settings)."""
    global _store
    _store = None
