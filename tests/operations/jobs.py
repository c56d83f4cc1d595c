"""Jobs for the scheduler tests."""

import threading

started = threading.Event()
release = threading.Event()
runs: list[str] = []


def slow() -> int:
    runs.append(threading.current_thread().name)
    started.set()
    release.wait(timeout=10)
    return 1


def quick() -> int:
    runs.append("quick")
    return 7


def broken() -> None:
    raise ValueError("Familie Beispiel, Musterweg 1")  # a message that quotes data
