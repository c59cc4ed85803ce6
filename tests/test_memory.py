"""What keeps the build's memory down (benchmarks/results.md, Notes 07/12/2026): charts kept packed,
the numerous small model objects without a __dict__ and with interned short strings, and a digest
that never holds its whole pickle."""
from __future__ import annotations

import hashlib
import pickle
import sys
from types import SimpleNamespace

from sitegen.charts import Chart
from sitegen.model import Citation, Commitment, Garble, ScopeRef, Target, Task, ThemeRef
from sitegen.pages import Drawn
from sitegen.pages.packed import PackedCharts
from sitegen.pages.reads import value_digest


def _chart(cid: str, n: int = 50) -> Chart:
    rows = tuple((f"Tỉnh {i}", f"{i},5 %") for i in range(n))
    return Chart(cid, f"Biểu đồ {cid}", {"data": [{"x": list(range(n)), "y": [i / 2 for i in range(n)]}],
                                         "layout": {"height": 450}},
                 ("Tỉnh", "Giá trị"), rows, ("province", "value"), tuple((r[0], i / 2) for i, r in enumerate(rows)),
                 "Nguồn: kế hoạch", "Mô tả")


def _target(plan_id: str, quote: str = "phấn đấu 80% người được tuyên truyền") -> Target:
    return Target(plan_id, "t01", "communication", "nhom_nguy_co_cao", "người trong nhóm nguy cơ cao", 80.0, None,
                  "percent", "=", "đạt", 2021, quote, topics=("ma_tuy",))


def test_packed_charts_hold_bytes_and_give_back_equal_charts():
    charts = PackedCharts()
    a, b = _chart("a"), _chart("b", 5)
    charts["a"], charts["b"] = a, b
    assert list(charts) == ["a", "b"] and len(charts) == 2 and "a" in charts and "z" not in charts
    assert charts["a"] == a and charts["b"] == b
    assert charts["a"] is not charts["a"]  # unpacked when asked, never kept as an object
    assert all(type(v) is bytes for v in charts._packed.values())
    assert charts.packed_bytes() < len(pickle.dumps(a)) + len(pickle.dumps(b))  # compressed
    charts["a"] = b  # a new drawing of an id replaces it, in place (dict order)
    assert list(charts) == ["a", "b"] and charts["a"] == b
    del charts["a"]
    assert list(charts) == ["b"]


def test_drawn_keeps_its_charts_packed_across_merge_and_pickling():
    a, b = _chart("a"), _chart("b", 3)
    page = SimpleNamespace(charts=((a, "categories/x.html"), (b, "index.html")))
    worker = Drawn().take([page])
    assert isinstance(worker.charts, PackedCharts)
    sent = pickle.loads(pickle.dumps(worker))  # a worker's result, as the pool hands it over
    main = Drawn()
    main.merge(sent)
    assert isinstance(main.charts, PackedCharts) and main.charts._packed == worker.charts._packed
    assert main.charts["a"] == a and main.digest("a") == value_digest(a)
    assert main.with_homes() == {"a": (a, "categories/x.html"), "b": (b, "index.html")}
    assert main.with_homes(["b"]) == {"b": (b, "index.html")}
    old = Drawn()
    old.charts = {"c": _chart("c", 2)}  # a record kept by an earlier version: a plain dict
    main.merge(old)
    assert main.charts["c"] == _chart("c", 2)


def test_small_model_objects_have_no_dict_and_unpickle_interned():
    tg = _target("an-giang-2008-10")
    others = [Commitment("p", "c1", "k", "q"), Task("p", "a", "as", "chủ trì", "q"), ThemeRef("p", "t", "q"),
              ScopeRef("p", "kind", "annual", "q"), Garble("x", "y"),
              Citation("116/2021/NĐ-CP", "Nghị định", None, None, None, "Nghị định 116", 1, 2, "id", "p", "câu")]
    for obj in (tg, *others):
        assert not hasattr(obj, "__dict__"), type(obj)
        assert pickle.loads(pickle.dumps(obj, 5)) == obj
    one = pickle.loads(pickle.dumps(_target("an-giang-" + "2008-10")))
    two = pickle.loads(pickle.dumps(_target("an-giang-2008" + "-10")))
    for name in ("plan_id", "category", "subject", "subject_text", "unit", "direction", "quote"):
        assert getattr(one, name) is getattr(two, name), name  # one copy of each short string
    long_quote = "chỉ tiêu " * 20  # longer than INTERN_MAX: left as it is
    assert len(long_quote) > 80
    a = pickle.loads(pickle.dumps(_target("p", long_quote)))
    b = pickle.loads(pickle.dumps(_target("p", "chỉ tiêu " * 20)))
    assert a.quote == b.quote and a.quote is not b.quote
    assert sys.intern(one.plan_id) is one.plan_id


def test_value_digest_is_the_hash_of_the_pickle_written_in_frames():
    import io

    big = [("ạ" * 40, i, float(i), b"x" * 70_000 if i % 500 == 0 else None) for i in range(20_000)]
    for parts in [(), ("a",), (big,), ({"k": big[:3]}, _chart("a"))]:
        buf = io.BytesIO()
        p = pickle.Pickler(buf, protocol=5)
        p.fast = True
        p.dump(parts)
        assert value_digest(*parts) == hashlib.blake2b(buf.getvalue(), digest_size=16).hexdigest()
