"""The fake Discord's gateway: one websocket at a time, sessions, dispatches and RESUME.

HELLO, heartbeat ACKs, IDENTIFY -> READY + one GUILD_CREATE per guild, RESUME -> the missed
dispatches + RESUMED, and `zlib-stream` transport compression when the client asks for it
(discord.py does unless `zstandard` is installed). Pacer turns member chunking off
(`chunk_guilds_at_startup=False`, no GUILD_MEMBERS intent), so REQUEST_GUILD_MEMBERS (op 8) is
ignored like presence (op 3) and voice state (op 4) updates.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiohttp import WSMsgType, web

from .discord_objects import HEARTBEAT_INTERVAL_MS, Json
from .discord_world import DiscordState


class _GatewayConnection:
    """One websocket; sends are serialised because the zlib stream must stay in order."""

    def __init__(self, ws: web.WebSocketResponse, *, compress: bool) -> None:
        self.ws = ws
        self._zlib = zlib.compressobj() if compress else None
        self._lock = asyncio.Lock()

    async def send(self, frame: Json) -> None:
        text = json.dumps(frame, separators=(",", ":"))
        async with self._lock:
            if self.ws.closed:
                return
            if self._zlib is None:
                await self.ws.send_str(text)
            else:
                data = self._zlib.compress(text.encode()) + self._zlib.flush(zlib.Z_SYNC_FLUSH)
                await self.ws.send_bytes(data)


@dataclass
class _Session:
    id: str
    seq: int = 0
    history: list[Json] = field(default_factory=list)  # dispatched frames, for RESUME



class DiscordGateway:
    """The gateway endpoint of one fake Discord; `dispatch` sends (or keeps for RESUME) events."""

    def __init__(
        self,
        state: DiscordState,
        token: str,
        *,
        url: Callable[[], str],
        notify: Callable[[], Awaitable[None]],
        errors: list[Exception],
        compress: bool,
    ) -> None:
        self.state = state
        self.token = token
        self.compress = compress  # False: plain text frames even if asked
        self._url = url
        self._notify = notify
        self.errors = errors
        self.identify_payloads: list[Json] = []
        self.queries: list[dict[str, str]] = []  # query string of each connection
        self.resumes = 0
        self.ready = asyncio.Event()
        self._session: _Session | None = None
        self._connection: _GatewayConnection | None = None
        self._connections: set[_GatewayConnection] = set()
        self._background: set[asyncio.Task[None]] = set()

    @property
    def identified(self) -> bool:
        """A bot identified, so dispatches have a session (kept for RESUME while it is away)."""
        return self._session is not None

    async def close_all(self) -> None:
        """Close every websocket (the server is stopping)."""
        for connection in list(self._connections):
            await connection.ws.close(code=1001, message=b"fake Discord stopping")

    async def drop(self, code: int) -> None:
        """Close the bot's current websocket with `code`; the session stays resumable."""
        if self._connection is not None:
            await self._connection.ws.close(code=code, message=b"fake Discord dropped you")

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """The `/gateway` websocket: HELLO, then frames until the client or the fake closes."""
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        self.queries.append(dict(request.query))
        wants_zlib = request.query.get("compress") == "zlib-stream"
        connection = _GatewayConnection(ws, compress=wants_zlib and self.compress)
        self._connections.add(connection)
        try:
            await connection.send(
                {
                    "op": 10,
                    "d": {"heartbeat_interval": HEARTBEAT_INTERVAL_MS},
                    "s": None,
                    "t": None,
                }
            )
            async for message in ws:
                if message.type == WSMsgType.TEXT:
                    await self._on_frame(connection, json.loads(message.data))
                elif message.type == WSMsgType.ERROR:
                    break
        except Exception as error:
            self.errors.append(error)
            await ws.close(code=1011, message=b"fake Discord failed")
        finally:
            self._connections.discard(connection)
            if self._connection is connection:
                self._connection = None
        return ws

    async def _on_frame(self, connection: _GatewayConnection, frame: Json) -> None:
        op, payload = frame.get("op"), frame.get("d")
        data: Json = payload if isinstance(payload, dict) else {}
        if op == 1:  # heartbeat
            await connection.send({"op": 11, "d": None, "s": None, "t": None})
        elif op == 2:  # identify
            await self._on_identify(connection, data)
        elif op == 6:  # resume
            await self._on_resume(connection, data)
        # op 3 (presence), 4 (voice state) and 8 (member chunks, which Pacer turns off) change
        # nothing the fake models.

    async def _on_identify(self, connection: _GatewayConnection, data: Json) -> None:
        if data.get("token") != self.token:
            await connection.ws.close(code=4004, message=b"Authentication failed.")
            return
        self.identify_payloads.append(data)
        self.state.intents = int(data.get("intents") or 0)
        self._session = _Session(id=secrets.token_hex(16))
        self._connection = connection
        ready: Json = {
            "v": 10,
            "user": self.state.bot_user(),
            "user_settings": {},
            "session_id": self._session.id,
            "session_type": "normal",
            "resume_gateway_url": self._url(),
            "relationships": [],
            "private_channels": [],
            "presences": [],
            "guilds": [{"id": str(g), "unavailable": True} for g in self.state.guilds],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "auth": {},
            "application": {"id": str(self.state.application_id), "flags": 0},
            "_trace": ["fake-discord"],
        }
        if "shard" in data:
            ready["shard"] = data["shard"]
        await self.dispatch("READY", ready)
        for guild in self.state.guilds.values():
            await self.dispatch("GUILD_CREATE", self.state.guild_create(guild))
        self.ready.set()
        await self._notify()

    async def _on_resume(self, connection: _GatewayConnection, data: Json) -> None:
        session = self._session
        valid = session is not None and data.get("session_id") == session.id
        if not valid or data.get("token") != self.token or session is None:
            await connection.send({"op": 9, "d": False, "s": None, "t": None})
            return
        seen = data.get("seq") or 0
        replayed = 0
        while replayed < len(session.history):  # dispatches may be appended while we send
            frame = session.history[replayed]
            replayed += 1
            if frame["s"] > seen:
                await connection.send(frame)
        # No await between the last length check and this line, so no dispatch is lost.
        self._connection = connection
        await self.dispatch("RESUMED", {"_trace": ["fake-discord"]})
        self.resumes += 1
        await self._notify()

    async def dispatch(self, event: str, data: Json) -> None:
        """Send a DISPATCH with the next sequence number; kept for RESUME if the socket is down."""
        session = self._session
        if session is None:
            raise RuntimeError(f"cannot send {event}: no bot has identified on the fake gateway")
        session.seq += 1
        frame = {"op": 0, "t": event, "s": session.seq, "d": data}
        session.history.append(frame)
        if self._connection is not None:
            await self._connection.send(frame)

    def dispatch_soon(self, event: str, data: Json) -> None:
        task = asyncio.get_running_loop().create_task(self.dispatch(event, data))
        self._background.add(task)
        task.add_done_callback(self._background.discard)
