"""Gzip WARC files written as a crawl goes, so that a crawl is a standard web archive.

Each record is its own gzip member, written and flushed at once: a crawl killed at any moment leaves
its files readable up to their last complete record (readers report the cut one as corrupt). A new
process never appends to an old file; it starts its own, so a half-written member is never followed
by good ones.
"""
from __future__ import annotations

import os
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from .. import __version__

__all__ = ["WarcArchive", "ArchiveError", "ROLE_FIELD"]


class ArchiveError(Exception):
    """The archive cannot be written (disk full, folder gone): not a web error, so the crawl stops."""

ROLE_FIELD = "Citegraph-Role"  # what the crawler fetched a response for: page, home, listing, robots

# Headers that describe the bytes on the wire, not the payload we keep (de-chunked, still encoded).
_HOP_HEADERS = frozenset({"transfer-encoding", "content-length", "connection", "keep-alive"})


def _warc_date() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class WarcArchive:
    """Write request/response pairs into ``folder/PREFIX-<UTC time>-<pid>-<serial>.warc.gz`` files,
    starting a new file past ``max_size`` bytes.

    Examples
    --------
    >>> import tempfile
    >>> archive = WarcArchive(tempfile.mkdtemp())
    >>> archive.files
    []
    >>> archive.close()
    """

    def __init__(self, folder: str | Path, *, prefix: str = "citegraph", max_size: int = 1_000_000_000,
                 info: dict | None = None) -> None:
        self.folder = Path(folder)
        self.prefix = prefix
        self.max_size = max_size
        self.info = dict(info or {})
        self.files: list[Path] = []
        self._fh = None
        self._writer: WARCWriter | None = None
        self._stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S%f")
        self._serial = 0

    def _open(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            while True:  # never append to an existing file: its last record may be cut short
                self._serial += 1
                path = self.folder / f"{self.prefix}-{self._stamp}-{os.getpid()}-{self._serial:05d}.warc.gz"
                try:
                    self._fh = open(path, "xb")
                    break
                except FileExistsError:
                    continue
        except OSError as e:
            raise ArchiveError(f"cannot write WARC files in {self.folder}: {e.strerror or e}") from e
        self._writer = WARCWriter(self._fh, gzip=True)
        self.files.append(path)
        fields = {"software": f"citegraph/{__version__}", "format": "WARC File Format 1.1",
                  "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
                  **self.info}
        record = self._writer.create_warcinfo_record(path.name, fields)
        self._writer.write_record(record)
        self._fh.flush()

    def write_exchange(self, response, raw: bytes, *, truncated: str = "", role: str = "page") -> tuple[str, int]:
        """Archive one HTTP exchange (an ``httpx.Response`` and the raw payload bytes read, still
        content-encoded); return (file path, offset of the response record).

        ``truncated``: the WARC-Truncated reason when ``raw`` is not the whole payload (``length``,
        ``time``, ``disconnect``, ``unspecified``). ``role`` (``page``, ``home``, ``listing``, ``robots``)
        is kept in a ``Citegraph-Role`` field, so that reading the archive back takes only pages as
        articles; other readers ignore the field, as the WARC standard asks of unknown fields."""
        try:
            return self._write(response, raw, truncated, role)
        except OSError as e:  # a full disk, a lost folder: the crawl must stop, not count it as a web error
            raise ArchiveError(f"cannot write to the WARC archive {self.files[-1] if self.files else self.folder}: "
                               f"{e.strerror or e}") from e

    def _write(self, response, raw: bytes, truncated: str, role: str) -> tuple[str, int]:
        if self._fh is None or self._fh.tell() > self.max_size:
            self.close()
            self._open()
        writer, fh = self._writer, self._fh
        url = str(response.url)
        date = _warc_date()
        request = response.request
        target = request.url.raw_path.decode("ascii", errors="replace") or "/"
        req_headers = StatusAndHeaders(f"{request.method} {target} HTTP/1.1",
                                       [(k, v) for k, v in request.headers.items()], is_http_request=True)
        headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() not in _HOP_HEADERS]
        headers.append(("Content-Length", str(len(raw))))
        protocol = response.http_version or "HTTP/1.1"
        http = StatusAndHeaders(f"{response.status_code} {response.reason_phrase}".strip(), headers,
                                protocol=protocol)
        warc_headers = {"WARC-Date": date, ROLE_FIELD: role}
        if truncated:
            warc_headers["WARC-Truncated"] = truncated
        resp = writer.create_warc_record(url, "response", payload=BytesIO(raw), length=len(raw),
                                         http_headers=http, warc_headers_dict=warc_headers)
        req = writer.create_warc_record(url, "request", http_headers=req_headers, warc_headers_dict={
            "WARC-Date": date, "WARC-Concurrent-To": resp.rec_headers.get_header("WARC-Record-ID")})
        offset = fh.tell()
        writer.write_record(resp)
        writer.write_record(req)
        fh.flush()
        return str(self.files[-1]), offset

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
            self._writer = None
