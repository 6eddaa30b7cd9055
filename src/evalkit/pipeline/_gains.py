"""The gains stage: scored, matched answers -> the long matched table -> gains per group and scale."""

from __future__ import annotations

import warnings
from typing import NamedTuple

import numpy as np
import pandas as pd

from .. import stats
from .._constants import ALL_GROUPS
from .._errors import DataError, EvalkitError, EvalkitWarning
from ..config import get_config
from .._i18n import tr
from ..io import Responses, as_responses
from ._matching import find_pairs, match_waves, positions
from ..questionnaire import WAVES, Questionnaire
from ._scoring import WaveScores, score_wave

#: The matched table's score columns: the first two waves' names.
_BEFORE, _AFTER = WAVES[:2]

GAIN_COLUMNS = [
    "scale", "level", "group", "n", "mean_pre", "sd_pre", "mean_post", "sd_post", "mean_diff",
    "ci_low", "ci_high", "ci_level", "t", "df", "p", "p_holm", "w", "p_wilcoxon", "wilcoxon_method",
    "d_z", "g_av", "d_z_ci_low", "d_z_ci_high", "g_av_ci_low", "g_av_ci_high",
    "g_class", "g_individual", "n_excluded", "share_any_rise",
]
_M = {
    "ceiling": {"code": "EK-PL-001", "id": "{n} peserta sudah 100% benar pada pre-test ({scales}); mereka tidak dihitung dalam "
                      "g_individual (tidak ada ruang untuk naik), tetapi tetap dihitung dalam g_class.",
                "en": "{n} participant(s) scored 100% on the pre-test ({scales}); they are left out of "
                      "g_individual (no room to improve) but kept in g_class."},
    "bad_by": {"code": "EK-PL-002", "id": "Parameter 'by' harus 'group' atau None; ditemukan {found!r}.",
               "en": "The 'by' parameter must be 'group' or None; got {found!r} instead."},
    "no_pairs": {"code": "EK-PL-003", "id": "Tidak ada peserta {post} yang cocok dengan peserta {pre} (kode peserta dan kelompok yang "
                       "sama): tidak ada kenaikan yang dapat dihitung. Periksa bahwa kedua berkas berasal dari "
                       "pelatihan yang sama dan kolom kode peserta terisi (dengan --lenient / strict=False ini "
                       "hanya peringatan).",
                 "en": "No participant of {post} matches one of {pre} (same participant code and group): no "
                       "gain can be computed. Check that both files come from the same training and that the "
                       "participant-code column is filled in (with --lenient / strict=False this is a warning)."},
}


class Scored(NamedTuple):
    """What :func:`scored_pairs` hands on: each stage's result, computed once."""

    pre: Responses
    post: Responses
    scored_pre: WaveScores
    scored_post: WaveScores
    pairs: pd.DataFrame | None
    ledger: pd.DataFrame | None
    long: _Long


def scored_pairs(questionnaire: Questionnaire, pre, post, *, by, strict: bool, fuzzy: bool, approved, key,
                 with_ledger: bool = True, waves: tuple[str, str] = WAVES[:2]) -> Scored:
    """Validated answers, each wave scored once, pairs, ledger and the long matched table's
    columns (:func:`_long`): what both :func:`analyze` and :func:`gains` start from.
    ``with_ledger=False`` (gains alone) skips the pairs table, the ledger and the
    pseudonyms: they are then None and the long table has no participants. ``waves``: the
    names of the two waves."""
    if by not in ("group", None):
        raise EvalkitError(tr(_M["bad_by"], found=by))
    pre = as_responses(pre, questionnaire, wave=waves[0], strict=strict, name=waves[0])
    post = as_responses(post, questionnaire, wave=waves[1], strict=strict, name=waves[1])

    def match():
        if with_ledger:
            return match_waves(pre.data, post.data, pre_wave=waves[0], post_wave=waves[1], fuzzy=fuzzy,
                               approved=approved, key=key)
        return find_pairs(pre.data, post.data, fuzzy=fuzzy, approved=approved)

    # Scoring and matching read the same answers and neither needs the other.
    (scored_pre, scored_post), matches = stats.side_by_side(
        lambda: (score_wave(questionnaire, pre), score_wave(questionnaire, post)), match,
        threaded=len(pre.data) + len(post.data) >= get_config()["side_by_side_rows"])
    scores_pre, scores_post = scored_pre.scales, scored_post.scales
    n_pairs = len(matches[0]) if with_ledger else len(matches.at_pre)
    if not n_pairs:
        message = tr(_M["no_pairs"], pre=pre.source, post=post.source)
        if strict:
            raise DataError(message)
        warnings.warn(message, EvalkitWarning, stacklevel=3)
    if with_ledger:
        pairs, ledger = matches
        long = _matched_columns(questionnaire, pairs, scores_pre, scores_post)
    else:  # the positions and group codes matching found: no pairs table, no texts hashed
        pairs = ledger = None
        rows = (pre.data["row"].to_numpy()[matches.at_pre], post.data["row"].to_numpy()[matches.at_post])
        long = _long(questionnaire, rows, scores_pre, scores_post, matches.pair_groups())
    return Scored(pre, post, scored_pre, scored_post, pairs, ledger, long)


def gains(questionnaire: Questionnaire, pre, post, *, by: str | None = "group", strict: bool = True,
          confidence: float = 0.95, fuzzy: bool = True, approved: pd.DataFrame | None = None) -> pd.DataFrame:
    """Gains from pre-test to post-test per group and scale.

    One row per scale × group, plus rows with ``group == "ALL"`` pooling every
    matched participant. Columns: ``scale, level, group, n`` (matched participants
    with both scores), ``mean_pre, sd_pre, mean_post, sd_post, mean_diff`` (post − pre),
    ``ci_low, ci_high, ci_level`` (t interval of the mean difference), ``t, df, p``
    (paired t-test), ``p_holm`` (Holm-adjusted across the groups of a scale),
    ``w, p_wilcoxon, wilcoxon_method`` (signed-rank test as R's
    ``wilcox.test(..., digits.rank = 9)``), ``d_z`` (mean difference / SD of differences),
    ``g_av`` (mean difference / mean of the two SDs, Hedges-corrected),
    ``d_z_ci_low, d_z_ci_high`` (noncentral-t interval,
    :func:`evalkit.stats.d_z_ci`), ``g_av_ci_low, g_av_ci_high`` (Algina & Keselman's
    approximate interval, :func:`evalkit.stats.g_av_ci`), ``g_class, g_individual, n_excluded``
    (Hake's normalized gain, knowledge scales only) and ``share_any_rise``.

    The same table as ``analyze(...).gains``, without the other reviews (reliability,
    item analysis, group comparisons), so it is the quick way to the gains alone.

    Parameters
    ----------
    questionnaire : Questionnaire
    pre, post : path, Responses or DataFrame
    by : {"group", None}
    strict : bool, default True
        As in :func:`analyze`: validation of files and DataFrames, and whether no matched
        participant at all is an error (strict) or a warning.
    confidence : float, default 0.95
    fuzzy, approved : optional
        Matching of codes one typing slip apart; see :func:`evalkit.pipeline.match_waves`.

    Returns
    -------
    DataFrame

    Examples
    --------
    >>> import evalkit
    >>> q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    >>> g = evalkit.gains(q, evalkit.bundled_sample("pre"), evalkit.bundled_sample("post"))
    >>> sorted(g["group"].unique())[:2]
    ['ALL', 'G01']
    """
    matched = scored_pairs(questionnaire, pre, post, by=by, strict=strict, fuzzy=fuzzy, approved=approved,
                           key=None, with_ledger=False).long
    return gains_table(questionnaire, matched, by=by, confidence=confidence)


class _Long(NamedTuple):
    """The long matched table (one row per matched pair × scale, pair by pair) as arrays."""

    pre: np.ndarray
    post: np.ndarray
    group_code: np.ndarray  # into groups (sorted labels)
    groups: np.ndarray
    scale_code: np.ndarray  # into scales (questionnaire order)
    scales: np.ndarray
    participant: pd.Categorical | None  # per pair, when the pairs have pseudonyms


def _long(q: Questionnaire, rows: tuple[np.ndarray, np.ndarray], scores_pre, scores_post,
          groups: tuple[np.ndarray, np.ndarray], participant: pd.Categorical | None = None) -> _Long:
    """The columns of the long matched table, without building it (gains reads codes).

    ``rows``: each pair's row number in the pre and the post wave; ``groups``: each pair's
    group as a code into the sorted group labels, and those labels.
    """
    scales = [s.id for s in q.scales if s.id in scores_pre.columns and s.id in scores_post.columns]
    n, k = len(rows[0]), len(scales)
    values = []
    for scores, wanted in zip((scores_pre, scores_post), rows):
        at = positions(scores["row"].to_numpy(), wanted)
        long = np.empty((n, k))  # pair by pair, each pair's scales side by side
        for j, scale in enumerate(scales):  # column by column: no wide copy of the scores
            long[:, j] = scores[scale].to_numpy(dtype=float)[at]
        values.append(long.reshape(-1))
    group_code, group_levels = groups
    group_code = np.asarray(group_code).astype(np.min_scalar_type(-len(group_levels)))  # repeat small codes
    return _Long(*values, np.repeat(group_code, k), np.asarray(group_levels, dtype=object),
                 np.tile(np.arange(k, dtype=np.min_scalar_type(k)), n), np.asarray(scales, dtype=object),
                 participant)


def _matched_columns(q: Questionnaire, pairs: pd.DataFrame, scores_pre, scores_post) -> _Long:
    """:func:`_long` of a pairs table (:func:`evalkit.pipeline.match_waves`)."""
    person = pairs["participant"].astype("category").array if "participant" in pairs else None
    return _long(q, (pairs["row_pre"].to_numpy(), pairs["row_post"].to_numpy()), scores_pre, scores_post,
                 pd.factorize(pairs["group"], sort=True), person)


def long_frame(long: _Long) -> pd.DataFrame:
    """The long matched table: ``group``, ``participant`` (when the pairs have it) and
    ``scale`` are categoricals (sorted group labels, scales in questionnaire order), built
    from integer codes rather than repeated texts; then ``pre, post``."""
    columns = {"group": pd.Categorical.from_codes(long.group_code, categories=pd.Index(long.groups))}
    if long.participant is not None:  # already a categorical (match_waves): codes, no texts
        k = len(long.scales)
        columns["participant"] = pd.Categorical.from_codes(np.repeat(long.participant.codes, k),
                                                           dtype=long.participant.dtype)
    columns["scale"] = pd.Categorical.from_codes(long.scale_code, categories=pd.Index(long.scales))
    columns[_BEFORE], columns[_AFTER] = long.pre, long.post
    return pd.DataFrame(columns, copy=False)  # fresh arrays: no copy into a consolidated block


def matched_long(q: Questionnaire, pairs, scores_pre, scores_post) -> pd.DataFrame:
    """One row per matched pair × scale (see :func:`long_frame`)."""
    return long_frame(_matched_columns(q, pairs, scores_pre, scores_post))


def _codes(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes (``-1``: missing) and levels of a column; a categorical's are free."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy(), np.asarray(column.cat.categories, dtype=object)
    codes, levels = pd.factorize(column)
    return codes, np.asarray(levels, dtype=object)


def gains_table(q: Questionnaire, matched: pd.DataFrame | _Long, *, by, confidence) -> pd.DataFrame:
    """The gains table from the long matched table (or its columns, :func:`_long`).

    Each row's cell is its scale and its group (with ``by="group"`` each scale's ``ALL``
    cell pools its groups and the rows without a group); the statistics of every cell come
    from :func:`evalkit.stats.cell_statistics` as arrays, and one table is built from them
    here: scales in questionnaire order, groups by label with ``ALL`` last, Holm across the
    groups of each scale.
    """
    if isinstance(matched, _Long):
        pre, post = matched.pre, matched.post
        (scale_code, scale_levels), (group_code, group_levels) = ((matched.scale_code, matched.scales),
                                                                  (matched.group_code, matched.groups))
    else:
        pre, post = matched[_BEFORE].to_numpy(dtype=float), matched[_AFTER].to_numpy(dtype=float)
        (scale_code, scale_levels), (group_code, group_levels) = _codes(matched["scale"]), _codes(matched["group"])
    if by == "group":  # cells of a scale: its groups and ALL (rows without a group count there only)
        groups, all_label = group_levels, ALL_GROUPS
    else:
        groups, all_label, group_code = np.array([ALL_GROUPS], dtype=object), None, np.zeros(len(pre), dtype=np.intp)
    labels = np.append(groups, np.array([ALL_GROUPS], dtype=object)) if all_label is not None else groups
    knowledge = np.isin(scale_levels, [s.id for s in q.scales if s.max_score is not None])
    table, ceiling = stats.cell_statistics(pre, post, scale_code, group_code, scales=scale_levels, groups=groups,
                                           all_label=all_label, knowledge=knowledge, confidence=confidence)
    if not len(table["n"]):
        return pd.DataFrame(columns=GAIN_COLUMNS)
    if ceiling:
        warnings.warn(tr(_M["ceiling"], n=sum(ceiling.values()), scales=", ".join(ceiling)),
                      EvalkitWarning, stacklevel=3)
    # Scales in questionnaire order, groups by label with ALL last.
    position = {s.id: i for i, s in enumerate(q.scales)}
    scale_rank = np.array([position[s] for s in scale_levels])
    label_key = np.where(labels == ALL_GROUPS, "\uffff", labels)
    label_rank = np.empty(len(labels), dtype=np.intp)
    label_rank[np.argsort(label_key, kind="stable")] = np.arange(len(labels))
    order = np.lexsort((label_rank[table["group"]], scale_rank[table["scale"]]))
    table = {name: values[order] for name, values in table.items()}
    # Holm over the groups of each scale (the ALL rows are not part of the family).
    family = labels[table["group"]] != ALL_GROUPS
    table["p_holm"] = np.full(len(order), np.nan)
    for scale in np.unique(table["scale"]):
        rows = np.flatnonzero((table["scale"] == scale) & family)
        table["p_holm"][rows] = stats.p_adjust(table["p"][rows], method="holm")
    levels = {s.id: s.level for s in q.scales}
    level = np.array([levels[s] for s in scale_levels], dtype=object)
    table["level"] = level[table["scale"]]
    table["scale"], table["group"] = scale_levels[table["scale"]], labels[table["group"]]
    table["ci_level"] = np.full(len(order), float(confidence))
    table["wilcoxon_method"] = pd.Series(table["wilcoxon_method"], dtype=object)
    return pd.DataFrame({name: table[name] for name in GAIN_COLUMNS})


def post_only_table(q: Questionnaire, scores_post, *, by) -> pd.DataFrame:
    """Describe scales asked only after the training, over every post-test participant
    (matched or not; repeated submissions counted once)."""
    ids = [s.id for s in q.scales if _BEFORE not in s.waves and s.id in scores_post.columns]
    columns = ["scale", "level", "group", "n", "mean", "sd"]
    if not ids:
        return pd.DataFrame(columns=columns)
    long = scores_post.melt(id_vars=["group"], value_vars=ids, var_name="scale").dropna(subset=["value"])
    parts = [long.assign(group=ALL_GROUPS)] + ([long] if by == "group" else [])
    grouped = pd.concat(parts).groupby(["scale", "group"])["value"]
    out = grouped.agg(n="count", mean="mean", sd="std").reset_index()
    out["level"] = out["scale"].map({s.id: s.level for s in q.scales})
    return out[columns]
