"""Writing the report folder: tables (CSV and XLSX), the ledger, the data-quality log and charts.

The folder is written into a temporary sibling and moved in when complete, under the rules
of :mod:`evalkit._outputs`: an interrupted run leaves the previous report as it was, and
nothing evalkit did not write is ever replaced or deleted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

import pandas as pd

from .._constants import ALL_GROUPS
from .._errors import EvalkitError
from .._i18n import get_language, tr
from ..analysis import Analysis
from ..io import escape_formulas, write_table
from ..privacy import fuzzy_matches
from ._info import ReportInfo, load_report_info
from ._package import fingerprint_note, write_package
from ._workbook import dictionary_note

_M = {
    "not_reconciled": {"code": "EK-RP-001",
        "id": "Buku catatan baris tidak seimbang (gelombang {waves}): jumlah baris per status tidak sama dengan "
              "baris yang dibaca. Laporan tidak ditulis.",
        "en": "The row ledger does not reconcile (wave {waves}): rows per state do not add up to the rows read. "
              "No report was written."},
    "readme": {"code": "EK-RP-002",
        "id": "Laporan evalkit: {title}\n\n"
              "laporan.docx            draf laporan (Word) berbahasa Indonesia: ringkasan, metode, hasil, per kelompok, lampiran\n"
              "laporan.html            isi yang sama, satu berkas untuk peramban (grafik di dalamnya)\n"
              "gains.xlsx              semua tabel, satu lembar per tabel; lembar README menjelaskan isinya\n"
              "gains.csv               kenaikan skor per kelompok dan skala (n, rata-rata, IK 95%, uji t, Wilcoxon, d_z, g_av, gain Hake)\n"
              "post_only.csv           skala yang hanya ditanyakan sesudah pelatihan (mis. kepuasan)\n"
              "ledger.csv              status setiap baris masukan (dipakai, ganda, tanpa pasangan, tidak sah,\n                        ditolak pemeriksa di Kobo/ODK, kosong)\n"
              "ledger_summary.csv      jumlah baris per status; harus sama dengan baris yang dibaca\n"
              "paket_hasil.json        jumlah per kelompok × skala untuk rekap nasional (tanpa data pribadi)\n"
              "fuzzy_matches.csv       pasangan pre/post yang kodenya berbeda satu huruf: periksa; salin ke luar folder ini,\n"
              "                        hapus yang salah dan jalankan ulang dengan --approve-fuzzy SALINAN.csv (atau --no-fuzzy)\n"
              "data_quality.csv        sel yang tidak sah dan dicatat sebagai kosong (mode --lenient)\n"
              "charts/                 grafik per skala (PNG 300 dpi, lebar teks A4 16 cm)\n"
              "charts_extra/           grafik ringkasan, sebaran jawaban, butir soal, alur peserta, perubahan individu\n\n"
              "Perlindungan kelompok kecil: sel yang menggambarkan kurang dari {k} peserta disembunyikan (kolom\n"
              "'suppressed' di CSV, 'disembunyikan' di gains.xlsx = True), dan bila perlu satu kelompok kecil lagi\n"
              "agar tidak dapat dihitung dari total.\n"
              "Nama, nomor telepon dan kode peserta tidak pernah ditulis ke folder ini.\n",
        "en": "evalkit report: {title}\n\n"
              "laporan.docx            report draft (Word): summary, method, results, per group, annex\n"
              "laporan.html            the same content as one file for a web browser (charts embedded)\n"
              "gains.xlsx              every table, one sheet each; the README sheet says what each holds\n"
              "gains.csv               score gains per group and scale (n, means, 95% CI, t-test, Wilcoxon, d_z, g_av, Hake gain)\n"
              "post_only.csv           scales asked only after the training (e.g. satisfaction)\n"
              "ledger.csv              state of every input row (used, duplicate, unmatched, invalid,\n                        rejected by a reviewer in Kobo/ODK, empty)\n"
              "ledger_summary.csv      rows per state; must equal the rows read\n"
              "paket_hasil.json        sums per group × scale for a national roll-up (no personal data)\n"
              "fuzzy_matches.csv       pre/post pairs whose codes differ by one character: review them; copy it out of this\n"
              "                        folder, delete wrong lines and re-run with --approve-fuzzy COPY.csv (or --no-fuzzy)\n"
              "data_quality.csv        invalid cells recorded as missing (--lenient mode)\n"
              "charts/                 per-scale charts (PNG, 300 dpi, A4 text width 16 cm)\n"
              "charts_extra/           overview, answer distributions, items, participant flow, individual change\n\n"
              "Small-group protection: cells describing fewer than {k} participants are suppressed (column\n"
              "'suppressed' = True), plus one more small group where needed so none can be worked out from totals.\n"
              "Names, phone numbers and participant codes are never written to this folder.\n"},
    "sheets": {"code": "EK-RP-003",
        "id": {"README": "Lembar ini: isi setiap lembar",
               "gains": "Kenaikan skor per skala × kelompok (ALL = semua kelompok): n, rata-rata, IK 95%, uji, ukuran efek",
               "post_only": "Skala yang hanya diukur sesudah pelatihan (mis. kepuasan)",
               "item_correct": "Proporsi jawaban benar per butir pengetahuan × kelompok, sebelum dan sesudah",
               "likert": "Sebaran jawaban butir Likert (semua kelompok), per gelombang",
               "flow": "Alur peserta: baris dibaca, dikeluarkan (dengan alasan), berpasangan, dianalisis",
               "reliability": "Reliabilitas per skala dan gelombang (alfa Cronbach dengan IK, omega)",
               "item_statistics": "Statistik butir: rata-rata, simpangan baku, korelasi butir-total, alfa bila dihapus",
               "item_analysis": "Analisis butir pengetahuan: kesukaran, daya beda, pengecoh terkuat, catatan",
               "item_change": "Perubahan benar/salah per butir (uji McNemar, p Holm)",
               "ancova": "Perbedaan antarkelompok: ANCOVA skor sesudah dikoreksi skor sebelum",
               "adjusted_means": "Rata-rata sesudah per kelompok, dikoreksi skor sebelum",
               "kruskal": "Uji Kruskal–Wallis kenaikan antarkelompok",
               "pairwise": "Perbandingan kenaikan antar pasangan kelompok (p Holm dan FDR)",
               "change_summary": "Proporsi peserta naik / tetap / turun secara nyata (indeks perubahan reliabel)",
               "attrition": "Skor pre-test peserta yang lengkap dibanding yang tidak mengisi post-test",
               "retention_means": "Rata-rata skor sebelum, sesudah dan saat tindak lanjut per skala dan kelompok",
               "retention": "Bertahankah kenaikan? Selisih sesudah − sebelum, tindak lanjut − sesudah, tindak lanjut "
                            "− sebelum: uji t berpasangan, IK, Wilcoxon, d_z, p Holm atas tiga perbandingan",
               "retention_ratio": "Rasio retensi (tindak lanjut − sebelum)/(sesudah − sebelum) dengan IK bootstrap",
               "friedman": "Uji Friedman atas peserta yang mengisi ketiga gelombang",
               "mixed_model": "Model campuran (intersep acak per peserta): selisih antargelombang memakai semua "
                              "peserta",
               "behaviour": "Tingkat 3: peserta yang melakukan setiap tindakan sedikitnya sekali (IK 95% Wilson)",
               "behaviour_frequencies": "Tingkat 3: sebaran jawaban frekuensi setiap tindakan",
               "change_agents": "Agen perubahan: peserta dengan sedikitnya satu tindakan advokasi atau perlindungan",
               "network": "Jejaring per gelombang dan kelompok: mitra per peserta, kerja sama lintas kelompok, "
                          "kepadatan",
               "network_change": "Perubahan jumlah mitra per peserta, sebelum → tindak lanjut (uji berpasangan)",
               "ledger_summary": "Jumlah baris per status; harus sama dengan baris yang dibaca",
               "ledger": "Status setiap baris masukan (tanpa kode peserta)",
               "data_quality": "Sel yang tidak sah dan dicatat kosong",
               "_note": "Angka ditampilkan dibulatkan; nilai lengkap tersimpan di sel. Kolom 'disembunyikan' = TRUE: "
                        "sel disembunyikan (kurang dari {k} peserta, atau aturan pelengkap)."},
        "en": {"README": "This sheet: what each sheet holds",
               "gains": "Score gains per scale × group (ALL = all groups): n, means, 95% CI, tests, effect sizes",
               "post_only": "Scales measured only after the training (e.g. satisfaction)",
               "item_correct": "Share correct per knowledge item × group, before and after",
               "likert": "Distribution of Likert answers (all groups), per wave",
               "flow": "Participant flow: rows read, excluded (with reasons), matched, analysed",
               "reliability": "Reliability per scale and wave (Cronbach's alpha with CI, omega)",
               "item_statistics": "Item statistics: mean, SD, item-total correlation, alpha if deleted",
               "item_analysis": "Knowledge item analysis: difficulty, discrimination, top distractor, flag",
               "item_change": "Right/wrong change per item (McNemar test, Holm p)",
               "ancova": "Group differences: ANCOVA of post score adjusted for pre score",
               "adjusted_means": "Post-test means per group adjusted for the pre-test score",
               "kruskal": "Kruskal–Wallis test of gains across groups",
               "pairwise": "Pairwise group comparisons of gains (Holm and FDR p)",
               "change_summary": "Share of participants reliably improved / unchanged / worse (reliable change index)",
               "attrition": "Pre-test scores of completers vs those who missed the post-test",
               "retention_means": "Mean scores before, after and at follow-up per scale and group",
               "retention": "Did the gain last? post − pre, followup − post, followup − pre: paired t, CI, "
                            "Wilcoxon, d_z, Holm p over the three contrasts",
               "retention_ratio": "Retention ratio (followup − pre)/(post − pre) with a bootstrap CI",
               "friedman": "Friedman test over participants with all three waves",
               "mixed_model": "Mixed model (random intercept per participant): wave differences using every "
                              "participant",
               "behaviour": "Level 3: participants who took each action at least once (95% Wilson CI)",
               "behaviour_frequencies": "Level 3: frequency answers of each action",
               "change_agents": "Agents of change: participants with at least one advocacy or protection action",
               "network": "Network per wave and group: partners per participant, ties across groups, density",
               "network_change": "Change in partners per participant, before → follow-up (paired test)",
               "ledger_summary": "Rows per state; must equal the rows read",
               "ledger": "State of every input row (no participant code)",
               "data_quality": "Invalid cells recorded as missing",
               "_note": "Numbers are shown rounded; cells keep full precision. Column 'suppressed' = TRUE: cells "
                        "hidden (fewer than {k} participants, or the complementary rule)."},
    },
}
def write_workbook(sheets: dict[str, pd.DataFrame], path: Path, *, readme: pd.DataFrame | None = None,
                   lang: str | None = None, group_names: dict[str, str] | None = None) -> None:
    """One sheet per table: bold frozen header, column widths that show the names, integers
    without decimals, p-values with three decimals ("< 0,001" below), other numbers 3 decimals.

    ``readme`` (two columns: sheet, content) becomes the first sheet. With ``lang`` the
    headers are in that language (``"id"``: Indonesian; ``"en"``: the column codes) and a
    column-dictionary sheet follows the tables; ``group_names`` (code → name) adds a name
    column beside every group code column.
    """
    from ._workbook import with_group_names, write_sheets

    if readme is not None:
        sheets = {"README": readme, **sheets}
    write_sheets({name: escape_formulas(with_group_names(frame, group_names or {}))
                  for name, frame in sheets.items()}, Path(path), lang=lang)


def write_report(analysis: Analysis, out: str | Path, *, min_group_size: int = 5,
                 lang: str | None = None, chart_formats: tuple[str, ...] = ("png",),
                 documents: bool = True, info: ReportInfo | str | Path | None = None,
                 progress: Callable[[str], None] | None = None, inputs: Iterable[str | Path] = ()) -> Path:
    """Write the report folder for an analysis and return its path.

    Tables (CSV and one XLSX workbook), charts, and — with ``documents`` — the Word
    draft ``laporan.docx`` and ``laporan.html``. Every output applies small-group
    suppression (:mod:`evalkit.privacy`) with ``k = min_group_size``.
    ``chart_formats`` adds vector copies (``"svg"``, ``"pdf"``) beside each PNG.
    ``info`` describes the training (a :class:`ReportInfo` or the path of a ``laporan.yaml``);
    what it leaves out prints as ``[isi: …]``. ``progress`` is called with the name of each
    stage (``"tables"``, ``"charts"``, ``"documents"``) as it starts.
    Refuses (with :class:`EvalkitError`) when the ledger does not reconcile.

    ``out`` may be a new folder, an empty one, or a report folder evalkit wrote before
    (it carries the marker file ``.evalkit-report`` listing the files written). In an
    earlier report folder only the files listed in the marker are replaced or removed;
    files you added yourself are kept. Any other folder is refused with
    :class:`~evalkit.OutputError` — one holding other files, the working folder or a
    folder above it, and a folder that is or contains an input: the questionnaire, the
    answer files of ``analysis``, or any path in ``inputs`` (a key file, approved pairs).
    The report is written into a temporary sibling folder first, so a run stopped
    half-way leaves the previous report intact.

    Examples
    --------
    >>> import evalkit, tempfile
    >>> from evalkit.report import write_report
    >>> q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    >>> a = evalkit.analyze(q, evalkit.bundled_sample("pre"), evalkit.bundled_sample("post"))
    >>> folder = write_report(a, tempfile.mkdtemp() + "/laporan")
    >>> (folder / "gains.csv").exists()
    True
    """
    from .._outputs import replace_folder

    lang = lang or get_language()
    if info is not None and not isinstance(info, ReportInfo):
        info = load_report_info(info, analysis.questionnaire)
    summary = analysis.ledger_summary
    if not summary["reconciles"].all():
        waves = ", ".join(summary.loc[~summary["reconciles"], "wave"])
        raise EvalkitError(tr(_M["not_reconciled"], lang, waves=waves))
    formats = tuple(dict.fromkeys(("png", *chart_formats)))
    return replace_folder(out, partial(_write_contents, analysis, min_group_size=min_group_size, lang=lang,
                                       chart_formats=formats, documents=documents, info=info or ReportInfo(),
                                       progress=progress or (lambda stage: None)),
                          inputs=[*_analysis_inputs(analysis), *inputs])


def _analysis_inputs(analysis: Analysis) -> list[str | Path]:
    """The files an analysis was read from (questionnaire and answer files), where known."""
    return [p for p in (analysis.questionnaire.path, analysis.pre.source, analysis.post.source) if p]


def _write_contents(analysis: Analysis, folder: Path, *, min_group_size: int, lang: str,
                    chart_formats: tuple[str, ...], documents: bool, info: ReportInfo,
                    progress: Callable[[str], None]) -> None:
    from ._tables import report_tables

    q = analysis.questionnaire
    progress("tables")
    tables = report_tables(analysis, k=min_group_size, lang=lang)
    for name in ("gains", "post_only", "ledger_summary", "ledger", "data_quality"):
        write_table(tables[name], folder / f"{name}.csv", for_excel=True)
    write_table(fuzzy_matches(analysis.ledger), folder / "fuzzy_matches.csv", for_excel=True)
    notes = _M["sheets"][lang]
    readme = pd.DataFrame({"sheet": ["README", *tables],
                           "content": [notes["README"], *(notes.get(n, "") for n in tables)]})
    readme.loc[len(readme)] = list(dictionary_note(lang))
    readme.loc[len(readme)] = ["", notes["_note"].format(k=min_group_size)]
    readme.loc[len(readme)] = ["", fingerprint_note(q, lang=lang)]
    names = {g.code: q.group_label(g.code, lang) for g in q.groups}
    write_workbook(tables, folder / "gains.xlsx", readme=readme, lang=lang,
                   group_names={**names, ALL_GROUPS: {"id": "Semua kelompok", "en": "All groups"}[lang]})
    (folder / "README.txt").write_text(
        tr(_M["readme"], lang, title=q.title[lang], k=min_group_size), encoding="utf-8")
    # The roll-up's result package (issue 17): sums per group x scale, no personal data.
    write_package(analysis, folder / "paket_hasil.json")
    progress("charts")
    charts = _draw_charts(analysis, tables, folder, k=min_group_size, lang=lang, formats=chart_formats, info=info)
    if documents:
        from ._document import build
        from ._render import write_docx, write_html

        progress("documents")
        blocks = build(analysis, tables, charts, k=min_group_size, lang=lang, info=info)
        write_docx(blocks, folder / "laporan.docx", lang=lang)
        write_html(blocks, folder / "laporan.html", lang=lang)


def _draw_charts(analysis: Analysis, tables: dict, folder: Path, *, k: int, lang: str,
                 formats: tuple[str, ...], info: ReportInfo) -> dict[str, Path]:
    """Draw every chart once; return chart key → PNG path (for the documents).

    ``charts/`` holds the two charts of each pre/post scale; ``charts_extra/`` the rest.
    Charts are independent, so they are rendered on every core (see :func:`_render_all`).
    """
    (folder / "charts").mkdir()
    (folder / "charts_extra").mkdir()
    jobs = chart_jobs(analysis, tables, folder, k=k, lang=lang, info=info)
    paths = _render_all(jobs, formats)
    return {key: path for (key, _, _), path in zip(jobs, paths)}


def chart_jobs(analysis: Analysis, tables: dict, folder: Path, *, k: int, lang: str,
               info: ReportInfo) -> list[tuple[str, Path, Callable]]:
    """Every chart of the report as ``(key, folder, draw)``; ``draw()`` returns its Axes or Figure."""
    from .. import charts

    q = analysis.questionnaire
    per_scale, extra = folder / "charts", folder / "charts_extra"
    scales = list(dict.fromkeys(analysis.gains["scale"]))
    jobs: list[tuple[str, Path, object]] = []
    for scale in scales:
        for kind, draw in (("prepost", charts.prepost), ("gain", charts.gain_forest)):
            jobs.append((f"{kind}_{scale}", per_scale, partial(draw, tables["gains"], q, scale=scale,
                                                              min_group_size=k, lang=lang)))
    headline = _headline_table(tables["gains"], q, info, lang)
    if len(headline):
        jobs.append(("headline", extra, partial(charts.criteria_effects, headline, q, lang=lang)))
    if len(scales) > 1:
        jobs.append(("overview", extra, partial(charts.small_multiples, tables["gains"], q, min_group_size=k,
                                                lang=lang)))
    jobs.append(("flow", extra, partial(charts.participant_flow, tables["flow"], q, lang=lang)))
    distribution = tables["likert"]  # all groups together, as in the workbook
    for scale in dict.fromkeys(distribution["scale"]):
        jobs.append((f"likert_{scale}", extra, partial(charts.likert_bars, distribution, q, scale=scale,
                                                       min_group_size=k, lang=lang)))
    for scale in dict.fromkeys(tables["item_correct"]["scale"]):
        jobs.append((f"items_{scale}", extra, partial(charts.item_heatmap, tables["item_correct"], q, scale=scale,
                                                      min_group_size=k, lang=lang)))
    if scales:
        jobs.append(("paired", extra, partial(_grid, q, scales, partial(_paired_panel, analysis.matched, q, k, lang),
                                              _GRID_TITLES["paired"][lang], lang=lang)))
    change = getattr(analysis, "change", None)
    if isinstance(change, pd.DataFrame) and len(change):
        rc_scales = [s for s in scales if s in set(change["scale"])]
        jobs.append(("reliable_change", extra, partial(_grid, q, rc_scales, partial(_rc_panel, change, q, k, lang),
                                                       _GRID_TITLES["rc"][lang], lang=lang, height=3.8)))
    if "retention_means" in tables:
        fu_scales = list(dict.fromkeys(tables["retention_means"]["scale"]))
        jobs.append(("retention", extra, partial(_grid, q, fu_scales,
                                                 partial(_retention_panel, tables["retention_means"], q, k, lang),
                                                 _GRID_TITLES["retention"][lang], lang=lang)))
    if analysis.network is not None:
        jobs.append(("network", extra, partial(_network_figure, analysis.network, q, k, lang)))
    return jobs


def _headline_table(gains: pd.DataFrame, q, info: ReportInfo, lang: str) -> pd.DataFrame:
    """The success criteria with their verdict words, for the executive summary's chart."""
    from ._framing import verdict_word
    from ._verdict import criteria_table, default_criteria

    table = criteria_table(gains, info.criteria or default_criteria(q))
    return table.assign(verdict_text=[verdict_word(v, lang) for v in table["verdict"]])


def _paired_panel(matched, q, k, lang, scale, ax):
    from .. import charts

    return charts.paired_lines(matched, q, scale=scale, ax=ax, min_group_size=k, lang=lang)


def _retention_panel(means, q, k, lang, scale, ax):
    from .. import charts

    return charts.retention_lines(means, q, scale=scale, ax=ax, min_group_size=k, lang=lang)


def _network_figure(network, q, k, lang):
    from .. import charts

    return charts.network_chart(network, q, min_group_size=k, lang=lang)[0].figure


def _rc_panel(change, q, k, lang, scale, ax):
    from .. import charts

    return charts.reliable_change(change, q, scale=scale, ax=ax, min_group_size=k, lang=lang)


_JOBS: list = []


def _render(index: int, formats: tuple[str, ...]) -> Path:
    """Draw and save job ``index`` of :data:`_JOBS` under evalkit's chart style."""
    import matplotlib.pyplot as plt

    from .. import charts

    key, where, draw = _JOBS[index]
    with plt.rc_context(charts.style()):
        return charts.save(draw(), where / key, formats=formats)[0]


def _render_all(jobs: list, formats: tuple[str, ...]) -> list[Path]:
    """Render charts in forked worker processes (one per core), or in this process.

    Forked workers inherit the jobs (tables, questionnaire) from memory, so nothing
    large is pickled; only indices go out and file paths come back.
    """
    import multiprocessing as mp
    import os
    import threading

    _JOBS[:] = jobs
    try:
        workers = min(len(jobs), os.cpu_count() or 1)
        # Forking a process that runs other threads (a Jupyter kernel) can deadlock: stay serial there.
        if workers > 1 and "fork" in mp.get_all_start_methods() and threading.active_count() == 1:
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
                return list(pool.map(_render, range(len(jobs)), [formats] * len(jobs)))
        return [_render(i, formats) for i in range(len(jobs))]
    finally:
        _JOBS.clear()


_GRID_TITLES = {
    "paired": {"id": "Skor setiap peserta sebelum dan sesudah pelatihan, semua kelompok (garis biru: naik, "
                     "oranye: turun, garis hitam: rata-rata)",
               "en": "Each participant's score before and after the training, all groups (blue: up, orange: down, "
                     "black: mean)"},
    "retention": {"id": "Skor rata-rata sebelum, sesudah dan saat tindak lanjut, semua kelompok (IK 95%; n di bawah "
                        "setiap gelombang: peserta yang mengisinya)",
                  "en": "Mean score before, after and at follow-up, all groups (95% CI; n under each wave: the "
                        "participants who answered it)"},
    "rc": {"id": "Perubahan setiap peserta dibanding galat pengukuran (pita abu-abu: |RCI| ≤ 1,96), semua kelompok",
           "en": "Each participant's change against measurement error (grey band: |RCI| ≤ 1.96), all groups"},
}


def _grid(q, scales: list[str], draw, title: str, *, lang: str, height: float = 3.0):
    """Small multiples of a one-scale chart: a full-A4-width figure, three panels a row,
    each panel titled with its scale label only."""
    import textwrap

    import matplotlib.pyplot as plt

    from ..charts import A4_FULL_WIDTH, A4_MAX_HEIGHT

    n_cols = min(3, len(scales))
    n_rows = -(-len(scales) // n_cols)
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(A4_FULL_WIDTH, min(A4_MAX_HEIGHT, height * n_rows)),
                             squeeze=False, layout="constrained")
    for ax, scale in zip(axes.flat, scales):
        draw(scale, ax)
        ax.set_title(textwrap.fill(q.scale(scale).label(lang), 30), fontsize=7.5, loc="left")
        ax.tick_params(labelsize=7)
    for ax in axes.flat[len(scales):]:
        ax.set_axis_off()
    fig.suptitle(textwrap.fill(title, 100), fontsize=8.5, x=0.01, ha="left")
    return fig
