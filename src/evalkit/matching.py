"""Matching pre-test to post-test rows, and the ledger that accounts for every row.

Participants are matched on (group, normalized code): codes are compared after
upper-casing and removing spaces, dashes, dots, slashes and underscores, so
``ab-01``, ``AB 01`` and ``AB01`` are one person. Within a wave, repeated
submissions of the same person keep the last one (later rows are corrections in
field practice); the earlier ones are ``duplicate``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._i18n import tr

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
    return codes.astype("string").str.upper().str.replace(r"[\s\-._/]+", "", regex=True).astype(object)


def match_waves(pre: pd.DataFrame, post: pd.DataFrame, *, pre_wave: str = "pre",
                post_wave: str = "post") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Match two waves' row tables on (group, normalized code).

    Parameters
    ----------
    pre, post : DataFrame
        Each with ``row, participant, group, status`` (a :class:`Responses` ``data``).

    Returns
    -------
    pairs : DataFrame
        One row per matched participant: ``group, key, row_pre, row_post``.
    ledger : DataFrame
        One row per input row of both waves: ``wave, row, group, state, reason``.
    """
    sides = []
    for frame, wave, other in ((pre, pre_wave, post_wave), (post, post_wave, pre_wave)):
        side = frame[["row", "group", "status"]].copy()
        side["key"] = normalize_codes(frame["participant"])
        side["wave"] = wave
        ok = side["status"] == "ok"
        later = side[ok].duplicated(["group", "key"], keep="last")
        side["state"] = np.where(side["status"] == "empty", "empty",
                                 np.where(side["status"] == "invalid", "invalid", "used"))
        side.loc[later[later].index, "state"] = "duplicate"
        sides.append(side)
    pre_side, post_side = sides
    keep_pre = pre_side[pre_side["state"] == "used"]
    keep_post = post_side[post_side["state"] == "used"]
    pairs = keep_pre[["group", "key", "row"]].merge(
        keep_post[["group", "key", "row"]], on=["group", "key"], suffixes=("_pre", "_post"))
    for side, column, other in ((pre_side, "row_pre", post_wave), (post_side, "row_post", pre_wave)):
        unmatched = (side["state"] == "used") & ~side["row"].isin(pairs[column])
        side.loc[unmatched, "state"] = "unmatched"
        side["reason"] = side["state"].map({s: tr(_REASONS[s], other=other) for s in STATES})
    ledger = pd.concat(sides, ignore_index=True)[["wave", "row", "group", "state", "reason"]]
    return pairs[["group", "key", "row_pre", "row_post"]], ledger


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
