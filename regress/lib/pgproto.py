"""pgproto.py: a minimal PostgreSQL v3 protocol client for tests that must see
what libpq hides: the SQLSTATE of a failed authentication, the SCRAM server
signature, raw CancelRequests.

    fields = pgproto.connect_error(port, "alice", password="wrong")
    # -> None when the login succeeded, else the ErrorResponse fields {'C': '28P01', ...}

Implements trust, cleartext password and SCRAM-SHA-256 (RFC 5802/7677,
without channel binding) with only the standard library.
"""
import base64
import hashlib
import hmac
import os
import socket
import struct


class ProtocolError(Exception):
    pass


def _recv_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ProtocolError("server closed the connection")
        buf += chunk
    return buf


def read_message(sock):
    head = _recv_exact(sock, 5)
    mtype, length = head[:1], struct.unpack("!I", head[1:])[0]
    if length < 4 or length > (1 << 26):
        raise ProtocolError("bad message length %d" % length)
    return mtype, _recv_exact(sock, length - 4)


def send_message(sock, mtype, body):
    sock.sendall(mtype + struct.pack("!I", len(body) + 4) + body)


def error_fields(body):
    fields = {}
    for part in body.split(b"\0"):
        if part:
            fields[chr(part[0])] = part[1:].decode("utf-8", "replace")
    return fields


def startup(sock, user, database="laminar", **params):
    body = struct.pack("!I", 196608)
    items = {"user": user, "database": database}
    items.update(params)
    for k, v in items.items():
        body += k.encode() + b"\0" + v.encode() + b"\0"
    body += b"\0"
    sock.sendall(struct.pack("!I", len(body) + 4) + body)


def _scram(sock, password, body):
    mechanisms = [m for m in body[4:].split(b"\0") if m]
    if b"SCRAM-SHA-256" not in mechanisms:
        raise ProtocolError("server offers %r" % mechanisms)
    nonce = base64.b64encode(os.urandom(18)).decode()
    first_bare = "n=,r=" + nonce
    first = "n,," + first_bare
    send_message(sock, b"p", b"SCRAM-SHA-256\0" + struct.pack("!i", len(first)) + first.encode())
    mtype, body = read_message(sock)
    if mtype == b"E":
        return error_fields(body)
    code = struct.unpack("!I", body[:4])[0]
    if mtype != b"R" or code != 11:
        raise ProtocolError("expected SASLContinue, got %r %r" % (mtype, code))
    server_first = body[4:].decode()
    attrs = dict(a.split("=", 1) for a in server_first.split(","))
    if not attrs["r"].startswith(nonce):
        raise ProtocolError("server nonce does not extend the client nonce")
    salt = base64.b64decode(attrs["s"])
    iterations = int(attrs["i"])
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    stored_key = hashlib.sha256(client_key).digest()
    final_bare = "c=biws,r=" + attrs["r"]
    auth_message = ",".join([first_bare, server_first, final_bare]).encode()
    signature = hmac.new(stored_key, auth_message, hashlib.sha256).digest()
    proof = bytes(a ^ b for a, b in zip(client_key, signature))
    final = final_bare + ",p=" + base64.b64encode(proof).decode()
    send_message(sock, b"p", final.encode())
    mtype, body = read_message(sock)
    if mtype == b"E":
        return error_fields(body)
    code = struct.unpack("!I", body[:4])[0]
    if mtype != b"R" or code != 12:
        raise ProtocolError("expected SASLFinal, got %r %r" % (mtype, code))
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()
    want = base64.b64encode(hmac.new(server_key, auth_message, hashlib.sha256).digest()).decode()
    got = dict(a.split("=", 1) for a in body[4:].decode().split(","))
    if got.get("v") != want:
        raise ProtocolError("wrong SCRAM server signature")
    return None


def connect_error(port, user, password=None, database="laminar", timeout=10):
    """Logs in; returns None on ReadyForQuery, the ErrorResponse fields otherwise.
    Raises ProtocolError when the server misbehaves (e.g. a bad SCRAM signature)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        startup(sock, user, database)
        while True:
            mtype, body = read_message(sock)
            if mtype == b"E":
                return error_fields(body)
            if mtype == b"Z":
                send_message(sock, b"X", b"")
                return None
            if mtype != b"R":
                continue
            code = struct.unpack("!I", body[:4])[0]
            if code == 0:
                continue
            if code == 3:  # cleartext password
                if password is None:
                    raise ProtocolError("server asked for a password")
                send_message(sock, b"p", password.encode() + b"\0")
            elif code == 5:
                raise ProtocolError("server asked for MD5, which Laminar does not offer")
            elif code == 10:
                if password is None:
                    raise ProtocolError("server asked for SCRAM")
                err = _scram(sock, password, body)
                if err is not None:
                    return err
            else:
                raise ProtocolError("unexpected authentication request %d" % code)


def auth_method(port, user, database="laminar", timeout=10):
    """The first authentication request the server sends: 'ok', 'password', 'scram', or the error fields."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        startup(sock, user, database)
        mtype, body = read_message(sock)
        if mtype == b"E":
            return error_fields(body)
        code = struct.unpack("!I", body[:4])[0]
        return {0: "ok", 3: "password", 10: "scram"}.get(code, "code %d" % code)


def send_cancel(port, pid, key):
    """Sends a CancelRequest; the server closes the connection without a reply."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(struct.pack("!IIII", 16, 80877102, pid & 0xFFFFFFFF, key & 0xFFFFFFFF))
        try:
            return sock.recv(1) == b""
        except OSError:
            return True
