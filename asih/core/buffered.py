"""An ASGI front for the WSGI app: a request's body is read in full before a thread is taken.

Why: granian's WSGI mode hands a request to one of its few threads as soon as the headers
arrive, and the thread then waits on the body. Eight uploads sending a byte a second held every
thread of `make run`, and cached pages timed out behind them. nginx (the documented deployment)
buffers bodies itself; `make run` has no nginx, so this front does the same job: the body is
received by the event loop, where a slow sender costs a coroutine and nothing else, within a
time limit and a size cap. Only a complete request reaches a thread, which runs the unchanged
WSGI application (page cache, charset guard, Django) exactly as granian's WSGI mode would.
"""

from __future__ import annotations

import asyncio
import io
import sys
from concurrent.futures import ThreadPoolExecutor

REQUEST_TIMEOUT = b"Request body not received in time.\n"
TOO_LARGE = b"Request body too large.\n"
# Answers up to this size are collected in the thread and sent whole by the event loop.
STREAM_ABOVE = 256 * 1024


class BufferedWSGI:
    """Wrap a WSGI application as an ASGI one that buffers request bodies first."""

    def __init__(self, wsgi_app, *, threads: int, body_timeout: float, max_body: int):
        self.wsgi_app = wsgi_app
        self.executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="asih-wsgi")
        self.body_timeout = body_timeout
        self.max_body = max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return  # no websockets here
        headers = scope.get("headers") or []
        declared = _content_length(headers)
        if declared is not None and declared > self.max_body:
            await _plain(send, 413, TOO_LARGE)
            return
        try:
            body = await asyncio.wait_for(self._read_body(receive), self.body_timeout)
        except TimeoutError:
            await _plain(send, 408, REQUEST_TIMEOUT)
            return
        except _TooLarge:
            await _plain(send, 413, TOO_LARGE)
            return
        if body is None:
            return  # the client went away
        loop = asyncio.get_running_loop()
        environ = _environ(scope, body)
        answer = await loop.run_in_executor(self.executor, self._run, environ, send, loop)
        if answer is not None:  # a small answer, whole: sent from here, no thread hand-offs
            status, headers, content = answer
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": content, "more_body": False})

    async def _read_body(self, receive) -> bytes | None:
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                raise _TooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    def _run(self, environ, send, loop):
        """In a worker thread: call the WSGI app. A small answer (a page) is returned whole for
        the event loop to send; a large one (a file) is streamed from here as it is read."""

        def deliver(message):
            # granian's send() returns an awaitable that is not a coroutine: wrap it in one.
            asyncio.run_coroutine_threadsafe(_await(send(message)), loop).result()

        started = {}

        def start_response(status, response_headers, exc_info=None):
            if exc_info and started.get("sent"):
                raise exc_info[1].with_traceback(exc_info[2])
            started["status"] = int(status.split(" ", 1)[0])
            started["headers"] = [
                (name.lower().encode("latin-1"), value.encode("latin-1"))
                for name, value in response_headers
            ]
            return lambda data: None  # the legacy write() callable: unused by Django

        head = environ["REQUEST_METHOD"] == "HEAD"
        result = self.wsgi_app(environ, start_response)
        try:
            held, size = [], 0
            chunks = iter(result)
            for chunk in chunks:
                if chunk and not head:
                    held.append(chunk)
                    size += len(chunk)
                if size > STREAM_ABOVE:
                    break
            else:
                return started["status"], started["headers"], b"".join(held)
            started["sent"] = True
            deliver(
                {
                    "type": "http.response.start",
                    "status": started["status"],
                    "headers": started["headers"],
                }
            )
            deliver({"type": "http.response.body", "body": b"".join(held), "more_body": True})
            for chunk in chunks:
                if chunk:
                    deliver({"type": "http.response.body", "body": chunk, "more_body": True})
            deliver({"type": "http.response.body", "body": b"", "more_body": False})
            return None
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()

    async def _lifespan(self, receive, send):
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self.executor.shutdown(wait=False)
                await send({"type": "lifespan.shutdown.complete"})
                return


async def _await(awaitable):
    return await awaitable


class _TooLarge(Exception):
    pass


def _content_length(headers) -> int | None:
    for name, value in headers:
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _plain(send, status: int, text: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(text)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": text, "more_body": False})


def _environ(scope, body: bytes) -> dict:
    """The WSGI environ (PEP 3333) for an ASGI HTTP scope and its complete body."""
    server = scope.get("server") or ("127.0.0.1", 80)
    client = scope.get("client") or ("", 0)
    # PEP 3333: PATH_INFO is the decoded path's bytes as latin-1 text.
    path = scope["path"].encode("utf-8").decode("latin-1")
    root = scope.get("root_path", "").encode("utf-8").decode("latin-1")
    environ = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": root,
        "PATH_INFO": path[len(root) :] if root and path.startswith(root) else path,
        "QUERY_STRING": scope.get("query_string", b"").decode("latin-1"),
        "SERVER_NAME": str(server[0]),
        "SERVER_PORT": str(server[1]),
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "REMOTE_ADDR": str(client[0]),
        "REMOTE_PORT": str(client[1]),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for raw_name, raw_value in scope.get("headers") or []:
        name = raw_name.decode("latin-1").upper().replace("-", "_")
        value = raw_value.decode("latin-1")
        if name == "CONTENT_LENGTH":
            continue  # set from the body actually received, below
        if name == "CONTENT_TYPE":
            environ["CONTENT_TYPE"] = value
            continue
        key = f"HTTP_{name}"
        if key in environ:
            separator = "; " if key == "HTTP_COOKIE" else ","
            environ[key] = f"{environ[key]}{separator}{value}"
        else:
            environ[key] = value
    if body:
        environ["CONTENT_LENGTH"] = str(len(body))
    return environ
