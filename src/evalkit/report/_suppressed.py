"""What small-group protection hid, output by output, and the report's statement of it.

:func:`suppressed_outputs` counts the hidden rows of every workbook sheet (its
``suppressed`` column) and the hidden groups, cells or bars of every chart drawn (each
chart hides exactly the rows its table flags, see :func:`evalkit.privacy.find_suppressed`).
The method chapter's statement is written from that table, so it lists every output
where something was hidden, with its count.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from .. import _numbers as fmt
from .._constants import ALL_GROUPS
from .._i18n import tr
from ..privacy import FLAG

_T = {
    "none": {"id": "Tidak ada kelompok dengan kurang dari {k} peserta; tidak ada sel yang disembunyikan di tabel, "
                   "lembar buku kerja atau grafik mana pun.",
             "en": "No group has fewer than {k} participants; no cell was hidden in any table, workbook sheet or "
                   "chart."},
    "intro": {"id": "Perlindungan kelompok kecil menyembunyikan sel pada {n} keluaran berikut (n peserta tetap "
                    "ditampilkan):",
              "en": "Small-group protection hid cells in these {n} outputs (the number of participants n is still "
                    "shown):"},
    "sheet": {"id": "lembar buku kerja ‘{name}’ ({what}): {hidden} dari {total} baris",
              "en": "workbook sheet ‘{name}’ ({what}): {hidden} of {total} rows"},
    # What a sheet that can hide cells holds (the README sheet describes every sheet).
    "what": {"gains": {"id": "kenaikan per skala dan kelompok; juga tabel kenaikan di laporan",
                       "en": "gains per scale and group; also the report's gain tables"},
             "post_only": {"id": "skala yang hanya diukur sesudah pelatihan", "en": "scales measured after only"},
             "item_correct": {"id": "jawaban benar per butir dan kelompok", "en": "correct answers per item and group"},
             "likert": {"id": "sebaran jawaban Likert", "en": "distribution of Likert answers"},
             "adjusted_means": {"id": "rata-rata sesudah yang dikoreksi", "en": "adjusted post means"},
             "pairwise": {"id": "perbandingan antarpasangan kelompok", "en": "pairwise group comparisons"},
             "change_summary": {"id": "perubahan individu yang nyata", "en": "reliable individual change"},
             "attrition": {"id": "peserta pre-test yang tidak mengisi post-test", "en": "pre-test participants "
                                                                                      "who missed the post-test"}},
    "chart": {"id": "grafik {file}: {hidden} {unit}", "en": "chart {file}: {hidden} {unit}"},
    "units": {"group": {"id": "kelompok", "en": "group(s)"}, "cell": {"id": "sel butir × kelompok",
                                                                      "en": "item × group cell(s)"},
              "bar": {"id": "batang butir × gelombang", "en": "item × wave bar(s)"}},
}

#: Chart key prefix → (table it draws, what one hidden thing is).
_CHARTS = {"gain_": ("gains", "group"), "prepost_": ("gains", "group"), "items_": ("item_correct", "cell"),
           "likert_": ("likert", "bar")}


def _chart_hidden(tables: dict, key: str) -> tuple[int, str] | None:
    if key == "overview":  # small multiples: the note gives the most groups hidden in one panel
        gains = tables["gains"]
        hidden = gains[gains[FLAG].astype(bool) & (gains["group"] != ALL_GROUPS)].groupby("scale").size()
        return int(hidden.max()) if len(hidden) else 0, "group"
    for prefix, (name, unit) in _CHARTS.items():
        if key.startswith(prefix):
            t = tables[name]
            t = t[(t["scale"] == key[len(prefix):]) & t[FLAG].astype(bool)]
            if unit == "bar":
                return len(t.drop_duplicates(["item", "wave"])), unit
            return int((t["group"] != ALL_GROUPS).sum()), unit
    return None


def suppressed_outputs(tables: dict, charts: Iterable[str] = ()) -> pd.DataFrame:
    """One row per output with hidden cells: ``output, kind (sheet|chart), hidden, total, unit``.

    ``tables`` are the report tables (:func:`evalkit.report.report_tables`), one workbook
    sheet each; ``charts`` the keys of the charts drawn (``gain_sikap``, ``overview`` …).

    Examples
    --------
    >>> import pandas as pd
    >>> t = {"gains": pd.DataFrame({"scale": "s", "group": ["A", "B", "ALL"], "suppressed": [True, True, False]})}
    >>> suppressed_outputs(t, ["gain_s"])[["output", "hidden"]].values.tolist()
    [['gains', 2], ['gain_s', 2]]
    """
    rows = [(name, "sheet", int(t[FLAG].fillna(False).astype(bool).sum()), len(t), "row")
            for name, t in tables.items() if isinstance(t, pd.DataFrame) and FLAG in t.columns]
    for key in charts:
        found = _chart_hidden(tables, key)
        if found is not None:
            rows.append((key, "chart", found[0], None, found[1]))
    out = pd.DataFrame(rows, columns=["output", "kind", "hidden", "total", "unit"])
    return out[out["hidden"] > 0].reset_index(drop=True)


def suppression_statement(tables: dict, charts: dict, *, k: int, lang: str) -> tuple[str, list[str]]:
    """The statement's lead sentence and one line per output with hidden cells.

    ``charts`` maps chart keys to their files (the line names the file).
    """
    hidden = suppressed_outputs(tables, charts)
    if hidden.empty:
        return tr(_T["none"], lang, k=k), []
    lines = []
    for r in hidden.to_dict("records"):
        if r["kind"] == "sheet":
            what = tr(_T["what"][r["output"]], lang) if r["output"] in _T["what"] else "–"
            lines.append(tr(_T["sheet"], lang, name=r["output"], what=what, hidden=fmt.integer(r["hidden"], lang=lang), total=fmt.integer(r["total"], lang=lang)))
        else:
            path = charts[r["output"]]
            lines.append(tr(_T["chart"], lang, file=f"{path.parent.name}/{path.name}",
                            hidden=fmt.integer(r["hidden"], lang=lang), unit=tr(_T["units"][r["unit"]], lang)))
    return tr(_T["intro"], lang, n=len(lines)), lines
