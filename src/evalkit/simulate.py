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
_SUGGESTIONS = ["", "", "", "Waktu pelatihan ditambah.", "Materi sangat bermanfaat.",
                "Perbanyak contoh kasus di desa.", "Adakan pelatihan lanjutan."]


def simulate(questionnaire: Questionnaire, *, n_groups: int = 10, n_per_group: tuple[int, int] = (20, 35),
             seed: int = 0, effects=None, mess: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Simulate pre-test and post-test answer tables as field teams deliver them.

    Each participant has a latent HAM awareness ``theta ~ N(mu_group, 1)``; the
    training raises it by the group's true effect (in latent SD units) plus
    individual noise ``N(0, 0.3)``. Knowledge items follow a logistic model, Likert
    items a rounded linear one (reverse-keyed items mirrored).

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
        numbers in the personal columns.

    Returns
    -------
    (pre, post) : tuple of DataFrame
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
    tables = []
    for wave, theta, hour in (("pre", theta_pre, 8), ("post", theta_post, 15)):
        table = people.copy()
        if "waktu_isi" in questionnaire.other_columns:
            minutes = rng.integers(0, 50, n)
            stamps = np.array([f"2026-10-15 {hour:02d}:{m:02d}" for m in range(50)], dtype=object)
            table["waktu_isi"] = stamps[minutes]
        answers = {item.id: _answers(rng, item, theta) for item in questionnaire.items_for_wave(wave)}
        table = pd.concat([table, pd.DataFrame(answers)], axis=1)
        tables.append(table)
    pre, post = tables
    if mess:
        pre, post = _add_mess(rng, questionnaire, pre, post)
    return pre, post


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


def _answers(rng, item, theta) -> list[str]:
    n = len(theta)
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
