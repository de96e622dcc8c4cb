#!/usr/bin/env python3
"""Byte pipes between network namespaces over Unix sockets, so a real node can live in its own
network namespace (its own loopback) and still meet the control plane on loopback only.

    bridge.py unix-to-tcp SOCKET HOST:PORT   listen on SOCKET, connect each client to HOST:PORT
    bridge.py tcp-to-unix HOST:PORT SOCKET   listen on HOST:PORT, connect each client to SOCKET
    bridge.py egress SOCKET DIR              the apiserver's HTTP CONNECT egress proxy: a CONNECT
                                             to any host on port P goes to DIR/P.sock when a real
                                             node put it there, else to 127.0.0.1:P (kwok)

The processes are started by realnode.sh and up.sh and stopped by PID like the rest.
"""
import asyncio
import os
import sys


async def pipe(reader, writer):
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        try:
            writer.close()
        except OSError:
            pass


async def splice(client_reader, client_writer, upstream):
    try:
        up_reader, up_writer = await upstream
    except OSError:
        client_writer.close()
        return
    await asyncio.gather(pipe(client_reader, up_writer), pipe(up_reader, client_writer))


def host_port(text):
    host, _, port = text.rpartition(":")
    return host, int(port)


async def egress_client(reader, writer, folder):
    head = await reader.readuntil(b"\r\n\r\n")
    words = head.split(b"\r\n", 1)[0].split()
    if len(words) != 3 or words[0] != b"CONNECT":
        writer.write(b"HTTP/1.1 405 Method Not Allowed\r\n\r\n")
        writer.close()
        return
    _, port = host_port(words[1].decode())
    node_socket = os.path.join(folder, f"{port}.sock")
    if os.path.exists(node_socket):
        upstream = asyncio.open_unix_connection(node_socket)
    else:
        upstream = asyncio.open_connection("127.0.0.1", port)
    try:
        up_reader, up_writer = await upstream
    except OSError:
        writer.write(b"HTTP/1.1 502 Bad Gateway\r\n\r\n")
        writer.close()
        return
    writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
    await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))


def listen_unix(path, handler):
    if os.path.exists(path):
        os.unlink(path)
    return asyncio.start_unix_server(handler, path)


async def main(mode, first, second):
    if mode == "unix-to-tcp":
        host, port = host_port(second)
        server = await listen_unix(
            first, lambda r, w: splice(r, w, asyncio.open_connection(host, port))
        )
    elif mode == "tcp-to-unix":
        host, port = host_port(first)
        server = await asyncio.start_server(
            lambda r, w: splice(r, w, asyncio.open_unix_connection(second)), host, port
        )
    elif mode == "egress":
        server = await listen_unix(first, lambda r, w: egress_client(r, w, second))
    else:
        sys.exit(__doc__)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    asyncio.run(main(*sys.argv[1:]))
