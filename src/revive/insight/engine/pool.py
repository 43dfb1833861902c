"""Processes for independent fits and estimates: spawned, not forked (a fork after OpenMP has run in the
parent may hang the child), each given the panel once by its initializer."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor


def spawn_pool(jobs: int, initializer, initargs: tuple) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=initializer,
        initargs=initargs,
    )
