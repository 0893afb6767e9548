#!/usr/bin/env python3
"""aozrun interop peer: a WebSocket relay written with the Python `websockets` package.

Same contract as the playground's relay (src/playground/server.ts), written independently:

* clients connect to ``/v3/<channel>`` with any query string (e.g. ``?api_key=...&notify_self``);
* every message a client sends (text or binary, kept as it is) goes to every *other* client on the
  same channel, and back to the sender too when its query has ``notify_self`` (bare or with a value);
* channels are independent;
* a WebSocket handshake on any other path is refused with HTTP 404.

Usage:  /usr/bin/python3 relay.py PORT [HOST] [--exit-on-stdin-eof]
PORT 0 picks a free port. Prints ``READY <port>`` on stdout once listening.
Written for websockets 10.4 (Debian bookworm's python3-websockets); works with 10.x to 13.x.
"""

import asyncio
import http
import signal
import sys
from urllib.parse import parse_qsl, urlsplit

try:  # websockets >= 14 moved this API here; 10.x-13.x have it at the same place too
    from websockets.legacy.server import serve
except ImportError:  # pragma: no cover - very old releases
    from websockets import serve

try:
    from websockets import broadcast
except ImportError:  # pragma: no cover - websockets < 10
    broadcast = None

MAX_MESSAGE_BYTES = 64 * 1024 * 1024

# channel name -> {connection: notify_self}
channels = {}


def parse_target(target):
    """Returns (channel, notify_self) for a /v3/<channel> request target, else None."""
    parts = urlsplit(target)
    segments = parts.path.split("/")
    if len(segments) != 3 or segments[0] != "" or segments[1] != "v3" or segments[2] == "":
        return None
    notify_self = any(
        key.lower() == "notify_self" for key, _ in parse_qsl(parts.query, keep_blank_values=True)
    )
    return segments[2], notify_self


async def refuse_other_paths(path, request_headers):
    if parse_target(path) is None:
        return http.HTTPStatus.NOT_FOUND, [("Content-Type", "text/plain; charset=utf-8")], b"not found"
    return None


def send_to(targets, message):
    if broadcast is not None:
        try:
            broadcast(targets, message)
            return
        except Exception:  # e.g. a fragmented send in progress: fall back to one by one
            pass
    for target in targets:
        asyncio.ensure_future(_send_quietly(target, message))


async def _send_quietly(target, message):
    try:
        await target.send(message)
    except Exception:
        pass


# Declared with an optional second parameter: websockets 10.x calls it with (websocket) and the
# request target is then websocket.path; older releases pass (websocket, path).
async def handler(websocket, path=None):
    target = path if path is not None else websocket.path
    parsed = parse_target(target)
    if parsed is None:  # already refused by refuse_other_paths; kept as a safety net
        await websocket.close(code=1008, reason="not found")
        return
    channel, notify_self = parsed
    members = channels.setdefault(channel, {})
    members[websocket] = notify_self
    try:
        async for message in websocket:
            current = channels.get(channel, {})
            targets = [
                member
                for member, member_notify_self in current.items()
                if member is not websocket or member_notify_self
            ]
            send_to(targets, message)
    except Exception:
        pass  # a client that vanishes must not disturb the others
    finally:
        members = channels.get(channel)
        if members is not None:
            members.pop(websocket, None)
            if not members:
                channels.pop(channel, None)


async def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    if not args:
        print("usage: relay.py PORT [HOST] [--exit-on-stdin-eof]", file=sys.stderr)
        return 64
    port = int(args[0])
    host = args[1] if len(args) > 1 else "127.0.0.1"

    loop = asyncio.get_running_loop()
    stop = loop.create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))
        except (NotImplementedError, RuntimeError):
            pass
    if "--exit-on-stdin-eof" in argv:
        # the parent test process holds our stdin: when it goes away, so do we
        def on_stdin():
            if not sys.stdin.buffer.read1(4096) and not stop.done():
                stop.set_result(None)

        loop.add_reader(sys.stdin.fileno(), on_stdin)

    async with serve(
        handler,
        host,
        port,
        process_request=refuse_other_paths,
        max_size=MAX_MESSAGE_BYTES,
    ) as server:
        actual_port = server.sockets[0].getsockname()[1]
        print(f"READY {actual_port}", flush=True)
        await stop
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
