"""Memory of a process as Linux accounts it: RSS, and PSS (each shared page divided among the processes
mapping it), from /proc/PID/smaps_rollup. PSS is the figure that adds up across workers: N workers
mapping the same catalog files count those pages once in all.

    from bench.memory import process_memory
    process_memory(pid)          # Memory(rss_mb=..., pss_mb=..., ...)
    process_memory()             # this process
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

KB = 1024


@dataclass(frozen=True)
class Memory:
    rss_mb: float  # resident pages, shared ones in full
    pss_mb: float  # resident pages, shared ones divided by the number of processes sharing them
    anonymous_mb: float  # the process's own heap and stacks (what another worker cannot share)
    file_mb: float  # resident pages of mapped files (the catalog's files, libraries): shareable
    peak_rss_mb: float  # VmHWM: the most resident at any time
    private_mb: float = 0.0  # USS: pages no other process maps, what ending this process would free


    def __str__(self) -> str:
        return (f"RSS {self.rss_mb:.0f} MB (peak {self.peak_rss_mb:.0f}), PSS {self.pss_mb:.0f} MB "
                f"(anonymous {self.anonymous_mb:.0f} MB, mapped files {self.file_mb:.0f} MB), "
                f"private {self.private_mb:.0f} MB")


def _fields(path: Path) -> dict[str, int]:
    values = {}
    for line in path.read_text().splitlines():
        name, _, rest = line.partition(":")
        parts = rest.split()
        if len(parts) == 2 and parts[1] == "kB":
            values[name.strip()] = int(parts[0])
    return values


def process_memory(pid: int | None = None) -> Memory:
    proc = Path("/proc") / str(pid or os.getpid())
    rollup = _fields(proc / "smaps_rollup")
    status = _fields(proc / "status")
    return Memory(
        rss_mb=rollup["Rss"] / KB,
        pss_mb=rollup["Pss"] / KB,
        anonymous_mb=rollup.get("Pss_Anon", rollup.get("Anonymous", 0)) / KB,
        file_mb=rollup.get("Pss_File", rollup["Rss"] - rollup.get("Anonymous", 0)) / KB,
        peak_rss_mb=status.get("VmHWM", 0) / KB,
        private_mb=(rollup.get("Private_Clean", 0) + rollup.get("Private_Dirty", 0)) / KB,
    )
