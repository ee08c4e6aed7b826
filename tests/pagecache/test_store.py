"""The file store's counters: shared by every process through one memory-mapped file."""

import multiprocessing
import threading

from asih.pagecache.store import FileStore, _Counters

PATH = "/id/setelah-melahirkan/pijat-oksitosin/"


def _purge_many(root, path, times):
    store = FileStore(root)
    for _ in range(times):
        store.purge_path(path)
    store.bump_generation()


def test_an_invalidation_in_another_process_is_seen_at_once(tmp_path):
    store = FileStore(tmp_path)
    before = store.versions(PATH)
    worker = multiprocessing.get_context("fork").Process(
        target=_purge_many, args=(tmp_path, PATH, 3)
    )
    worker.start()
    worker.join(30)
    assert worker.exitcode == 0
    # This process mapped the file before the other one wrote: it reads the new values anyway.
    assert store.versions(PATH) == (before[0] + 1, before[1] + 3)


def test_increments_from_threads_and_processes_are_never_lost(tmp_path):
    store = FileStore(tmp_path)
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=_purge_many, args=(tmp_path, PATH, 200)) for _ in range(3)]
    threads = [
        threading.Thread(target=lambda: [store.purge_path(PATH) for _ in range(200)])
        for _ in range(3)
    ]
    for worker in processes + threads:
        worker.start()
    for worker in processes + threads:
        worker.join(60)
    assert store.versions(PATH) == (3, 1200)


def test_only_the_purged_path_changes_unless_it_shares_a_slot(tmp_path):
    store = FileStore(tmp_path)
    other = "/en/after-birth/oxytocin-massage/"
    assert _Counters.slot_of_path(PATH) != _Counters.slot_of_path(other)
    store.purge_path(PATH)
    assert store.versions(PATH) == (0, 1)
    assert store.versions(other) == (0, 0)
    store.bump_generation()
    assert store.versions(other) == (1, 0)


def test_counters_survive_a_restart(tmp_path):
    FileStore(tmp_path).purge_path(PATH)
    FileStore(tmp_path).bump_generation()
    assert FileStore(tmp_path).versions(PATH) == (1, 1)


def test_clear_page_cache_command_retires_every_entry(tmp_path, settings):
    from django.core.management import call_command

    from asih.pagecache.store import get_store, reset_store

    settings.ASIH_PAGE_CACHE_DIR = tmp_path
    settings.REDIS_URL = ""
    reset_store()
    try:
        store = get_store()
        versions = store.versions(PATH)
        store.put(versions, PATH, "variant", b"old page")
        call_command("clear_page_cache", stdout=None)
        assert store.versions(PATH)[0] == versions[0] + 1
        assert store.get(store.versions(PATH), PATH, "variant") is None
        assert store.get(versions, PATH, "variant") is None  # old entries are deleted too
    finally:
        reset_store()
