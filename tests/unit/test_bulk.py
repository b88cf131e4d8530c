"""bulk_build pauses the cyclic collector and always puts it back as it was."""

from __future__ import annotations

import gc
import threading

import pytest

from app.bulk import bulk_build


def test_paused_inside_restored_after_even_on_error() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), bulk_build():
        assert not gc.isenabled()
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_nested_and_concurrent_builds_re_enable_once_the_last_ends() -> None:
    inside = threading.Event()
    release = threading.Event()

    def other() -> None:
        with bulk_build():
            inside.set()
            release.wait(5)

    worker = threading.Thread(target=other)
    with bulk_build():
        worker.start()
        inside.wait(5)
        with bulk_build():
            assert not gc.isenabled()
    assert not gc.isenabled()  # the other build still runs
    release.set()
    worker.join(5)
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        with bulk_build():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_kept_result_is_frozen_out_of_later_collections() -> None:
    before = gc.get_freeze_count()
    try:
        with bulk_build(keep=True):
            rows = [[n] for n in range(1000)]
        frozen = gc.get_freeze_count()
        assert frozen >= before + len(rows)
        with bulk_build():  # a passing result is not frozen
            more = [[n] for n in range(1000)]
        assert gc.get_freeze_count() == frozen and len(more) == 1000
    finally:
        gc.unfreeze()
