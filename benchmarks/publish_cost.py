"""What publishing costs when nothing changed: the copy mode against the standby mode, on a built site.

    python benchmarks/publish_cost.py SITE [--rounds 3]

SITE is a site built here (its manifest lists every file). It is copied first (hard links) into a
scratch folder beside it, never changed. Each round republishes that copy as a build whose every file
is unchanged would (every file carried over by its key, then the commit), in each mode: the copy
mode links every file into a new staging folder, swaps it in and deletes the old site; the standby
mode finds every file already in the standby and exchanges the two folders. Both begin with the
check for files not built here (sitegen.sitecheck), as a build does. The first standby round
fills the standby (hard links, once) and is shown apart. Prints seconds per round.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitegen.sitecheck import RACY_NS  # noqa: E402
from sitegen.standby import staging_for  # noqa: E402
from sitegen.write import output_refusal, read_manifest  # noqa: E402


def republish(out: Path, publish: str) -> tuple[float, float]:
    """One build's publishing of an unchanged site in this mode; its seconds, wall and CPU (user +
    system: the figure a loaded machine changes least)."""
    start, cpu = time.perf_counter(), time.process_time()
    if output_refusal(out):  # the check for files not built here, which a build makes first
        raise RuntimeError(output_refusal(out))
    staging = staging_for(out, publish=publish)
    for rel, (key, _h, _size) in read_manifest(out)["files"].items():
        if not staging.reuse(rel, key):
            raise RuntimeError(f"{rel} was not carried over")
    staging.commit()
    return time.perf_counter() - start, time.process_time() - cpu


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    site = args.site.resolve()
    manifest = read_manifest(site)
    if manifest is None:
        ap.error(f"{site} is not a site built here")
    work = site.parent / f".publish-cost-{site.name}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        out = work / "site"
        subprocess.run(["cp", "-al", str(site), str(out)], check=True)
        files = len(manifest["files"])
        _keyed(out)
        copy = [republish(out, "copy") for _ in range(args.rounds)]
        first = republish(out, "standby")
        standby = []
        for _ in range(args.rounds):
            # As between two builds (each takes longer): a folder changed in the last seconds is looked
            # into again by the check (sitegen.sitecheck.RACY_NS).
            time.sleep(RACY_NS / 1e9)
            standby.append(republish(out, "standby"))
        print(f"{files} files, nothing changed; seconds per build's publishing, wall / CPU (rounds: {args.rounds})")
        print(f"copy mode:    {_shown(copy)}")
        print(f"standby mode: {_shown(standby)} (the first, filling the standby: {_shown([first])})")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _shown(times: list[tuple[float, float]]) -> str:
    return "  ".join(f"{wall:.2f} / {cpu:.2f}" for wall, cpu in times)


def _keyed(out: Path) -> None:
    """Give every manifest entry of the scratch copy a key (files carried over by their bytes have
    none), so that `reuse` carries each over as a page job's file is."""
    import orjson

    path = out / ".build-manifest.json"
    manifest = orjson.loads(path.read_bytes())
    manifest["files"] = {rel: [e[0] or "bytes", e[1], e[2]] for rel, e in manifest["files"].items()}
    path.unlink()  # the copy's manifest is a hard link to the site's: never written in place
    path.write_bytes(orjson.dumps(manifest) + b"\n")


if __name__ == "__main__":
    sys.exit(main())
