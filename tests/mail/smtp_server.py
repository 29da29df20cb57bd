#!/usr/bin/python3
"""A throwaway SMTP server for the tests in tests/mail/, on aiosmtpd.

    /usr/bin/python3 smtp_server.py MAIL_DIR [--port PORT] [--user USER --password PASSWORD]
                                             [--starttls-cert CERT --starttls-key KEY]
                                             [--tls-cert CERT --tls-key KEY]

Listens on 127.0.0.1 and a free port (or PORT), prints "listening PORT" on stdout once it
accepts connections, and runs until SIGTERM or SIGINT. Each message received is saved in
MAIL_DIR as N.eml (the bytes of DATA) with N.json beside it ({"mail_from": ..., "rcpt_tos":
[...], "auth": LOGIN-OR-null, "tls": BOOL}); the JSON is written last, so a file that exists
is complete.

With --user and --password, AUTH LOGIN and PLAIN accept that pair only, also without TLS.
With --starttls-cert and --starttls-key, the server offers STARTTLS and refuses every
command but EHLO, STARTTLS and QUIT before it. With --tls-cert and --tls-key, the server
speaks TLS from the first byte (implicit TLS, as for smtps://) and offers no STARTTLS.
"tls" in the JSON is true when the message came over TLS of either kind.
"""
import argparse
import itertools
import json
import os
import signal
import socket
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class SaveToFolder:
    def __init__(self, folder):
        self.folder = folder
        self.numbers = itertools.count(1)
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            n = next(self.numbers)
        base = os.path.join(self.folder, str(n))
        with open(base + ".eml", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        info = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "auth": session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword)
                    else None,
            "tls": session.ssl is not None
                   or server.transport.get_extra_info("ssl_object") is not None,
        }
        with open(base + ".json.tmp", "w", encoding="utf-8") as f:
            json.dump(info, f)
        os.rename(base + ".json.tmp", base + ".json")
        return "250 Message accepted"


def authenticator_for(user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == user.encode()
              and auth_data.password == password.encode())
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)
    return authenticate


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mail_dir")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--starttls-cert")
    parser.add_argument("--starttls-key")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    if args.starttls_cert and args.tls_cert:
        parser.error("--starttls-cert and --tls-cert exclude each other")

    options = {}
    if args.user is not None:
        options.update(authenticator=authenticator_for(args.user, args.password or ""),
                       auth_require_tls=False)
    if args.starttls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.starttls_cert, args.starttls_key)
        options.update(tls_context=context, require_starttls=True)
    if args.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        options.update(ssl_context=context)

    controller = Controller(SaveToFolder(args.mail_dir), hostname="127.0.0.1",
                            port=args.port or free_port(), **options)
    controller.start()
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    print(f"listening {controller.port}", flush=True)
    stopped.wait()
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
