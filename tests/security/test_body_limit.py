"""Bodies over a route's limit are refused before they are read (issue 11 #17)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx

MB = 1024 * 1024


class Counted:
    """A 50 MB body handed over in 64 KB pieces, counting what the server pulled."""

    def __init__(self, size: int = 50 * MB) -> None:
        self.size, self.pulled = size, 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        piece = b"[" + b"1," * (32 * 1024 - 1) + b"1"
        while self.pulled < self.size:
            self.pulled += len(piece)
            yield piece


async def test_a_declared_huge_json_body_is_refused_unread(client: httpx.AsyncClient) -> None:
    body = Counted()
    response = await client.post(
        "/api/v1/bookings",
        content=body,
        headers={"Content-Type": "application/json", "Content-Length": str(body.size)},
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert "trop volumineux" in response.json()["error"]["message"]
    assert body.pulled <= MB


async def test_a_chunked_huge_body_is_cut_at_the_limit(client: httpx.AsyncClient) -> None:
    body = Counted()
    response = await client.post(
        "/api/v1/chat/start", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert body.pulled <= 2 * MB


async def test_a_form_page_says_it_in_the_visitor_s_language(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/coach/login",
        content=b"email=" + b"a" * (2 * MB),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept-Language": "de"},
    )
    assert response.status_code == 413 and "text/html" in response.headers["content-type"]
    assert "zu gross" in response.text


async def test_a_normal_body_still_passes(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/chat/start", json={"name": "Léa"})
    assert response.status_code == 422  # read and checked: no e-mail given
