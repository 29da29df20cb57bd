#!/usr/bin/python3
"""Worst-case pyotp TOTP verification, on the inputs of bench/totp_verify_bench.cpp.

SHA-1, the 20-byte RFC 6238 seed, 6 digits, 30 s period, valid_window=1. pyotp tries the
offsets -1, 0, +1 and returns at the first match, so a code of step +1 is its worst case.
Prints the median CPU time of one verify, in nanoseconds, as `pyotp_verify_ns <value>`.
Run with Debian's /usr/bin/python3, which has python3-pyotp.
"""
import base64
import os
import statistics
import sys
import time
import timeit

# pyotp turns a Unix time into a local datetime and back; UTC makes the round trip exact.
os.environ["TZ"] = "UTC"
time.tzset()

import pyotp  # noqa: E402  (after the time zone is fixed)

NOW = 1111111109  # RFC 6238 Appendix B time, as in the C++ benchmark
SECRET = base64.b32encode(b"12345678901234567890").decode()
LAST_OFFSET = +1


def main() -> int:
    totp = pyotp.TOTP(SECRET, digits=6, interval=30)
    codes = {offset: totp.at(NOW, offset) for offset in (-1, 0, 1)}
    code = codes[LAST_OFFSET]
    # The worst case only if the code matches no earlier step, and it must match at all.
    if len(set(codes.values())) != 3 or not totp.verify(code, NOW, valid_window=1):
        print("pyotp does not match the expected step", file=sys.stderr)
        return 1

    number = 20000
    # CPU time, like the C++ figures it is set beside.
    runs = timeit.repeat(lambda: totp.verify(code, NOW, valid_window=1),
                         timer=time.process_time, repeat=5, number=number)
    print(f"pyotp_verify_ns {statistics.median(runs) / number * 1e9:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
