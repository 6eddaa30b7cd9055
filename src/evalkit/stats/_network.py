"""The network (jejaring) between a training's groups: ties per participant, ties across
groups, and the group-to-group network's density, per wave (issue 16)."""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd

from evalkit._errors import EvalkitError, EvalkitWarning
from evalkit._i18n import tr

from ._common import MSG_MISSING_COLUMN, check_frame, safe_divide

TIES_COLUMNS = [
    "n_participants", "n_ties", "ties_per_participant", "n_ties_groups", "n_ties_across",
    "share_across", "n_ties_institutions", "n_institutions", "degree", "degree_centrality",
]  # fmt: skip
DENSITY_COLUMNS = ["n_groups", "n_edges", "density"]

MSG_TWO_GROUPS = {"code": "EK-ST-041",
    "id": "Peserta pada baris {row} tercatat di kelompok {first!r} dan {second!r} pada "
    "gelombang {wave!r}; satu peserta hanya boleh punya satu kelompok per gelombang.",
    "en": "The participant of row {row} is recorded in groups {first!r} and {second!r} at wave "
    "{wave!r}; a participant may have one group per wave only.",
}
MSG_UNKNOWN_GROUP = {"code": "EK-ST-042",
    "id": "Baris {row}: kelompok {value!r} tidak ada dalam parameter 'groups' ({allowed}).",
    "en": "Row {row}: group {value!r} is not in the 'groups' parameter ({allowed}).",
}
MSG_MISSING_KEY = {"code": "EK-ST-043",
    "id": "Baris {row}: kolom {column!r} kosong; setiap baris perlu peserta, kelompok dan gelombang.",
    "en": "Row {row}: column {column!r} is empty; every row needs a participant, a group and a wave.",
}
MSG_ONE_GROUP = {"code": "EK-ST-044",
    "id": "Kepadatan jaringan memerlukan sedikitnya 2 kelompok; ada {count}. Diisi NaN.",
    "en": "The network density needs at least 2 groups; got {count}. Set to NaN.",
}


class _Ties:
    """The checked tie table: respondents, and each distinct tie classified."""

    def __init__(self, ties: pd.DataFrame, participant, group, wave, target, groups):
        check_frame(ties, "ties")
        for param, column in (("participant", participant), ("group", group), ("wave", wave),
                              ("target", target)):
            if column not in ties.columns:
                raise EvalkitError(tr(MSG_MISSING_COLUMN, param=param, value=column, columns=list(ties.columns)))
        frame = ties[[participant, group, wave, target]].reset_index(drop=True)  # labels = positions
        frame.columns = ["participant", "group", "wave", "target"]
        for name, column in (("participant", participant), ("group", group), ("wave", wave)):
            empty = frame[name].isna().to_numpy()
            if empty.any():
                raise EvalkitError(tr(MSG_MISSING_KEY, row=int(np.flatnonzero(empty)[0]) + 1, column=column))
        if groups is None:
            nodes = pd.Index(pd.unique(frame["group"])).sort_values()
        else:
            nodes = pd.Index(pd.unique(pd.Series(list(groups), dtype=object))).sort_values()
            unknown = ~frame["group"].isin(nodes).to_numpy()
            if unknown.any():
                row = int(np.flatnonzero(unknown)[0])
                raise EvalkitError(tr(MSG_UNKNOWN_GROUP, row=row + 1, value=frame["group"].iloc[row],
                                      allowed=list(nodes)))
        people = frame.drop_duplicates(["wave", "participant", "group"])
        twice = people.duplicated(["wave", "participant"], keep=False).to_numpy()
        if twice.any():
            clash = people[twice].iloc[:2]
            raise EvalkitError(tr(MSG_TWO_GROUPS, row=int(clash.index[1]) + 1,
                                  first=clash["group"].iloc[0], second=clash["group"].iloc[1],
                                  wave=clash["wave"].iloc[0]))
        self.nodes = nodes
        self.respondents = people
        named = frame.dropna(subset=["target"]).drop_duplicates(["wave", "participant", "target"])
        self.ties = named.assign(
            to_group=named["target"].isin(nodes),
            across=named["target"].isin(nodes) & (named["target"] != named["group"]),
        )

    def edges(self) -> pd.DataFrame:
        """``wave, group_a, group_b, n_ties``: each pair of groups (a before b in sort order)
        with a tie between them at a wave, and how many participants' ties link them."""
        across = self.ties[self.ties["across"]]
        a = self.nodes.get_indexer(across["group"])
        b = self.nodes.get_indexer(across["target"])
        pairs = pd.DataFrame({"wave": across["wave"].to_numpy(),
                              "group_a": self.nodes[np.minimum(a, b)], "group_b": self.nodes[np.maximum(a, b)]})
        return pairs.groupby(["wave", "group_a", "group_b"], sort=True).size().rename("n_ties").reset_index()


def network_ties(
    ties: pd.DataFrame,
    *,
    participant: Hashable,
    group: Hashable,
    wave: Hashable,
    target: Hashable,
    groups: Sequence[Hashable] | None = None,
) -> pd.DataFrame:
    """Ties per participant, ties across groups and each group's links, per group and wave.

    Parameters
    ----------
    ties : pandas.DataFrame
        One row per tie: a participant (pseudonym) of ``group`` at ``wave`` who named
        ``target`` ("with whom have you worked on a human-rights matter?"). A participant who
        named no one appears once with a missing ``target``, so that every respondent is
        counted. The same target named twice counts once.
    participant, group, wave, target : column name
        The columns of ``ties``.
    groups : sequence or None
        The training's groups (the network's nodes); a target among them is a group, any
        other target an institution. ``None``: the groups of the ``group`` column.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``(group, wave)``, columns ``n_participants, n_ties,
        ties_per_participant, n_ties_groups, n_ties_across, share_across,
        n_ties_institutions, n_institutions, degree, degree_centrality``: respondents; their
        distinct ties and the mean per respondent; ties to a group (own included), to
        another group, and their share ``n_ties_across / n_ties_groups``; ties to
        institutions and the number of distinct institutions reached; the number of other
        groups linked to the group in the undirected group network (:func:`network_density`)
        and that number over ``n_groups - 1`` (networkx ``degree_centrality``).

    Notes
    -----
    Groups with no respondent at a wave are not listed for it. ``share_across`` is NaN for
    a group whose respondents named no group. The paired change pre -> follow-up of ties per
    participant is :func:`paired_by_group` on each respondent's count of distinct ties.

    References
    ----------
    Wasserman, S., & Faust, K. (1994). Social Network Analysis, ch. 4.
    Python: ``networkx.degree_centrality`` (tested equal).

    Examples
    --------
    >>> import pandas as pd
    >>> ties = pd.DataFrame({"pid": [1, 1, 2, 3, 3], "grp": ["A", "A", "A", "B", "B"],
    ...                      "wave": "pre", "named": ["B", "LBH", None, "A", "B"]})
    >>> res = network_ties(ties, participant="pid", group="grp", wave="wave", target="named")
    >>> res[["n_participants", "n_ties", "share_across", "degree"]]  # doctest: +NORMALIZE_WHITESPACE
               n_participants  n_ties  share_across  degree
    grp wave
    A   pre                 2       2           1.0       1
    B   pre                 1       2           0.5       1
    """
    net = _Ties(ties, participant, group, wave, target, groups)
    keys = ["group", "wave"]
    people = net.respondents.groupby(keys, sort=True).size().rename("n_participants")
    t = net.ties.assign(institution=~net.ties["to_group"])
    counts = t.groupby(keys, sort=True).agg(
        n_ties=("target", "size"), n_ties_groups=("to_group", "sum"), n_ties_across=("across", "sum"),
        n_ties_institutions=("institution", "sum"))
    reached = t[t["institution"]].groupby(keys, sort=True)["target"].nunique().rename("n_institutions")
    edges = net.edges()
    ends = pd.concat([edges[["group_a", "wave"]].set_axis(keys, axis=1),
                      edges[["group_b", "wave"]].set_axis(keys, axis=1)])
    degree = ends.groupby(keys, sort=True).size().rename("degree")
    out = pd.concat([people, counts, reached, degree], axis=1).loc[people.index]
    count_columns = ["n_ties", "n_ties_groups", "n_ties_across", "n_ties_institutions", "n_institutions", "degree"]
    out[count_columns] = out[count_columns].fillna(0).astype(np.int64)
    out["ties_per_participant"] = out["n_ties"] / out["n_participants"]
    out["share_across"] = safe_divide(out["n_ties_across"].to_numpy(), out["n_ties_groups"].to_numpy())
    out["degree_centrality"] = safe_divide(out["degree"].to_numpy(), np.full(len(out), len(net.nodes) - 1))
    out.index = out.index.set_names([group, wave])
    return out[TIES_COLUMNS]


def network_edges(
    ties: pd.DataFrame,
    *,
    participant: Hashable,
    group: Hashable,
    wave: Hashable,
    target: Hashable,
    groups: Sequence[Hashable] | None = None,
) -> pd.DataFrame:
    """The undirected group-to-group network's edges per wave, for charts.

    Parameters and the tie table are those of :func:`network_ties`.

    Returns
    -------
    pandas.DataFrame
        One row per wave and linked pair of groups, columns ``wave, group_a, group_b,
        n_ties`` (``group_a`` before ``group_b`` in sort order; ``n_ties``: how many
        participants' ties link the two, in either direction).

    Examples
    --------
    >>> import pandas as pd
    >>> ties = pd.DataFrame({"pid": [1, 2, 3], "grp": ["A", "A", "B"], "wave": "pre",
    ...                      "named": ["B", "B", "A"]})
    >>> network_edges(ties, participant="pid", group="grp", wave="wave", target="named")
      wave group_a group_b  n_ties
    0  pre       A       B       3
    """
    return _Ties(ties, participant, group, wave, target, groups).edges()


def network_density(
    ties: pd.DataFrame,
    *,
    participant: Hashable,
    group: Hashable,
    wave: Hashable,
    target: Hashable,
    groups: Sequence[Hashable] | None = None,
) -> pd.DataFrame:
    """Density of the group-to-group network at each wave.

    Parameters and the tie table are those of :func:`network_ties`.

    Returns
    -------
    pandas.DataFrame
        Indexed by wave, columns ``n_groups, n_edges, density``.

    Notes
    -----
    Nodes are all the training's groups (the same at every wave, so that densities compare);
    groups :math:`a \\ne b` are linked at a wave when a respondent of either named the
    other (undirected: working together is mutual, and one side's report is enough; ties
    within a group are not edges). Density :math:`= E / \\binom{m}{2}` for :math:`m` groups
    and :math:`E` linked pairs: the share of possible group pairs that worked together, as
    ``networkx.density`` of the undirected graph (tested equal). NaN with a warning when
    :math:`m < 2`.

    References
    ----------
    Wasserman, S., & Faust, K. (1994). Social Network Analysis, section 4.2.
    Python: ``networkx.density(networkx.Graph(edges))`` with every group as a node.

    Examples
    --------
    >>> import pandas as pd
    >>> ties = pd.DataFrame({"pid": [1, 2, 3, 4], "grp": ["A", "B", "C", "D"],
    ...                      "wave": "pre", "named": ["B", "A", "D", None]})
    >>> network_density(ties, participant="pid", group="grp", wave="wave", target="named")
    ... # doctest: +NORMALIZE_WHITESPACE
          n_groups  n_edges   density
    wave
    pre          4        2  0.333333
    """
    net = _Ties(ties, participant, group, wave, target, groups)
    m = len(net.nodes)
    if m < 2:
        warnings.warn(tr(MSG_ONE_GROUP, count=m), EvalkitWarning, stacklevel=2)
    waves = pd.Index(pd.unique(net.respondents["wave"])).sort_values()
    n_edges = net.edges().groupby("wave").size().reindex(waves, fill_value=0).astype(np.int64)
    out = pd.DataFrame({"n_groups": m, "n_edges": n_edges.to_numpy(),
                        "density": safe_divide(n_edges.to_numpy(), np.full(len(waves), m * (m - 1) / 2))},
                       index=waves.set_names(wave))
    return out[DENSITY_COLUMNS]
