"""The bare FastAPI endpoints each figure is compared with: same server, no app work."""

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

app = FastAPI()
PAGE = "<!doctype html><title>baseline</title>" + "<p>coachdesk baseline</p>" * 200


@app.get("/plain", response_class=HTMLResponse)
async def plain() -> str:
    return PAGE


@app.get("/json")
async def json() -> list[dict[str, object]]:
    return [{"id": n, "name": "session", "seats_left": 20} for n in range(8)]


@app.post("/echo")
async def echo(body: dict[str, object]) -> dict[str, object]:
    return {"received": len(body)}
