"""Personal data: detecting it in answer files and pseudonymizing participant codes.

Indonesia's Personal Data Protection Law (UU 27/2022) applies to answer files:
names, phone numbers and NIK must not travel in reports. evalkit drops the
columns a questionnaire marks as personal when it reads a file, warns about other
columns that look personal, and replaces participant codes in every output by a
keyed hash (SipHash-2-4, a keyed pseudo-random function) whose key never leaves
the analyst's machine.
"""

from __future__ import annotations

import hashlib
import os
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from .._errors import EvalkitError, EvalkitWarning
from .._i18n import tr

#: Environment variable holding the pseudonymization key (any text).
KEY_ENV = "EVALKIT_KEY"
_PATTERNS = {
    "phone": re.compile(r"(?:\+?62|0)8[1-9]\d{6,11}"),
    "nik": re.compile(r"\d{16}"),
    "email": re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}"),
}
_HEADER_WORDS = {
    "name": ("nama", "name"),
    "phone": ("hp", "telepon", "telp", "phone", "whatsapp", "wa"),
    "nik": ("nik", "ktp"),
    "email": ("email", "e-mail", "surel"),
    "address": ("alamat", "address"),
}
_KIND_TEXT = {
    "name": {"id": "nama orang", "en": "person names"},
    "phone": {"id": "nomor telepon", "en": "phone numbers"},
    "nik": {"id": "NIK (16 angka)", "en": "NIK numbers (16 digits)"},
    "email": {"id": "alamat email", "en": "e-mail addresses"},
    "address": {"id": "alamat", "en": "addresses"},
}
_M = {
    "looks_personal": {"code": "EK-PR-001",
        "id": "{file}: kolom {column!r} tampaknya berisi {kind}; kolom ini tidak pernah ditulis ke laporan, "
              "tetapi nyatakan di participant.personal_columns agar jelas.",
        "en": "{file}: column {column!r} seems to hold {kind}; it is never written to reports, but declare it "
              "under participant.personal_columns to make that explicit."},
    "codes_personal": {"code": "EK-PR-002",
        "id": "{file}: kode peserta di kolom {column!r} tampaknya berisi {kind}; kode hanya muncul di keluaran "
              "sebagai nama samaran, tetapi sebaiknya peserta memakai kode buatan sendiri.",
        "en": "{file}: participant codes in column {column!r} seem to be {kind}; outputs only show pseudonyms, "
              "but participants should rather use self-made codes."},
    "approved": {"code": "EK-PR-003", "id": "{file}: daftar pasangan fuzzy tidak sah ({problem}); yang diperbolehkan: CSV dengan kolom "
                        "row_pre dan row_post berisi nomor baris",
                 "en": "{file}: invalid list of fuzzy pairs ({problem}); allowed: a CSV with columns row_pre and "
                       "row_post holding row numbers"},
    "key_file": {"code": "EK-PR-004", "id": "{file}: berkas kunci tidak dapat dibaca atau kosong.",
                 "en": "{file}: the key file cannot be read or is empty."},
}


def personal_kind(column: str, values: pd.Series) -> str | None:
    """What kind of personal data a column seems to hold (``None`` if none).

    A column is personal when its header names such data (``nama``, ``no_hp``,
    ``NIK``, ``email``, ``alamat`` ...) or when most of its filled cells look like
    Indonesian phone numbers, 16-digit NIK or e-mail addresses.

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.privacy import personal_kind
    >>> personal_kind("kontak", pd.Series(["0812-3456-7890", "081298765432", ""]))
    'phone'
    >>> personal_kind("nilai", pd.Series(["1", "2"])) is None
    True
    """
    words = set(re.split(r"[\s_\-./]+", column.strip().casefold()))
    for kind, names in _HEADER_WORDS.items():
        if words & set(names):
            return kind
    distinct = pd.Series(pd.unique(values), dtype=object).astype(str)  # categoricals: no cell-by-cell pass
    filled = pd.Series(pd.unique(distinct[distinct.str.strip() != ""]))
    if filled.empty:
        return None
    compact = filled.str.replace(r"[\s\-().]", "", regex=True)
    for kind, pattern in _PATTERNS.items():
        target = filled if kind == "email" else compact
        if target.str.fullmatch(pattern).mean() >= 0.5:
            return kind
    return None


def warn_personal(raw: pd.DataFrame, columns, *, id_column: str, source: str) -> None:
    """Warn about undeclared columns (and participant codes) that look like personal data."""
    name = Path(source).name
    for column in columns:
        kind = personal_kind(column, raw[column])
        if kind:
            warnings.warn(tr(_M["looks_personal"], file=name, column=column, kind=tr(_KIND_TEXT[kind])),
                          EvalkitWarning, stacklevel=4)
    if id_column in raw.columns:
        codes = raw[id_column]
        kind = next((k for k, p in _PATTERNS.items()
                     if codes[codes != ""].astype(str).str.replace(r"[\s\-]", "", regex=True)
                     .str.fullmatch(p).mean() >= 0.5), None)
        if kind:
            warnings.warn(tr(_M["codes_personal"], file=name, column=id_column, kind=tr(_KIND_TEXT[kind])),
                          EvalkitWarning, stacklevel=4)


def load_key(key_file: str | Path | None = None) -> str:
    """The pseudonymization key: a key file, else ``$EVALKIT_KEY``, else a fresh random key.

    With a fresh key (the default) pseudonyms differ between runs, so reports cannot be
    linked to each other; keep a key file to get the same pseudonym for a person in
    every report. The key is never written to any output.
    """
    if key_file is not None:
        try:
            secret = Path(key_file).read_text(encoding="utf-8").strip()
        except OSError:
            secret = ""
        if not secret:
            raise EvalkitError(tr(_M["key_file"], file=key_file))
    else:
        secret = os.environ.get(KEY_ENV) or os.urandom(32).hex()
    # pandas' SipHash takes a 16-byte key: derive it from the secret.
    digest = hashlib.sha256(secret.encode("utf-8")).digest()
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    return "".join(alphabet[b % 64] for b in digest[:16])


def pseudonymize(codes: pd.Series, key: str) -> pd.Series:
    """Replace codes by keyed-hash pseudonyms ``P`` + 16 hex digits (missing stays missing).

    Vectorized: pandas' SipHash-2-4 over the whole column.

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.privacy import pseudonymize, load_key
    >>> key = load_key()
    >>> p = pseudonymize(pd.Series(["AB01", "AB01", "CD02"]), key)
    >>> p[0] == p[1] != p[2], p[0].startswith("P"), len(p[0])
    (True, True, 17)
    """
    present = codes.notna()
    out = pd.Series(None, index=codes.index, dtype=object)
    out[present] = pseudonym_array(codes[present].astype(str), key)
    return out


_HEX_DIGITS = np.frombuffer(b"0123456789ABCDEF", dtype=np.uint8)


def pseudonym_array(codes: pd.Series, key: str, *, distinct: bool = False) -> np.ndarray:
    """:func:`pseudonymize` of text codes without missing values, as an object array.

    ``distinct=True`` promises the codes are all different, which skips hashing each
    distinct code only once (a factorization that would find nothing to share).
    """
    hashed = pd.util.hash_pandas_object(codes, index=False, hash_key=key, categorize=not distinct).to_numpy()
    # "P%016X" % h for every hash, spelled with a byte table: string formatting per value
    # (np.char.mod) is the slow part at a million codes.
    nibbles = hashed.astype(">u8").view(np.uint8).reshape(-1, 8)
    text = np.empty((len(hashed), 17), dtype=np.uint8)
    text[:, 0] = ord("P")
    text[:, 1::2] = _HEX_DIGITS[nibbles >> 4]
    text[:, 2::2] = _HEX_DIGITS[nibbles & 15]
    return text.view("S17").ravel().astype("U17").astype(object)


def identifier_table(analysis) -> pd.DataFrame:
    """Real codes beside their pseudonyms, for the analyst's private files only (``--keep-identifiers``).

    One row per input row: ``wave, row, participant`` (pseudonym) and ``code`` as typed.
    """
    waves = [w for w in (analysis.pre, analysis.post, getattr(analysis, "followup", None)) if w is not None]
    codes = pd.concat([w.data[["row", "participant"]].assign(wave=w.wave) for w in waves])
    table = analysis.ledger[["wave", "row", "group", "participant"]].merge(
        codes.rename(columns={"participant": "code"}), on=["wave", "row"], how="left")
    return table[["wave", "row", "group", "participant", "code"]]


def fuzzy_matches(ledger: pd.DataFrame) -> pd.DataFrame:
    """The fuzzy matches to review: ``group, row_pre, row_post, distance, participant``.

    Delete the lines you reject and pass the file back with ``--approve-fuzzy``.
    """
    rows = ledger[(ledger["wave"] == "pre") & (ledger["match"] == "fuzzy")]
    out = rows.rename(columns={"row": "row_pre", "pair_row": "row_post"})
    return out[["group", "row_pre", "row_post", "distance", "participant"]].astype(
        {"row_post": "int64", "distance": "int64"}).reset_index(drop=True)


def read_approved_pairs(path: str | Path) -> pd.DataFrame:
    """The analyst's approved fuzzy matches: a CSV with ``row_pre`` and ``row_post`` columns."""
    try:
        table = pd.read_csv(path, sep=None, engine="python", encoding="utf-8-sig")
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise EvalkitError(tr(_M["approved"], file=path, problem=exc)) from None
    missing = {"row_pre", "row_post"} - set(table.columns)
    if missing or not all(pd.api.types.is_integer_dtype(table[c]) for c in ("row_pre", "row_post")):
        raise EvalkitError(tr(_M["approved"], file=path, problem=", ".join(sorted(missing)) or "row_pre/row_post"))
    return table[["row_pre", "row_post"]]
