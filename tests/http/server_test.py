#!/usr/bin/python3
"""Tests of the HTTP transport through `tfa serve`, over loopback with raw sockets: status
codes for bad requests, limits, timeouts, keep-alive, the access log and graceful shutdown.

    /usr/bin/python3 server_test.py PATH/TO/tfa [unittest options]

Each server listens on 127.0.0.1:0 and announces its port on stdout; its log (stderr) goes to
a file the cases read.
"""
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

TFA = ""
START_TIMEOUT = 30  # generous for sanitizer builds
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    "cross-origin-opener-policy": "same-origin",
    "cache-control": "no-store",
}


def clean_environment(**extra):
    # TFA_* variables of whoever runs the suite would change what tfa reads; none may leak in.
    env = {k: v for k, v in os.environ.items() if not k.startswith("TFA_")}
    # Cheap password hashing: no case here hashes, but opening the services must not be slow.
    env.update(TFA_PASSWORD_ARGON2_OPS="1", TFA_PASSWORD_ARGON2_MEMORY_KIB="8")
    # Every case signs up from 127.0.0.1; the cases of that limit set it themselves.
    env.update(TFA_SIGNUP_PER_ADDRESS="1000000")
    env.update(extra)
    return env


class Server:
    """One `tfa serve` process with its own data directory."""

    def __init__(self, args=(), data_dir=None, cpus=None, **env):
        """`data_dir`: another server's data folder, to run a second instance on one database;
        by default a new folder of its own. `cpus`: a set of CPU numbers to keep the server on
        (all its threads), for tests that compare timings."""
        self.dir = tempfile.mkdtemp(prefix="tfa-http-test-")
        self.log_path = os.path.join(self.dir, "stderr.log")
        self.log = open(self.log_path, "wb")
        self.data_dir = data_dir or os.path.join(self.dir, "data")
        self.process = subprocess.Popen(
            [TFA, "serve", "--listen", "127.0.0.1:0", "--data-dir", self.data_dir, *args],
            stdout=subprocess.PIPE, stderr=self.log, env=clean_environment(**env),
            preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None)
        self.port = self._read_port()

    def _read_port(self):
        ready, _, _ = select.select([self.process.stdout], [], [], START_TIMEOUT)
        line = self.process.stdout.readline().decode() if ready else ""
        match = re.fullmatch(r"tfa listening on http://127\.0\.0\.1:(\d+)\n", line)
        if not match:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"no listening line, got {line!r}; log: {self.log_text()}")
        return int(match.group(1))

    def connect(self, timeout=10):
        return socket.create_connection(("127.0.0.1", self.port), timeout=timeout)

    def log_text(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def wait_for_log(self, pattern, timeout=5):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if re.search(pattern, self.log_text()):
                return self.log_text()
            time.sleep(0.05)
        raise AssertionError(f"{pattern!r} not in log: {self.log_text()}")

    def terminate(self, timeout=10):
        """SIGTERM; returns the exit status."""
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=timeout)

    def close(self):
        """Stops the server with SIGTERM if it still runs, and fails when it did not exit 0 or
        a sanitizer reported anything (sanitizer builds print to stderr, the log file)."""
        try:
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGTERM)
                try:
                    self.process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
            log = self.log_text()
            if re.search(r"AddressSanitizer|LeakSanitizer|runtime error:", log):
                raise AssertionError("sanitizer report in the server's log:\n" + log)
            if self.process.returncode != 0:
                raise AssertionError(f"server exited {self.process.returncode}:\n{log}")
        finally:
            self.process.stdout.close()
            self.log.close()
            shutil.rmtree(self.dir, ignore_errors=True)


def request(method="GET", target="/healthz", headers=(), body=b"", version="HTTP/1.1"):
    lines = [f"{method} {target} {version}", "Host: 127.0.0.1", *headers]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def read_until_closed(sock, timeout=10):
    sock.settimeout(timeout)
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk


def parse_responses(data):
    """Splits consecutive responses with Content-Length: [(status, headers, body), ...]."""
    responses = []
    while data:
        head, sep, rest = data.partition(b"\r\n\r\n")
        if not sep:
            raise AssertionError(f"incomplete response: {data!r}")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        responses.append((int(status_line.split(" ")[1]), headers, rest[:length]))
        data = rest[length:]
    return responses


def read_one_response(sock, timeout=10):
    """Reads exactly one response with Content-Length from a kept-alive connection."""
    sock.settimeout(timeout)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise AssertionError(f"closed before a whole response: {data!r}")
        data += chunk
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    length = int(re.search(r"(?im)^content-length:\s*(\d+)", head).group(1))
    while len(data) < len(head) + 4 + length:
        data += sock.recv(65536)
    return parse_responses(data)[0]


def exchange(server, raw):
    """Sends `raw`, reads until the server closes; the parsed responses."""
    with server.connect() as sock:
        sock.sendall(raw)
        return parse_responses(read_until_closed(sock))



class OwnServer:
    """For a TestCase class whose cases share one server of their own: started before the
    first case with `server_args` and `server_env`, stopped (and checked) after the last."""

    server_args = ()
    server_env = {}
    server_cpus = None

    @classmethod
    def setUpClass(cls):
        cls.server = Server(cls.server_args, cpus=cls.server_cpus, **cls.server_env)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()


class DefaultServerTest(unittest.TestCase):
    """Cases that share one server with the default settings."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def test_healthz_answers_ok_with_the_security_headers(self):
        [(status, headers, body)] = exchange(self.server, request(headers=["Connection: close"]))
        self.assertEqual(status, 200)
        self.assertEqual(body, b"ok")
        self.assertEqual(headers["content-type"], "text/plain; charset=utf-8")
        for name, value in SECURITY_HEADERS.items():
            self.assertEqual(headers.get(name), value, name)
        self.assertEqual(headers.get("connection"), "close")

    def test_keep_alive_serves_two_requests_on_one_connection(self):
        with self.server.connect() as sock:
            for _ in range(2):
                sock.sendall(request())
                status, headers, body = read_one_response(sock)
                self.assertEqual((status, body), (200, b"ok"))
                self.assertNotIn("connection", headers)

    def test_pipelined_requests_are_answered_in_order(self):
        raw = request(target="/healthz") + request(target="/nope") + \
            request(headers=["Connection: close"])
        self.assertEqual([r[0] for r in exchange(self.server, raw)], [200, 404, 200])

    def test_http_1_0_closes_after_the_response(self):
        [(status, _, body)] = exchange(self.server, request(version="HTTP/1.0"))
        self.assertEqual((status, body), (200, b"ok"))

    def test_a_target_in_absolute_form_is_served_by_its_path(self):
        for target in ("http://127.0.0.1/healthz", "HTTP://example.com:8080/healthz?x=1"):
            [(status, _, body)] = exchange(self.server, request(target=target, headers=["Connection: close"]))
            self.assertEqual((status, body), (200, b"ok"), target)
        [(status, _, _)] = exchange(self.server, request(target="http://127.0.0.1", headers=["Connection: close"]))
        self.assertEqual(status, 303, "the console's / redirects")

    def test_unknown_path_is_404(self):
        [(status, headers, _)] = exchange(self.server, request(target="/nope",
                                                               headers=["Connection: close"]))
        self.assertEqual(status, 404)
        self.assertEqual(headers["x-frame-options"], "DENY")

    def test_other_method_is_405_with_allow(self):
        for method in ("POST", "DELETE", "BREW"):
            [(status, headers, _)] = exchange(
                self.server, request(method=method, headers=["Connection: close"]))
            self.assertEqual(status, 405, method)
            self.assertEqual(headers["allow"], "GET, HEAD", method)

    def test_head_gets_the_headers_of_get_without_a_body(self):
        # The HEAD's response ends at its headers: the next bytes are the GET's status line.
        with self.server.connect() as sock:
            sock.sendall(request(method="HEAD") + request(headers=["Connection: close"]))
            data = read_until_closed(sock)
        head, _, rest = data.partition(b"\r\n\r\n")
        self.assertTrue(head.startswith(b"HTTP/1.1 200 OK\r\n"), data)
        self.assertIn(b"Content-Length: 2", head.split(b"\r\n"))
        self.assertTrue(rest.startswith(b"HTTP/1.1 200 OK\r\n"), data)
        self.assertTrue(rest.endswith(b"\r\n\r\nok"), data)

    def test_expect_100_continue_gets_continue_then_the_response(self):
        with self.server.connect() as sock:
            sock.sendall(request(method="POST", target="/healthz",
                                 headers=["Expect: 100-continue", "Content-Length: 4",
                                          "Connection: close"]))
            sock.settimeout(5)
            self.assertEqual(sock.recv(65536), b"HTTP/1.1 100 Continue\r\n\r\n")
            sock.sendall(b"body")
            [(status, _, _)] = parse_responses(read_until_closed(sock))
            self.assertEqual(status, 405)

    def test_header_over_the_limit_is_431(self):
        raw = request(headers=["X-Padding: " + "a" * 20 * 1024])
        [(status, headers, body)] = exchange(self.server, raw)
        self.assertEqual(status, 431)
        self.assertEqual(headers["connection"], "close")
        self.assertEqual(headers["content-type"], "text/plain; charset=utf-8")

    def test_body_over_the_limit_is_413(self):
        raw = request(method="POST", body=b"x" * 100 * 1024)
        [(status, headers, _)] = exchange(self.server, raw)
        self.assertEqual(status, 413)
        self.assertEqual(headers["connection"], "close")

    def test_chunked_body_over_the_limit_is_413(self):
        chunk = b"x" * 32 * 1024
        raw = request(method="POST", headers=["Transfer-Encoding: chunked"]) + \
            (b"8000\r\n" + chunk + b"\r\n") * 3 + b"0\r\n\r\n"
        self.assertEqual(exchange(self.server, raw)[0][0], 413)

    def test_garbage_is_400(self):
        for raw in (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage\r\n\r\n",
                    b"GET /healthz HTTP/9.9\r\n\r\n",
                    b"GET /healthz HTTP/1.1\r\nBad Header\r\n\r\n",
                    b"POST /healthz HTTP/1.1\r\nContent-Length: -5\r\n\r\n"):
            [(status, headers, _)] = exchange(self.server, raw)
            self.assertEqual(status, 400, raw)
            self.assertEqual(headers["connection"], "close")

    def test_server_survives_the_bad_requests(self):
        self.test_garbage_is_400()
        self.test_header_over_the_limit_is_431()
        self.test_healthz_answers_ok_with_the_security_headers()

    def test_access_log_has_the_path_but_never_the_query(self):
        [(status, _, _)] = exchange(self.server, request(
            target="/healthz?token=SECRET123",
            headers=["Connection: close", "User-Agent: probe/1.0\t \"x\""]))
        self.assertEqual(status, 200)
        log = self.server.wait_for_log(r'"GET /healthz" 200 \d+ [\d.]+ms "probe/1\.0 \\"x\\""')
        self.assertIn('127.0.0.1 "GET /healthz" 200', log)
        self.assertNotIn("SECRET123", log)
        self.assertNotIn("token=", log)

    def test_forwarded_headers_from_an_untrusted_peer_are_ignored(self):
        exchange(self.server, request(target="/healthz?untrusted",
                                      headers=["X-Forwarded-For: 203.0.113.9",
                                               "User-Agent: untrusted-probe",
                                               "Connection: close"]))
        log = self.server.wait_for_log(r"untrusted-probe")
        line = next(l for l in log.splitlines() if "untrusted-probe" in l)
        self.assertIn("127.0.0.1", line)
        self.assertNotIn("203.0.113.9", line)

    def test_a_busy_port_is_exit_1_with_the_address(self):
        result = subprocess.run(
            [TFA, "serve", "--listen", f"127.0.0.1:{self.server.port}",
             "--data-dir", os.path.join(self.server.dir, "data2")],
            capture_output=True, text=True, timeout=START_TIMEOUT, env=clean_environment())
        self.assertEqual(result.returncode, 1, result)
        self.assertIn(f"cannot listen on 127.0.0.1:{self.server.port}", result.stderr)
        self.assertIn("in use", result.stderr)
        self.assertEqual(result.stdout, "")

    def test_a_bad_listen_value_is_exit_2(self):
        for value in ("localhost:8080", "127.0.0.1", "127.0.0.1:65536", "::1:80", "[::1]"):
            result = subprocess.run(
                [TFA, "serve", "--listen", value, "--data-dir",
                 os.path.join(self.server.dir, "data3")],
                capture_output=True, text=True, timeout=START_TIMEOUT, env=clean_environment())
            self.assertEqual(result.returncode, 2, (value, result))
            self.assertRegex(result.stderr, r"\Atfa: --listen: [^\n]+\n\Z")


class TrustedProxyTest(unittest.TestCase):
    def test_client_address_comes_from_the_trusted_proxy(self):
        server = Server(TFA_SERVER_TRUSTED_PROXY="127.0.0.1")
        try:
            exchange(server, request(headers=[
                "X-Forwarded-For: 198.51.100.1, 203.0.113.7",
                "X-Forwarded-Proto: https", "User-Agent: proxied", "Connection: close"]))
            log = server.wait_for_log(r"proxied")
            line = next(l for l in log.splitlines() if "proxied" in l)
            self.assertIn('203.0.113.7 "GET /healthz" 200', line)
        finally:
            server.close()


class TimeoutTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(TFA_SERVER_READ_TIMEOUT_SECONDS="2",
                            TFA_SERVER_IDLE_TIMEOUT_SECONDS="1")

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def test_a_slow_client_is_disconnected_after_the_read_timeout(self):
        with self.server.connect() as sock:
            start = time.monotonic()
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            self.assertEqual(read_until_closed(sock, timeout=10), b"")
            elapsed = time.monotonic() - start
        self.assertGreater(elapsed, 1.5)
        self.assertLess(elapsed, 6)

    def test_a_silent_connection_is_disconnected_after_the_read_timeout(self):
        with self.server.connect() as sock:
            start = time.monotonic()
            self.assertEqual(read_until_closed(sock, timeout=10), b"")
            self.assertGreater(time.monotonic() - start, 1.5)

    def test_an_idle_kept_alive_connection_is_closed(self):
        with self.server.connect() as sock:
            sock.sendall(request())
            self.assertEqual(read_one_response(sock)[0], 200)
            start = time.monotonic()
            self.assertEqual(read_until_closed(sock, timeout=10), b"")
            elapsed = time.monotonic() - start
        self.assertGreater(elapsed, 0.5)
        self.assertLess(elapsed, 1.9)  # the idle timeout (1 s), not the read timeout (2 s)


class ShutdownTest(unittest.TestCase):
    def setUp(self):
        self.server = Server()

    def tearDown(self):
        self.server.close()

    def assert_port_closed(self):
        with self.assertRaises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", self.server.port), timeout=5).close()

    def test_sigterm_closes_idle_connections_and_exits_0(self):
        with self.server.connect() as sock:
            sock.sendall(request())
            self.assertEqual(read_one_response(sock)[0], 200)
            start = time.monotonic()
            self.assertEqual(self.server.terminate(), 0)
            self.assertLess(time.monotonic() - start, 5)
            self.assertEqual(read_until_closed(sock, timeout=5), b"")
        self.assert_port_closed()
        self.assertIn("received SIGTERM", self.server.log_text())

    def test_a_request_in_progress_is_answered_before_exit(self):
        with self.server.connect() as sock:
            raw = request()
            sock.sendall(raw[:20])
            time.sleep(0.3)  # the server has the first bytes: this request is in progress
            self.server.process.send_signal(signal.SIGTERM)
            time.sleep(0.3)
            sock.sendall(raw[20:])
            [(status, headers, body)] = parse_responses(read_until_closed(sock, timeout=10))
            self.assertEqual((status, body), (200, b"ok"))
            self.assertEqual(headers["connection"], "close")
        self.assertEqual(self.server.process.wait(timeout=10), 0)
        self.assert_port_closed()

    def test_the_grace_period_bounds_the_wait_for_a_request(self):
        server = Server(TFA_SERVER_SHUTDOWN_GRACE_SECONDS="1")
        try:
            with server.connect() as sock:
                sock.sendall(request()[:20])  # and never the rest
                time.sleep(0.3)
                start = time.monotonic()
                server.process.send_signal(signal.SIGTERM)
                self.assertEqual(server.process.wait(timeout=10), 0)
                elapsed = time.monotonic() - start
                self.assertEqual(read_until_closed(sock, timeout=5), b"")
            self.assertGreater(elapsed, 0.8)
            self.assertLess(elapsed, 4)
        finally:
            server.close()

    def test_a_second_signal_cuts_the_grace_period_short(self):
        with self.server.connect() as sock:
            sock.sendall(request()[:20])
            time.sleep(0.3)
            start = time.monotonic()
            self.server.process.send_signal(signal.SIGTERM)
            time.sleep(0.3)
            self.server.process.send_signal(signal.SIGTERM)
            self.assertEqual(self.server.process.wait(timeout=10), 0)
            self.assertLess(time.monotonic() - start, 3)  # the grace period is 10 s
        self.assertIn("again", self.server.log_text())

    def test_sigint_also_stops_the_server(self):
        self.server.process.send_signal(signal.SIGINT)
        self.assertEqual(self.server.process.wait(timeout=10), 0)
        self.assert_port_closed()


def main():
    global TFA
    if len(sys.argv) < 2 or not os.path.isfile(sys.argv[1]):
        sys.exit("usage: server_test.py PATH/TO/tfa [unittest options]")
    TFA = os.path.abspath(sys.argv[1])
    unittest.main(argv=[sys.argv[0], *sys.argv[2:]])


if __name__ == "__main__":
    main()
