"""The ``evalkit`` command line: a thin layer over the library.

Exit codes: 0 success, 1 a problem in the user's files (questionnaire or data),
2 a usage error. Messages go to stderr, never as a traceback.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from functools import partial
from pathlib import Path

from ._errors import EvalkitError
from ._i18n import get_language, set_language, tr

_M = {
    "description": {"id": "evalkit: evaluasi pre-test/post-test pelatihan HAM per kelompok.",
                    "en": "evalkit: per-group pre-test/post-test evaluation of HAM trainings."},
    "lang": {"id": "bahasa keluaran: id (Indonesia, bawaan) atau en", "en": "output language: id (default) or en"},
    "check": {"id": "periksa berkas kuesioner YAML dan tampilkan ringkasannya",
              "en": "validate a questionnaire YAML file and print a summary"},
    "report": {"id": "analisis berkas pre-test dan post-test dan tulis folder laporan",
               "en": "analyse pre-test and post-test files and write a report folder"},
    "demo": {"id": "tulis laporan dari data contoh bawaan", "en": "write the report for the bundled sample data"},
    "simulate": {"id": "buat berkas jawaban simulasi (pre.csv, post.csv)",
                 "en": "write simulated answer files (pre.csv, post.csv)"},
    "lenient": {"id": "catat sel yang tidak sah sebagai kosong (bukan berhenti)",
                "en": "record invalid cells as missing instead of stopping"},
    "mapping": {"id": "berkas pemetaan (YAML) dari nama kolom dan jawaban ekspor ke id butir dan kode "
                       "(lihat docs/questionnaire-format.md)",
                "en": "mapping file (YAML) from an export's column names and answers to item ids and codes "
                      "(see docs/questionnaire-format.md)"},
    "include_rejected": {"id": "analisis juga kiriman yang ditolak pemeriksa di Kobo/ODK (bawaan: dikeluarkan)",
                         "en": "also analyse submissions a reviewer rejected in Kobo/ODK (default: left out)"},
    "min_group": {"id": "kelompok dengan peserta berpasangan kurang dari ini tidak ditampilkan tersendiri (bawaan 5)",
                  "en": "groups with fewer matched participants are not shown alone (default 5)"},
    "ok_check": {"id": "OK: {file}", "en": "OK: {file}"},
    "ok_report": {"id": "Laporan ditulis ke {out}\n{ledger}", "en": "Report written to {out}\n{ledger}"},
    "ledger_line": {"id": "  {wave}: {rows_read} baris dibaca = {used} dipakai + {duplicate} ganda + {unmatched} tanpa pasangan + {invalid} tidak sah + {rejected} ditolak + {empty} kosong",
                    "en": "  {wave}: {rows_read} rows read = {used} used + {duplicate} duplicate + {unmatched} unmatched + {invalid} invalid + {rejected} rejected + {empty} empty"},
    "ok_simulate": {"id": "Berkas simulasi ditulis: {pre}, {post}", "en": "Simulated files written: {pre}, {post}"},
    "error": {"id": "Galat: {message}", "en": "Error: {message}"},
    # Forms: XLSForm export/import, entry template and printable test (evalkit.forms).
    "xlsform": {"id": "tulis kuesioner sebagai XLSForm untuk KoboToolbox/ODK",
                "en": "write the questionnaire as an XLSForm for KoboToolbox/ODK"},
    "import_xlsform": {"id": "ubah XLSForm yang ada menjadi kerangka kuesioner YAML",
                       "en": "turn an existing XLSForm into a questionnaire YAML skeleton"},
    "template": {"id": "tulis lembar Excel untuk mengetik jawaban tes kertas",
                 "en": "write an Excel sheet for typing in paper-test answers"},
    "print": {"id": "tulis tes kertas (DOCX) untuk dicetak", "en": "write the paper test (DOCX) for printing"},
    "wave_help": {"id": "gelombang: pre, post atau followup", "en": "wave: pre, post or followup"},
    "form_wave_help": {"id": "hanya gelombang ini (bawaan: satu formulir untuk semua gelombang)",
                       "en": "this wave only (default: one form for every wave)"},
    "answer_key": {"id": "versi fasilitator dengan kunci jawaban", "en": "facilitator's version with the answer key"},
    "personal_help": {"id": "sertakan kolom pribadi (nama, no_hp)", "en": "include the personal columns (nama, no_hp)"},
    "ok_written": {"id": "Ditulis: {file}", "en": "Written: {file}"},
    "force": {"id": "ganti berkas keluaran yang sudah ada (berkas masukan tidak pernah ditimpa)",
              "en": "replace an existing output file (an input file is never overwritten)"},
    "ok_import": {"id": "Ditulis: {file}\nPeriksa dan lengkapi nilai TODO, lalu jalankan: evalkit check {file}",
                  "en": "Written: {file}\nReview it, fill in the TODO values, then run: evalkit check {file}"},
    "warning": {"id": "Peringatan: {message}", "en": "Warning: {message}"},
    "no_fuzzy": {"id": "jangan cocokkan kode yang berbeda satu huruf", "en": "do not match codes one character apart"},
    "approve_fuzzy": {"id": "terima hanya pasangan fuzzy dalam berkas CSV ini (kolom row_pre, row_post)",
                      "en": "accept only the fuzzy pairs in this CSV (columns row_pre, row_post)"},
    "key_file": {"id": "berkas kunci nama samaran (bawaan: $EVALKIT_KEY, atau kunci acak baru)",
                 "en": "pseudonymization key file (default: $EVALKIT_KEY, or a fresh random key)"},
    "keep_identifiers": {"id": "tulis juga kode asli peserta ke folder pribadi terpisah (jangan dibagikan)",
                         "en": "also write the real participant codes to a separate private folder (do not share)"},
    "fuzzy_done": {"id": "{n} peserta dicocokkan dengan kode yang berbeda satu huruf; periksa fuzzy_matches.csv di folder laporan "
                         "(salin ke luar folder laporan, hapus baris yang salah, lalu jalankan ulang dengan --approve-fuzzy "
                         "SALINAN.csv, atau --no-fuzzy).",
                   "en": "{n} participant(s) matched on codes one character apart; review fuzzy_matches.csv in the report folder "
                         "(copy it out of the report folder, delete wrong lines and re-run with --approve-fuzzy COPY.csv, "
                         "or use --no-fuzzy)."},
    "private_written": {"id": "Kode asli peserta ditulis ke {folder} (data pribadi: jangan dibagikan).",
                        "en": "Real participant codes written to {folder} (personal data: do not share)."},
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="evalkit", description=tr(_M["description"]))
    parser.add_argument("--lang", choices=["id", "en"], help=tr(_M["lang"]))
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help=tr(_M["check"]))
    check.add_argument("questionnaire", type=Path)
    report = sub.add_parser("report", help=tr(_M["report"]))
    report.add_argument("questionnaire", type=Path)
    report.add_argument("--pre", type=Path, required=True)
    report.add_argument("--post", type=Path, required=True)
    report.add_argument("--out", type=Path, required=True)
    report.add_argument("--mapping", type=Path, metavar="YAML", help=tr(_M["mapping"]))
    report.add_argument("--include-rejected", action="store_true", help=tr(_M["include_rejected"]))
    demo = sub.add_parser("demo", help=tr(_M["demo"]))
    demo.add_argument("--out", type=Path, default=Path("laporan_demo"))
    for p in (report, demo):
        p.add_argument("--lenient", action="store_true", help=tr(_M["lenient"]))
        p.add_argument("--min-group-size", type=int, default=5, help=tr(_M["min_group"]))
        p.add_argument("--no-fuzzy", action="store_true", help=tr(_M["no_fuzzy"]))
        p.add_argument("--approve-fuzzy", type=Path, metavar="CSV", help=tr(_M["approve_fuzzy"]))
        p.add_argument("--key-file", type=Path, help=tr(_M["key_file"]))
        p.add_argument("--keep-identifiers", action="store_true", help=tr(_M["keep_identifiers"]))
    simulate = sub.add_parser("simulate", help=tr(_M["simulate"]))
    simulate.add_argument("questionnaire", type=Path)
    simulate.add_argument("--out", type=Path, required=True)
    simulate.add_argument("--seed", type=int, default=0)
    simulate.add_argument("--groups", type=int, default=10)
    simulate.add_argument("--min-size", type=int, default=20)
    simulate.add_argument("--max-size", type=int, default=35)
    _form_parsers(sub)
    return parser


def _form_parsers(sub) -> None:
    """Subcommands of evalkit.forms."""
    xlsform = sub.add_parser("xlsform", help=tr(_M["xlsform"]))
    xlsform.add_argument("questionnaire", type=Path)
    xlsform.add_argument("-o", "--out", type=Path, required=True)
    xlsform.add_argument("--wave", choices=["pre", "post", "followup"], help=tr(_M["form_wave_help"]))
    xlsform.add_argument("--include-personal", action="store_true", help=tr(_M["personal_help"]))
    importer = sub.add_parser("import-xlsform", help=tr(_M["import_xlsform"]))
    importer.add_argument("form", type=Path)
    importer.add_argument("-o", "--out", type=Path, required=True)
    writers = [xlsform, importer]
    for name in ("template", "print"):
        p = sub.add_parser(name, help=tr(_M[name]))
        p.add_argument("questionnaire", type=Path)
        p.add_argument("-o", "--out", type=Path, required=True)
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


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    try:
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
    if args.command == "simulate":
        from ._outputs import check_folder, replace_folder
        from .simulate import simulate

        check_folder(args.out, inputs=[args.questionnaire], base="data_simulasi")
        q = load_questionnaire(args.questionnaire)
        pre, post = simulate(q, n_groups=args.groups, n_per_group=(args.min_size, args.max_size), seed=args.seed)
        replace_folder(args.out, partial(write_sample, pre, post), inputs=[args.questionnaire],
                       base="data_simulasi")
        print(tr(_M["ok_simulate"], pre=args.out / "pre.csv", post=args.out / "post.csv"))
        return 0
    return _run_report(args)


def _run_report(args) -> int:
    """Run report and demo."""
    from ._outputs import free_name, check_folder, replace_folder
    from ._resources import bundled_questionnaire, bundled_sample
    from .analysis import analyze
    from .privacy import fuzzy_matches, identifier_table, load_key, read_approved_pairs
    from .questionnaire import load_questionnaire
    from .report import write_report

    if args.command == "demo":
        q_path, pre, post = bundled_questionnaire(), bundled_sample("pre"), bundled_sample("post")
    else:
        q_path, pre, post = args.questionnaire, args.pre, args.post
    inputs = [q_path, pre, post, args.key_file, args.approve_fuzzy]
    # Both folders are checked before the (long) analysis, so a refusal comes at once.
    check_folder(args.out, inputs=inputs)
    private = args.out.with_name(args.out.name + _PRIVATE)
    if args.keep_identifiers:
        check_folder(private, inputs=inputs, suggestion=free_name(args.out))
    q = load_questionnaire(q_path)
    if args.command == "report":
        pre, post = _read_waves(args, q)
    approved = read_approved_pairs(args.approve_fuzzy) if args.approve_fuzzy else None
    analysis = analyze(q, pre, post, strict=not args.lenient, fuzzy=not args.no_fuzzy, approved=approved,
                       key=load_key(args.key_file) if args.key_file else None)
    out = write_report(analysis, args.out, min_group_size=args.min_group_size, lang=get_language(),
                       inputs=inputs)
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


def _read_waves(args, q):
    """The report's two answer files, read with its reading options (mapping, review status)."""
    from .io import read_responses

    return tuple(read_responses(path, q, wave=wave, strict=not args.lenient, mapping=args.mapping,
                                include_rejected=args.include_rejected)
                 for path, wave in ((args.pre, "pre"), (args.post, "post")))


#: The private folder beside the report folder (``--keep-identifiers``).
_PRIVATE = "_pribadi"


def write_sample(pre, post, folder: Path) -> None:
    """Write simulated waves as field files: pre as comma CSV, post as Excel-style semicolon CSV with BOM."""
    folder.mkdir(parents=True, exist_ok=True)
    pre.to_csv(folder / "pre.csv", index=False, lineterminator="\n")
    post.to_csv(folder / "post.csv", index=False, sep=";", encoding="utf-8-sig", lineterminator="\n")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
