"""Seeded simulation of pre/post answer files with known per-group effects and realistic mess."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._errors import EvalkitError
from ._i18n import tr
from .questionnaire import Questionnaire

_M = {
    "bad_sizes": {"code": "EK-SIM-001", "id": "n_groups harus >= 1 dan n_per_group rentang (rendah, tinggi) dengan 1 <= rendah <= tinggi; "
                        "ditemukan n_groups={n_groups!r}, n_per_group={n_per_group!r}.",
                  "en": "n_groups must be >= 1 and n_per_group a range (low, high) with 1 <= low <= high; "
                        "got n_groups={n_groups!r}, n_per_group={n_per_group!r}."},
    "too_many_groups": {"code": "EK-SIM-002", "id": "n_groups={n_groups} melebihi {listed} kelompok yang terdaftar di kuesioner; jawaban "
                              "dengan kelompok lain akan ditolak kuesioner itu. Pakai n_groups <= {listed}, atau "
                              "kuesioner dengan daftar kelompok lebih panjang: simulate(q.with_groups({n_groups}), "
                              "n_groups={n_groups}).",
                        "en": "n_groups={n_groups} exceeds the {listed} groups the questionnaire lists; answers in "
                              "other groups would be rejected by it. Use n_groups <= {listed}, or a questionnaire "
                              "with a longer group list: simulate(q.with_groups({n_groups}), n_groups={n_groups})."},
}

_FIRST = ["Siti", "Ahmad", "Dewi", "Budi", "Rina", "Agus", "Nur", "Eko", "Wati", "Joko", "Sri", "Andi",
          "Lestari", "Hendra", "Yuli", "Rudi", "Fitri", "Bambang", "Ani", "Dedi", "Ratna", "Made", "Ketut", "Ayu"]
_LAST = ["Rahayu", "Saputra", "Wijaya", "Lubis", "Siregar", "Pratama", "Hidayat", "Kusuma", "Santoso",
         "Nasution", "Harahap", "Putri", "Setiawan", "Gunawan", "Purnomo", "Susanti", "Halim", "Yusuf"]
_LETTERS = np.array(list("ABCDEFGHIJKLMNOPRSTUWY"))
#: Share of the latent pre -> post gain that lasts to the follow-up (true value).
RETENTION = 0.6
#: Share of participants who do not answer the follow-up (true value).
DROPOUT = 0.35
#: Probability that a participant did behaviour item ``j`` at least once: ``BEHAVIOUR_SHARES[j % 4]``.
BEHAVIOUR_SHARES = (0.35, 0.15, 0.25, 0.1)
#: Naming other groups, the own group, an institution, per wave (true values).
#: ``other_groups``: expected number of other groups named (each with probability
#: ``other_groups / (m - 1)``, so that a training with many groups is not denser per person).
NETWORK = {"other_groups": {"pre": 0.045, "post": 0.045, "followup": 0.18},
           "own": {"pre": 0.4, "post": 0.4, "followup": 0.6},
           "institution": {"pre": 0.1, "post": 0.1, "followup": 0.25}}
# Seeds of the streams beside the main one (entropy [seed, stream]).
_NETWORK_STREAM, _FOLLOWUP_STREAM = 16, 17
_SUGGESTIONS = ["", "", "", "Waktu pelatihan ditambah.", "Materi sangat bermanfaat.",
                "Perbanyak contoh kasus di desa.", "Adakan pelatihan lanjutan."]


def simulate(questionnaire: Questionnaire, *, n_groups: int = 10, n_per_group: tuple[int, int] = (20, 35),
             seed: int = 0, effects=None, mess: bool = True, followup: bool = False,
             retention: float = RETENTION, dropout: float = DROPOUT) -> tuple[pd.DataFrame, ...]:
    """Simulate pre-test and post-test (and follow-up) answer tables as field teams deliver them.

    Each participant has a latent HAM awareness ``theta ~ N(mu_group, 1)``; the
    training raises it by the group's true effect (in latent SD units) plus
    individual noise ``N(0, 0.3)``. Knowledge items follow a logistic model, Likert
    items a rounded linear one (reverse-keyed items mirrored).

    The follow-up wave and the network answers come from their own random streams, so
    the pre-test and post-test answers of a seed are the same with or without them
    (a network item adds its column to the pre-test and nothing else). Their true values:

    * follow-up ``theta = theta_pre + retention * (theta_post - theta_pre) + N(0, 0.3)``:
      ``retention`` (default :data:`RETENTION` = 0.6) of the latent gain lasts;
    * each participant answers the follow-up with probability ``1 - dropout``
      (default :data:`DROPOUT` = 0.35);
    * behaviour item ``j`` (in questionnaire order within its scale) was done at least once
      with probability ``BEHAVIOUR_SHARES[j % 4]`` (0.35, 0.15, 0.25, 0.1), independently of
      theta and of the other items; then its frequency is uniform over the Likert points
      above the lowest ("never"), or a count ``1 + Poisson(1)`` for numeric items. The
      true "agen perubahan" share is therefore ``1 - prod(1 - p_j)`` over the items marked
      ``action``;
    * a network item names each of the other ``m - 1`` groups with probability
      ``NETWORK["other_groups"][wave] / (m - 1)`` (0.045 and 0.18 other groups expected, pre
      and follow-up), the own group with ``NETWORK["own"][wave]`` (0.4, 0.6) and each of its
      ``k`` institutions with ``NETWORK["institution"][wave]`` (0.1, 0.25): true ties per
      participant ``other_groups + own + k * institution`` (0.945 and 2.03 in the bundled
      questionnaire).

    Parameters
    ----------
    questionnaire : Questionnaire
    n_groups : int, default 10
        Groups taken in order from the questionnaire's group list (``G01`` ... if it
        lists none). More groups than the list holds is an error: the questionnaire
        would reject the answers. :meth:`Questionnaire.with_groups` gives a copy with a
        longer list, e.g. ``simulate(q.with_groups(30), n_groups=30)``.
    n_per_group : (int, int), default (20, 35)
        Inclusive range of participants per group.
    seed : int, default 0
    effects : array-like, optional
        True effect per group; default ``numpy.linspace(0.2, 1.1, n_groups)``:
        the first group gains least, the last most.
    mess : bool, default True
        Add what real files hold: about 5% of participants without a post-test,
        about 3% missing answers, one repeated post-test submission, post-test codes
        typed with other case, spaces or dashes, two codes with swapped digits (a
        typing slip that fuzzy matching repairs), and (fictional) names and phone
        numbers in the personal columns. At follow-up: about 3% missing answers and
        codes typed in lower case.
    followup : bool, default False
        Also simulate the follow-up wave (the questionnaire's items of wave ``followup``).
    retention : float, default 0.6
        Share of the latent gain that lasts to the follow-up.
    dropout : float, default 0.35
        Share of participants without a follow-up answer.

    Returns
    -------
    (pre, post) or (pre, post, followup) : tuple of DataFrame
        Cells as text, exactly as they would be written to the sample files.

    Examples
    --------
    >>> import evalkit
    >>> q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    >>> pre, post = evalkit.simulate(q, n_groups=2, seed=1)
    >>> list(pre.columns[:2])
    ['kode_peserta', 'kelompok']
    """
    lo, hi = n_per_group
    if not (isinstance(n_groups, int) and n_groups >= 1 and 1 <= lo <= hi):
        raise EvalkitError(tr(_M["bad_sizes"], n_groups=n_groups, n_per_group=n_per_group))
    listed = len(questionnaire.groups)
    if listed and n_groups > listed:
        raise EvalkitError(tr(_M["too_many_groups"], n_groups=n_groups, listed=listed))
    rng = np.random.default_rng(seed)
    codes = [g.code for g in questionnaire.groups][:n_groups] or [f"G{i + 1:02d}" for i in range(n_groups)]
    effects = np.linspace(0.2, 1.1, n_groups) if effects is None else np.asarray(effects, float)
    sizes = rng.integers(lo, hi + 1, n_groups)
    group_idx = np.repeat(np.arange(n_groups), sizes)
    n = len(group_idx)
    theta_pre = rng.normal(rng.normal(0, 0.3, n_groups)[group_idx], 1.0)
    theta_post = theta_pre + effects[group_idx] + rng.normal(0, 0.3, n)
    people = pd.DataFrame({
        questionnaire.id_column: _codes(rng, group_idx),
        questionnaire.group_column: np.asarray(codes)[group_idx],
        **_personal(rng, n, questionnaire.personal_columns),
    })
    tables = [_wave_table(rng, questionnaire, people, wave, theta, "2026-10-15", hour)
              for wave, theta, hour in (("pre", theta_pre, 8), ("post", theta_post, 15))]
    pre, post = tables
    if mess:
        pre, post = _add_mess(rng, questionnaire, pre, post)
    # Own streams from here: the draws above, and so the pre/post answers, stay as they were.
    pre = _with_network(np.random.default_rng([seed, _NETWORK_STREAM]), questionnaire, pre, group_idx, codes, "pre")
    if not followup:
        return pre, post
    frng = np.random.default_rng([seed, _FOLLOWUP_STREAM])
    theta_followup = theta_pre + retention * (theta_post - theta_pre) + frng.normal(0, 0.3, n)
    kept = frng.random(n) >= dropout
    later = _wave_table(frng, questionnaire, people, "followup", theta_followup, "2027-01-15", 9)
    later = _with_network(frng, questionnaire, later, group_idx, codes, "followup")[kept]
    if mess:
        later = _followup_mess(frng, questionnaire, later)
    return pre, post, later.reset_index(drop=True)


def _wave_table(rng, q: Questionnaire, people: pd.DataFrame, wave: str, theta, day: str, hour: int) -> pd.DataFrame:
    """One wave's answers of every participant (network items: :func:`_with_network`)."""
    table = people.copy()
    if "waktu_isi" in q.other_columns:
        minutes = rng.integers(0, 50, len(people))
        stamps = np.array([f"{day} {hour:02d}:{m:02d}" for m in range(50)], dtype=object)
        table["waktu_isi"] = stamps[minutes]
    behaviour = {i.id: k for s in q.scales if s.level == "behaviour" for k, i in enumerate(q.items_in(s.id))}
    answers = {item.id: _answers(rng, item, theta, behaviour.get(item.id))
               for item in q.items_for_wave(wave) if item.type != "network"}
    return pd.concat([table, pd.DataFrame(answers)], axis=1)


def _with_network(rng, q: Questionnaire, table: pd.DataFrame, group_idx, group_codes: list[str],
                  wave: str) -> pd.DataFrame:
    """The table with its wave's network answers, each column where the questionnaire puts it."""
    network = [i for i in q.items_for_wave(wave) if i.type == "network"]
    if not network:
        return table
    order = {i.id: k for k, i in enumerate(q.items)}
    out = table.copy()
    for item in network:
        out[item.id] = _network_answers(rng, item, group_idx, group_codes, wave)
    # columns in questionnaire order, the non-item columns first as they were
    return out[sorted(out.columns, key=lambda c: (c in order, order.get(c, 0)))]


def _network_answers(rng, item, group_idx, group_codes: list[str], wave: str) -> np.ndarray:
    """Codes of the groups and institutions each participant named (see :func:`simulate`).

    Only the groups that took part (``group_codes``) are named. The other groups a participant
    named are a uniform subset of a Binomial(n_groups - 1, p) size, the exact law of
    independent draws per group, without an n x groups matrix (benchmarks have thousands).
    """
    n, n_groups = len(group_idx), len(group_codes)
    p_other = min(1.0, NETWORK["other_groups"][wave] / max(n_groups - 1, 1))
    own = rng.random(n) < NETWORK["own"][wave]
    k = rng.binomial(max(n_groups - 1, 0), p_other, n)
    none = n_groups + len(item.institutions)  # the position of "nobody" (groups, then institutions)
    others = np.full((n, int(k.max(initial=0))), none, dtype=np.int64)
    for j in range(others.shape[1]):  # a handful of columns: the most groups one person named
        rows = np.flatnonzero(k > j)
        while len(rows):  # redraw an offset already taken in the row
            others[rows, j] = (group_idx[rows] + rng.integers(1, n_groups, len(rows))) % n_groups
            rows = rows[(others[rows, :j] == others[rows, j:j + 1]).any(axis=1)]
    institutions = rng.random((n, len(item.institutions))) < NETWORK["institution"][wave]
    named = np.hstack([np.where(own, group_idx, none)[:, None], others,
                       np.where(institutions, n_groups + np.arange(len(item.institutions)), none)])
    # a group the item does not offer (a questionnaire whose group list was replaced) is not named
    options = set(item.option_codes)
    offered = np.array([c in options for c in group_codes] + [True] * len(item.institutions) + [False])
    position = np.where(offered[named], named, none)
    position.sort(axis=1)  # codes in the options' order, "nobody" last
    codes = np.array(list(group_codes) + [o.code for o in item.institutions] + [""], dtype=object)
    spaced = np.array([" " + c for c in codes[:-1]] + [""], dtype=object)
    answer = codes[position[:, 0]]
    for column in position[:, 1:].T:  # a few columns, each over every participant at once
        answer = answer + spaced[column]
    return answer


def _followup_mess(rng, q: Questionnaire, table: pd.DataFrame) -> pd.DataFrame:
    """About 3% of answers missing (not network answers: a blank one means "no one"), codes in
    lower case now and then."""
    items = [c for c in table.columns if c in {i.id for i in q.items if i.type != "network"}]
    cells = table[items].to_numpy(dtype=object)
    cells[rng.random(cells.shape) < 0.03] = ""
    out = table.copy()
    out[items] = cells
    lower = rng.random(len(out)) < 0.1
    out.loc[lower, q.id_column] = out.loc[lower, q.id_column].str.lower()
    return out


def _codes(rng, group_idx) -> np.ndarray:
    """Self-generated codes: two initials, birth day, mother's initial (e.g. ``SR07M``)."""
    n = len(group_idx)
    letters = rng.choice(_LETTERS, size=(n, 3))
    days = rng.integers(1, 29, n)
    # Every code is one of 22**3 * 28 texts: build each once and pick by index.
    which = np.searchsorted(_LETTERS, letters)  # _LETTERS is sorted
    k = len(_LETTERS)
    pairs = np.array([x + y for x in _LETTERS for y in _LETTERS], dtype=object)
    day_text = np.array([f"{d:02d}" for d in range(29)], dtype=object)
    index = (which[:, 0] * k + which[:, 1]) * 29 + days
    middle = (pairs[:, None] + day_text[None, :]).ravel()  # "AB" + "07", ordered by (a, b, day)
    codes = pd.Series((middle[index] + _LETTERS.astype(object)[which[:, 2]]).astype(object))
    clash = pd.DataFrame({"g": group_idx, "c": codes}).duplicated()
    # Keep codes unique within a group, as the facilitator would ask for.
    codes[clash] = codes[clash] + pd.Series(np.arange(clash.sum()) % 10, index=codes[clash].index).astype(str)
    return codes.to_numpy()


def _personal(rng, n, columns) -> dict:
    out = {}
    for column in columns:
        if column.startswith("nama") or column == "name":
            first, last = rng.choice(_FIRST, n).astype(object), rng.choice(_LAST, n).astype(object)
            out[column] = first + " " + last
        else:
            digits = (rng.integers(0, 10, (n, 10)) + ord("0")).astype(np.uint8)
            out[column] = "08" + digits.view("S10").ravel().astype("U10").astype(object)
    return out


def _answers(rng, item, theta, behaviour: int | None = None) -> list[str]:
    n = len(theta)
    if behaviour is not None:
        return _behaviour_answers(rng, item, n, behaviour)
    if item.type in ("single_choice", "true_false"):
        difficulty = rng.uniform(-1.5, 1.0)
        correct = rng.random(n) < 1 / (1 + np.exp(-(1.2 * theta - difficulty)))
        wrong = [c for c in item.option_codes if c != item.key[0]]
        return np.where(correct, item.key[0], rng.choice(wrong, n)).astype(object)
    if item.type == "multi_select":
        p = 1 / (1 + np.exp(-(theta + 0.5)))
        right = rng.random((n, len(item.options))) < p[:, None]
        is_key = np.array([c in item.key for c in item.option_codes])
        chosen = np.where(right, is_key, ~is_key)
        # Each row is one of 2**k choices: join each pattern once, pick by its bit mask.
        k = len(item.option_codes)
        patterns = np.array([" ".join(c for j, c in enumerate(item.option_codes) if m >> j & 1)
                             for m in range(2**k)], dtype=object)
        return patterns[chosen.astype(np.int64) @ (1 << np.arange(k))]
    if item.type == "likert":
        middle = (item.points + 1) / 2
        latent = 0.7 * theta + rng.normal(0, 0.7, n)
        value = np.clip(np.rint(middle + 0.3 + 0.9 * latent), 1, item.points).astype(int)
        if item.reverse:
            value = item.points + 1 - value
        return np.array([str(v) for v in range(item.points + 2)], dtype=object)[value]
    if item.type == "numeric":
        low, high = item.min or 0, item.max or 100
        values = rng.integers(int(max(low, 17)), int(min(high, 65)) + 1, n)
        return np.array([str(v) for v in range(int(values.max(initial=0)) + 1)], dtype=object)[values]
    return rng.choice(_SUGGESTIONS, n).astype(object)


def _behaviour_answers(rng, item, n: int, position: int) -> np.ndarray:
    """Behaviour item number ``position`` of its scale: done at least once with probability
    ``BEHAVIOUR_SHARES[position % 4]``, then how often (see :func:`simulate`)."""
    acted = rng.random(n) < BEHAVIOUR_SHARES[position % len(BEHAVIOUR_SHARES)]
    if item.type == "numeric":
        high = int(item.max) if item.max is not None else 30
        value = np.where(acted, np.minimum(1 + rng.poisson(1.0, n), high), 0)
    else:
        value = np.where(acted, rng.integers(2, item.points + 1, n), 1)
    return np.array([str(v) for v in range(int(value.max(initial=0)) + 1)], dtype=object)[value]


def _add_mess(rng, q: Questionnaire, pre: pd.DataFrame, post: pd.DataFrame):
    items = [c for c in pre.columns if c in {i.id for i in q.items}]
    cells = pre[items].to_numpy(dtype=object)
    cells[rng.random(cells.shape) < 0.03] = ""
    pre[items] = cells
    post_items = [c for c in post.columns if c in {i.id for i in q.items}]
    cells = post[post_items].to_numpy(dtype=object)
    cells[rng.random(cells.shape) < 0.03] = ""
    post[post_items] = cells
    # Codes retyped at post-test: lower case, a space or a dash inside.
    code = post[q.id_column].copy()
    variant = rng.integers(0, 8, len(code))
    code[variant == 0] = code[variant == 0].str.lower()
    code[variant == 1] = code[variant == 1].str[:2] + " " + code[variant == 1].str[2:]
    code[variant == 2] = code[variant == 2].str[:2] + "-" + code[variant == 2].str[2:]
    # Two self-made codes mistyped at post-test: the two digits swapped (SR07M -> SR70M).
    plain = np.flatnonzero(variant > 2)
    slips = rng.choice(plain, size=min(2, len(plain)), replace=False)
    code.iloc[slips] = code.iloc[slips].str[:2] + code.iloc[slips].str[3] + code.iloc[slips].str[2] + \
        code.iloc[slips].str[4:]
    post[q.id_column] = code
    dropped = rng.random(len(post)) < 0.05
    post = post[~dropped]
    repeat = post.iloc[[rng.integers(len(post))]]
    post = pd.concat([post, repeat], ignore_index=True)
    return pre.reset_index(drop=True), post.reset_index(drop=True)
