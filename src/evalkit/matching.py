"""Matching pre-test to post-test rows, and the ledger that accounts for every row.

Participants are matched on (group, normalized code): codes are compared after
upper-casing and removing spaces, dashes, dots, slashes and underscores, so
``ab-01``, ``AB 01`` and ``AB01`` are one person. Within a wave, repeated
submissions of the same person keep the last one (later rows are corrections in
field practice); the earlier ones are ``duplicate``. Rows left over may then be
matched when their codes differ by one typing slip (see :func:`match_waves`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._i18n import tr
from .privacy import load_key, pseudonymize

#: Every input row ends in exactly one of these states.
STATES = ("used", "duplicate", "unmatched", "invalid", "empty")
_REASONS = {
    "used": {"id": "dipakai dalam analisis", "en": "used in the analysis"},
    "duplicate": {"id": "kiriman ganda; kiriman terakhir yang dipakai",
                  "en": "repeated submission; the last one is used"},
    "unmatched": {"id": "tidak ada pasangan di gelombang {other}", "en": "no matching row in wave {other}"},
    "invalid": {"id": "kode peserta atau kelompok kosong/tidak sah",
                "en": "participant code or group empty or invalid"},
    "empty": {"id": "baris kosong", "en": "empty row"},
    "fuzzy": {"id": "dipakai; dicocokkan dengan kode yang berbeda satu huruf (periksa daftar fuzzy_matches)",
              "en": "used; matched to a code one character apart (check the fuzzy_matches list)"},
}


def normalize_codes(codes: pd.Series) -> pd.Series:
    """Upper-case and strip spaces, dashes, dots, slashes and underscores.

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.matching import normalize_codes
    >>> normalize_codes(pd.Series(["ab-01", " AB 01", "Ab_01"])).tolist()
    ['AB01', 'AB01', 'AB01']
    """
    fast = _normalize_ascii(codes)
    if fast is not None:
        return fast
    return codes.astype("string").str.upper().str.replace(r"[\s\-._/]+", "", regex=True).astype(object)


#: Python's ``\s`` on ASCII text (``str.isspace``), spelled out for pyarrow's RE2 engine.
_ASCII_SEPARATORS = r"[\t\n\x0b\x0c\r\x1c-\x1f \-._/]+"


def _normalize_ascii(codes: pd.Series) -> pd.Series | None:
    """:func:`normalize_codes` in pyarrow's compute kernels when every code is ASCII text.

    On ASCII text, upper-casing and the separator class are the same in RE2 as in Python,
    so the result is identical; anything else (no pyarrow, non-ASCII, non-text) returns
    ``None`` and takes the pandas path.
    """
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:
        return None
    try:
        array = pa.array(codes.astype(object).to_numpy(), type=pa.string(), from_pandas=True)
    except (pa.ArrowException, TypeError, ValueError):
        return None
    if len(array) and not pc.all(pc.string_is_ascii(array)).as_py() in (True, None):
        return None
    result = pc.replace_substring_regex(pc.ascii_upper(array), pattern=_ASCII_SEPARATORS, replacement="")
    values = result.to_numpy(zero_copy_only=False)
    values[pd.isna(values)] = pd.NA
    return pd.Series(values, index=codes.index, dtype=object)


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
        code), ``row_pre, row_post, match`` (``exact``/``fuzzy``), ``distance``.
    ledger : DataFrame
        One row per input row of both waves: ``wave, row, group, participant`` (a
        pseudonym), ``state, match, distance``, ``pair_row`` (the matched row of the
        other wave) and ``reason``.
    """
    sides = []
    for frame, wave in ((pre, pre_wave), (post, post_wave)):
        side = frame[["row", "group", "status"]].copy()
        side["key"] = normalize_codes(frame["participant"])
        side["wave"] = wave
        sides.append(side)
    pre_side, post_side = sides
    # (group, key) of both waves as one integer code: duplicates and the exact join are
    # then integer look-ups (missing values match each other, as in a merge).
    both_groups = pd.concat([pre_side["group"], post_side["group"]], ignore_index=True)
    group_code, group_levels = pd.factorize(both_groups, use_na_sentinel=False)
    both_keys = pd.concat([pre_side["key"], post_side["key"]], ignore_index=True)
    key_code, key_levels = pd.factorize(both_keys, use_na_sentinel=False)
    pair_code = group_code.astype(np.int64) * max(len(key_levels), 1) + key_code
    pair_codes = (pair_code[:len(pre_side)], pair_code[len(pre_side):])
    for side, codes in zip(sides, pair_codes):
        status = side["status"].to_numpy()
        ok = status == "ok"
        later = np.zeros(len(side), dtype=bool)
        later[ok] = pd.Series(codes[ok]).duplicated(keep="last").to_numpy()
        state = np.where(status == "empty", "empty",
                         np.where(status == "invalid", "invalid", "used")).astype(object)
        state[later] = "duplicate"
        side["state"] = pd.Series(state, index=side.index, dtype=side["status"].dtype)
    used_pre = np.flatnonzero((pre_side["state"] == "used").to_numpy())
    used_post = np.flatnonzero((post_side["state"] == "used").to_numpy())
    keep_pre, keep_post = pre_side.iloc[used_pre], post_side.iloc[used_post]
    partner = pd.Index(pair_codes[1][used_post]).get_indexer(pair_codes[0][used_pre])
    hit = partner >= 0
    left = keep_pre.iloc[np.flatnonzero(hit)]
    pairs = pd.DataFrame({"group": left["group"].to_numpy(), "key": left["key"].to_numpy(),
                          "row_pre": left["row"].to_numpy(),
                          "row_post": keep_post["row"].to_numpy()[partner[hit]]})
    pairs = pairs.astype({"group": keep_pre["group"].dtype, "key": keep_pre["key"].dtype,
                          "row_pre": keep_pre["row"].dtype, "row_post": keep_post["row"].dtype})
    pairs["match"], pairs["distance"] = "exact", 0
    if fuzzy:
        post_hit = np.zeros(len(keep_post), dtype=bool)
        post_hit[partner[hit]] = True
        rest_pre = keep_pre[~hit]
        rest_post = keep_post[~post_hit]
        near = fuzzy_pairs(rest_pre, rest_post)
        if approved is not None:
            near = near.merge(approved[["row_pre", "row_post"]].drop_duplicates(), on=["row_pre", "row_post"])
        pairs = pd.concat([pairs, near], ignore_index=True)
    key = key or load_key()
    # Each distinct code is hashed once (a person's code appears in both waves).
    # The codes of the join, with the missing-key level (if any) taken out.
    missing = np.flatnonzero(pd.isna(np.asarray(key_levels, dtype=object)))
    distinct = np.delete(np.asarray(key_levels, dtype=object), missing)
    shift = np.arange(len(key_levels)) - np.searchsorted(missing, np.arange(len(key_levels)), side="right")
    shift[missing] = -1
    distinct_codes = shift[key_code] if len(key_code) else key_code
    hashed = pseudonymize(pd.Series(np.append(np.asarray(distinct, dtype=object), None), dtype=object), key)
    pseudonyms = pd.Series(hashed.to_numpy()[distinct_codes], dtype=object)
    if len(pairs):  # a pair carries its pre-test row's code
        at = pd.Index(pre_side["row"].to_numpy()).get_indexer(pairs["row_pre"].to_numpy())
        pairs["participant"] = pseudonyms.to_numpy()[:len(pre_side)][at]
    else:
        pairs["participant"] = []
    for side, column, other, part in ((pre_side, "row_pre", post_wave, pseudonyms[:len(pre_side)]),
                                      (post_side, "row_post", pre_wave, pseudonyms[len(pre_side):])):
        side["participant"] = part.to_numpy()
        if len(pairs):
            at = pd.Index(pairs[column]).get_indexer(side["row"])  # what Series.map does
            found = _take(pairs["match"], at, side.index)
        else:
            found = pd.Series(None, side.index, dtype=object)
        unmatched = (side["state"] == "used") & found.isna()
        side.loc[unmatched, "state"] = "unmatched"
        side["match"] = found.fillna("")
        side["distance"] = _take(pairs["distance"], at, side.index) if len(pairs) else np.nan
        partner_column = "row_post" if column == "row_pre" else "row_pre"
        side["pair_row"] = _take(pairs[partner_column], at, side.index) if len(pairs) else np.nan
        side["reason"] = side["state"].map({s: tr(_REASONS[s], other=other) for s in STATES})
        side.loc[side["match"] == "fuzzy", "reason"] = tr(_REASONS["fuzzy"])
    ledger = pd.concat(sides, ignore_index=True)
    ledger = ledger[["wave", "row", "group", "participant", "state", "match", "distance", "pair_row", "reason"]]
    return pairs[["group", "participant", "row_pre", "row_post", "match", "distance"]], ledger


def _take(values: pd.Series, positions: np.ndarray, index: pd.Index) -> pd.Series:
    """``values`` at ``positions`` (``-1``: missing), as ``Series.map`` with a Series fills them."""
    from pandas.api.extensions import take

    taken = take(values.array, positions, allow_fill=True)
    return pd.Series(taken, index=index, name=values.name)


def fuzzy_pairs(pre: pd.DataFrame, post: pd.DataFrame) -> pd.DataFrame:
    """Unambiguous one-edit matches between leftover rows of the same group.

    Candidates come from a join on one-deletion variants (two codes one edit apart
    always share one), so no pair of rows is compared unless it may match; each
    candidate is then checked exactly (optimal string alignment distance).

    Examples
    --------
    >>> import pandas as pd
    >>> from evalkit.matching import fuzzy_pairs
    >>> pre = pd.DataFrame({"group": ["G1", "G1"], "key": ["SR07M", "AB12C"], "row": [2, 3]})
    >>> post = pd.DataFrame({"group": ["G1", "G1"], "key": ["SR70M", "XY99Z"], "row": [5, 6]})
    >>> fuzzy_pairs(pre, post)[["row_pre", "row_post", "distance"]].values.tolist()
    [[2, 5, 1]]
    """
    columns = ["group", "key", "row_pre", "row_post", "match", "distance"]
    if pre.empty or post.empty:
        return pd.DataFrame(columns=columns)
    a, b = _deletion_variants(pre), _deletion_variants(post)
    candidates = a.merge(b, on=["group", "variant"], suffixes=("_pre", "_post"))
    candidates = candidates.drop_duplicates(["row_pre", "row_post"])
    near = [osa_distance(x, y) == 1 for x, y in zip(candidates["key_pre"], candidates["key_post"])]
    candidates = candidates[np.asarray(near, dtype=bool)]
    unique = ~candidates["row_pre"].duplicated(keep=False) & ~candidates["row_post"].duplicated(keep=False)
    out = candidates[unique].rename(columns={"key_pre": "key"})
    out["match"], out["distance"] = "fuzzy", 1
    return out[columns].reset_index(drop=True)


def _deletion_variants(side: pd.DataFrame) -> pd.DataFrame:
    keys = side["key"].astype(str)
    longest = int(keys.str.len().max())
    parts = [pd.DataFrame({"group": side["group"], "key": keys, "row": side["row"], "variant": keys})]
    for i in range(longest):  # loop over character positions, not participants
        parts.append(pd.DataFrame({"group": side["group"], "key": keys, "row": side["row"],
                                   "variant": keys.str[:i] + keys.str[i + 1:]})[keys.str.len() > i])
    return pd.concat(parts, ignore_index=True)


def osa_distance(a: str, b: str) -> int:
    """Optimal string alignment distance (Levenshtein plus adjacent transpositions).

    Examples
    --------
    >>> from evalkit.matching import osa_distance
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
    >>> from evalkit.matching import ledger_summary
    >>> led = pd.DataFrame({"wave": ["pre", "pre"], "state": ["used", "empty"]})
    >>> ledger_summary(led, {"pre": 2})[["rows_read", "used", "empty", "reconciles"]].to_dict("records")
    [{'rows_read': 2, 'used': 1, 'empty': 1, 'reconciles': True}]
    """
    counts = (ledger.groupby(["wave", "state"]).size().unstack(fill_value=0)
              .reindex(index=list(rows_read), columns=list(STATES), fill_value=0))
    counts.insert(0, "rows_read", pd.Series(rows_read))
    counts["reconciles"] = counts[list(STATES)].sum(axis=1) == counts["rows_read"]
    return counts.rename_axis("wave").reset_index()
