"""Two people doing the same thing at the same moment, for the tests of integrity under
concurrency: each action on a real database connection of its own (a thread each)."""

import threading
import time

from django.db import connection


def at_the_same_moment(*actions) -> list:
    """Run each action in its own thread (its own database connection), all released at
    once; the outcome of each, in order: its result, or the exception it raised."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait()
            outcomes[index] = action()
        except Exception as error:  # the outcome under test
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, action)) for index, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def slow_down(monkeypatch, owner, name: str) -> None:
    """Hold the transaction open for a moment after ``owner.<name>``, so that without the
    protection under test both actions would pass their checks."""
    original = getattr(owner, name)

    def slow(*args, **kwargs):
        result = original(*args, **kwargs)
        time.sleep(0.5)
        return result

    monkeypatch.setattr(owner, name, slow)
