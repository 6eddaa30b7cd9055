"""The ``evalkit`` command line: a thin layer over the library.

Exit codes: 0 success, 1 a problem in the user's files (questionnaire or data),
2 a usage error. Messages go to stderr, never as a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import warnings
from functools import partial
from pathlib import Path

from ._errors import EvalkitError
from ._i18n import get_language, language, set_language, tr

_M = {
    "description": {"code": "EK-CLI-001", "id": "evalkit: evaluasi pre-test/post-test pelatihan HAM per kelompok.",
                    "en": "evalkit: per-group pre-test/post-test evaluation of HAM trainings."},
    "lang": {"code": "EK-CLI-002", "id": "bahasa keluaran: id (Indonesia, bawaan) atau en", "en": "output language: id (default) or en"},
    "check": {"code": "EK-CLI-003", "id": "periksa berkas kuesioner YAML dan tampilkan ringkasannya",
              "en": "validate a questionnaire YAML file and print a summary"},
    "report": {"code": "EK-CLI-004", "id": "analisis berkas pre-test dan post-test dan tulis folder laporan",
               "en": "analyse pre-test and post-test files and write a report folder"},
    "demo": {"code": "EK-CLI-005", "id": "tulis laporan dari data contoh bawaan", "en": "write the report for the bundled sample data"},
    "simulate": {"code": "EK-CLI-006", "id": "buat berkas jawaban simulasi (pre.csv, post.csv, followup.csv)",
                 "en": "write simulated answer files (pre.csv, post.csv, followup.csv)"},
    "lenient": {"code": "EK-CLI-007", "id": "catat sel yang tidak sah sebagai kosong (bukan berhenti)",
                "en": "record invalid cells as missing instead of stopping"},
    "mapping": {"code": "EK-CLI-008", "id": "berkas pemetaan (YAML) dari nama kolom dan jawaban ekspor ke id butir dan kode "
                       "(lihat docs/questionnaire-format.md)",
                "en": "mapping file (YAML) from an export's column names and answers to item ids and codes "
                      "(see docs/questionnaire-format.md)"},
    "include_rejected": {"code": "EK-CLI-009", "id": "analisis juga kiriman yang ditolak pemeriksa di Kobo/ODK (bawaan: dikeluarkan)",
                         "en": "also analyse submissions a reviewer rejected in Kobo/ODK (default: left out)"},
    "min_group": {"code": "EK-CLI-010", "id": "kelompok dengan peserta berpasangan kurang dari ini tidak ditampilkan tersendiri (bawaan 5)",
                  "en": "groups with fewer matched participants are not shown alone (default 5)"},
    "ok_check": {"code": "EK-CLI-011", "id": "OK: {file}", "en": "OK: {file}"},
    "ok_report": {"code": "EK-CLI-012", "id": "Laporan ditulis ke {out}\n{ledger}", "en": "Report written to {out}\n{ledger}"},
    "ledger_line": {"code": "EK-CLI-013", "id": "  {wave}: {rows_read} baris dibaca = {used} dipakai + {duplicate} ganda + {unmatched} tanpa pasangan + {invalid} tidak sah + {rejected} ditolak + {empty} kosong",
                    "en": "  {wave}: {rows_read} rows read = {used} used + {duplicate} duplicate + {unmatched} unmatched + {invalid} invalid + {rejected} rejected + {empty} empty"},
    "ok_simulate": {"code": "EK-CLI-014", "id": "Berkas simulasi ditulis: {files}", "en": "Simulated files written: {files}"},
    "error": {"code": "EK-CLI-015", "id": "Galat: {message}", "en": "Error: {message}"},
    # Forms: XLSForm export/import, entry template and printable test (evalkit.forms).
    "xlsform": {"code": "EK-CLI-016", "id": "tulis kuesioner sebagai XLSForm untuk KoboToolbox/ODK",
                "en": "write the questionnaire as an XLSForm for KoboToolbox/ODK"},
    "import_xlsform": {"code": "EK-CLI-017", "id": "ubah XLSForm yang ada menjadi kerangka kuesioner YAML",
                       "en": "turn an existing XLSForm into a questionnaire YAML skeleton"},
    "template": {"code": "EK-CLI-018", "id": "tulis lembar Excel untuk mengetik jawaban tes kertas",
                 "en": "write an Excel sheet for typing in paper-test answers"},
    "print": {"code": "EK-CLI-019", "id": "tulis tes kertas (DOCX) untuk dicetak", "en": "write the paper test (DOCX) for printing"},
    "wave_help": {"code": "EK-CLI-020", "id": "gelombang: pre, post atau followup", "en": "wave: pre, post or followup"},
    "form_wave_help": {"code": "EK-CLI-021", "id": "hanya gelombang ini (bawaan: satu formulir untuk semua gelombang)",
                       "en": "this wave only (default: one form for every wave)"},
    "answer_key": {"code": "EK-CLI-022", "id": "versi fasilitator dengan kunci jawaban", "en": "facilitator's version with the answer key"},
    "personal_help": {"code": "EK-CLI-023", "id": "sertakan kolom pribadi (nama, no_hp)", "en": "include the personal columns (nama, no_hp)"},
    "ok_written": {"code": "EK-CLI-024", "id": "Ditulis: {file}", "en": "Written: {file}"},
    "force": {"code": "EK-CLI-025", "id": "ganti berkas keluaran yang sudah ada (berkas masukan tidak pernah ditimpa)",
              "en": "replace an existing output file (an input file is never overwritten)"},
    "ok_import": {"code": "EK-CLI-026", "id": "Ditulis: {file}\nPeriksa dan lengkapi nilai TODO, lalu jalankan: evalkit check {file}",
                  "en": "Written: {file}\nReview it, fill in the TODO values, then run: evalkit check {file}"},
    "warning": {"code": "EK-CLI-027", "id": "Peringatan: {message}", "en": "Warning: {message}"},
    "no_fuzzy": {"code": "EK-CLI-028", "id": "jangan cocokkan kode yang berbeda satu huruf", "en": "do not match codes one character apart"},
    "approve_fuzzy": {"code": "EK-CLI-029", "id": "terima hanya pasangan fuzzy dalam berkas CSV ini (kolom row_pre, row_post)",
                      "en": "accept only the fuzzy pairs in this CSV (columns row_pre, row_post)"},
    "key_file": {"code": "EK-CLI-030", "id": "berkas kunci nama samaran (bawaan: $EVALKIT_KEY, atau kunci acak baru)",
                 "en": "pseudonymization key file (default: $EVALKIT_KEY, or a fresh random key)"},
    "keep_identifiers": {"code": "EK-CLI-031", "id": "tulis juga kode asli peserta ke folder pribadi terpisah (jangan dibagikan)",
                         "en": "also write the real participant codes to a separate private folder (do not share)"},
    "fuzzy_done": {"code": "EK-CLI-032", "id": "{n} peserta dicocokkan dengan kode yang berbeda satu huruf; periksa fuzzy_matches.csv di folder laporan "
                         "(salin ke luar folder laporan, hapus baris yang salah, lalu jalankan ulang dengan --approve-fuzzy "
                         "SALINAN.csv, atau --no-fuzzy).",
                   "en": "{n} participant(s) matched on codes one character apart; review fuzzy_matches.csv in the report folder "
                         "(copy it out of the report folder, delete wrong lines and re-run with --approve-fuzzy COPY.csv, "
                         "or use --no-fuzzy)."},
    "positionals": {"code": "EK-CLI-033", "id": "argumen", "en": "positional arguments"},
    "options": {"code": "EK-CLI-034", "id": "pilihan", "en": "options"},
    "help": {"code": "EK-CLI-035", "id": "tampilkan bantuan ini lalu keluar", "en": "show this help message and exit"},
    "questionnaire_arg": {"code": "EK-CLI-036", "id": "berkas kuesioner YAML (mis. surveys/ham_awareness.yaml)",
                          "en": "questionnaire YAML file (e.g. surveys/ham_awareness.yaml)"},
    "pre_arg": {"code": "EK-CLI-037", "id": "berkas jawaban pre-test (CSV, XLSX atau Parquet)",
                "en": "pre-test answer file (CSV, XLSX or Parquet)"},
    "post_arg": {"code": "EK-CLI-038", "id": "berkas jawaban post-test (CSV, XLSX atau Parquet)",
                 "en": "post-test answer file (CSV, XLSX or Parquet)"},
    "followup_arg": {"code": "EK-CLI-063", "id": "berkas jawaban tindak lanjut, beberapa bulan setelah pelatihan (CSV, XLSX atau Parquet; "
                           "opsional)",
                     "en": "follow-up answer file, months after the training (CSV, XLSX or Parquet; optional)"},
    "out_report": {"code": "EK-CLI-039", "id": "folder laporan yang ditulis (bawaan demo: laporan_demo)",
                   "en": "report folder to write (demo default: laporan_demo)"},
    "out_sample": {"code": "EK-CLI-040", "id": "folder untuk pre.csv, post.csv dan followup.csv",
                   "en": "folder for pre.csv, post.csv and followup.csv"},
    "out_file": {"code": "EK-CLI-041", "id": "berkas yang ditulis", "en": "file to write"},
    "form_arg": {"code": "EK-CLI-042", "id": "berkas XLSForm (.xlsx atau .xls)", "en": "XLSForm file (.xlsx or .xls)"},
    "info": {"code": "EK-CLI-043", "id": "berkas data laporan (laporan.yaml): nama pelatihan, penyelenggara, tempat, tanggal, penanda "
                   "tangan; yang tidak diisi tercetak [isi: …] (demo: data/sample/laporan.yaml)",
             "en": "report metadata file (laporan.yaml): training name, organiser, place, dates, signatories; "
                   "missing fields print as [fill in: …] (demo: data/sample/laporan.yaml)"},
    "chart_format": {"code": "EK-CLI-044", "id": "format grafik, dipisah koma: png, svg, pdf (bawaan png; PNG selalu ditulis untuk "
                           "dokumen)",
                     "en": "chart formats, comma-separated: png, svg, pdf (default png; PNG is always written for "
                           "the documents)"},
    "bad_format": {"code": "EK-CLI-045", "id": "format grafik {found!r} tidak dikenal; yang diperbolehkan: png, svg, pdf",
                   "en": "unknown chart format {found!r}; allowed: png, svg, pdf"},
    "seed": {"code": "EK-CLI-046", "id": "bilangan acak awal (hasil sama untuk seed sama)", "en": "random seed (same seed, same data)"},
    "groups": {"code": "EK-CLI-047", "id": "jumlah kelompok", "en": "number of groups"},
    "min_size": {"code": "EK-CLI-048", "id": "peserta paling sedikit per kelompok", "en": "fewest participants per group"},
    "max_size": {"code": "EK-CLI-049", "id": "peserta paling banyak per kelompok", "en": "most participants per group"},
    "stage": {"reading": {"code": "EK-CLI-050", "id": "membaca dan memeriksa berkas jawaban", "en": "reading and checking the answer files"},
              "analysing": {"code": "EK-CLI-051", "id": "menganalisis", "en": "analysing"},
              "tables": {"code": "EK-CLI-052", "id": "menulis tabel", "en": "writing tables"},
              "charts": {"code": "EK-CLI-053", "id": "menggambar grafik", "en": "drawing charts"},
              "documents": {"code": "EK-CLI-054", "id": "menulis laporan Word dan HTML", "en": "writing the Word and HTML report"}},
    "catalogue_arg": {"code": "EK-CLI-055", "id": "katalog pelatihan (YAML, lihat docs/rollup.md)",
                      "en": "catalogue of trainings (YAML, see docs/rollup.md)"},
    "out_rollup": {"code": "EK-CLI-056", "id": "folder roll-up yang ditulis", "en": "roll-up folder to write"},
    "rollup": {"code": "EK-CLI-057", "id": "gabungkan banyak pelatihan dari katalog (nasional → provinsi → pelatihan → kelompok)",
               "en": "roll many trainings up from a catalogue (national → province → training → group)"},
    "method": {"code": "EK-CLI-058", "id": "penduga tau²: REML (bawaan) atau DL", "en": "estimator of tau²: REML (default) or DL"},
    "scheduler": {"code": "EK-CLI-059", "id": "alamat penjadwal Dask (mis. tcp://10.0.0.5:8786); tanpa ini, dijalankan di komputer ini",
                  "en": "Dask scheduler address (e.g. tcp://10.0.0.5:8786); without it, runs on this computer"},
    "no_documents": {"code": "EK-CLI-060", "id": "tanpa nasional.docx (tabel dan grafik saja)", "en": "no nasional.docx (tables and charts only)"},
    "ok_rollup": {"code": "EK-CLI-061", "id": "Roll-up ditulis ke {out}: {trainings} pelatihan, {provinces} provinsi, {excluded} pelatihan × skala "
                        "tidak digabungkan.",
                  "en": "Roll-up written to {out}: {trainings} trainings, {provinces} provinces, {excluded} training × scale "
                        "left out."},
    "private_written": {"code": "EK-CLI-062", "id": "Kode asli peserta ditulis ke {folder} (data pribadi: jangan dibagikan).",
                        "en": "Real participant codes written to {folder} (personal data: do not share)."},
}


def _chart_formats(text: str) -> tuple[str, ...]:
    formats = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    for found in formats:
        if found not in ("png", "svg", "pdf"):
            message = tr(_M["bad_format"], found=found)
            raise argparse.ArgumentTypeError(f"[{message.code}] {message}")
    return formats


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="evalkit", description=tr(_M["description"]))
    parser.add_argument("--lang", choices=["id", "en"], help=tr(_M["lang"]))
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help=tr(_M["check"]), description=tr(_M["check"]))
    check.add_argument("questionnaire", type=Path, help=tr(_M["questionnaire_arg"]))
    report = sub.add_parser("report", help=tr(_M["report"]), description=tr(_M["report"]))
    report.add_argument("questionnaire", type=Path, help=tr(_M["questionnaire_arg"]))
    report.add_argument("--pre", type=Path, required=True, help=tr(_M["pre_arg"]))
    report.add_argument("--post", type=Path, required=True, help=tr(_M["post_arg"]))
    report.add_argument("--followup", type=Path, metavar="FILE", help=tr(_M["followup_arg"]))
    report.add_argument("--out", type=Path, required=True, help=tr(_M["out_report"]))
    report.add_argument("--info", type=Path, metavar="YAML", help=tr(_M["info"]))
    report.add_argument("--mapping", type=Path, metavar="YAML", help=tr(_M["mapping"]))
    report.add_argument("--include-rejected", action="store_true", help=tr(_M["include_rejected"]))
    demo = sub.add_parser("demo", help=tr(_M["demo"]), description=tr(_M["demo"]))
    demo.add_argument("--out", type=Path, default=Path("laporan_demo"), help=tr(_M["out_report"]))
    demo.add_argument("--info", type=Path, metavar="YAML", help=tr(_M["info"]))
    for p in (report, demo):
        p.add_argument("--lenient", action="store_true", help=tr(_M["lenient"]))
        p.add_argument("--min-group-size", type=int, default=5, help=tr(_M["min_group"]))
        p.add_argument("--no-fuzzy", action="store_true", help=tr(_M["no_fuzzy"]))
        p.add_argument("--approve-fuzzy", type=Path, metavar="CSV", help=tr(_M["approve_fuzzy"]))
        p.add_argument("--key-file", type=Path, help=tr(_M["key_file"]))
        p.add_argument("--keep-identifiers", action="store_true", help=tr(_M["keep_identifiers"]))
        p.add_argument("--chart-format", type=_chart_formats, default=("png",), metavar="png,svg,pdf",
                       help=tr(_M["chart_format"]))
    simulate = sub.add_parser("simulate", help=tr(_M["simulate"]), description=tr(_M["simulate"]))
    simulate.add_argument("questionnaire", type=Path, help=tr(_M["questionnaire_arg"]))
    simulate.add_argument("--out", type=Path, required=True, help=tr(_M["out_sample"]))
    simulate.add_argument("--seed", type=int, default=0, help=tr(_M["seed"]))
    simulate.add_argument("--groups", type=int, default=10, help=tr(_M["groups"]))
    simulate.add_argument("--min-size", type=int, default=20, help=tr(_M["min_size"]))
    simulate.add_argument("--max-size", type=int, default=35, help=tr(_M["max_size"]))
    _form_parsers(sub)
    rollup = sub.add_parser("rollup", help=tr(_M["rollup"]), description=tr(_M["rollup"]))
    rollup.add_argument("catalogue", type=Path, metavar="KATALOG", help=tr(_M["catalogue_arg"]))
    rollup.add_argument("--out", type=Path, required=True, help=tr(_M["out_rollup"]))
    rollup.add_argument("--method", choices=["REML", "DL"], default="REML", help=tr(_M["method"]))
    rollup.add_argument("--min-group-size", type=int, default=5, help=tr(_M["min_group"]))
    rollup.add_argument("--lenient", action="store_true", help=tr(_M["lenient"]))
    rollup.add_argument("--scheduler", metavar="ADDRESS", help=tr(_M["scheduler"]))
    rollup.add_argument("--no-documents", action="store_true", help=tr(_M["no_documents"]))
    for p in (parser, *sub.choices.values()):
        p._positionals.title, p._optionals.title = tr(_M["positionals"]), tr(_M["options"])
        for action in p._actions:
            if isinstance(action, argparse._HelpAction):
                action.help = tr(_M["help"])
    return parser


def _form_parsers(sub) -> None:
    """Subcommands of evalkit.forms."""
    xlsform = sub.add_parser("xlsform", help=tr(_M["xlsform"]), description=tr(_M["xlsform"]))
    xlsform.add_argument("questionnaire", type=Path, help=tr(_M["questionnaire_arg"]))
    xlsform.add_argument("-o", "--out", type=Path, required=True, help=tr(_M["out_file"]))
    xlsform.add_argument("--wave", choices=["pre", "post", "followup"], help=tr(_M["form_wave_help"]))
    xlsform.add_argument("--include-personal", action="store_true", help=tr(_M["personal_help"]))
    importer = sub.add_parser("import-xlsform", help=tr(_M["import_xlsform"]), description=tr(_M["import_xlsform"]))
    importer.add_argument("form", type=Path, help=tr(_M["form_arg"]))
    importer.add_argument("-o", "--out", type=Path, required=True, help=tr(_M["out_file"]))
    writers = [xlsform, importer]
    for name in ("template", "print"):
        p = sub.add_parser(name, help=tr(_M[name]), description=tr(_M[name]))
        p.add_argument("questionnaire", type=Path, help=tr(_M["questionnaire_arg"]))
        p.add_argument("-o", "--out", type=Path, required=True, help=tr(_M["out_file"]))
        p.add_argument("--wave", choices=["pre", "post", "followup"], default="pre", help=tr(_M["wave_help"]))
        if name == "print":
            p.add_argument("--answer-key", action="store_true", help=tr(_M["answer_key"]))
        writers.append(p)
    for p in writers:
        p.add_argument("--force", action="store_true", help=tr(_M["force"]))


def _run_forms(args) -> int:
    """Run xlsform, import-xlsform, template and print."""
    from .questionnaire import load_questionnaire

    if args.command == "import-xlsform":
        from .forms import from_xlsform, write_questionnaire_yaml

        out = write_questionnaire_yaml(from_xlsform(args.form), args.out, overwrite=args.force,
                                       inputs=[args.form])
        print(tr(_M["ok_import"], file=out))
        return 0
    q = load_questionnaire(args.questionnaire)
    if args.command == "xlsform":
        from .forms import to_xlsform

        out = to_xlsform(q, args.out, wave=args.wave, include_personal=args.include_personal,
                         overwrite=args.force)
    elif args.command == "template":
        from .forms import entry_template

        out = entry_template(q, args.out, wave=args.wave, overwrite=args.force)  # the active language, if the questionnaire has it
    else:
        from .forms import printable_test

        out = printable_test(q, args.out, wave=args.wave, answer_key=args.answer_key, overwrite=args.force)
    print(tr(_M["ok_written"], file=out))
    return 0


def _early_language(argv: list[str]) -> str | None:
    """The value of ``--lang`` (``--lang en`` or ``--lang=en``), before the full parse."""
    for i, arg in enumerate(argv):
        value = arg.split("=", 1)[1] if arg.startswith("--lang=") else (
            argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else None)
        if value in ("id", "en"):
            return value
    return None


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        # --lang is read first so that --help and usage messages are in that language too.
        lang = _early_language(argv)
        with language(lang) if lang else contextlib.nullcontext():
            args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage message
        return int(exc.code or 0)
    if args.lang:
        set_language(args.lang)
    def show(message, category, *_args, **_kwargs):
        print(tr(_M["warning"], message=message), file=sys.stderr)

    try:
        with warnings.catch_warnings():
            warnings.showwarning = show
            return _run(args)
    except (EvalkitError, FileNotFoundError, FileExistsError, PermissionError, IsADirectoryError,
            NotADirectoryError) as exc:
        print(tr(_M["error"], message=exc), file=sys.stderr)
        return 1


def _run(args) -> int:
    from .questionnaire import load_questionnaire

    if args.command == "check":
        q = load_questionnaire(args.questionnaire)
        print(tr(_M["ok_check"], file=args.questionnaire))
        print(q.summary())
        return 0
    if args.command in ("xlsform", "import-xlsform", "template", "print"):
        return _run_forms(args)
    if args.command == "rollup":
        return _run_rollup(args)
    if args.command == "simulate":
        from ._outputs import check_folder, replace_folder
        from .simulate import simulate

        check_folder(args.out, inputs=[args.questionnaire], base="data_simulasi")
        q = load_questionnaire(args.questionnaire)
        # A questionnaire with a follow-up wave gets its answers too (drop-out, decay, actions, network).
        waves = simulate(q, n_groups=args.groups, n_per_group=(args.min_size, args.max_size), seed=args.seed,
                         followup=bool(q.items_for_wave("followup")))
        replace_folder(args.out, partial(write_sample, *waves), inputs=[args.questionnaire],
                       base="data_simulasi")
        print(tr(_M["ok_simulate"], files=", ".join(str(args.out / f"{w}.csv") for w in _SAMPLE_WAVES[:len(waves)])))
        return 0
    return _run_report(args)


def _run_report(args) -> int:
    """Run report and demo."""
    from ._outputs import check_folder, free_name, replace_folder
    from ._resources import bundled_questionnaire, bundled_report_info, bundled_sample
    from .analysis import analyze
    from .privacy import fuzzy_matches, identifier_table, load_key, read_approved_pairs
    from .questionnaire import load_questionnaire
    from .report import load_report_info, write_report

    if args.command == "demo":
        q_path, pre, post = bundled_questionnaire(), bundled_sample("pre"), bundled_sample("post")
        followup, info_path = bundled_sample("followup"), args.info or bundled_report_info()
    else:
        q_path, pre, post, info_path = args.questionnaire, args.pre, args.post, args.info
        followup = args.followup
    inputs = [q_path, pre, post, followup, args.key_file, args.approve_fuzzy]
    # Both folders are checked before the (long) analysis, so a refusal comes at once.
    check_folder(args.out, inputs=inputs)
    private = args.out.with_name(args.out.name + _PRIVATE)
    if args.keep_identifiers:
        check_folder(private, inputs=inputs, suggestion=free_name(args.out))
    q = load_questionnaire(q_path)
    info = load_report_info(info_path, q) if info_path else None
    approved = read_approved_pairs(args.approve_fuzzy) if args.approve_fuzzy else None
    progress = _progress()
    progress("reading")
    pre, post, followup = _read_waves(args, q, pre, post, followup)
    progress("analysing")
    analysis = analyze(q, pre, post, followup=followup, strict=not args.lenient, fuzzy=not args.no_fuzzy,
                       approved=approved, key=load_key(args.key_file) if args.key_file else None)
    out = write_report(analysis, args.out, min_group_size=args.min_group_size, lang=get_language(),
                       chart_formats=args.chart_format, info=info, progress=progress, inputs=inputs)
    ledger = "\n".join(tr(_M["ledger_line"], **row) for row in analysis.ledger_summary.to_dict("records"))
    print(tr(_M["ok_report"], out=out, ledger=ledger))
    fuzzy = fuzzy_matches(analysis.ledger)
    if len(fuzzy):
        print(tr(_M["fuzzy_done"], n=len(fuzzy)))
    if args.keep_identifiers:
        def write_codes(folder: Path) -> None:
            identifier_table(analysis).to_csv(folder / "identitas_peserta.csv", index=False, encoding="utf-8-sig")

        replace_folder(private, write_codes, inputs=inputs)
        print(tr(_M["private_written"], folder=private))
    return 0


def _read_waves(args, q, pre, post, followup):
    """The report's answer files (the follow-up ``None`` when not given), read with its
    reading options (mapping, review status; the demo has neither)."""
    from .io import read_responses
    from .questionnaire import WAVES

    return tuple(None if path is None else
                 read_responses(path, q, wave=wave, strict=not args.lenient, mapping=getattr(args, "mapping", None),
                                include_rejected=getattr(args, "include_rejected", False))
                 for path, wave in zip((pre, post, followup), WAVES))


#: The private folder beside the report folder (``--keep-identifiers``).
_PRIVATE = "_pribadi"


def _progress():
    """A function printing one line per stage to stderr, as pip does: only when stderr is a
    terminal, so logs and redirected output stay quiet."""
    stages = list(_M["stage"])
    if not sys.stderr.isatty():
        return lambda stage: None

    def show(stage: str) -> None:
        print(f"[{stages.index(stage) + 1}/{len(stages)}] {tr(_M['stage'][stage])} …", file=sys.stderr, flush=True)
    return show


def _run_rollup(args) -> int:
    from .rollup import rollup, write_rollup

    result = rollup(args.catalogue, method=args.method, strict=not args.lenient, client=args.scheduler)
    out = write_rollup(result, args.out, min_group_size=args.min_group_size, lang=get_language(),
                       documents=not args.no_documents, inputs=[args.catalogue])
    print(tr(_M["ok_rollup"], out=out, trainings=len(result.trainings),
             provinces=result.trainings["province"].nunique(), excluded=len(result.excluded)))
    return 0


#: The files ``evalkit simulate`` writes, in wave order.
_SAMPLE_WAVES = ("pre", "post", "followup")


def write_sample(pre, post, *rest) -> None:
    """Write simulated waves as field files: pre and follow-up as comma CSV, post as
    Excel-style semicolon CSV with BOM; the folder comes last (``followup`` optional)."""
    *followup, folder = rest
    folder.mkdir(parents=True, exist_ok=True)
    pre.to_csv(folder / "pre.csv", index=False, lineterminator="\n")
    post.to_csv(folder / "post.csv", index=False, sep=";", encoding="utf-8-sig", lineterminator="\n")
    for frame in followup:
        frame.to_csv(folder / "followup.csv", index=False, lineterminator="\n")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
