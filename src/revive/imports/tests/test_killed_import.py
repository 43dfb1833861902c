"""An import killed midway (SIGKILL while it writes) leaves the database as it was: a file is all or nothing."""

import csv
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

ROWS = 20_000


def _revive(env, *args, **kwargs):
    return subprocess.run([sys.executable, "-m", "revive", *args], env=env, capture_output=True, text=True,
                          check=True, **kwargs)  # fmt: skip


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
@pytest.mark.own_database
def test_import_killed_while_writing_leaves_nothing_behind(tmp_path):
    db = tmp_path / "kill.sqlite3"
    env = {**os.environ, "REVIVE_DATABASE_URL": f"sqlite:///{db}", "REVIVE_DEBUG": "1"}
    _revive(env, "migrate", "-v0")
    _revive(env, "load-reference")
    _revive(env, "shell", "-c", (
        "from revive.registry.models import IndustrialPark, Province;"
        "IndustrialPark.objects.create(code='P-20-001', name_fa='شهرک صنعتی سمنان ۱', name_en='Semnan 1',"
        " name_key='semnan1', province=Province.objects.get(code='IR-20'))"
    ))  # fmt: skip
    units = tmp_path / "units.csv"
    with units.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["business_id", "name_fa", "park", "sector", "size_class", "employees"])
        for i in range(ROWS):
            writer.writerow([f"2000{i:08d}", f"واحد آزمایشی {i}", "P-20-001", "24", "small", 10])

    def count() -> int:
        with sqlite3.connect(db) as conn:
            return conn.execute("SELECT COUNT(*) FROM registry_productionunit").fetchone()[0]

    wal = tmp_path / "kill.sqlite3-wal"
    baseline = wal.stat().st_size if wal.exists() else 0
    child = subprocess.Popen([sys.executable, "-m", "revive", "import", "units", str(units)], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 120
    # The write-ahead log grows only while the import's transaction writes: kill it right then.
    while child.poll() is None and time.monotonic() < deadline:
        if wal.exists() and wal.stat().st_size > baseline + 2_000_000:
            child.send_signal(signal.SIGKILL)
            break
        time.sleep(0.01)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL, "the import finished before it could be killed while writing"
    assert count() == 0  # nothing of the killed import is visible

    # The same file imports whole afterwards: the database recovered by itself.
    _revive(env, "import", "units", str(units), timeout=300)
    assert count() == ROWS
