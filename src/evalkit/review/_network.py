"""The network (jejaring) a training built: who worked with whom on human-rights matters,
before the training and at the follow-up, per group and ALL, and its change.

Re-exported by :mod:`evalkit.review`; its shared rules apply. The answers are a ``network``
item's (see ``docs/questionnaire-format.md``): the groups and institutions a participant
named. A usable row whose network answer is blank named no one (0 ties): the question says
"leave it blank if none".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .. import stats
from .._errors import EvalkitError
from .._i18n import tr
from ..pipeline import normalize_codes
from ..questionnaire import WAVES, Item, Questionnaire
from ..pipeline import latest_rows
from ._common import ALL, _check_table, _responses

NETWORK_SUMMARY_COLUMNS = [
    "wave", "group", "n", "n_ties", "ties_per_participant", "n_ties_groups", "n_ties_across", "share_across",
    "n_institutions", "degree", "degree_centrality", "density",
]  # fmt: skip
NETWORK_INSTITUTION_COLUMNS = ["wave", "institution", "n", "n_named", "share"]
NETWORK_CHANGE_COLUMNS = ["group", "n", "mean_pre", "mean_followup", "mean_diff", "ci_low", "ci_high", "ci_level",
                          "t", "df", "p", "w", "p_wilcoxon", "d_z"]
#: The waves a network item is compared between.
NETWORK_WAVES = (WAVES[0], WAVES[2])

_M = {
    "no_network": {"code": "EK-RV-013", "id": "Kuesioner tidak punya butir jejaring (type: network) pada gelombang {waves}.",
                   "en": "The questionnaire has no network item (type: network) in waves {waves}."},
    "which_item": {"code": "EK-RV-014", "id": "Kuesioner punya beberapa butir jejaring ({items}); pilih satu dengan parameter 'item'.",
                   "en": "The questionnaire has several network items ({items}); choose one with the 'item' "
                         "parameter."},
    "bad_item": {"code": "EK-RV-015", "id": "Parameter 'item' harus id butir jejaring yang ditanyakan pada gelombang {waves} "
                       "({items}); ditemukan {found!r}.",
                 "en": "The 'item' parameter must be the id of a network item asked in waves {waves} ({items}); "
                       "got {found!r} instead."},
}


@dataclass(frozen=True)
class NetworkReview:
    """Tables of :func:`network_review`.

    Attributes
    ----------
    summary : DataFrame
        Per wave and group (``ALL`` last): ``wave, group, n, n_ties, ties_per_participant,
        n_ties_groups, n_ties_across, share_across, n_institutions, degree,
        degree_centrality, density`` (see :func:`network_review`).
    edges : DataFrame
        ``wave, group_a, group_b, n_ties``: the group-to-group network (for the chart).
    institutions : DataFrame
        ``wave, institution, n, n_named, share``: how many respondents named each institution.
    change : DataFrame
        Per group (``ALL`` last), participants answering at both waves: ``group, n,
        mean_pre, mean_followup, mean_diff, ci_low, ci_high, ci_level, t, df, p, w,
        p_wilcoxon, d_z`` of their ties.
    """

    summary: pd.DataFrame
    edges: pd.DataFrame
    institutions: pd.DataFrame
    change: pd.DataFrame


def _network_item(q: Questionnaire, item: str | None) -> Item:
    candidates = [i for i in q.items if i.type == "network" and set(NETWORK_WAVES) <= set(i.waves)]
    waves = ", ".join(NETWORK_WAVES)
    if item is not None:
        if item not in [i.id for i in candidates]:
            raise EvalkitError(tr(_M["bad_item"], waves=waves, items=", ".join(i.id for i in candidates) or "-",
                                  found=item))
        return q.item(item)
    if not candidates:
        raise EvalkitError(tr(_M["no_network"], waves=waves))
    if len(candidates) > 1:
        raise EvalkitError(tr(_M["which_item"], items=", ".join(i.id for i in candidates)))
    return candidates[0]


def _respondents(q: Questionnaire, answers: Any, wave: str, item: Item, ledger: pd.DataFrame | None):
    """``participant, group`` of each usable row of a wave and its network answer's categorical."""
    responses = _responses(answers, q, wave, wave, True)
    data = responses.data
    data = data[data["row"].isin(latest_rows(responses.data)).to_numpy()].reset_index(drop=True)
    if ledger is None:  # the pipeline's exact rule: the normalized code within the group
        people = pd.DataFrame({"participant": data["group"].astype(str) + "|" +
                               normalize_codes(data["participant"]).astype(str),
                               "group": data["group"].astype(str)})
    else:
        rows = ledger[(ledger["wave"] == wave) & ledger["participant"].notna()].drop_duplicates("row")
        if wave != NETWORK_WAVES[0] and "pair_row" in rows.columns:
            # A matched row is the person of its first-wave row: a one-typo (fuzzy) match has a
            # pseudonym of its own code, yet it is the same participant.
            first = ledger[ledger["wave"] == NETWORK_WAVES[0]].drop_duplicates("row").set_index("row")["participant"]
            theirs = rows["pair_row"].map(first.astype(object))
            rows = rows.assign(participant=theirs.where(theirs.notna(), rows["participant"].astype(object)))
        people = pd.DataFrame({"row": data["row"].to_numpy()}).merge(
            rows[["row", "participant", "group"]], on="row", how="left")[["participant", "group"]]
        people["group"] = people["group"].where(people["group"].notna(), data["group"].astype(str))
        # A person is a pseudonym within a group: two groups may hold the same code.
        people["participant"] = (people["group"].astype(str) + "|" + people["participant"].astype(str)) \
            .where(people["participant"].notna())
    keep = people["participant"].notna().to_numpy()
    return people[keep].reset_index(drop=True), pd.Categorical(data[item.id])[keep]


def _tie_table(people: pd.DataFrame, answers: pd.Categorical, wave: str) -> pd.DataFrame:
    """One row per (respondent, named target); a respondent who named no one once, target None."""
    named = [str(c).split() for c in answers.categories]
    lengths = np.array([len(t) for t in named] + [0])  # code -1 (blank): no one
    flat = np.array([t for targets in named for t in targets] + [None], dtype=object)
    starts = np.append(np.cumsum(lengths[:-1]) - lengths[:-1], len(flat) - 1)
    count = lengths[answers.codes]
    repeats = np.maximum(count, 1)
    row = np.repeat(np.arange(len(people)), repeats)
    offset = np.arange(len(row)) - np.repeat(np.cumsum(repeats) - repeats, repeats)
    target = np.where(count[row] > 0, flat[np.minimum(starts[answers.codes[row]] + offset, len(flat) - 1)], None)
    return pd.DataFrame({"participant": people["participant"].to_numpy()[row],
                         "group": people["group"].to_numpy()[row], "wave": wave, "target": target})


def _summary(ties: pd.DataFrame, groups: list[str]) -> pd.DataFrame:
    keys = dict(participant="participant", group="group", wave="wave", target="target", groups=groups)
    per_group = stats.network_ties(ties, **keys).reset_index().rename(columns={"n_participants": "n"})
    totals = per_group.groupby("wave", sort=False)[["n", "n_ties", "n_ties_groups", "n_ties_across"]].sum()
    named = ties.dropna(subset=["target"])
    totals["n_institutions"] = named[~named["target"].isin(groups)].groupby("wave")["target"].nunique()
    totals["density"] = stats.network_density(ties, **keys)["density"]
    pooled = totals.fillna({"n_institutions": 0}).reset_index().assign(group=ALL)
    table = pd.concat([per_group, pooled], ignore_index=True)
    table["ties_per_participant"] = stats.safe_divide(table["n_ties"].to_numpy(float), table["n"].to_numpy(float))
    table["share_across"] = stats.safe_divide(table["n_ties_across"].to_numpy(float),
                                              table["n_ties_groups"].to_numpy(float))
    wave_order = {w: k for k, w in enumerate(NETWORK_WAVES)}
    table = table.sort_values(["wave", "group"], kind="stable", key=lambda c: c.map(wave_order) if c.name == "wave"
                              else c.astype(str).where(c != ALL, "\uffff"))
    counts = ["n", "n_ties", "n_ties_groups", "n_ties_across", "n_institutions"]
    return table.astype({c: np.int64 for c in counts})[NETWORK_SUMMARY_COLUMNS].reset_index(drop=True)


def _institutions(ties: pd.DataFrame, item: Item) -> pd.DataFrame:
    respondents = ties.drop_duplicates(["wave", "participant"]).groupby("wave").size()
    named = ties[ties["target"].isin([o.code for o in item.institutions])].drop_duplicates(
        ["wave", "participant", "target"])
    counts = named.groupby(["wave", "target"]).size()
    grid = pd.MultiIndex.from_product([list(NETWORK_WAVES), [o.code for o in item.institutions]],
                                      names=["wave", "institution"])
    table = counts.reindex(grid, fill_value=0).rename("n_named").reset_index()
    table["n"] = table["wave"].map(respondents).fillna(0).astype(np.int64)
    table["share"] = stats.safe_divide(table["n_named"].to_numpy(float), table["n"].to_numpy(float))
    return table[NETWORK_INSTITUTION_COLUMNS]


def _change(ties: pd.DataFrame, confidence: float) -> pd.DataFrame:
    """Each respondent's distinct ties at both waves, paired by participant (group: the pre-test's)."""
    named = ties.drop_duplicates(["wave", "participant", "target"])
    per_person = named.assign(tie=named["target"].notna()).groupby(["participant", "wave"])["tie"].sum() \
        .unstack("wave").reindex(columns=list(NETWORK_WAVES))
    before, after = NETWORK_WAVES
    group = ties[ties["wave"] == before].drop_duplicates("participant").set_index("participant")["group"]
    both = per_person.dropna().join(group).reset_index(drop=True)
    if both.empty:
        return pd.DataFrame(columns=NETWORK_CHANGE_COLUMNS)
    per_group = stats.paired_by_group(both, pre=before, post=after, group="group", confidence=confidence)
    pooled = stats.paired_by_group(both, pre=before, post=after, confidence=confidence).assign(group=ALL)
    table = pd.concat([per_group.reset_index(), pooled], ignore_index=True)
    table = table.rename(columns={"mean_post": "mean_followup"}).assign(ci_level=confidence)
    return table.sort_values("group", kind="stable", key=lambda c: c.astype(str).where(c != ALL, "\uffff")) \
        [NETWORK_CHANGE_COLUMNS].reset_index(drop=True)


def network_review(questionnaire: Questionnaire, pre: Any, followup: Any, *, ledger: pd.DataFrame | None = None,
                   item: str | None = None, confidence: float = 0.95) -> NetworkReview:
    """The network before the training and at the follow-up: ties, groups linked, institutions
    reached, and the change of each participant's ties.

    Parameters
    ----------
    questionnaire : Questionnaire
        Has a ``network`` item asked at ``pre`` and ``followup``.
    pre, followup : path, Responses or DataFrame
        The two waves' answers (see :func:`evalkit.io.as_responses`).
    ledger : DataFrame, optional
        Columns ``wave, row, group, participant`` (the ledger of :func:`evalkit.analyze`,
        whose ``participant`` is the pseudonym across waves): who each row is, so that the
        change pairs participants exactly as the analysis matched them (a follow-up row with
        a ``pair_row`` is the person of that pre-test row, a fuzzy match included; a person
        is a pseudonym within a group). Rows without a participant there are left out. Without it, a participant is the normalized code
        within the group (the pipeline's exact rule, no fuzzy matching).
    item : str, optional
        The network item's id, when the questionnaire has more than one.
    confidence : float, default 0.95
        Level of the interval of the mean change.

    Returns
    -------
    NetworkReview
        ``summary``, ``edges``, ``institutions`` and ``change`` tables.

    Notes
    -----
    Per wave and group, from :func:`evalkit.stats.network_ties`: ``n`` respondents,
    ``n_ties`` their distinct ties and ``ties_per_participant`` the mean;
    ``share_across`` = ties to another group / ties to any group (own included);
    ``n_institutions`` distinct institutions reached; ``degree`` other groups linked to the
    group and ``degree_centrality`` that over ``groups - 1``. The ``ALL`` row pools the
    counts and gives the group-to-group network's ``density`` (linked pairs / possible
    pairs, :func:`evalkit.stats.network_density`); it is NaN in the group rows, ``degree``
    and ``degree_centrality`` are NaN in the ``ALL`` row.

    The change of ties per participant is the paired t-test and Wilcoxon signed-rank test
    of :func:`evalkit.stats.paired_by_group` (R: ``t.test(fu, pre, paired = TRUE)``,
    ``wilcox.test(fu, pre, paired = TRUE)``), over participants answering at both waves;
    ``d_z`` is the mean change over its SD.

    Every table has ``n`` for the small-group rule: the report suppresses with
    :func:`evalkit.privacy.find_suppressed` (``by=("wave",)`` for ``summary``,
    ``by=()`` for ``change``); :func:`evalkit.charts.network_chart` leaves such groups out.

    Examples
    --------
    >>> import evalkit
    >>> from evalkit.review import network_review
    >>> q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    >>> r = network_review(q, evalkit.bundled_sample("pre"), evalkit.bundled_sample("followup"))
    >>> r.summary.loc[r.summary["group"] == "ALL", ["wave", "n", "ties_per_participant", "density"]].round(3)
    ... # doctest: +NORMALIZE_WHITESPACE
            wave    n  ties_per_participant  density
    10       pre  258                 0.930    0.222
    21  followup  179                 2.045    0.489
    """
    confidence = float(confidence)
    net_item = _network_item(questionnaire, item)
    if ledger is not None:
        ledger = _check_table(ledger, "ledger", ["wave", "row", "group", "participant"])
    parts = [_tie_table(*_respondents(questionnaire, answers, wave, net_item, ledger), wave)
             for wave, answers in zip(NETWORK_WAVES, (pre, followup))]
    ties = pd.concat(parts, ignore_index=True)
    groups = [g.code for g in questionnaire.groups]
    keys = dict(participant="participant", group="group", wave="wave", target="target", groups=groups)
    summary = _summary(ties, groups)
    summary.loc[summary["group"] == ALL, ["degree", "degree_centrality"]] = np.nan
    return NetworkReview(summary=summary, edges=stats.network_edges(ties, **keys),
                         institutions=_institutions(ties, net_item), change=_change(ties, confidence))
