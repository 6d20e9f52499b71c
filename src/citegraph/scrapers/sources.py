"""Local inputs read into pages: saved HTML files, folders, WARC files and ``@list`` files.

Every input tried ends as exactly one outcome: a :class:`RawPage` for a candidate page, or a
:class:`~citegraph.models.FetchRecord` with a short reason code and a sentence a person can act
on. A WARC gives one outcome per response record plus one per corruption. Bad input never stops
the run.

Reason codes: ``missing``, ``unreadable``, ``empty``, ``too-large``, ``not-html``,
``warc-corrupt``, ``truncated``, ``http-<status>``, ``redirect``, ``list-loop``, ``bad-list``.
"""
from __future__ import annotations

import codecs
import os
import re
import stat
import unicodedata
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urljoin

import charset_normalizer
from warcio.archiveiterator import ArchiveIterator

from citegraph.models import FetchRecord

__all__ = ["RawPage", "SourceError", "iter_inputs", "decode_html", "sniff", "DEFAULT_MAX_BYTES"]

DEFAULT_MAX_BYTES = 20_000_000

# Suffixes taken from folders; files named explicitly are always tried, whatever their name.
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml", ".php", ".asp", ".aspx")
WARC_SUFFIXES = (".warc", ".warc.gz")
ARC_SUFFIXES = (".arc", ".arc.gz")

HTML_TYPES = ("text/html", "application/xhtml+xml")

# Binary formats that turn up among saved pages, by their first bytes. Order is priority.
MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or a docx, xlsx, epub)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x1f\x8b", "a gzip file that is not a WARC"),
    (b"BZh", "a bzip2 file"),
    (b"\xfd7zXZ\x00", "an xz file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
    (b"\x7fELF", "an executable"),
)

# Byte order marks, longest first: a UTF-32 LE mark starts with the UTF-16 LE one.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# How a document that is HTML starts (the WHATWG MIME sniffing tags, and a few modern ones).
HTML_START = re.compile(
    r"<(?:!doctype\s+html|html|head|body|script|iframe|h1|div|font|table|a|style|title|b|br|p|!--"
    r"|meta|link|article|section|main|header|nav|noscript|span|form)(?:[\s>/]|$)",
    re.IGNORECASE,
)
XML_DECLARATION_WITH_HTML = re.compile(r"^<\?xml[^>]*>.*?<html[\s>]", re.IGNORECASE | re.DOTALL)

HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([^\"';,\s]+)", re.IGNORECASE)
META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-:.]+)", re.IGNORECASE)

# Labels that browsers read as another encoding (WHATWG Encoding Standard), by Python codec name.
CODEC_ALIASES = {
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    # A page whose declaration is readable as ASCII is not UTF-16 (it had no BOM either).
    "utf-16": "utf-8",
    "utf-16-le": "utf-8",
    "utf-16-be": "utf-8",
}
# Codecs a page may not pick: not text, unsafe in browsers (UTF-7), or always failing.
IGNORED_CODECS = frozenset({
    "utf-7", "idna", "punycode", "unicode-escape", "raw-unicode-escape", "undefined", "mbcs", "oem",
})
# Single-byte Latin codecs: they decode any bytes, so a wrong declaration never fails strictly.
LATIN_SINGLE_BYTE = frozenset({
    "cp1252", "cp1250", "cp1254", "cp1257", "iso8859-2", "iso8859-3", "iso8859-4",
    "iso8859-9", "iso8859-10", "iso8859-13", "iso8859-14", "iso8859-15", "iso8859-16", "mac-roman",
})

HEAD_BYTES = 4096
SNIFF_BYTES = 1024


@dataclass(frozen=True, slots=True)
class RawPage:
    """One candidate page read from a file or a WARC record, not yet decoded or parsed.

    ``url`` is the WARC-Target-URI for WARC records and ``''`` for a saved HTML file (the page
    decides its URL). ``data`` is the payload: for WARC responses the HTTP body, de-chunked and
    content-decoded. ``fetched_at`` is the WARC-Date, or the file's mtime in ISO 8601 UTC.
    """

    url: str
    data: bytes
    content_type: str
    source: str
    warc_file: str = ""
    warc_offset: int | None = None
    fetched_at: str = ""
    status: int | None = None


class SourceError(Exception):
    """An input that cannot be read, with its reason ``code`` and the ``input`` it concerns."""

    def __init__(self, code: str, input: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.input = input
        self.detail = detail

    def record(self, source: str = "") -> FetchRecord:
        """Return the failure as a fetch-log record."""
        return FetchRecord(url=self.input, error=self.code, source=source or self.input, detail=self.detail)


# --- sniffing -------------------------------------------------------------------------------


def sniff(data: bytes, content_type: str = "") -> str:
    """Say whether bytes look like an HTML page.

    Parameters
    ----------
    data : bytes
        The payload, or at least its first kilobyte.
    content_type : str
        The declared type, if any. An HTML or XHTML type is trusted unless the bytes are
        plainly binary; any other type (or none) needs HTML markup at the start.

    Returns
    -------
    str
        ``''`` when it looks like HTML, else the reason code (``empty`` or ``not-html``).

    Examples
    --------
    >>> sniff(b"<!DOCTYPE html><p>Hi")
    ''
    >>> sniff(b"\\x89PNG\\r\\n\\x1a\\n....")
    'not-html'
    """
    if not data:
        return "empty"
    if binary_kind(data) or not _looks_like_markup(data, content_type):
        return "not-html"
    return ""


def binary_kind(data: bytes) -> str:
    """Return what binary format ``data`` is in (``'a PNG image'``), or ``''`` for text."""
    if not data:
        return "no data"
    if _bom_codec(data):
        return ""
    for magic, kind in MAGIC:
        if data.startswith(magic):
            return kind
    return "binary data (NUL bytes)" if b"\x00" in data[:SNIFF_BYTES] else ""


def _looks_like_markup(data: bytes, content_type: str) -> bool:
    if is_html_type(content_type):
        return True
    head = _head_text(data).lstrip("\ufeff \t\r\n\f")
    return bool(HTML_START.match(head) or XML_DECLARATION_WITH_HTML.match(head))


def is_html_type(content_type: str) -> bool:
    """Return True for an HTML or XHTML media type (parameters ignored)."""
    return content_type.split(";", 1)[0].strip().lower() in HTML_TYPES


def _head_text(data: bytes) -> str:
    head = data[:SNIFF_BYTES]
    codec = _bom_codec(head) or "latin-1"
    return head.decode(codec, errors="replace")


def _bom_codec(data: bytes) -> str:
    return next((codec for bom, codec in BOMS if data.startswith(bom)), "")


# --- decoding -------------------------------------------------------------------------------


def decode_html(data: bytes, content_type: str = "") -> str:
    """Decode an HTML payload to text; never raises.

    The order: a byte order mark; the charset of the Content-Type header; a ``<meta charset>``
    or ``http-equiv`` declaration in the first 4 KB. A declared charset is kept only when it
    decodes strictly and, for a single-byte Latin charset, when the bytes do not clearly belong
    to another encoding (UTF-8, or Cyrillic/Greek/... bytes labelled ISO-8859-1). Then UTF-8
    decoded strictly, then charset_normalizer's best guess, then UTF-8 with replacement.

    Parameters
    ----------
    data : bytes
        The raw page.
    content_type : str
        The HTTP Content-Type header, if known.

    Returns
    -------
    str
        The text, without a byte order mark.

    Examples
    --------
    >>> decode_html("<meta charset=windows-1251><p>Привет".encode("cp1251"))[-6:]
    'Привет'
    """
    bom = _bom_codec(data)
    if bom:
        return data.decode(bom, errors="replace").removeprefix("\ufeff")
    for codec in declared_codecs(data, content_type):
        text = _strict(data, codec)
        if text is not None and not (codec in LATIN_SINGLE_BYTE and _latin_is_wrong(data)):
            return text
    text = _strict(data, "utf-8")
    if text is not None:
        return text
    guess = _best_guess(data)
    return guess if guess is not None else data.decode("utf-8", errors="replace")


def declared_codecs(data: bytes, content_type: str = "") -> tuple[str, ...]:
    """Return the Python codecs that the header and then the page declare, known ones only."""
    labels = [m.group(1) for m in [HEADER_CHARSET.search(content_type or "")] if m]
    labels += [m.group(1).decode("ascii", "replace") for m in [META_CHARSET.search(data[:HEAD_BYTES])] if m]
    codecs_found = (codec_of(label) for label in labels)
    return tuple(dict.fromkeys(c for c in codecs_found if c))


def codec_of(label: str) -> str:
    """Return the Python codec a charset label stands for, or ``''`` when unknown or refused."""
    try:
        info = codecs.lookup(label.strip().strip("\"'"))
    except (LookupError, ValueError):
        return ""
    if not getattr(info, "_is_text_encoding", True) or info.name in IGNORED_CODECS:
        return ""
    return CODEC_ALIASES.get(info.name, info.name)


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeError, LookupError):
        return None


def _latin_is_wrong(data: bytes) -> bool:
    # Any bytes decode as a Latin code page, so look at what the bytes most likely are.
    if data.isascii():
        return False
    if _strict(data, "utf-8") is not None:
        return True
    guess = _best_guess(data)
    return guess is not None and _non_latin_share(guess) > 0.5


def _best_guess(data: bytes) -> str | None:
    best = charset_normalizer.from_bytes(data).best()
    return None if best is None else data.decode(best.encoding, errors="replace")


def _non_latin_share(text: str) -> float:
    letters = [ch for ch in text if ord(ch) > 127 and ch.isalpha()]
    if not letters:
        return 0.0
    latin = sum(unicodedata.name(ch, "").startswith("LATIN") for ch in letters)
    return 1 - latin / len(letters)


# --- walking the inputs ---------------------------------------------------------------------


def iter_inputs(
    sources: Iterable[str | os.PathLike], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[RawPage | FetchRecord]:
    """Read files, folders, WARCs and ``@list`` files into pages and failures.

    Parameters
    ----------
    sources : iterable of str or path-like
        HTML files, folders (read recursively), WARC or WARC.gz files, and ``@list.txt``
        files naming one input a line (blank lines and ``#`` comments skipped, paths relative
        to the list, ``@other.txt`` for nested lists).
    max_bytes : int
        The largest HTML file or WARC payload read; larger ones give ``too-large``.

    Yields
    ------
    RawPage or FetchRecord
        One outcome per input: a page, or a record whose ``error`` holds the reason code.
        A WARC gives one per response record plus one per corruption.

    Notes
    -----
    A file's type comes from its content (WARC, gzip WARC, ARC, binary, HTML), not its name.
    Folders are walked in sorted order; they give files named ``.html .htm .xhtml .shtml .php
    .asp .aspx .warc .warc.gz .arc .arc.gz`` and files without an extension that look like
    HTML or WARC, and skip hidden files, dot-folders and symlinked folders. Files named
    explicitly are always tried. A WARC stops at its first corruption: the records before it
    are kept and the run goes on with the next input. Only ``response`` records and HTML
    ``resource`` records are pages; other record types are skipped.

    Examples
    --------
    >>> [type(x).__name__ for x in iter_inputs(["/no/such/file.html"])]
    ['FetchRecord']
    """
    if isinstance(sources, (str, os.PathLike)):
        sources = [sources]
    for source in sources:
        if isinstance(source, str) and source.startswith("@"):
            yield from _list_outcomes(source[1:], (), "", max_bytes)
        else:
            yield from _path_outcomes(os.fspath(source), "", max_bytes)


def _path_outcomes(path: str, origin: str, max_bytes: int) -> Iterator[RawPage | FetchRecord]:
    try:
        info = _stat(path)
    except SourceError as err:
        yield err.record(origin)
        return
    if stat.S_ISDIR(info.st_mode):
        yield from _folder_outcomes(path, max_bytes)
    else:
        yield from _file_outcomes(path, info, max_bytes)


def _stat(path: str) -> os.stat_result:
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        hint = (" (this looks like a URL: save the page or a WARC of it first; sources are files, folders, WARCs"
                " and @lists)") if "://" in path else ""
        raise SourceError("missing", path, f"No such file or folder: {path}{hint}.") from None
    except OSError as exc:
        raise SourceError("unreadable", path, f"Cannot read {path}: {exc.strerror or exc}.") from None
    if not (stat.S_ISDIR(info.st_mode) or stat.S_ISREG(info.st_mode)):
        raise SourceError("unreadable", path, f"{path} is not a regular file or folder (a pipe or device?).")
    return info


def _folder_outcomes(folder: str, max_bytes: int) -> Iterator[RawPage | FetchRecord]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        yield FetchRecord(url=folder, error="unreadable", source=folder,
                          detail=f"Cannot list the folder {folder}: {exc.strerror or exc}.")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if _is_dir(entry):
            yield from _folder_outcomes(entry.path, max_bytes)
        elif _is_candidate(entry.path):
            yield from _path_outcomes(entry.path, "", max_bytes)


def _is_dir(entry: os.DirEntry) -> bool:
    # Symlinked folders are not followed: they can loop.
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _is_candidate(path: str) -> bool:
    name = os.path.basename(path).lower()
    if name.endswith(HTML_SUFFIXES + WARC_SUFFIXES + ARC_SUFFIXES):
        return True
    if os.path.splitext(name)[1]:
        return False
    head = _peek(path)
    # An unreadable file is taken so that its failure is reported.
    return head is None or file_kind(head) in ("warc", "arc") or not sniff(head)


def _peek(path: str, size: int = HEAD_BYTES) -> bytes | None:
    try:
        with open(path, "rb") as fh:
            return fh.read(size)
    except OSError:
        return None


def file_kind(head: bytes) -> str:
    """Return ``'warc'``, ``'arc'`` or ``''`` for the first bytes of a file (gzip or not)."""
    text = _gunzip_head(head) if head.startswith(b"\x1f\x8b") else head
    if text.startswith((b"WARC/1.", b"WARC/0.")):
        return "warc"
    return "arc" if text.startswith(b"filedesc://") else ""


def _gunzip_head(head: bytes) -> bytes:
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 64)
    except zlib.error:
        return b""


def _file_outcomes(path: str, info: os.stat_result, max_bytes: int) -> Iterator[RawPage | FetchRecord]:
    try:
        yield from _read_file(path, info, max_bytes)
    except SourceError as err:
        yield err.record()


def _read_file(path: str, info: os.stat_result, max_bytes: int) -> Iterator[RawPage | FetchRecord]:
    if info.st_size == 0:
        raise SourceError("empty", path, f"{path} is empty.")
    kind = file_kind(_read_head(path))
    if kind == "warc":
        yield from _warc_outcomes(path, info.st_size, max_bytes)
        return
    if kind == "arc":
        raise SourceError("not-html", path, f"{path}: ARC files are not supported; convert it to WARC first.")
    if info.st_size > max_bytes:
        raise SourceError("too-large", path, f"{path} has {info.st_size:,} bytes, more than the limit of "
                          f"{max_bytes:,} (raise max_bytes to read it).")
    data = _read_bytes(path, max_bytes)
    implied = "text/html" if path.lower().endswith(HTML_SUFFIXES) else ""
    reason = sniff(data, implied)
    if reason:
        raise SourceError(reason, path, _not_html_detail(path, data))
    yield RawPage(url="", data=data, content_type="", source=path, fetched_at=_iso_mtime(info))


def _read_head(path: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(HEAD_BYTES)
    except OSError as exc:
        raise SourceError("unreadable", path, f"Cannot read {path}: {exc.strerror or exc}.") from None


def _read_bytes(path: str, max_bytes: int) -> bytes:
    try:
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise SourceError("unreadable", path, f"Cannot read {path}: {exc.strerror or exc}.") from None
    if len(data) > max_bytes:  # the file grew after stat
        raise SourceError("too-large", path, f"{path} has more than {max_bytes:,} bytes.")
    if not data:
        raise SourceError("empty", path, f"{path} is empty.")
    return data


def _not_html_detail(path: str, data: bytes) -> str:
    kind = binary_kind(data)
    what = kind if kind else "text without HTML markup at its start"
    return f"{path} is {what}, not an HTML page."


def _iso_mtime(info: os.stat_result) -> str:
    return datetime.fromtimestamp(info.st_mtime, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- lists ----------------------------------------------------------------------------------


def _list_outcomes(
    path: str, parents: tuple[str, ...], origin: str, max_bytes: int
) -> Iterator[RawPage | FetchRecord]:
    if not path.strip():
        yield FetchRecord(url="@", error="bad-list", source=origin or "@",
                          detail="An @ must be followed by the path of a list file.")
        return
    real = os.path.realpath(path)
    if real in parents:
        yield FetchRecord(url=path, error="list-loop", source=origin or path,
                          detail=f"The list {path} includes itself (through {origin or path}); skipped.")
        return
    try:
        if stat.S_ISDIR(_stat(path).st_mode):
            raise SourceError("bad-list", path, f"{path} is a folder; a list must be a text file of paths.")
        yield from _list_entries(path, parents + (real,), max_bytes)
    except SourceError as err:
        yield err.record(origin)


def _list_entries(path: str, parents: tuple[str, ...], max_bytes: int) -> Iterator[RawPage | FetchRecord]:
    base = os.path.dirname(path)
    for number, line in _list_lines(path):
        entry = line.strip()
        if not entry or entry.startswith("#"):
            continue
        if "\x00" in entry:
            raise SourceError("bad-list", path, f"{path} line {number} holds a NUL byte; is it a text file?")
        if entry.startswith("@"):
            yield from _list_outcomes(_relative(base, entry[1:].strip()), parents, path, max_bytes)
        else:
            yield from _path_outcomes(_relative(base, entry), path, max_bytes)


def _list_lines(path: str) -> Iterator[tuple[int, str]]:
    # Read lazily: a list of a million paths need not sit in memory.
    try:
        with open(path, encoding="utf-8-sig") as fh:
            yield from enumerate(fh, start=1)
    except UnicodeDecodeError:
        raise SourceError("bad-list", path, f"{path} is not UTF-8 text; a list holds one path a line.") from None
    except OSError as exc:
        raise SourceError("unreadable", path, f"Cannot read {path}: {exc.strerror or exc}.") from None


def _relative(base: str, entry: str) -> str:
    return os.path.join(base, os.path.expanduser(entry)) if entry else base


# --- WARC -----------------------------------------------------------------------------------


def _warc_outcomes(path: str, size: int, max_bytes: int) -> Iterator[RawPage | FetchRecord]:
    try:
        fh = open(path, "rb")
    except OSError as exc:
        raise SourceError("unreadable", path, f"Cannot read {path}: {exc.strerror or exc}.") from None
    with fh:
        records = ArchiveIterator(fh)
        stream = iter(records)
        while True:
            offset = records.offset
            try:
                record = next(stream)
            except StopIteration:
                break
            except Exception as exc:  # noqa: BLE001 - warcio raises many types on bad bytes
                yield _corrupt(path, records.offset, exc)
                return
            outcome, truncated = _record_outcome(records, record, path, offset, max_bytes)
            if truncated:
                yield _corrupt(path, offset, "the record ends before its Content-Length", record)
                return
            if outcome is not None:
                yield outcome
        # warcio stops quietly at a gzip member cut short: bytes left over mean a lost record.
        if records.offset < size and _has_more(fh, records.offset):
            yield _corrupt(path, records.offset, "the file ends inside a record")


def _has_more(fh, offset: int) -> bool:
    fh.seek(offset)
    return bool(fh.read(HEAD_BYTES).strip())


def _corrupt(path: str, offset: int, why: object, record=None) -> FetchRecord:
    uri = (record.rec_headers.get_header("WARC-Target-URI") or "") if record is not None else ""
    # warcio quotes the bad line it met, which may be binary: keep the message short and printable.
    why = "".join(ch if ch.isprintable() else "?" for ch in str(why)[:100])
    return FetchRecord(
        url=uri or path, error="warc-corrupt", warc_file=path, warc_offset=offset, source=path,
        detail=f"{path} is corrupt or truncated at byte {offset} ({why}); the records before it were read.",
    )


def _record_outcome(records: ArchiveIterator, record, path: str, offset: int, max_bytes: int):
    """Return ``(outcome or None, truncated)`` for one WARC record, reading it to its end."""
    kind = record.rec_type
    http = record.http_headers if kind == "response" else None
    content_type = (http.get_header("Content-Type") if http else None) or (
        record.rec_headers.get_header("Content-Type") or "")
    role = record.rec_headers.get_header("Citegraph-Role") or "page"
    if kind not in ("response", "resource") or (kind == "resource" and not is_html_type(content_type)) \
            or role != "page":  # a crawl's robots.txt, sitemaps, feeds and home pages are not articles
        outcome = None
    else:
        outcome = _page_or_failure(record, http, content_type, path, offset, max_bytes)
    records.read_to_end(record)
    return outcome, _is_truncated(record)


def _is_truncated(record) -> bool:
    # A record cut inside its headers has no length; one cut inside its block has bytes owed.
    declared = (record.rec_headers.get_header("Content-Length") or "").strip()
    return not declared.isdigit() or getattr(record.raw_stream, "limit", 0) > 0


def _page_or_failure(record, http, content_type: str, path: str, offset: int, max_bytes: int):
    base = dict(
        url=record.rec_headers.get_header("WARC-Target-URI") or "",
        fetched_at=record.rec_headers.get_header("WARC-Date") or "",
        content_type=content_type, warc_file=path, warc_offset=offset, status=_status(http),
    )
    failure = _http_failure(http, base)
    if failure:
        return FetchRecord(source=path, **failure)
    cut = record.rec_headers.get_header("WARC-Truncated")
    if cut:  # the crawler stopped reading (too large, too slow, dropped): the page is not all there
        return FetchRecord(source=path, error="truncated", **base,
                           detail=f"{base['url']}: the archive holds only part of the response (WARC-Truncated: {cut}).")
    try:
        data = record.content_stream().read(max_bytes + 1)
    except Exception as exc:  # noqa: BLE001 - bad chunking or content encoding in the archive
        return FetchRecord(source=path, error="warc-corrupt", **base,
                           detail=f"{path} byte {offset}: the payload cannot be decoded ({exc}).")
    reason = "too-large" if len(data) > max_bytes else sniff(data, content_type)
    if reason:
        detail = _payload_detail(reason, data, base, max_bytes)
        return FetchRecord(source=path, error=reason, **base, detail=detail)
    return RawPage(data=data, source=path, **base)


def _status(http) -> int | None:
    try:
        return int(http.get_statuscode()) if http else None
    except (TypeError, ValueError):
        return None


def _http_failure(http, base: dict) -> dict | None:
    status = base["status"]
    if status is None or status < 300:
        return None
    if status < 400 and status != 304:
        target = urljoin(base["url"], http.get_header("Location") or "")
        detail = f"{base['url']} redirects ({status}) to {target or 'nowhere'}; the archive holds no page here."
        return dict(base, error="redirect", final_url=target, detail=detail)
    return dict(base, error=f"http-{status}",
                detail=f"{base['url']} was archived with HTTP status {status}; there is no page to read.")


def _payload_detail(reason: str, data: bytes, base: dict, max_bytes: int) -> str:
    url = base["url"]
    if reason == "too-large":
        return f"{url}: the payload has more than {max_bytes:,} bytes (raise max_bytes to read it)."
    if reason == "empty":
        return f"{url}: the response has no body."
    what = binary_kind(data) or f"{base['content_type'] or 'untyped'} content without HTML markup"
    return f"{url} is {what}, not an HTML page."
