"""Where cached pages live: files under var/ (embedded) or Redis (several app servers).

Both stores keep two kinds of counters. The *generation* changes when something that many pages
show changes (a publish, the clinic's settings): every cached page is then stale at once. A
*path version* changes when only one page's own extras change (a comment approved, a share
count): only that path's entries are stale. A cached entry is stored under the generation and
path version read when its request started, so a page rendered from old data while an
invalidation happened is filed under the old counters and never served.

Both stores are bounded: entries older than the TTL are removed (not only ignored), and when
the entries together pass `max_bytes` the oldest go first. A visitor who invents URLs can then
cost the cache its hit rate, never the machine its disk or memory.
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
    # Two words after the path slots: the bytes of entries written since the last sweep
    # counted, and the time of that sweep (whole seconds).
    STORED_BYTES = SLOTS + 1
    LAST_SWEEP = SLOTS + 2

    def __init__(self, filename: str):
        self.filename = filename
        size = 8 * (self.SLOTS + 3)
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

    def increment(self, slot: int, amount: int = 1) -> int:
        # A fresh open file description per call: flock() then excludes other threads and
        # forked workers alike (a descriptor inherited across fork would share its lock).
        with open(self.filename, "rb") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            value = self.words[slot] + amount
            self.words[slot] = value
        return value

    def set(self, slot: int, value: int) -> None:
        with open(self.filename, "rb") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            self.words[slot] = value


DEFAULT_MAX_BYTES = 128 * 1024 * 1024
# Eviction goes below the cap, so that the next sweep is many writes away.
LOW_WATER = 0.75
# A write-in-progress (`.tmp-*`) younger than this belongs to a worker still writing it.
TEMPORARY_GRACE = 60


class FileStore:
    """Entries are files under `entries/<generation>/`; the counters live in `counters`, a
    memory-mapped file (see `_Counters`), so reading them on a cache hit costs no system call.

    Every write adds its size to a shared counter; past `max_bytes` (or an hour after the last
    sweep) the writer sweeps: older generations and expired entries go, then the oldest entries
    until the total is well under the cap, and the counter is set to what is really on disk.
    """

    def __init__(
        self,
        root: str | os.PathLike,
        *,
        ttl: int = 86400,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ):
        self.root = Path(root)
        self.ttl = ttl
        self.max_bytes = max_bytes
        self.sweep_every = min(ttl, 3600)
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
        stored = self._counters.increment(_Counters.STORED_BYTES, len(data))
        last_sweep = self._counters.words[_Counters.LAST_SWEEP]
        if stored > self.max_bytes or time.time() - last_sweep > self.sweep_every:
            self.sweep()

    def bump_generation(self) -> None:
        self._counters.increment(0)
        # Entries of older generations can never be served again: reclaim the space.
        self.sweep()

    def sweep(self) -> None:
        """Remove what can never be served again, then the oldest entries beyond the cap."""
        with open(self.root / "sweep.lock", "ab") as only_one:
            try:
                fcntl.flock(only_one, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return  # another worker is sweeping right now
            self._sweep()

    def _sweep(self) -> None:
        now = time.time()
        current = str(self._counters.words[0])
        kept = []  # (mtime, size, path) of the entries that may still be served
        for generation in _listing(self.root / "entries"):
            if generation.name != current:
                shutil.rmtree(generation.path, ignore_errors=True)
                continue
            for folder in _listing(generation.path):
                for item in _listing(folder.path):
                    try:
                        info = item.stat()
                    except FileNotFoundError:
                        continue
                    age = now - info.st_mtime
                    writing = item.name.startswith(".tmp-")
                    if age > self.ttl or (writing and age > TEMPORARY_GRACE):
                        _unlink(item.path)
                    else:
                        kept.append((info.st_mtime, info.st_size, item.path))
                _rmdir_if_empty(folder.path)
        total = sum(size for _, size, _ in kept)
        if total > self.max_bytes:
            kept.sort()
            for _, size, path in kept:
                if total <= self.max_bytes * LOW_WATER:
                    break
                _unlink(path)
                total -= size
        self._counters.set(_Counters.STORED_BYTES, total)
        self._counters.set(_Counters.LAST_SWEEP, int(now))

    def purge_path(self, path: str) -> None:
        self._counters.increment(_Counters.slot_of_path(path))

    def clear(self) -> None:
        shutil.rmtree(self.root / "entries", ignore_errors=True)
        (self.root / "entries").mkdir(parents=True, exist_ok=True)
        self.bump_generation()


def _listing(path) -> list:
    # Another worker may remove a folder while this one looks at it: then it holds nothing.
    try:
        with os.scandir(path) as items:
            return list(items)
    except (FileNotFoundError, NotADirectoryError):
        return []


def _unlink(path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _rmdir_if_empty(path) -> None:
    try:
        os.rmdir(path)
    except OSError:
        pass  # not empty (or already gone): either way nothing to reclaim


# One write, atomically: the entry with its TTL, its size in the index, then removal of what
# expired and of the oldest entries while the total passes the cap. KEYS: entry, index (a sorted
# set of entry keys by write time), sizes (a hash), total. ARGV: data, ttl, now, cap.
_PUT_SCRIPT = """
local entry, index, sizes, total_key = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local data, ttl, now, cap = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local function forget(key)
  local size = tonumber(redis.call('HGET', sizes, key) or '0')
  redis.call('HDEL', sizes, key)
  redis.call('ZREM', index, key)
  redis.call('DECRBY', total_key, size)
end
forget(entry)
redis.call('SET', entry, data, 'EX', ttl)
redis.call('ZADD', index, now, entry)
redis.call('HSET', sizes, entry, #data)
redis.call('INCRBY', total_key, #data)
for _, old in ipairs(redis.call('ZRANGEBYSCORE', index, '-inf', now - ttl)) do
  forget(old)
end
while tonumber(redis.call('GET', total_key)) > cap do
  local oldest = redis.call('ZRANGE', index, 0, 0)
  if #oldest == 0 then break end
  redis.call('DEL', oldest[1])
  forget(oldest[1])
end
return 1
"""


class RedisStore:
    """The same counters and entries in Redis, shared by every app server.

    Entries expire with their TTL; an index of entry keys by write time and their sizes lets
    each write evict the oldest entries while the total passes `max_bytes`, in one script.
    """

    def __init__(
        self,
        url: str,
        *,
        ttl: int = 86400,
        prefix: str = "asih:pagecache",
        max_bytes: int = DEFAULT_MAX_BYTES,
    ):
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.ttl = ttl
        self.prefix = prefix
        self.max_bytes = max_bytes
        self._put = self.client.register_script(_PUT_SCRIPT)

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
        # Entries of an old generation are never read again: the oldest, they are evicted
        # first, or expire on their own.
        keys = [
            self._key(versions, path, variant),
            f"{self.prefix}:index",
            f"{self.prefix}:sizes",
            f"{self.prefix}:bytes",
        ]
        self._put(keys=keys, args=[data, self.ttl, time.time(), self.max_bytes])

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
        max_bytes = getattr(settings, "ASIH_PAGE_CACHE_MAX_BYTES", DEFAULT_MAX_BYTES)
        redis_url = getattr(settings, "REDIS_URL", "")
        if redis_url:
            _store = RedisStore(redis_url, ttl=ttl, max_bytes=max_bytes)
        else:
            _store = FileStore(settings.ASIH_PAGE_CACHE_DIR, ttl=ttl, max_bytes=max_bytes)
    return _store


def reset_store() -> None:
    """Forget the configured store (tests change the settings)."""
    global _store
    _store = None
