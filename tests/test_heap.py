"""The build pauses Python's cyclic garbage collector while it gathers (sitegen.heap): that is sound
only if gathering makes no garbage cycles, which would be kept until the collector runs again."""
from __future__ import annotations

import gc
import sys

import pytest

from helpers import REPO, YAML_A, MD_A, copy_real_corpus, edit, write_corpus
from sitegen.gather import BuildError, gather
from sitegen.heap import gc_paused


@pytest.fixture
def collector_off():
    """The collector off, with no garbage left from before; back on afterwards."""
    gc.collect()
    gc.disable()
    yield
    gc.enable()


def test_gc_paused_turns_the_collector_off_and_back_as_it_was():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner pause leaves the outer one paused
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError), gc_paused():
        1 / 0
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # off before: left off
    finally:
        gc.enable()


def test_gathering_leaves_the_collector_on_whether_it_succeeds_or_fails(tmp_path):
    good = copy_real_corpus(tmp_path / "good")
    gather(good)
    assert gc.isenabled()
    bad = write_corpus(tmp_path / "bad")
    edit(bad / YAML_A, "targets:", "targets: [")
    with pytest.raises(BuildError):
        gather(bad)
    assert gc.isenabled()


def _garbage_of_gathering(corpus, site) -> tuple[int, int]:
    """The garbage cycles left by gathering a corpus (its plans read and checked), then by gathering it
    again (its plans unpickled from the build database)."""
    read = gather(corpus, cache_for=site)
    assert read.db.put_count("plans") == len(read.site.corpus.plans) > 0
    read.db.commit()
    del read
    first = gc.collect()
    again = gather(corpus, cache_for=site)
    assert again.db.put_count("plans") == 0 and again.site.corpus.plans
    del again
    return first, gc.collect()


def test_the_garbage_cycles_of_gathering_do_not_grow_with_the_plans(tmp_path, collector_off):
    sys.path.insert(0, str(REPO / "benchmarks"))
    import generate

    gather(copy_real_corpus(tmp_path))  # this process's first gather: its one-time garbage
    gc.collect()
    few = _garbage_of_gathering(generate.generate(3, tmp_path / "few", seed=1), tmp_path / "few-site")
    many = _garbage_of_gathering(generate.generate(30, tmp_path / "many", seed=1), tmp_path / "many-site")
    # A new build database leaves its first connection's objects (a few dozen), whatever its size;
    # reading or unpickling a plan leaves none.
    assert few == many
    assert few[1] == 0


def test_reading_bad_plans_makes_no_garbage_cycles(tmp_path, collector_off):
    gather(copy_real_corpus(tmp_path / "first"))
    gc.collect()
    corpus = write_corpus(tmp_path)
    edit(corpus / YAML_A, "targets:", "targets: [")  # YAML that does not parse
    edit(corpus / MD_A, 'issued: "2020-03-05"', "issued: 05/03/2020")  # a field with a wrong form
    with pytest.raises(BuildError) as caught:
        gather(corpus)
    assert len(caught.value.problems) >= 2
    del caught
    assert gc.collect() == 0
