"""The national roll-up: trainings pooled national → province → training → group, and the
random-effects meta-analysis of the per-training effects.

Every number comes from the trainings' result packages (:mod:`._package`): pooled gains
from sums (:func:`evalkit.stats.paired_from_sums`), effects and their variances
(:func:`evalkit.stats.paired_effect_sizes`), the meta-analyses
(:func:`evalkit.stats.meta_analysis`, :func:`~evalkit.stats.meta_subgroups`,
:func:`~evalkit.stats.meta_regression`).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .. import stats
from .._constants import ALL_GROUPS
from .._errors import EvalkitWarning
from .._i18n import tr
from ._catalogue import Catalogue, load_catalogue
from ._map import map_trainings

MEASURES = ("MD", "d_z")
_M = {
    "fingerprint": {"code": "EK-RU-001", "id": "sidik skala {found} berbeda dengan yang dipakai sebagian besar pelatihan ({reference}): "
                          "butir, kunci, butir terbalik, cara skor atau rentangnya tidak sama",
                    "en": "the scale's fingerprint {found} differs from the one most trainings used ({reference}): "
                          "its items, keys, reverse flags, scoring or range are not the same"},
    "no_pairs": {"code": "EK-RU-002", "id": "tidak ada peserta berpasangan dengan skor lengkap", "en": "no matched pair with both scores"},
    "warnings": {"code": "EK-RU-003", "id": "{n} peringatan dari {k} pelatihan atau dari meta-analisis; lihat tabel 'warnings' "
                       "(peringatan.csv di folder roll-up).",
                 "en": "{n} warning(s) from {k} training(s) or from the meta-analysis; see the 'warnings' table "
                       "(peringatan.csv in the roll-up folder)."},
}
_META = "meta-analysis"


@dataclass(frozen=True)
class RollUp:
    """Everything a national roll-up produces; every table is tidy, with ids as columns.

    Attributes
    ----------
    title : str
    trainings : DataFrame
        The catalogue, one row per training: ``training, province, office, start, end,
        year, source`` (``"answers"`` or ``"package"``), ``questionnaire, fingerprint``,
        ``n_groups`` and the ledger totals ``rows_pre, rows_post, used``.
    scales : DataFrame
        One row per scale: labels, ``level, scoring, points``, the ``fingerprint`` pooled
        and ``k`` (trainings pooled).
    excluded : DataFrame
        Trainings left out of a scale and why: ``training, province, scale, fingerprint,
        reason``.
    groups : DataFrame
        The gains rows of every group of every included training × scale (group codes are
        scoped by ``training``), unsuppressed.
    training_gains, province_gains, national_gains : DataFrame
        Pooled paired statistics (:func:`evalkit.stats.paired_from_sums`) per training,
        province and the nation, per scale.
    effects : DataFrame
        Per training × scale × ``measure`` (``MD``, ``d_z``): ``yi, vi``.
    meta : DataFrame
        Random-effects meta-analyses (:func:`evalkit.stats.meta_analysis`): ``level``
        (``national``, ``province``, ``year``), ``measure, scale, province, year``, then the
        pooled effect, CI, prediction interval, tau², I², Q.
    subgroups : DataFrame
        :func:`evalkit.stats.meta_subgroups` by ``moderator`` = ``province`` and ``year``.
    trend : DataFrame
        :func:`evalkit.stats.meta_regression` on ``year`` (intercept at the first year).
    ledger : DataFrame
        Ledger counts per training and wave.
    warnings : DataFrame
        ``source`` (a training id or ``meta-analysis``) and ``message``.
    """

    title: str
    trainings: pd.DataFrame
    scales: pd.DataFrame
    excluded: pd.DataFrame
    groups: pd.DataFrame
    training_gains: pd.DataFrame
    province_gains: pd.DataFrame
    national_gains: pd.DataFrame
    effects: pd.DataFrame
    meta: pd.DataFrame
    subgroups: pd.DataFrame
    trend: pd.DataFrame
    ledger: pd.DataFrame
    warnings: pd.DataFrame


def rollup(catalogue: Catalogue | str | Path, *, method: str = "REML", test: str = "knha",
           confidence: float = 0.95, strict: bool = True, fuzzy: bool = True, client=None,
           workers: int | None = None) -> RollUp:
    """Roll many trainings up: per-training gains, pooled gains and the meta-analysis.

    Parameters
    ----------
    catalogue : Catalogue, str or Path
        The catalogue of trainings (:func:`evalkit.rollup.load_catalogue`) or its file.
    method : {"REML", "DL"}
        Estimator of tau² (:func:`evalkit.stats.meta_analysis`).
    test : {"knha", "z"}
        Knapp-Hartung (default) or Wald z tests and intervals.
    confidence : float
        Level of every confidence and prediction interval.
    strict, fuzzy : bool
        How answer files are read and matched (as :func:`evalkit.analyze`).
    client : distributed.Client, str or None
        Run the per-training map on a Dask cluster (a client or a scheduler address);
        None: on this machine. The tables are the same.
    workers : int, optional
        Without ``client``: processes for the per-training map (default one per core;
        1 runs it in this process).

    Returns
    -------
    RollUp

    Notes
    -----
    A scale is pooled only across trainings whose scale fingerprint
    (:func:`evalkit.questionnaire.fingerprint`) is the one most trainings used; the
    others are listed in ``excluded``. Group codes are scoped by training. Effects per
    training are the mean difference (``MD``, :math:`v = s_d^2/n`) and d_z
    (:math:`v = 1/n + d_z^2/2n`).

    Examples
    --------
    >>> import evalkit
    >>> from evalkit.rollup import example_catalogue
    >>> path = example_catalogue("contoh", trainings=4, groups=3)
    >>> r = evalkit.rollup(path)
    >>> r.meta.query("level == 'national' and measure == 'MD'")["k"].unique().tolist()
    [4]
    """
    catalogue = catalogue if isinstance(catalogue, Catalogue) else load_catalogue(catalogue)
    trainings = catalogue.trainings
    results = map_trainings(trainings, strict=strict, fuzzy=fuzzy, client=client, workers=workers)
    packages = [p for p, _ in results]
    notes = [(t.id, m) for t, (_, messages) in zip(trainings, results) for m in messages]
    info = _trainings_table(trainings, packages)
    keys = info[["training", "province", "office", "year"]]
    fingerprints = _stacked(trainings, packages, "scales")
    scales, excluded = _comparable(fingerprints, keys)
    sums = _stacked(trainings, packages, "sums")
    sums = _included(sums.merge(keys, on="training"), excluded)
    groups = _stacked(trainings, packages, "gains")
    groups = _included(groups[groups["group"] != ALL_GROUPS].merge(keys, on="training"), excluded)
    groups = groups[["training", "province", "office", "year",
                     *[c for c in groups.columns if c not in keys.columns]]]
    # A scale the training asked but could not score for any pair is left out too, and said so.
    asked = _included(fingerprints[["training", "scale", "fingerprint"]], excluded)
    scored = pd.MultiIndex.from_frame(sums.loc[sums["n"] > 0, ["training", "scale"]])
    empty = asked[~pd.MultiIndex.from_frame(asked[["training", "scale"]]).isin(scored)]
    excluded = pd.concat([excluded, empty.merge(keys, on="training").assign(reason=tr(_M["no_pairs"]))[
        excluded.columns]], ignore_index=True)
    pooled = {level: _pooled(sums, by, confidence) for level, by in
              (("training", ["scale", "training"]), ("province", ["scale", "province"]), ("national", ["scale"]))}
    pooled["training"] = keys.merge(pooled["training"], on="training")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        effects, meta, subgroups, trend = _meta(pooled["training"], method=method, test=test,
                                                confidence=confidence)
    notes += [(_META, str(w.message)) for w in caught]
    scales = scales.merge(sums.groupby("scale")["training"].nunique().rename("k").reset_index(), on="scale",
                          how="left").fillna({"k": 0}).astype({"k": int})
    ledger = _stacked(trainings, packages, "ledger")
    ledger = ledger[["training", *[c for c in ledger.columns if c != "training"]]]
    notes_table = pd.DataFrame(notes, columns=["source", "message"])
    if len(notes_table):
        warnings.warn(tr(_M["warnings"], n=len(notes_table), k=notes_table["source"].nunique()), EvalkitWarning,
                      stacklevel=2)
    return RollUp(catalogue.title, info, scales, excluded.reset_index(drop=True), groups.reset_index(drop=True),
                  pooled["training"], pooled["province"], pooled["national"], effects, meta, subgroups, trend,
                  ledger, notes_table)


def _stacked(trainings, packages, part: str) -> pd.DataFrame:
    """One package table of every training, with a last column ``training`` (one concat,
    not a copy per training)."""
    frames = [getattr(p, part) for p in packages]
    out = pd.concat(frames, ignore_index=True)
    out["training"] = np.repeat([t.id for t in trainings], [len(f) for f in frames]).astype(object)
    return out


def _trainings_table(trainings, packages) -> pd.DataFrame:
    rows = []
    for t, p in zip(trainings, packages):
        ledger = p.ledger.set_index("wave")
        rows.append({"training": t.id, "province": t.province, "office": t.office, "start": t.start.isoformat(),
                     "end": t.end.isoformat(), "year": t.year, "source": "package" if t.package else "answers",
                     "questionnaire": p.questionnaire.get("id"), "fingerprint": p.questionnaire.get("fingerprint"),
                     "n_groups": int(p.sums["group"].nunique()),
                     "rows_pre": int(ledger["rows_read"].get("pre", 0)),
                     "rows_post": int(ledger["rows_read"].get("post", 0)),
                     "used": int(ledger["used"].get("post", 0)) if "used" in ledger else 0})
    return pd.DataFrame(rows)


def _comparable(fingerprints: pd.DataFrame, keys: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per scale the fingerprint most trainings used (ties: the one seen first), and the
    trainings whose fingerprint differs."""
    counts = fingerprints.groupby(["scale", "fingerprint"], sort=False).size().rename("count").reset_index()
    reference = counts.sort_values("count", ascending=False, kind="stable").drop_duplicates("scale")
    order = list(dict.fromkeys(fingerprints["scale"]))
    reference = reference.set_index("scale").loc[order, "fingerprint"]
    labels = fingerprints.drop_duplicates("scale").set_index("scale").loc[order]
    scales = labels.drop(columns=["training"]).assign(fingerprint=reference).reset_index()
    differs = fingerprints[fingerprints["fingerprint"] != fingerprints["scale"].map(reference)]
    excluded = differs.merge(keys, on="training")
    excluded["reason"] = [tr(_M["fingerprint"], found=f, reference=reference[s])
                          for s, f in zip(excluded["scale"], excluded["fingerprint"])]
    return scales, excluded[["training", "province", "office", "year", "scale", "fingerprint", "reason"]]


def _included(table: pd.DataFrame, excluded: pd.DataFrame) -> pd.DataFrame:
    left_out = pd.MultiIndex.from_frame(excluded[["training", "scale"]])
    at = pd.MultiIndex.from_frame(table[["training", "scale"]].astype(str))
    return table[~at.isin(left_out)].reset_index(drop=True)


def _pooled(sums: pd.DataFrame, by: list[str], confidence: float) -> pd.DataFrame:
    return stats.paired_from_sums(sums, group=by, confidence=confidence).reset_index()


def _meta(training_gains: pd.DataFrame, *, method: str, test: str, confidence: float):
    """Effects per training, then the meta-analyses: national, per province, per year;
    subgroup tests by province and year; the trend over years."""
    keys = ["training", "province", "year", "scale"]
    effects = pd.concat([
        training_gains[keys].join(stats.paired_effect_sizes(training_gains, n="n", mean_diff="mean_diff",
                                                            sd_diff="sd_diff", measure=m))
        for m in MEASURES], ignore_index=True)
    effects = effects[["measure", *keys, "yi", "vi"]]
    options = {"yi": "yi", "vi": "vi", "method": method, "test": test}
    by = ["measure", "scale"]
    parts = []
    for level, extra in (("national", []), ("province", ["province"]), ("year", ["year"])):
        fit = stats.meta_analysis(effects, group=by + extra, confidence=confidence, **options).reset_index()
        parts.append(fit.assign(level=level))
    meta = pd.concat(parts, ignore_index=True)
    front = ["level", *by, "province", "year"]
    meta = meta.reindex(columns=[*front, *[c for c in meta.columns if c not in front]])
    subgroups = pd.concat([
        stats.meta_subgroups(effects, moderator=m, group=by, **options).reset_index().assign(moderator=m)
        for m in ("province", "year")], ignore_index=True)
    subgroups = subgroups[["moderator", *[c for c in subgroups.columns if c != "moderator"]]]
    first = int(effects["year"].min()) if len(effects) else 0
    trend = stats.meta_regression(effects, moderator="year", group=by, center=first, confidence=confidence,
                                  **options).reset_index().assign(center=first)
    return effects, meta, subgroups, trend
