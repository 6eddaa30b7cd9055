"""Matching pre-test to post-test rows, and the ledger that accounts for every row.

Participants are matched on (group, normalized code): codes are compared after
upper-casing and removing spaces, dashes, dots, slashes and underscores, so
``ab-01``, ``AB 01`` and ``AB01`` are one person. Within a wave, repeated
submissions of the same person keep the last one (later rows are corrections in
field practice); the earlier ones are ``duplicate``. Rows left over may then be
matched when their codes differ by one typing slip (see :func:`match_waves`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from .._i18n import tr
from .._lazy import optional_pyarrow
from ..privacy import load_key, pseudonym_array

#: Every input row ends in exactly one of these states.
STATES = ("used", "duplicate", "unmatched", "invalid", "rejected", "empty")
_REASONS = {
    "used": {"id": "dipakai dalam analisis", "en": "used in the analysis"},
    "duplicate": {"id": "kiriman ganda; kiriman terakhir yang dipakai",
                  "en": "repeated submission; the last one is used"},
    "unmatched": {"id": "tidak ada pasangan di gelombang {other}", "en": "no matching row in wave {other}"},
    "invalid": {"id": "kode peserta atau kelompok kosong/tidak sah",
                "en": "participant code or group empty or invalid"},
    "rejected": {"id": "kiriman ditolak pemeriksa di alat pengumpul data (Kobo/ODK)",
                 "en": "submission rejected by a reviewer in the collection tool (Kobo/ODK)"},
    "empty": {"id": "baris kosong", "en": "empty row"},
    "fuzzy": {"id": "dipakai; dicocokkan dengan kode yang berbeda satu huruf (periksa daftar fuzzy_matches)",
              "en": "used; matched to a code one character apart (check the fuzzy_matches list)"},
}


def normalize_codes(codes: pd.Series) -> pd.Series:
    """Upper-case and strip spaces, dashes, dots, slashes and underscores.

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.pipeline import normalize_codes
    >>> normalize_codes(pd.Series(["ab-01", " AB 01", "Ab_01"])).tolist()
    ['AB01', 'AB01', 'AB01']
    """
    fast = _normalize_ascii(codes)
    if fast is not None:
        return fast
    return codes.astype("string").str.upper().str.replace(r"[\s\-._/]+", "", regex=True).astype(object)


#: Python's ``\s`` on ASCII text (``str.isspace``) and the other separators, by byte value.
_SEPARATOR = np.zeros(256, dtype=bool)
_SEPARATOR[list(b"\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f -._/")] = True
#: ASCII upper-casing, by byte value.
_UPPER = np.arange(256, dtype=np.uint8)
_UPPER[ord("a"):ord("z") + 1] -= 32


def _normalize_ascii(codes: pd.Series) -> pd.Series | None:
    """:func:`normalize_codes` on the bytes of a pyarrow array when every code is ASCII text.

    On ASCII text upper-casing and the separators are single bytes, so the result is
    identical; anything else (no pyarrow, non-ASCII, non-text) returns ``None`` and takes
    the pandas path.
    """
    values = codes.astype(object).to_numpy(copy=True)
    array = _ascii_arrow(values)
    if array is None:
        return None
    fixed, change = _normalized(array)
    if len(change):  # only the rewritten codes are converted back to Python text
        values[change] = fixed.take(change).to_numpy(zero_copy_only=False)
    values[pd.isna(values)] = pd.NA
    return pd.Series(values, index=codes.index, dtype=object)


def _ascii_arrow(values: np.ndarray | pd.Series):
    """``values`` (texts or missing values: an object array, or a Series) as a pyarrow
    string array, without a copy when pyarrow already holds them (pandas' text dtype);
    ``None`` without pyarrow, or unless every value is ASCII text."""
    pa = optional_pyarrow()
    if pa is None:
        return None
    import pyarrow.compute as pc

    try:
        if isinstance(values, pd.Series) and getattr(values.dtype, "storage", None) == "pyarrow":
            array = pa.array(values.array)
            # One chunk, 32-bit offsets: hashing large_string is twice as slow here.
            array = (array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array).cast(pa.string())
        else:
            array = pa.array(np.asarray(values, dtype=object), type=pa.string(), from_pandas=True)
    except (pa.ArrowException, TypeError, ValueError):
        return None
    if len(array) and not pc.all(pc.string_is_ascii(array)).as_py() in (True, None):
        return None
    return array


def _normalized(array):
    """An ASCII pyarrow string array normalized as :func:`normalize_codes`, and the
    positions of the codes that changed.

    Works on the array's bytes: a byte lookup upper-cases, a mask drops the separators,
    and the offsets are recounted; unchanged arrays are returned as they are.
    """
    import pyarrow as pa

    if array.offset:  # buffers that start at the first value
        array = pa.concat_arrays([array])
    n = len(array)
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int32, count=n + 1)
    data = array.buffers()[2]
    chars = np.frombuffer(data, dtype=np.uint8, count=offsets[-1]) if data is not None else np.zeros(0, np.uint8)
    upper = _UPPER[chars]
    drop = _SEPARATOR[chars]
    changed_byte = np.flatnonzero(drop | (upper != chars))
    if not len(changed_byte):
        return array, changed_byte
    owner = np.searchsorted(offsets, changed_byte, side="right") - 1  # the code each byte is in
    dropped = owner[drop[changed_byte]]
    lengths = np.diff(offsets) - np.bincount(dropped, minlength=n)
    new_offsets = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(lengths, out=new_offsets[1:])
    kept = upper[~drop]
    normalized = pa.StringArray.from_buffers(n, pa.py_buffer(new_offsets), pa.py_buffer(kept),
                                             array.buffers()[0], array.null_count)
    return normalized, owner[np.diff(owner, prepend=-1) > 0]  # owners ascend: each once


def match_waves(pre: pd.DataFrame, post: pd.DataFrame, *, pre_wave: str = "pre", post_wave: str = "post",
                fuzzy: bool = True, approved: pd.DataFrame | None = None,
                key: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Match two waves' row tables on (group, normalized code).

    Parameters
    ----------
    pre, post : DataFrame
        Each with ``row, participant, group, status`` (a :class:`Responses` ``data``).
    fuzzy : bool, default True
        Also match, within a group, rows left over whose codes differ by one edit
        (substitution, insertion, deletion or transposition of neighbours) -- typical
        of self-made anonymous codes retyped at post-test -- when the match is
        unambiguous: each row has exactly one such candidate.
    approved : DataFrame, optional
        The analyst's reviewed list (``row_pre, row_post``, e.g. the report's
        ``fuzzy_matches.csv`` with rejected lines deleted): only these fuzzy pairs are
        accepted.
    key : str, optional
        Pseudonymization key (see :func:`evalkit.privacy.load_key`); default a fresh one.

    Returns
    -------
    pairs : DataFrame
        One row per matched participant: ``group, participant`` (pseudonym of the pre-test
        code), ``row_pre, row_post, match`` (``exact``/``fuzzy``, a categorical as the
        ledger's), ``distance``.
    ledger : DataFrame
        One row per input row of both waves: ``wave, row, group, participant`` (a
        pseudonym), ``state, match, distance``, ``pair_row`` (the matched row of the
        other wave) and ``reason``; ``wave, state, match, reason`` are categoricals.
    """
    found = find_pairs(pre, post, fuzzy=fuzzy, approved=approved)
    # Each distinct code is hashed once (a person's code appears in both waves), and the
    # pseudonyms are a categorical over them: rows hold integer codes, not a million texts.
    # The missing code (the last key code) stays missing.
    pseudonyms = pd.CategoricalDtype(pseudonym_array(found.keys.astype(object), key or load_key(), distinct=True))
    person = np.where(found.key_code < len(found.keys), found.key_code, -1)
    return pairs_and_ledger(found, person, pseudonyms, (pre_wave, post_wave))


def pairs_and_ledger(found: _Found, person: np.ndarray, pseudonyms: pd.CategoricalDtype,
                     waves: tuple[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The pairs and the ledger of :func:`match_waves`, from what :func:`find_pairs` found and
    each row's person (a code into ``pseudonyms``, -1: no code)."""
    pairs, at_pre, at_post, state = found.pairs, found.at_pre, found.at_post, found.state
    n_pre, both, used = len(found.pre), found.both, found.state == STATES.index("used")
    sides = (slice(0, n_pre), slice(n_pre, None))
    pairs["participant"] = pd.Categorical.from_codes(person[at_pre], dtype=pseudonyms, validate=False)
    exact = np.arange(len(pairs)) < found.n_exact  # fuzzy pairs are one edit apart
    pairs["match"] = pd.Categorical.from_codes(np.where(exact, 1, 2).astype(np.int8), _MATCHES)  # as the ledger's
    pairs["distance"] = np.where(exact, 0, 1)
    pair_of = np.full(len(state), -1)  # each row's position in pairs, -1: none
    pair_of[at_pre] = pair_of[n_pre + at_post] = np.arange(len(pairs))
    state[used & (pair_of < 0)] = STATES.index("unmatched")
    match = np.append(np.where(np.arange(len(pairs)) < found.n_exact, 1, 2), 0)[pair_of]  # codes into _MATCHES
    # The reason of each row: one text per (wave, state), or the fuzzy text.
    texts = [[tr(_REASONS[s], other=waves[1 - w]) for s in STATES] for w in (0, 1)]
    reasons = list(dict.fromkeys([*texts[0], *texts[1], tr(_REASONS["fuzzy"])]))
    reason = np.empty(len(state), dtype=np.int8)
    for w, side in enumerate(sides):
        reason[side] = np.array([reasons.index(t) for t in texts[w]])[state[side]]
    reason[match == 2] = reasons.index(tr(_REASONS["fuzzy"]))
    if len(pairs):
        distance = pd.concat([_take(pairs["distance"], pair_of[side]) for side in sides], ignore_index=True)
        pair_row = pd.concat([_take(pairs[column], pair_of[side])
                              for side, column in zip(sides, ("row_post", "row_pre"))], ignore_index=True)
    else:
        distance = pair_row = np.nan
    names = list(dict.fromkeys(waves))  # the two waves may share a name
    ledger = pd.DataFrame({
        "wave": pd.Categorical.from_codes(np.repeat([names.index(w) for w in waves], [n_pre, len(found.post)]), names),
        "row": both["row"], "group": both["group"],
        "participant": pd.Categorical.from_codes(person, dtype=pseudonyms, validate=False),
        "state": pd.Categorical.from_codes(state, STATES), "match": pd.Categorical.from_codes(match, _MATCHES),
        "distance": distance, "pair_row": pair_row, "reason": pd.Categorical.from_codes(reason, reasons)},
        copy=False)  # fresh arrays: no copy into consolidated blocks
    return pairs[["group", "participant", "row_pre", "row_post", "match", "distance"]], ledger


@dataclass
class _Found:
    """What matching found, before pseudonyms and the ledger (see :func:`find_pairs`)."""

    pre: pd.DataFrame  # the two waves' row tables
    post: pd.DataFrame
    n_exact: int  # how many pairs are exact (they come first)
    at_pre: np.ndarray  # each pair's row position in the pre wave
    at_post: np.ndarray  # ... and in the post wave
    state: np.ndarray  # codes into STATES of both waves' rows; unmatched rows still "used"
    key_code: np.ndarray  # each row's normalized code (the last code: missing)
    keys: pd.Series  # the distinct normalized codes (by position)
    group_code: np.ndarray  # each row's group, both waves, into groups
    groups: np.ndarray  # the distinct groups (missing included), in order of appearance
    both: dict  # row, group, participant, status of both waves, pre rows first

    @cached_property
    def pairs(self) -> pd.DataFrame:
        """``group, row_pre, row_post``, one row per pair (built when asked for: gains reads
        the positions and group codes instead)."""
        return pd.DataFrame({"group": _at(self.pre["group"], self.at_pre),
                             "row_pre": _at(self.pre["row"], self.at_pre),
                             "row_post": _at(self.post["row"], self.at_post)})

    def pair_groups(self) -> tuple[np.ndarray, np.ndarray]:
        """Each pair's group as a code into the sorted groups that have pairs, and those
        groups (as ``pd.factorize(pairs["group"], sort=True)``, without hashing texts)."""
        code = self.group_code[self.at_pre]
        present = np.flatnonzero(np.bincount(code, minlength=len(self.groups)))
        order = present[np.argsort(self.groups[present], kind="stable")]
        rank = np.zeros(len(self.groups), dtype=np.intp)
        rank[order] = np.arange(len(order))
        return rank[code], self.groups[order]


def find_pairs(pre: pd.DataFrame, post: pd.DataFrame, *, fuzzy: bool, approved) -> _Found:
    """The pairs of :func:`match_waves` and each row's state: all the statistics need
    (:func:`evalkit.gains` stops here; the ledger and pseudonyms are built on top)."""
    n_pre = len(pre)
    both = {column: pd.concat([pre[column], post[column]], ignore_index=True)
            for column in ("row", "group", "participant", "status")}
    # (group, key) of both waves as one integer code: duplicates and the exact join are
    # then integer look-ups (missing values match each other, as in a merge).
    group_code, groups = pd.factorize(both["group"], use_na_sentinel=False)
    key_code, keys = _key_codes(both["participant"])
    pair_code = group_code.astype(np.int64) * (len(keys) + 1) + key_code
    state = np.zeros(len(pair_code), dtype=np.int8)  # codes into STATES: "used" unless ...
    for status in ("invalid", "rejected", "empty"):  # a row's status names its state
        state[(both["status"] == status).to_numpy()] = STATES.index(status)
    ok = (both["status"] == "ok").to_numpy()
    for side in (slice(0, n_pre), slice(n_pre, None)):
        ok_rows = np.flatnonzero(ok[side]) + side.start
        state[ok_rows[_repeated(pair_code[ok_rows])]] = STATES.index("duplicate")
    used = state == STATES.index("used")
    used_pre, used_post = np.flatnonzero(used[:n_pre]), np.flatnonzero(used[n_pre:])
    partner = pd.Index(pair_code[n_pre + used_post]).get_indexer(pair_code[used_pre])
    hit = partner >= 0
    # Each pair's row positions in its wave, exact pairs first.
    at_pre, at_post = used_pre[hit], used_post[partner[hit]]
    paired_post = np.zeros(len(post), dtype=bool)
    paired_post[at_post] = True
    rest_pre, rest_post = used_pre[~hit], used_post[~paired_post[used_post]]
    if fuzzy and len(rest_pre) and len(rest_post):
        i, j = _near(group_code[rest_pre], keys.take(key_code[rest_pre]).to_numpy(),
                     group_code[n_pre + rest_post], keys.take(key_code[n_pre + rest_post]).to_numpy())
        i, j = rest_pre[i], rest_post[j]
        if approved is not None:  # keep the reviewed pairs, in this order
            rows = pd.DataFrame({"row_pre": pre["row"].to_numpy()[i], "row_post": post["row"].to_numpy()[j]})
            kept = rows.reset_index().merge(approved[["row_pre", "row_post"]].drop_duplicates(),
                                            on=["row_pre", "row_post"])["index"].to_numpy()
            i, j = i[kept], j[kept]
        at_pre, at_post = np.append(at_pre, i), np.append(at_post, j)
    return _Found(pre, post, int(hit.sum()), at_pre, at_post, state, key_code, keys, group_code,
                  np.asarray(groups, dtype=object), both)


def _repeated(person: np.ndarray) -> np.ndarray:
    """The duplicate-submission rule: of one wave's usable rows (in file order, each given
    as an integer code of its (group, normalized code)), the earlier submissions of a
    person; the last one counts (later rows are corrections in field practice)."""
    return pd.Series(person).duplicated(keep="last").to_numpy()


def latest_rows(data: pd.DataFrame) -> pd.Series:
    """Row numbers of one wave's usable rows, a repeated submission counted once (the last).

    ``data`` is a :class:`Responses` ``data`` (``row, participant, group, status``); these
    are the rows :func:`match_waves` puts in the states ``used`` or ``unmatched``.

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.pipeline import latest_rows
    >>> data = pd.DataFrame({"row": [2, 3, 4], "participant": ["ab-1", "AB1", "cd2"],
    ...                      "group": ["G1", "G1", "G1"], "status": ["ok", "ok", "ok"]})
    >>> latest_rows(data).tolist()
    [3, 4]
    """
    usable = data[(data["status"] == "ok").to_numpy()]
    group_code = pd.factorize(usable["group"], use_na_sentinel=False)[0]
    key_code, keys = _key_codes(usable["participant"])
    return usable["row"][~_repeated(group_code.astype(np.int64) * (len(keys) + 1) + key_code)]


#: Values of the ledger's ``match`` column: not matched, exact, fuzzy.
_MATCHES = ("", "exact", "fuzzy")


def _key_codes(codes: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Normalized codes as (integer code per row, distinct normalized codes); missing: the last code.

    The distinct codes stay pyarrow text when pyarrow holds them: most are never read as
    Python text (only the leftover rows' for fuzzy matching, and the ledger's pseudonyms).
    """
    array = _ascii_arrow(codes)
    if array is not None:  # normalized on the bytes, hashed once in pyarrow
        import pyarrow.compute as pc

        encoded = _normalized(array)[0].dictionary_encode()
        distinct = encoded.dictionary
        return (pc.fill_null(encoded.indices, len(distinct)).to_numpy(),
                pd.Series(pd.array(distinct, dtype=pd.StringDtype("pyarrow", na_value=np.nan)), copy=False))
    raw_code, raw = pd.factorize(codes)
    code, keys = pd.factorize(normalize_codes(pd.Series(raw, dtype=object)).to_numpy())
    return np.append(code, len(keys))[raw_code], pd.Series(keys, dtype=object)


def positions(rows: np.ndarray, wanted) -> np.ndarray:
    """Position of each wanted row number among ``rows`` (each one there, rows unique)."""
    wanted = np.asarray(wanted)
    if len(rows) > 1 and (rows[1:] > rows[:-1]).all():  # rows in file order: no hash table
        if rows[-1] - rows[0] < 4 * len(rows):  # file lines, nearly all kept: a direct look-up table
            table = np.empty(rows[-1] - rows[0] + 1, dtype=np.intp)  # 25x a binary search out of order
            table[rows - rows[0]] = np.arange(len(rows))
            return table[wanted - rows[0]]
        return np.searchsorted(rows, wanted)
    return pd.Index(rows).get_indexer(wanted)


def _at(column: pd.Series, positions: np.ndarray) -> pd.Series:
    """A column's values at ``positions``, keeping its dtype (an object array would be re-inferred)."""
    return column.take(positions).reset_index(drop=True)


def _take(values: pd.Series, positions: np.ndarray) -> pd.Series:
    """``values`` at ``positions`` (``-1``: missing), as ``Series.map`` with a Series fills them."""
    from pandas.api.extensions import take

    return pd.Series(take(values.array, positions, allow_fill=True), name=values.name)


def fuzzy_pairs(pre: pd.DataFrame, post: pd.DataFrame) -> pd.DataFrame:
    """Unambiguous one-edit matches between leftover rows of the same group.

    Candidates come from a join on one-deletion variants (two codes one edit apart
    always share one), so no pair of rows is compared unless it may match; each
    candidate is then checked exactly (optimal string alignment distance).

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.pipeline import fuzzy_pairs
    >>> pre = pd.DataFrame({"group": ["G1", "G1"], "key": ["SR07M", "AB12C"], "row": [2, 3]})
    >>> post = pd.DataFrame({"group": ["G1", "G1"], "key": ["SR70M", "XY99Z"], "row": [5, 6]})
    >>> fuzzy_pairs(pre, post)[["row_pre", "row_post", "distance"]].values.tolist()
    [[2, 5, 1]]
    """
    group_code = pd.factorize(pd.concat([pre["group"], post["group"]], ignore_index=True))[0]
    i, j = _near(group_code[:len(pre)], pre["key"].to_numpy(), group_code[len(pre):], post["key"].to_numpy())
    return pd.DataFrame({"group": pre["group"].take(i).reset_index(drop=True),
                         "key": pre["key"].take(i).reset_index(drop=True),
                         "row_pre": pre["row"].to_numpy()[i], "row_post": post["row"].to_numpy()[j],
                         "match": "fuzzy", "distance": 1})


def _near(group_pre: np.ndarray, keys_pre: np.ndarray, group_post: np.ndarray, keys_post: np.ndarray):
    """Positions ``(i, j)`` of the unambiguous one-edit pairs (see :func:`fuzzy_pairs`),
    from integer group codes shared by both sides and the keys' texts."""
    # Rows of a group left over on one side only cannot match: no variants for them.
    at_pre = np.flatnonzero(np.isin(group_pre, group_post))
    at_post = np.flatnonzero(np.isin(group_post, group_pre))
    # Candidates: rows sharing (group, variant), joined on one integer code in the left
    # side's order (each row's candidates in the right side's order), each pair once.
    (row_a, variant_a), (row_b, variant_b) = (_deletion_variants(keys[at]) for keys, at in
                                              ((keys_pre, at_pre), (keys_post, at_post)))
    variant, distinct = pd.factorize(np.concatenate([variant_a, variant_b]))
    code_a = group_pre[at_pre[row_a]].astype(np.int64) * (len(distinct) + 1) + variant[:len(row_a)]
    code_b = group_post[at_post[row_b]].astype(np.int64) * (len(distinct) + 1) + variant[len(row_a):]
    order = np.argsort(code_b, kind="stable")
    low, high = (np.searchsorted(code_b[order], code_a, side=side) for side in ("left", "right"))
    count = high - low
    within = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    i = at_pre[row_a[np.repeat(np.arange(len(code_a)), count)]]
    j = at_post[row_b[order[np.repeat(low, count) + within]]]
    first = np.sort(np.unique(i * max(len(keys_post), 1) + j, return_index=True)[1])
    i, j = i[first], j[first]
    near = np.array([osa_distance(x, y) == 1 for x, y in zip(keys_pre[i], keys_post[j])], dtype=bool)
    i, j = i[near], j[near]
    # Only unambiguous pairs: each row has this one candidate.
    unique = (np.bincount(i, minlength=len(keys_pre))[i] == 1) & (np.bincount(j, minlength=len(keys_post))[j] == 1)
    return i[unique], j[unique]


def _deletion_variants(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each key and its one-deletion variants: (position of the key, variant text).

    The keys are a character matrix (numpy fixed-width text viewed as code points, padded
    with zeros); dropping one column gives every key's variant at that position at once.
    """
    keys = np.asarray(keys, dtype=str)
    width = keys.dtype.itemsize // 4
    chars = keys.view(np.uint32).reshape(len(keys), width)
    length = (chars != 0).sum(axis=1)
    rows, variants = [np.arange(len(keys))], [keys.astype(object)]
    for i in range(width):  # loop over character positions, not participants
        at = np.flatnonzero(length > i)
        shorter = np.ascontiguousarray(np.delete(chars[at], i, axis=1))
        text = shorter.view(f"U{width - 1}").ravel() if width > 1 else np.full(len(at), "")
        rows.append(at)
        variants.append(text.astype(object))
    return np.concatenate(rows), np.concatenate(variants)


def osa_distance(a: str, b: str) -> int:
    """Optimal string alignment distance (Levenshtein plus adjacent transpositions).

    Examples
    --------
    >>> from evalkit.pipeline import osa_distance
    >>> osa_distance("SR07M", "SR70M"), osa_distance("SR07M", "SR07"), osa_distance("AB", "CD")
    (1, 1, 2)
    """
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def ledger_summary(ledger: pd.DataFrame, rows_read: dict[str, int]) -> pd.DataFrame:
    """Rows per wave and state beside the rows read from each file, with a ``reconciles`` check.

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.pipeline import ledger_summary
    >>> led = pd.DataFrame({"wave": ["pre", "pre"], "state": ["used", "empty"]})
    >>> ledger_summary(led, {"pre": 2})[["rows_read", "used", "empty", "reconciles"]].to_dict("records")
    [{'rows_read': 2, 'used': 1, 'empty': 1, 'reconciles': True}]
    """
    counts = (ledger.groupby(["wave", "state"], observed=True).size().unstack(fill_value=0)
              .reindex(index=list(rows_read), columns=list(STATES), fill_value=0))
    counts.insert(0, "rows_read", pd.Series(rows_read))
    counts["reconciles"] = counts[list(STATES)].sum(axis=1) == counts["rows_read"]
    return counts.rename_axis("wave").reset_index()
