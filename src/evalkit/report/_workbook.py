"""The report workbook: one sheet per table, headers in the reader's language, a column
dictionary, group names beside their codes, and number formats set once per column.

Formats are column formats (xlsxwriter applies a column's format to every cell written
without one), so writing costs one pass over the values, not one style call per cell.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .._i18n import tr

#: Column code → Indonesian header and its meaning in both languages. One meaning per name
#: across every sheet (a test checks that each column written has an entry).
COLUMNS: dict[str, tuple[str, str, str]] = {
    "sheet": ("lembar", "Nama lembar", "Sheet name"),
    "content": ("isi", "Isi lembar", "What the sheet holds"),
    "scale": ("skala", "Kode skala kuesioner", "Questionnaire scale code"),
    "level": ("tingkat", "Tingkat evaluasi (reaction = reaksi, learning = pembelajaran, behaviour = perilaku)",
              "Evaluation level (reaction, learning, behaviour)"),
    "group": ("kode_kelompok", "Kode kelompok (ALL = semua kelompok)", "Group code (ALL = all groups)"),
    "group_name": ("nama_kelompok", "Nama kelompok seperti di laporan", "Group name as in the report"),
    "group1": ("kode_kelompok_1", "Kode kelompok pertama dari pasangan", "Code of the first group of the pair"),
    "group1_name": ("nama_kelompok_1", "Nama kelompok pertama dari pasangan", "Name of the first group of the pair"),
    "group2": ("kode_kelompok_2", "Kode kelompok kedua dari pasangan", "Code of the second group of the pair"),
    "group2_name": ("nama_kelompok_2", "Nama kelompok kedua dari pasangan", "Name of the second group of the pair"),
    "n": ("n", "Jumlah peserta (lembar flow: baris atau peserta) yang digambarkan baris ini",
          "Number of participants (flow sheet: rows or participants) the row describes"),
    "mean_pre": ("rata_sebelum", "Skor rata-rata sebelum pelatihan", "Mean score before the training"),
    "sd_pre": ("sb_sebelum", "Simpangan baku skor sebelum", "SD of the score before"),
    "mean_post": ("rata_sesudah", "Skor rata-rata sesudah pelatihan", "Mean score after the training"),
    "mean_followup": ("rata_tindak_lanjut", "Skor rata-rata saat tindak lanjut", "Mean score at follow-up"),
    "contrast": ("perbandingan", "Gelombang yang dibandingkan (post - pre = sesudah − sebelum; followup = tindak "
                                 "lanjut)",
                 "Waves compared (post - pre = after − before; followup = follow-up)"),
    "gain_post": ("kenaikan_sesudah", "Kenaikan rata-rata sesudah − sebelum (peserta dengan ketiga gelombang)",
                  "Mean gain after − before (participants with all three waves)"),
    "gain_followup": ("kenaikan_tindak_lanjut", "Kenaikan rata-rata tindak lanjut − sebelum",
                      "Mean gain follow-up − before"),
    "retention": ("rasio_retensi", "Rasio retensi = kenaikan tindak lanjut / kenaikan sesudah (1 = bertahan penuh)",
                  "Retention ratio = follow-up gain / immediate gain (1 = fully kept)"),
    "n_resamples": ("n_sampel_ulang", "Jumlah sampel ulang bootstrap", "Bootstrap resamples"),
    "chi2": ("chi2", "Statistik khi-kuadrat Friedman", "Friedman chi-square"),
    "kendall_w": ("w_kendall", "W Kendall (ukuran efek Friedman, 0–1)", "Kendall's W (Friedman effect size, 0–1)"),
    "estimate": ("estimasi", "Selisih antargelombang menurut model campuran", "Wave difference from the mixed model"),
    "se": ("galat_baku", "Galat baku", "Standard error"),
    "z": ("z", "Statistik uji z (Wald)", "Wald z statistic"),
    "n_participants": ("n_peserta", "Peserta dalam model", "Participants in the model"),
    "n_obs": ("n_pengamatan", "Skor (peserta × gelombang) dalam model", "Scores (participant × wave) in the model"),
    "var_participant": ("varians_peserta", "Varians intersep acak peserta", "Variance of the participant intercept"),
    "var_residual": ("varians_sisa", "Varians sisa", "Residual variance"),
    "action": ("jenis_tindakan", "Butir agen perubahan: advocacy = advokasi, protection = perlindungan",
               "Change-agent item: advocacy or protection"),
    "reverse": ("terbalik", "TRUE: butir berkebalikan (melakukannya bukan tindakan yang diharapkan)",
                "TRUE: reverse-keyed item (doing it is not the hoped-for action)"),
    "n_acted": ("n_melakukan", "Peserta yang melakukannya sedikitnya sekali", "Participants who did it at least once"),
    "n_agents": ("n_agen", "Peserta dengan sedikitnya satu tindakan advokasi atau perlindungan",
                 "Participants with at least one advocacy or protection action"),
    "n_items": ("n_butir", "Jumlah butir tindakan yang dihitung", "Action items counted"),
    "n_ties": ("n_ikatan", "Ikatan kerja sama yang disebut", "Ties named"),
    "ties_per_participant": ("ikatan_per_peserta", "Rata-rata ikatan per peserta", "Mean ties per participant"),
    "n_ties_groups": ("n_ikatan_kelompok", "Ikatan ke kelompok pelatihan", "Ties to training groups"),
    "n_ties_across": ("n_ikatan_lintas", "Ikatan ke kelompok lain", "Ties to other groups"),
    "share_across": ("proporsi_lintas", "Proporsi ikatan ke kelompok lain", "Share of ties to other groups"),
    "n_institutions": ("n_lembaga", "Lembaga berbeda yang disebut", "Distinct institutions named"),
    "degree": ("derajat", "Kelompok lain yang terhubung", "Other groups linked"),
    "degree_centrality": ("sentralitas_derajat", "Derajat / (jumlah kelompok − 1)", "Degree / (groups − 1)"),
    "density": ("kepadatan", "Kepadatan jejaring antarkelompok (baris ALL)", "Group-network density (ALL row)"),
    "sd_post": ("sb_sesudah", "Simpangan baku skor sesudah", "SD of the score after"),
    "mean_diff": ("kenaikan", "Kenaikan rata-rata = sesudah − sebelum (negatif: turun)",
                  "Mean gain = after − before (negative: a drop)"),
    "ci_low": ("ik_bawah", "Batas bawah interval kepercayaan dari estimasi utama lembar (tanpa koreksi Holm)",
               "Lower confidence limit of the sheet's main estimate (not Holm-adjusted)"),
    "ci_high": ("ik_atas", "Batas atas interval kepercayaan dari estimasi utama lembar (tanpa koreksi Holm)",
                "Upper confidence limit of the sheet's main estimate (not Holm-adjusted)"),
    "ci_level": ("tingkat_ik", "Tingkat kepercayaan interval (0,95 = 95%)", "Confidence level (0.95 = 95%)"),
    "t": ("t", "Statistik uji t", "t statistic"),
    "df": ("db", "Derajat bebas", "Degrees of freedom"),
    "df1": ("db1", "Derajat bebas pembilang (F)", "Numerator degrees of freedom (F)"),
    "df2": ("db2", "Derajat bebas penyebut (F)", "Denominator degrees of freedom (F)"),
    "p": ("p", "Nilai p uji lembar ini, tanpa koreksi (gains: uji t berpasangan)",
          "Unadjusted p-value of the sheet's test (gains: paired t-test)"),
    "p_holm": ("p_holm", "Nilai p dikoreksi Holm (gains: antarkelompok dalam satu skala); dasar kata 'bermakna'",
               "Holm-adjusted p-value (gains: across the groups of a scale); the basis of 'significant'"),
    "p_fdr_bh": ("p_fdr", "Nilai p dikoreksi FDR (Benjamini–Hochberg)", "FDR-adjusted p-value (Benjamini–Hochberg)"),
    "w": ("w", "Statistik uji peringkat bertanda Wilcoxon", "Wilcoxon signed-rank statistic"),
    "p_wilcoxon": ("p_wilcoxon", "Nilai p uji Wilcoxon", "Wilcoxon test p-value"),
    "wilcoxon_method": ("metode_wilcoxon", "Cara menghitung p Wilcoxon (exact/approx)",
                        "How the Wilcoxon p was computed (exact/approx)"),
    "d_z": ("d_z", "Ukuran efek d_z = kenaikan / simpangan baku kenaikan", "Effect size d_z = gain / SD of gains"),
    "g_av": ("g_av", "Ukuran efek g_av (Hedges, rata-rata simpangan baku sebelum dan sesudah)",
             "Effect size g_av (Hedges, average of the before and after SDs)"),
    "d_z_ci_low": ("d_z_ik_bawah", "Batas bawah IK 95% d_z", "Lower 95% CI limit of d_z"),
    "d_z_ci_high": ("d_z_ik_atas", "Batas atas IK 95% d_z", "Upper 95% CI limit of d_z"),
    "g_av_ci_low": ("g_av_ik_bawah", "Batas bawah IK 95% g_av", "Lower 95% CI limit of g_av"),
    "g_av_ci_high": ("g_av_ik_atas", "Batas atas IK 95% g_av", "Upper 95% CI limit of g_av"),
    "g_class": ("gain_hake_kelas", "Gain ternormalisasi Hake dari rata-rata kelompok (pengetahuan)",
                "Hake's normalized gain of the group means (knowledge)"),
    "g_individual": ("gain_hake_individu", "Rata-rata gain ternormalisasi Hake per peserta (pengetahuan)",
                     "Mean of participants' Hake normalized gains (knowledge)"),
    "n_excluded": ("n_dikecualikan", "Peserta yang sudah 100% sebelum pelatihan (tidak dihitung dalam "
                                     "gain_hake_individu)",
                   "Participants already at 100% before (left out of g_individual)"),
    "share_any_rise": ("proporsi_naik", "Proporsi peserta yang skornya naik, sekecil apa pun (bukan naik nyata)",
                       "Share of participants whose score rose at all (not a reliable rise)"),
    "suppressed": ("disembunyikan", "TRUE: angka baris ini disembunyikan (perlindungan kelompok kecil)",
                   "TRUE: the row's figures are hidden (small-group protection)"),
    "mean": ("rata_rata", "Rata-rata skor atau jawaban", "Mean score or answer"),
    "sd": ("sb", "Simpangan baku", "Standard deviation"),
    "item": ("butir", "Kode butir kuesioner", "Questionnaire item code"),
    "share_pre": ("benar_penuh_sebelum", "Proporsi menjawab butir sepenuhnya benar sebelum pelatihan",
                  "Share answering the item fully correctly before"),
    "share_post": ("benar_penuh_sesudah", "Proporsi menjawab butir sepenuhnya benar sesudah pelatihan",
                   "Share answering the item fully correctly after"),
    "change": ("perubahan", "Perubahan proporsi benar penuh = sesudah − sebelum",
               "Change in the fully-correct share = after − before"),
    "credit_pre": ("kredit_parsial_sebelum", "Rata-rata skor butir (kredit parsial, seperti skor skala) sebelum",
                   "Mean item score (partial credit, as in the scale score) before"),
    "credit_post": ("kredit_parsial_sesudah", "Rata-rata skor butir (kredit parsial, seperti skor skala) sesudah",
                    "Mean item score (partial credit, as in the scale score) after"),
    "wave": ("gelombang", "Gelombang tes (pre = sebelum, post = sesudah, both = keduanya)",
             "Test wave (pre, post, both)"),
    "point": ("pilihan", "Pilihan jawaban skala Likert (1 = sangat tidak setuju)", "Likert answer point (1 = lowest)"),
    "count": ("jumlah", "Jumlah peserta yang memilih pilihan ini", "Number choosing this point"),
    "share": ("proporsi", "Proporsi = jumlah / n", "Share = count / n"),
    "stage": ("tahap", "Tahap alur peserta (read = dibaca, matched = berpasangan, analysed = dianalisis, lainnya "
                       "= alasan dikeluarkan)",
              "Participant-flow stage (read, matched, analysed, others = exclusion reasons)"),
    "k": ("jumlah_butir", "Jumlah butir skala", "Number of items in the scale"),
    "alpha": ("alfa", "Alfa Cronbach", "Cronbach's alpha"),
    "std_alpha": ("alfa_baku", "Alfa Cronbach terstandar", "Standardized Cronbach's alpha"),
    "omega": ("omega", "Omega McDonald", "McDonald's omega"),
    "n_dropped": ("n_dikeluarkan", "Baris tanpa skor lengkap yang tidak dihitung", "Rows without a complete score"),
    "r_drop": ("r_butir_total", "Korelasi butir dengan total skala tanpa butir itu", "Item–rest correlation"),
    "alpha_if_deleted": ("alfa_bila_dihapus", "Alfa Cronbach bila butir dihapus", "Cronbach's alpha if item deleted"),
    "difficulty": ("tingkat_kesukaran", "Proporsi menjawab sepenuhnya benar (tingkat kesukaran)",
                   "Share answering fully correctly (difficulty)"),
    "r_pbis": ("r_pbis", "Korelasi butir dengan skor total (point-biserial terkoreksi)",
               "Corrected point-biserial item–total correlation"),
    "d_upper_lower": ("daya_beda", "Indeks daya beda kelompok atas–bawah 27% (Kelley)",
                      "Upper–lower 27% discrimination index (Kelley)"),
    "top_distractor": ("pengecoh_terkuat", "Pilihan salah yang paling sering dipilih", "Wrong option chosen most"),
    "top_distractor_share": ("proporsi_pengecoh", "Proporsi jawaban pada pengecoh terkuat",
                             "Share of answers on the top distractor"),
    "flag": ("catatan", "Catatan butir, dari benar penuh: terlalu mudah, terlalu sulit, daya beda negatif, "
                        "pengecoh lebih sering dipilih daripada kunci",
             "Item flags, from fully correct: too easy, too hard, negative discrimination, distractor beats key"),
    "n_pairs": ("n_pasangan", "Peserta berpasangan yang menjawab butir di kedua tes", "Matched participants"),
    "share_correct_pre": ("benar_penuh_sebelum", "Proporsi menjawab butir sepenuhnya benar sebelum pelatihan",
                          "Share answering the item fully correctly before"),
    "share_correct_post": ("benar_penuh_sesudah", "Proporsi menjawab butir sepenuhnya benar sesudah pelatihan",
                           "Share answering the item fully correctly after"),
    "b": ("benar_jadi_salah", "Peserta yang benar sebelum dan salah sesudah (McNemar b)",
          "Right before, wrong after (McNemar b)"),
    "c": ("salah_jadi_benar", "Peserta yang salah sebelum dan benar sesudah (McNemar c)",
          "Wrong before, right after (McNemar c)"),
    "p_mcnemar": ("p_mcnemar", "Nilai p uji McNemar (benar penuh), tanpa koreksi", "McNemar p (fully correct)"),
    "F": ("F", "Statistik F", "F statistic"),
    "partial_eta2": ("eta2_parsial", "Eta kuadrat parsial", "Partial eta squared"),
    "p_slope_homogeneity": ("p_kemiringan_sama", "Nilai p uji kesamaan kemiringan (asumsi ANCOVA)",
                            "p of the homogeneity-of-slopes test (ANCOVA assumption)"),
    "adjusted_mean": ("rata_terkoreksi", "Rata-rata sesudah dikoreksi skor sebelum", "Post mean adjusted for pre"),
    "H": ("H", "Statistik H Kruskal–Wallis", "Kruskal–Wallis H"),
    "statistic": ("statistik", "Statistik uji t Welch kenaikan dua kelompok", "Welch t of the two groups' gains"),
    "share_reliable_rise": ("proporsi_naik_nyata", "Proporsi peserta yang naik melebihi galat pengukuran "
                                                   "(RCI > 1,96)",
                            "Share reliably improved (RCI > 1.96)"),
    "share_no_reliable_change": ("proporsi_tidak_berubah_nyata", "Proporsi peserta dengan |RCI| ≤ 1,96",
                                 "Share without reliable change (|RCI| ≤ 1.96)"),
    "share_reliable_fall": ("proporsi_turun_nyata", "Proporsi peserta yang turun melebihi galat pengukuran "
                                                    "(RCI < −1,96)",
                            "Share reliably worse (RCI < −1.96)"),
    "n_completers": ("n_lengkap", "Peserta yang mengisi pre-test dan post-test", "Participants with both tests"),
    "n_dropouts": ("n_tidak_lengkap", "Peserta pre-test tanpa post-test", "Pre-test participants without post-test"),
    "mean_completers": ("rata_lengkap", "Skor pre-test rata-rata peserta lengkap", "Pre-test mean of completers"),
    "mean_dropouts": ("rata_tidak_lengkap", "Skor pre-test rata-rata peserta tanpa post-test",
                      "Pre-test mean of dropouts"),
    "diff": ("selisih", "rata_lengkap − rata_tidak_lengkap", "mean_completers − mean_dropouts"),
    "rows_read": ("baris_dibaca", "Baris yang dibaca dari berkas", "Rows read from the file"),
    "used": ("dipakai", "Baris yang dipakai", "Rows used"),
    "duplicate": ("ganda", "Kiriman ganda (yang terakhir dipakai)", "Repeated submissions (last one used)"),
    "unmatched": ("tanpa_pasangan", "Baris tanpa pasangan di tes lain", "Rows without a match in the other test"),
    "invalid": ("tidak_sah", "Baris dengan kode atau kelompok tidak sah", "Rows with an invalid code or group"),
    "rejected": ("ditolak", "Kiriman yang ditolak pemeriksa di Kobo/ODK", "Submissions rejected in Kobo/ODK"),
    "empty": ("kosong", "Baris kosong", "Empty rows"),
    "reconciles": ("seimbang", "TRUE: jumlah per status sama dengan baris dibaca", "TRUE: states add up to rows read"),
    "row": ("baris", "Nomor baris di berkas masukan", "Row number in the input file"),
    "participant": ("peserta", "Nama samaran peserta (bukan kode asli)", "Participant pseudonym (not the real code)"),
    "state": ("status", "Status baris", "Row state"),
    "match": ("cara_cocok", "Cara baris dipasangkan (exact/fuzzy)", "How the row was matched (exact/fuzzy)"),
    "distance": ("jarak_kode", "Beda huruf kode pada pasangan fuzzy", "Characters differing in a fuzzy match"),
    "pair_row": ("baris_pasangan", "Nomor baris pasangannya di tes lain", "Row of its match in the other test"),
    "submission": ("kiriman", "Urutan kiriman peserta", "Submission order"),
    "form_version": ("versi_formulir", "Versi formulir", "Form version"),
    "reason": ("alasan", "Alasan status", "Reason for the state"),
    "file": ("berkas", "Berkas masukan", "Input file"),
    "column": ("kolom", "Kolom masukan", "Input column"),
    "value": ("nilai", "Nilai yang ditemukan", "Value found"),
    "problem": ("masalah", "Masalah", "Problem"),
    "allowed": ("yang_boleh", "Nilai yang diperbolehkan", "Allowed values"),
}

_T = {
    "dictionary": {"id": "kamus_kolom", "en": "columns"},
    "dictionary_head": {"id": ["lembar", "kolom", "kode", "arti"], "en": ["sheet", "column", "code", "meaning"]},
    "dictionary_note": {"id": "Kamus kolom: arti setiap kolom di setiap lembar",
                        "en": "Column dictionary: what every column of every sheet means"},
}
_P_COLUMN = ("p", "p_holm", "p_fdr_bh", "p_wilcoxon", "p_mcnemar", "p_slope_homogeneity")
#: Width (characters) a column may take at most, and the rows sampled to size it.
MAX_WIDTH, SAMPLE_ROWS = 60, 200


def with_group_names(frame: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """A copy with ``group_name`` (and ``group1_name``, ``group2_name``) right after each code column."""
    out = frame
    for code in ("group", "group1", "group2"):
        if code in out.columns and names:
            out = out.copy() if out is frame else out
            out.insert(out.columns.get_loc(code) + 1, f"{code}_name", out[code].map(names).astype(object))
    return out


def _number_format(column: pd.Series, name: str, lang: str) -> str | None:
    if column.dtype.kind in "iu":
        return "#,##0"
    if column.dtype.kind != "f":
        return None
    if name in _P_COLUMN:  # APA: three decimals, "< 0,001" below (the literal follows the language)
        return '[<0.001]"< 0,001";0.000' if lang == "id" else '[<0.001]"< 0.001";0.000'
    values = column.dropna().to_numpy()
    if len(values) and np.all(values == np.round(values)):
        return "#,##0"  # counts stored as floats (a suppressed count is blank)
    return "0.000"


def _cell_values(column: pd.Series) -> list:
    """Values xlsxwriter can write: None for missing, plain Python numbers and text."""
    if column.dtype.kind in "fiub":
        values = column.astype(object).where(column.notna(), None)
        return [None if v is None else (bool(v) if column.dtype.kind == "b" else v) for v in values.tolist()]
    return [None if (v is None or (not isinstance(v, str) and pd.isna(v))) else
            (v if isinstance(v, (str, bool, int, float)) else str(v)) for v in column.tolist()]


def _width(header: str, values: list) -> float:
    sample = [len(str(v)) for v in values[:SAMPLE_ROWS] if v is not None]
    return min(MAX_WIDTH, max([len(header) + 2, 8, *[s + 2 for s in sample]]))


def write_sheets(sheets: dict[str, pd.DataFrame], path: Path, *, lang: str | None = None) -> None:
    """Write every table as a sheet (bold frozen header, column widths, one number format per column).

    With ``lang`` the headers are translated by :data:`COLUMNS` (``"id"``: Indonesian
    headers; ``"en"``: the column codes) and a column-dictionary sheet is added; without,
    the headers are the column codes.
    """
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                           "strings_to_numbers": False, "nan_inf_to_errors": True})
    bold = book.add_format({"bold": True})
    formats: dict[str, object] = {}
    dictionary = []
    for name, frame in sheets.items():
        sheet = book.add_worksheet(name[:31])
        sheet.freeze_panes(1, 0)
        for j, column in enumerate(frame.columns):
            header = COLUMNS[column][0] if lang == "id" and column in COLUMNS else str(column)
            if lang and column in COLUMNS and name != "README":
                dictionary.append([name, header, column, COLUMNS[column][1 if lang == "id" else 2]])
            values = _cell_values(frame[column])
            code = _number_format(frame[column], column, lang or "en")
            if code is not None and code not in formats:
                formats[code] = book.add_format({"num_format": code})
            width = 90 if name == "README" and j == 1 else _width(header, values)
            sheet.set_column(j, j, width, formats.get(code) if code else None)
            sheet.write_string(0, j, header, bold)
            sheet.write_column(1, j, values)
    if lang:
        sheet = book.add_worksheet(tr(_T["dictionary"], lang))
        sheet.freeze_panes(1, 0)
        for j, (head, width) in enumerate(zip(_T["dictionary_head"][lang], (16, 28, 24, 90))):
            sheet.set_column(j, j, width)
            sheet.write_string(0, j, head, bold)
        for i, row in enumerate(dictionary, start=1):
            sheet.write_row(i, 0, row)
    book.close()


def dictionary_note(lang: str) -> tuple[str, str]:
    """The README sheet's line for the column-dictionary sheet."""
    return tr(_T["dictionary"], lang), tr(_T["dictionary_note"], lang)
