"""A statsrv client from scratch, with only socket, struct and msgpack (see protocol/SPEC.md).

python examples/raw_client.py --port 7070 --object Campaign:Spring2027 --stat DialsMade
"""
# ruff: noqa: T201

import argparse
import socket
import struct

import msgpack


def send(sock: socket.socket, message: dict) -> None:
    body = msgpack.packb(message)  # one map with str keys; its "Message" names it
    sock.sendall(struct.pack(">I", len(body)) + body)  # 4-byte big-endian length, then body


def receive(stream) -> dict:  # stream: the socket's buffered reader (sock.makefile)
    prefix = stream.read(4)
    if len(prefix) < 4:
        raise ConnectionError("the server closed the connection")
    return msgpack.unpackb(stream.read(struct.unpack(">I", prefix)[0]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=7070)
    parser.add_argument("--object", default="Campaign:Spring2027", help="ObjectType:ObjectId")
    parser.add_argument("--stat", default="DialsMade", help="a configured statistic type")
    parser.add_argument("--count", type=int, default=0, help="exit after N values (0: never)")
    args = parser.parse_args()
    object_type, object_id = args.object.split(":", 1)
    register = {"ReferenceId": 1, "ClientName": "raw-client", "ProtocolVersion": 1}
    target = {"ObjectType": object_type, "ObjectId": object_id}
    metric = {"StatisticType": args.stat}
    with socket.create_connection((args.host, args.port)) as sock, sock.makefile("rb") as stream:
        send(sock, {"Message": "RequestRegisterClient", **register})
        send(sock, {"Message": "RequestOpenStatistic", "ReferenceId": 2,
                    "StatisticObject": target, "StatisticMetric": metric})  # fmt: skip
        values = 0
        while args.count == 0 or values < args.count:
            message = receive(stream)
            if message["Message"] == "EventError":
                raise SystemExit(f"refused: {message['ErrorName']}: {message['Description']}")
            if message["Message"] == "EventInfo":
                print(f"{args.object} {args.stat} = {message['Value']}", flush=True)
                values += 1
            else:
                print(message["Message"], flush=True)


if __name__ == "__main__":
    main()
