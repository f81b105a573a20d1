"""A tiny SMTP server that accepts every message and counts it: for `make prod-local` only.

Production mode refuses the console and locmem email backends, so the local production stack
sends real SMTP, here. ``--dir`` writes each message to a file; nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
from pathlib import Path

COUNTER = itertools.count(1)


async def handle(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, out: Path | None
) -> None:
    writer.write(b"220 sink ESMTP\r\n")
    await writer.drain()
    while line := await reader.readline():
        verb = line[:4].upper()
        if verb in {b"EHLO", b"HELO"}:
            writer.write(b"250 sink\r\n")
        elif verb == b"DATA":
            writer.write(b"354 go ahead\r\n")
            await writer.drain()
            body = bytearray()
            while (chunk := await reader.readline()) not in {b".\r\n", b""}:
                body += chunk
            number = next(COUNTER)
            if out is not None:
                (out / f"{number:08d}.eml").write_bytes(bytes(body))
            writer.write(b"250 queued\r\n")
        elif verb == b"QUIT":
            writer.write(b"221 bye\r\n")
            await writer.drain()
            break
        else:  # MAIL, RCPT, RSET, NOOP
            writer.write(b"250 ok\r\n")
        await writer.drain()
    writer.close()


async def main(port: int, out: Path | None) -> None:
    server = await asyncio.start_server(lambda r, w: handle(r, w, out), "127.0.0.1", port)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=2525)
    parser.add_argument("--dir", type=Path)
    args = parser.parse_args()
    if args.dir:
        args.dir.mkdir(parents=True, exist_ok=True)
    asyncio.run(main(args.port, args.dir))
