"""Small real documents for the evidence tests, and an S3-compatible server to keep them in.

`PDF` is a one-page PDF a reader opens (catalogue, page tree, one blank page, cross-reference
table, trailer); `PNG` a 1×1 PNG; `JPEG` only the start of one (what the check reads).
`S3Server` runs moto's S3-compatible HTTP server (`moto_server`, from the test extra) on a free
loopback port, as a process of its own, so the code under test speaks real S3 over HTTP.
"""

from __future__ import annotations

import base64
import subprocess
import sys
import time
from pathlib import Path

import requests

from .infra import free_port


def _pdf() -> bytes:
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


PDF = _pdf()
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
#: a text file dressed as a PDF by its name: refused on its bytes
NOT_A_DOCUMENT = b"#!/bin/sh\necho this is not a degree certificate\n"


class S3Server:
    """moto's S3 server on 127.0.0.1:<free port>, stopped by `stop()`."""

    def __init__(self, log: Path):
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self._log = log.open("wb")
        self.process = subprocess.Popen(
            [
                Path(sys.executable).with_name("moto_server"),
                "-H",
                "127.0.0.1",
                "-p",
                str(self.port),
            ],
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(self.endpoint, timeout=5)
                return
            # refused before it listens; slow to answer while it loads, on a busy machine
            except (requests.ConnectionError, requests.Timeout):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"moto_server did not start: see {log}") from None
                time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log.close()
