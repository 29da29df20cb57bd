#!/usr/bin/python3
"""Checks tfa against independent implementations: codes against oathtool and pyotp, URIs
against pyotp's parser, QR codes against zbarimg, and the shape of usage errors.

    /usr/bin/python3 interop_test.py PATH/TO/tfa [unittest options]    (or TFA_BIN=PATH/TO/tfa)

Random cases come from a seed printed at the start; TFA_INTEROP_SEED=N replays a run.
TFA_INTEROP_RANDOM_CASES=N sets how many random moments the TOTP check draws (default 290;
the HOTP check draws a sixth as many counters in each of its two ranges). The sanitizer run
uses fewer: every code path is still taken, and a sanitized process takes a quarter of a
second to start.
pyotp is installed for /usr/bin/python3 only, hence the explicit interpreter.
"""
import base64
import concurrent.futures
import datetime
import hashlib
import os
import random
import shutil
import subprocess
import sys
import tempfile
import unittest

import pyotp

TFA = os.environ.get("TFA_BIN", "")
SEED = int(os.environ.get("TFA_INTEROP_SEED") or random.SystemRandom().randrange(2**32))
RANDOM_CASES = int(os.environ.get("TFA_INTEROP_RANDOM_CASES") or 290)
ALGORITHMS = {"SHA1": hashlib.sha1, "SHA256": hashlib.sha256, "SHA512": hashlib.sha512}
DIGEST_SIZES = {"SHA1": 20, "SHA256": 32, "SHA512": 64}
TOOLS = ("oathtool", "zbarimg", "rsvg-convert")


def rng_for(test_name):
    # One generator per test, so a test replays the same cases whatever else runs.
    return random.Random(f"{SEED}/{test_name}")


def run(*args):
    return subprocess.run([str(a) for a in args], capture_output=True, timeout=60)


def output_of(*args):
    result = run(*args)
    if result.returncode != 0:
        raise AssertionError(f"{args} exited {result.returncode}: {result.stderr.decode()!r}")
    return result.stdout.decode("utf-8")


def tfa(*args):
    return output_of(TFA, *args).rstrip("\n")


def random_secret(rng):
    return base64.b32encode(rng.randbytes(rng.randint(10, 64))).decode().rstrip("=")


def utc(t):
    # pyotp turns a plain number into a naive local datetime and back through mktime, which
    # depends on the time zone; an aware datetime takes the timegm path instead.
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc)


def parallel(check, cases):
    """Runs check(case) for every case on all cores; returns the non-empty results."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return [r for r in pool.map(check, cases) if r]


def zbar_decode(image_path):
    # -Sbinary passes the symbol's bytes through unchanged, where zbar would otherwise guess a
    # charset (ISO-8859-1, Shift JIS, UTF-8) and convert; the URIs tfa accepts are ASCII, but
    # this keeps the comparison byte-exact whatever they hold. Only QR codes are looked for:
    # in a large symbol zbar can also "find" a linear barcode such as GS1 DataBar, whose digits
    # -Sbinary would append to the URI.
    result = run("zbarimg", "--raw", "-q", "--nodbus", "-Sdisable", "-Sqrcode.enable", "-Sbinary",
                 image_path)
    if result.returncode != 0:
        raise AssertionError(f"zbarimg found no code in {image_path}: {result.stderr.decode()!r}")
    return result.stdout.decode("utf-8")


class CodeTest(unittest.TestCase):
    """tfa code against oathtool and pyotp on random secrets, times and parameters."""

    def check_totp(self, case):
        secret, algorithm, digits, period, t = case
        ours = tfa("code", "--secret", secret, "--algorithm", algorithm, "--digits", digits,
                   "--period", period, "--time", t)
        oath = output_of("oathtool", f"--totp={algorithm.lower()}", "-d", digits,
                         "-s", f"{period}s", "-N", f"@{t}", "-b", secret).strip()
        py = pyotp.TOTP(secret, digits=digits, digest=ALGORITHMS[algorithm],
                        interval=period).at(utc(t))
        if not ours == oath == py:
            return f"{case}: tfa {ours}, oathtool {oath}, pyotp {py}"

    def check_hotp(self, case):
        secret, algorithm, digits, counter = case
        ours = tfa("code", "--secret", secret, "--algorithm", algorithm, "--digits", digits,
                   "--counter", counter)
        # oathtool's HOTP mode knows only HMAC-SHA1, as RFC 4226 defines it.
        oath = output_of("oathtool", "--hotp", "-c", counter, "-d", digits, "-b", secret).strip() \
            if algorithm == "SHA1" else None
        py = pyotp.HOTP(secret, digits=digits, digest=ALGORITHMS[algorithm]).at(counter)
        if ours != py or oath not in (None, ours):
            return f"{case}: tfa {ours}, oathtool {oath}, pyotp {py}"

    def test_totp(self):
        rng = rng_for("totp")
        # The edges of 32-bit time and of the first steps, then random moments up to 2^33.
        times = [0, 1, 29, 30, 59, 2**31 - 1, 2**31, 2**32 - 1, 2**32, 2**33]
        times += [rng.randrange(2**33 + 1) for _ in range(RANDOM_CASES)]
        cases = []
        for t in times:
            period = 30 if rng.random() < 0.5 else rng.choice([15, 60, 300, rng.randint(15, 300)])
            cases.append((random_secret(rng), rng.choice(list(ALGORITHMS)),
                          rng.choice([6, 7, 8]), period, t))
        mismatches = parallel(self.check_totp, cases)
        self.assertEqual(mismatches, [], f"seed {SEED}")

    def test_hotp(self):
        rng = rng_for("hotp")
        counters = [0, 1, 2**32 - 1, 2**32, 2**63, 2**64 - 1]
        counters += [rng.randrange(1000) for _ in range(max(1, RANDOM_CASES // 6))]
        counters += [rng.randrange(2**64) for _ in range(max(1, RANDOM_CASES // 6))]
        cases = [(random_secret(rng),
                  "SHA1" if rng.random() < 0.7 else rng.choice(list(ALGORITHMS)),
                  rng.choice([6, 7, 8]), c) for c in counters]
        mismatches = parallel(self.check_hotp, cases)
        self.assertEqual(mismatches, [], f"seed {SEED}")


# Labels with spaces, '@', non-ASCII letters, a ':' inside the account and a '+' (which must
# come back as '+', not as a space as in a form-encoded query). pyotp unquotes the whole URI before
# splitting it, so '&', '#' and '?' are left out: pyotp itself would misread them.
LABELS = [
    ("Example", "alice@example.com"),
    ("Zürich Cloud", "José Müller@example.com"),
    ("Zürich Cloud", "ops:team@example.com"),
    ("ACME Co", "bob+tfa@example.com"),
    ("東京銀行", "ユーザー@example.jp"),
    ("Ærø Ø", "ñandú/ß"),
]


class UriTest(unittest.TestCase):
    """tfa uri parsed by pyotp, and codes from pyotp's parse equal to tfa code --uri."""

    def check_uri(self, uri, issuer, account, secret, algorithm, digits, period):
        otp = pyotp.parse_uri(uri)
        self.assertIsInstance(otp, pyotp.TOTP)
        self.assertEqual(otp.issuer, issuer)
        self.assertEqual(otp.name, account)
        if secret is None:
            # A fresh secret is as long as the hash output.
            self.assertEqual(len(otp.byte_secret()), DIGEST_SIZES[algorithm])
        else:
            self.assertEqual(otp.secret, secret)
        self.assertEqual(otp.digits, digits)
        self.assertEqual(otp.digest().name, ALGORITHMS[algorithm]().name)
        self.assertEqual(otp.interval, period)
        for t in (0, 1_700_000_000, 2**33):
            self.assertEqual(tfa("code", "--uri", uri, "--time", t), otp.at(utc(t)))

    def test_labels(self):
        rng = rng_for("uri")
        for issuer, account in LABELS:
            secret = random_secret(rng)
            with self.subTest(issuer=issuer, account=account):
                uri = tfa("uri", "--issuer", issuer, "--account", account, "--secret", secret)
                self.assertTrue(uri.isascii(), uri)
                self.check_uri(uri, issuer, account, secret, "SHA1", 6, 30)

    def test_parameters(self):
        rng = rng_for("uri-parameters")
        for algorithm in ALGORITHMS:
            for digits, period in ((6, 30), (7, 15), (8, 300), (8, rng.randint(15, 300))):
                secret = random_secret(rng) if rng.random() < 0.5 else None
                with self.subTest(algorithm=algorithm, digits=digits, period=period, secret=secret):
                    args = ["--secret", secret] if secret else []
                    uri = tfa("uri", "--issuer", "Zürich Cloud", "--account", "José@example.com",
                              "--algorithm", algorithm, "--digits", digits, "--period", period,
                              *args)
                    self.check_uri(uri, "Zürich Cloud", "José@example.com", secret, algorithm,
                                   digits, period)


class QrTest(unittest.TestCase):
    """tfa qr, as SVG and as terminal text, read back by zbarimg."""

    @classmethod
    def setUpClass(cls):
        rng = rng_for("qr")
        cls.uris = [tfa("uri", "--issuer", issuer, "--account", account, "--secret",
                        random_secret(rng)) for issuer, account in LABELS]
        # A hand-written one in the minimal form apps accept, and a long one (a larger version).
        cls.uris.append("otpauth://totp/alice?secret=JBSWY3DPEHPK3PXP")
        cls.uris.append(tfa("uri", "--issuer", "Ünïcödé " * 8, "--account", "ä" * 60,
                            "--algorithm", "SHA512"))
        cls.tmp = tempfile.TemporaryDirectory(prefix="tfa-interop-")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_svg(self):
        for i, uri in enumerate(self.uris):
            with self.subTest(uri=uri):
                svg, png = (os.path.join(self.tmp.name, f"{i}.{ext}") for ext in ("svg", "png"))
                self.assertEqual(tfa("qr", uri, "--svg", svg), "")
                output_of("rsvg-convert", "-z", "2", "-o", png, svg)
                self.assertEqual(zbar_decode(png), uri)

    def test_terminal(self):
        for i, uri in enumerate(self.uris):
            with self.subTest(uri=uri):
                pbm = os.path.join(self.tmp.name, f"{i}.pbm")
                with open(pbm, "w", encoding="ascii") as f:
                    f.write(terminal_text_to_pbm(output_of(TFA, "qr", uri)))
                self.assertEqual(zbar_decode(pbm), uri)


# Each character of `tfa qr` stands for two module rows: (top, bottom), True where light.
HALF_BLOCKS = {"\u2588": (True, True), "\u2580": (True, False), "\u2584": (False, True),
               " ": (False, False)}


def terminal_text_to_pbm(text, scale=4):
    """The terminal drawing as a PBM image (1 = black), each module `scale` pixels wide."""
    lines = text.splitlines()
    width = len(lines[0])
    assert all(len(line) == width for line in lines), "ragged lines"
    rows = []
    for line in lines:
        pairs = [HALF_BLOCKS[c] for c in line]
        rows += [[top for top, _ in pairs], [bottom for _, bottom in pairs]]
    # A symbol with its quiet zone is square and odd-sized; the last line's lower half is unused.
    rows = rows[:width]
    pixels = []
    for row in rows:
        line = " ".join("0" if light else "1" for light in row for _ in range(scale))
        pixels += [line] * scale
    return f"P1\n{width * scale} {len(rows) * scale}\n" + "\n".join(pixels) + "\n"


SECRET = "JBSWY3DPEHPK3PXP"
URI = f"otpauth://totp/Example:alice@example.com?secret={SECRET}&issuer=Example"


class UsageErrorTest(unittest.TestCase):
    """Bad input: exit status 2, one line on stderr, nothing on stdout."""

    CASES = {
        "bad base32": ["code", "--secret", "JBSW1Y3DP"],
        "non-ASCII in base32": ["code", "--secret", "JBSWé"],
        "unknown algorithm": ["code", "--secret", SECRET, "--algorithm", "MD5"],
        "digits 9": ["code", "--secret", SECRET, "--digits", "9"],
        "hotp digits 9": ["code", "--secret", SECRET, "--digits", "9", "--counter", "1"],
        "period 5": ["code", "--secret", SECRET, "--period", "5"],
        "period not a number": ["code", "--secret", SECRET, "--period", "thirty"],
        "malformed uri": ["code", "--uri", "otpauth://totp/a b?secret=" + SECRET],
        "uri without secret": ["code", "--uri", "otpauth://totp/alice"],
        "empty query before a fragment": ["code", "--uri", f"otpauth://totp/a?#secret={SECRET}"],
        "uri with bad digits": ["code", "--uri", URI + "&digits=10"],
        "secret and uri": ["code", "--secret", SECRET, "--uri", URI],
        "code without secret": ["code"],
        "no command": [],
        "unknown command": ["frobnicate"],
        "uri without account": ["uri", "--issuer", "Example"],
        "uri with ':' in issuer": ["uri", "--issuer", "a:b", "--account", "c", "--secret", SECRET],
        "uri with space before account": ["uri", "--issuer", "E", "--account", " a",
                                          "--secret", SECRET],
        "uri with bad secret": ["uri", "--issuer", "E", "--account", "a", "--secret", "0"],
        "qr without uri": ["qr"],
        "qr of a web address": ["qr", "https://example.com/"],
        "qr of raw non-ASCII": ["qr", f"otpauth://totp/Zürich:alice?secret={SECRET}"],
        "qr of a uri without secret": ["qr", "otpauth://totp/alice"],
    }

    def test_cases(self):
        for name, args in self.CASES.items():
            with self.subTest(name, args=args):
                result = run(TFA, *args)
                stderr = result.stderr.decode("utf-8", "replace")
                self.assertEqual(result.returncode, 2, stderr)
                self.assertEqual(result.stdout, b"")
                self.assertRegex(stderr, r"\Atfa: [^\n]+\n\Z")

    def test_base32_message_names_character_and_position(self):
        stderr = run(TFA, "code", "--secret", "JBSW1Y3DP").stderr.decode()
        self.assertIn("'1' at position 5", stderr)
        stderr = run(TFA, "code", "--secret", "JBSWé").stderr.decode()
        self.assertIn("0xC3 at position 5", stderr)


class HelpTest(unittest.TestCase):
    """--help and --version: exit 0, on stdout, naming what they describe."""

    COMMANDS = {
        (): ["code", "uri", "qr", "user", "db", "key", "serve", "mail"],
        ("code",): ["--secret", "--uri", "--algorithm", "--digits", "--period", "--time", "--counter"],
        ("uri",): ["--issuer", "--account", "--secret", "--algorithm", "--digits", "--period"],
        ("qr",): ["--svg"],
        ("serve",): ["--listen"],
        ("user",): ["add", "list", "show", "passwd", "disable", "enable", "delete", "reset-2fa"],
        ("mail",): ["test"],
    }

    def test_help_of_every_command(self):
        for command, words in self.COMMANDS.items():
            with self.subTest(" ".join(command) or "tfa"):
                result = run(TFA, *command, "--help")
                self.assertEqual(result.returncode, 0, result.stderr)
                text = result.stdout.decode()
                self.assertIn("Usage:", text)
                for word in words:
                    self.assertIn(word, text)

    def test_version(self):
        result = run(TFA, "--version")
        self.assertEqual(result.returncode, 0)
        self.assertRegex(result.stdout.decode(), r"\Atfa \d+\.\d+\.\d+\n\Z")


def main():
    global TFA
    args = sys.argv[1:]
    if args and os.path.isfile(args[0]):
        TFA = os.path.abspath(args.pop(0))
    if not TFA:
        sys.exit("usage: interop_test.py PATH/TO/tfa [unittest options], or set TFA_BIN")
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        sys.exit(f"interop_test.py: missing tools: {', '.join(missing)}")
    print(f"interop: {TFA}, seed {SEED} (TFA_INTEROP_SEED={SEED} replays it)", file=sys.stderr)
    unittest.main(argv=[sys.argv[0], *args])


if __name__ == "__main__":
    main()
