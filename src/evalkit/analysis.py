"""The whole evaluation: every stage of :mod:`evalkit.pipeline` and every review of
:mod:`evalkit.review`, run once and kept together as an :class:`Analysis`.

It sits above both packages because it hands the pipeline's results to the reviews.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from . import review
from .io import Responses, as_responses
from .pipeline import (WAVES_COLUMNS, gains_table, ledger_summary, long_frame, match_followup, post_only_table,
                       score_wave, scored_pairs, stack_ledgers, waves_table)
from .privacy import load_key
from .questionnaire import WAVES, Questionnaire


@dataclass(frozen=True)
class Analysis:
    """Everything one pre/post evaluation produces.

    Attributes
    ----------
    pre, post : Responses
        The validated answers.
    scores_pre, scores_post : DataFrame
        Scale scores per row (see :func:`evalkit.score`).
    matched : DataFrame
        Long table of matched participants: ``group, participant, scale, pre, post``
        (``participant`` is a keyed-hash pseudonym, never the code itself).
    ledger : DataFrame
        One row per input row: ``wave, row, group, participant`` (pseudonym), ``state,
        match, distance, pair_row, submission, form_version, reason``.
    ledger_summary : DataFrame
        Rows read per wave beside the count in each state, with ``reconciles``.
    gains : DataFrame
        One row per scale × group (plus ``group == "ALL"``), see :func:`evalkit.gains`.
    post_only : DataFrame
        Scales asked only after the training (e.g. satisfaction): ``scale, level, group, n, mean, sd``.
    reliability : DataFrame
        :func:`evalkit.reliability` of both waves stacked (``wave`` column).
    item_statistics : DataFrame
        :func:`evalkit.review.item_statistics` of both waves stacked.
    item_analysis : DataFrame
        :func:`evalkit.item_analysis` of the knowledge items.
    item_change : DataFrame
        :func:`evalkit.review.item_change` on the matched pairs.
    ancova, adjusted_means, kruskal, pairwise : DataFrame
        The tables of :func:`evalkit.review.compare_groups` (empty when ``by=None``).
    change : DataFrame
        :func:`evalkit.review.individual_change` (reliable change per participant × scale).
    change_summary : DataFrame
        :func:`evalkit.review.change_summary` per scale × group.
    attrition : DataFrame
        :func:`evalkit.review.attrition`: pre-test scores of completers vs drop-outs.
    retention : Retention
        :func:`evalkit.review.retention`: did the gain last (empty without a follow-up).
    behaviour, behaviour_frequencies, change_agents : DataFrame
        Level 3 (:func:`evalkit.review.behaviour_shares`, :func:`~evalkit.review.behaviour_frequencies`,
        :func:`~evalkit.review.change_agents`): who acted after the training; empty without a
        follow-up or without behaviour items (``change_agents``: without ``action`` items).
    network : NetworkReview or None
        :func:`evalkit.review.network_review`, when a network item is asked in the pre-test
        and the follow-up and a follow-up was given.
    followup : Responses or None
        The validated follow-up answers, when a follow-up was given.
    scores_followup : DataFrame or None
        Their scale scores per row.
    waves : DataFrame
        Long table ``group, participant, scale, wave, score``: the scale scores of every
        participant matched across at least two waves, at every wave they answered
        (:func:`evalkit.pipeline.waves_table`; ``participant`` the pseudonym of
        ``matched``, ``wave`` an ordered categorical of the waves given). Without a
        follow-up: the pre-test and post-test scores of the matched participants.
    """

    questionnaire: Questionnaire
    pre: Responses
    post: Responses
    scores_pre: pd.DataFrame
    scores_post: pd.DataFrame
    matched: pd.DataFrame
    ledger: pd.DataFrame
    ledger_summary: pd.DataFrame
    gains: pd.DataFrame
    post_only: pd.DataFrame
    reliability: pd.DataFrame
    item_statistics: pd.DataFrame
    item_analysis: pd.DataFrame
    item_change: pd.DataFrame
    ancova: pd.DataFrame
    adjusted_means: pd.DataFrame
    kruskal: pd.DataFrame
    pairwise: pd.DataFrame
    change: pd.DataFrame
    change_summary: pd.DataFrame
    attrition: pd.DataFrame
    retention: review.Retention = field(default_factory=review.Retention.empty)
    behaviour: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=review.BEHAVIOUR_COLUMNS))
    behaviour_frequencies: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=review.BEHAVIOUR_FREQUENCY_COLUMNS))
    change_agents: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=review.CHANGE_AGENT_COLUMNS))
    network: review.NetworkReview | None = None
    followup: Responses | None = None
    scores_followup: pd.DataFrame | None = None
    waves: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=WAVES_COLUMNS))

    @property
    def problems(self) -> pd.DataFrame:
        """Data-quality log of every wave (empty in strict mode)."""
        given = [w for w in (self.pre, self.post, self.followup) if w is not None]
        return pd.concat([w.problems.assign(wave=w.wave) for w in given], ignore_index=True)


def analyze(questionnaire: Questionnaire, pre, post, *, followup=None, by: str | None = "group",
            strict: bool = True, confidence: float = 0.95, fuzzy: bool = True, approved: pd.DataFrame | None = None,
            approved_followup: pd.DataFrame | None = None, key: str | None = None) -> Analysis:
    """Run the whole pre/post pipeline and keep every intermediate table.

    Parameters
    ----------
    questionnaire : Questionnaire
    pre, post : path, Responses or DataFrame
        The two waves' answers.
    followup : path, Responses or DataFrame, optional
        The follow-up answers (wave ``followup``, months after the training): matched to
        the participants' pre-test rows with the same rules, counted in the ledger and
        given in :attr:`Analysis.waves`.
    by : {"group", None}
        Report per group (and all groups together) or only all groups together.
    strict : bool, default True
        Passed to :func:`read_responses` when ``pre``/``post`` are not yet validated.
        Also: when no participant is matched across the waves, a :class:`DataError`
        (strict) or an :class:`EvalkitWarning` (``strict=False``).
    confidence : float, default 0.95
        Level of the confidence intervals.
    fuzzy, approved : optional
        Matching of codes one typing slip apart; see :func:`evalkit.pipeline.match_waves`.
    approved_followup : DataFrame, optional
        The reviewed fuzzy matches of the follow-up: ``row_pre, row_followup``.
    key : str, optional
        Pseudonymization key for participant codes (:func:`evalkit.privacy.load_key`);
        by default a fresh random key, so pseudonyms cannot be linked across runs.

    Returns
    -------
    Analysis

    Examples
    --------
    >>> import evalkit
    >>> q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    >>> a = evalkit.analyze(q, evalkit.bundled_sample("pre"), evalkit.bundled_sample("post"))
    >>> bool(a.ledger_summary["reconciles"].all())
    True
    """
    key = key or load_key()  # one key: the follow-up's pseudonyms are the pre-test's
    stages = scored_pairs(questionnaire, pre, post, by=by, strict=strict, fuzzy=fuzzy, approved=approved, key=key,
                          waves=WAVES[:2])
    pre, post, pairs, ledger = stages.pre, stages.post, stages.pairs, stages.ledger
    scores_pre, scores_post = stages.scored_pre.scales, stages.scored_post.scales
    matched = long_frame(stages.long)
    later = {post.wave: pairs}
    scored = {pre.wave: scores_pre, post.wave: scores_post}
    if followup is not None:
        followup = as_responses(followup, questionnaire, wave=WAVES[2], strict=strict, name=WAVES[2])
        scored[followup.wave] = score_wave(questionnaire, followup).scales
        approved_followup = (None if approved_followup is None else
                             approved_followup.rename(columns={"row_" + WAVES[2]: "row_post"}))
        later[followup.wave], rows = match_followup(ledger, pre.data, followup.data, anchor_wave=pre.wave,
                                                    later_wave=followup.wave, fuzzy=fuzzy,
                                                    approved=approved_followup, key=key)
        ledger = stack_ledgers(ledger, rows)
    given = [w for w in (pre, post, followup) if w is not None]
    ledger = _with_submissions(ledger, given)
    summary = ledger_summary(ledger, {w.wave: w.rows_read for w in given})
    gain_table = gains_table(questionnaire, matched, by=by, confidence=confidence)
    post_only = post_only_table(questionnaire, _counted(scores_post, ledger, post.wave), by=by)
    # The reviews read each wave's item scores of the rows the ledger counts (scored once).
    items = tuple(_counted(s.items, ledger, s.responses.wave).reset_index(drop=True)
                  for s in (stages.scored_pre, stages.scored_post))
    rel = pd.concat([review.reliability(questionnaire, w, confidence=confidence, items=x)
                     for w, x in zip((pre, post), items)], ignore_index=True)
    item_stats = pd.concat([review.item_statistics(questionnaire, w, items=x) for w, x in zip((pre, post), items)],
                           ignore_index=True)
    groups = (review.compare_groups(matched, confidence=confidence) if by == "group"
              else review.GroupComparison.empty())
    change = review.individual_change(matched, rel)
    waves = waves_table(questionnaire, ledger, later, scored, tuple(w.wave for w in given))
    return Analysis(
        questionnaire, pre, post, scores_pre, scores_post, matched, ledger, summary, gain_table, post_only,
        reliability=rel,
        item_statistics=item_stats,
        item_analysis=review.item_analysis(questionnaire, pre, post, items=items),
        item_change=review.item_change(questionnaire, pre, post, pairs=pairs, items=items),
        ancova=groups.ancova,
        adjusted_means=groups.adjusted_means,
        kruskal=groups.kruskal,
        pairwise=groups.pairwise,
        change=change,
        change_summary=review.change_summary(change, by=by),
        attrition=review.attrition(questionnaire, ledger, scores_pre, by=by, wave=pre.wave),
        followup=followup,
        scores_followup=None if followup is None else scored[followup.wave],
        waves=waves,
        retention=(review.retention(waves, order=[w.wave for w in given], by=by, confidence=confidence)
                   if followup is not None else review.Retention.empty()),
        **(_level3(questionnaire, pre, followup, ledger, confidence) if followup is not None else {}),
    )


def _level3(q: Questionnaire, pre: Responses, followup: Responses, ledger: pd.DataFrame,
            confidence: float) -> dict:
    """The follow-up's level-3 reviews the questionnaire asks for: behaviour items, declared
    actions (agen perubahan) and a network item asked before and at the follow-up."""
    behaviour = {s.id for s in q.scales if s.level == "behaviour"}
    items = [i for i in q.items_for_wave(followup.wave) if i.scale in behaviour]
    out = {}
    if items:
        out["behaviour"] = review.behaviour_shares(q, followup, confidence=confidence)
        out["behaviour_frequencies"] = review.behaviour_frequencies(q, followup)
    if any(getattr(i, "action", None) for i in items):
        out["change_agents"] = review.change_agents(q, followup, confidence=confidence)
    if any(i.type == "network" and {pre.wave, followup.wave} <= set(i.waves) for i in q.items):
        out["network"] = review.network_review(q, pre, followup, ledger=ledger, confidence=confidence)
    return out


def _counted(table: pd.DataFrame, ledger: pd.DataFrame, wave: str) -> pd.DataFrame:
    """The rows of one wave's scores that count: the ledger's ``used`` and ``unmatched``
    rows (usable, a repeated submission once)."""
    rows = ledger["row"][(ledger["wave"] == wave) & ledger["state"].isin(["used", "unmatched"])]
    return table[table["row"].isin(rows)]


def _with_submissions(ledger: pd.DataFrame, waves: list[Responses]) -> pd.DataFrame:
    """Add each row's submission id and form version (Kobo/ODK system columns) to the ledger."""
    parts = [r.submissions.assign(wave=r.wave) for r in waves if r.submissions is not None]
    if not parts:
        return ledger.assign(submission="", form_version="")
    columns = list(ledger.columns)
    merged = ledger.merge(pd.concat(parts, ignore_index=True), on=["wave", "row"], how="left", validate="1:1")
    merged[["submission", "form_version"]] = merged[["submission", "form_version"]].fillna("")
    return merged[columns[:-1] + ["submission", "form_version", columns[-1]]]
