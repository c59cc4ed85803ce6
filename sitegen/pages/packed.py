"""Charts kept packed: a mapping of chart ids to charts that holds each chart pickled and compressed.

Memory (benchmarks/results.md, 07/12/2026): the build process keeps every chart drawn on every page
until their own pages, CSV files and cards are made, at the end. As Python objects (figure dicts,
tables, notes) the 2,954 charts of a 3,000-plan site took 252 MiB of its heap; pickled they are
90 MiB and compressed (zlib, fastest level) 13 MiB. A chart is unpacked when asked for, one at a
time, and is the same value (its digest is computed when it is drawn, see Drawn).
"""
from __future__ import annotations

import pickle
import zlib
from collections.abc import Iterator, Mapping, MutableMapping


class PackedCharts(MutableMapping):
    """Chart id -> chart, each kept as compressed pickle bytes; reading one unpickles it (a new
    object each time, equal to the one stored)."""

    def __init__(self, charts: Mapping | None = None):
        self._packed: dict[str, bytes] = {}
        if charts:
            self.update(charts)

    def __getitem__(self, cid: str):
        return unpack(self._packed[cid])

    def __setitem__(self, cid: str, chart) -> None:
        self._packed[cid] = zlib.compress(pickle.dumps(chart, protocol=pickle.HIGHEST_PROTOCOL), 1)

    def __delitem__(self, cid: str) -> None:
        del self._packed[cid]

    def __iter__(self) -> Iterator[str]:
        return iter(self._packed)

    def __len__(self) -> int:
        return len(self._packed)

    def __contains__(self, cid: object) -> bool:
        return cid in self._packed

    def update(self, other=(), /, **kw) -> None:
        """As dict.update; the packed bytes of another PackedCharts are taken as they are."""
        if isinstance(other, PackedCharts) and not kw:
            self._packed.update(other._packed)
        else:
            super().update(other, **kw)

    def packed(self, cid: str) -> bytes:
        """A chart's packed bytes, as they are (for another process: unpack() gives the chart)."""
        return self._packed[cid]

    def packed_bytes(self) -> int:
        """How many bytes the packed charts take (for benchmarks)."""
        return sum(len(b) for b in self._packed.values())


def unpack(packed: bytes):
    """The chart of PackedCharts.packed(cid) (in a worker process, say)."""
    return pickle.loads(zlib.decompress(packed))
