from coachdesk.web.cache import MicroCache


class Timer:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def test_values_are_reused_for_the_configured_time_then_reloaded() -> None:
    timer = Timer()
    cache = MicroCache(1.0, timer)
    loads = []

    async def load() -> int:
        loads.append(1)
        return len(loads)

    assert await cache.get("k", load) == 1
    timer.now += 0.9
    assert await cache.get("k", load) == 1
    timer.now += 0.2
    assert await cache.get("k", load) == 2


async def test_zero_seconds_means_no_cache() -> None:
    cache = MicroCache(0)
    calls = []

    async def load() -> int:
        calls.append(1)
        return len(calls)

    assert [await cache.get("k", load) for _ in range(3)] == [1, 2, 3]
