"""Personal data: pseudonyms, key files, private identifier files, fuzzy-match review from the CLI."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import evalkit
from evalkit.cli import main
from evalkit.privacy import fuzzy_matches, load_key, personal_kind, pseudonymize, read_approved_pairs


@pytest.fixture(scope="module")
def report_args():
    return ["report", str(evalkit.bundled_questionnaire()), "--pre", str(evalkit.bundled_sample("pre")),
            "--post", str(evalkit.bundled_sample("post"))]


@pytest.mark.parametrize("column, values, kind", [
    ("nama_lengkap", ["Siti", "Budi"], "name"),
    ("No. HP", ["x"], "phone"),
    ("kontak", ["+62 812-3456-7890", "081234567890"], "phone"),
    ("x", ["1871011203900001", "3201020304050006"], "nik"),
    ("surat", ["a@b.id", "c@d.org"], "email"),
    ("alamat", ["Jl. Mawar 1"], "address"),
    ("waktu_isi", ["2026-10-15 08:00", "2026-10-15 09:00"], None),
    ("skor", ["12", "15"], None),
])
def test_personal_kind(column, values, kind):
    assert personal_kind(column, pd.Series(values)) == kind


def test_key_file_gives_stable_pseudonyms(tmp_path, monkeypatch):
    key_file = tmp_path / "kunci.txt"
    key_file.write_text("rahasia kantor wilayah\n", encoding="utf-8")
    codes = pd.Series(["AB01", None])
    one, two = pseudonymize(codes, load_key(key_file)), pseudonymize(codes, load_key(key_file))
    assert one[0] == two[0] and pd.isna(one[1])
    monkeypatch.delenv("EVALKIT_KEY", raising=False)
    assert pseudonymize(codes, load_key())[0] != pseudonymize(codes, load_key())[0]  # fresh key per run
    monkeypatch.setenv("EVALKIT_KEY", "rahasia kantor wilayah")
    assert pseudonymize(codes, load_key())[0] == one[0]
    (tmp_path / "kosong.txt").write_text("")
    with pytest.raises(evalkit.EvalkitError, match="EK-PR-004"):
        load_key(tmp_path / "kosong.txt")


def test_cli_fuzzy_review_cycle(tmp_path, report_args, capsys):
    out = tmp_path / "lap"
    approved = tmp_path / "setuju.csv"
    assert main(report_args + ["--out", str(out), "--keep-identifiers"]) == 0
    assert "2 peserta dicocokkan dengan kode yang berbeda satu huruf" in capsys.readouterr().out
    pairs = pd.read_csv(out / "fuzzy_matches.csv")
    assert len(pairs) == 2 and pairs.equals(fuzzy_matches(pd.read_csv(out / "ledger.csv")))
    pairs.head(1).to_csv(approved, index=False)
    q = evalkit.load_questionnaire(evalkit.bundled_questionnaire())
    pre, post = evalkit.bundled_sample("pre"), evalkit.bundled_sample("post")
    kept = evalkit.analyze(q, pre, post, approved=read_approved_pairs(approved)).ledger
    assert (kept["match"] == "fuzzy").sum() == 2  # one pair: both of its rows
    assert (evalkit.analyze(q, pre, post, fuzzy=False).ledger["match"] == "fuzzy").sum() == 0
    # --keep-identifiers: real codes only in the separate private folder
    private = pd.read_csv(tmp_path / "lap_pribadi" / "identitas_peserta.csv", dtype=str)
    codes = pd.read_csv(pre, dtype=str)["kode_peserta"]
    assert set(codes) <= set(private["code"])
    assert set(pd.read_csv(out / "ledger.csv", dtype=str)["participant"]) == set(private["participant"])
    for path in out.rglob("*.csv"):
        assert not set(codes) & set(path.read_text(encoding="utf-8-sig").replace(",", " ").split())


def test_bad_approved_list(tmp_path):
    bad = tmp_path / "x.csv"
    bad.write_text("baris\n1\n", encoding="utf-8")
    with pytest.raises(evalkit.EvalkitError, match=r'EK-PR-003\] .*x\.csv'):
        read_approved_pairs(bad)


def test_group_of_three_is_only_shown_as_suppressed(tmp_path):
    """End to end: a group with 3 matched participants never appears with its own numbers."""
    from docx import Document

    post = pd.read_csv(evalkit.bundled_sample("post"), sep=";", dtype=str, keep_default_na=False,
                       encoding="utf-8-sig")
    g03 = post.index[post["kelompok"] == "G03"]
    post = post.drop(g03[3:])  # three G03 participants left at post-test
    path = tmp_path / "post.csv"
    post.to_csv(path, index=False)
    out = tmp_path / "lap"
    assert main(["report", str(evalkit.bundled_questionnaire()), "--pre", str(evalkit.bundled_sample("pre")),
                 "--post", str(path), "--out", str(out)]) == 0
    gains = pd.read_csv(out / "gains.csv")
    rows = gains[gains["group"] == "G03"]
    assert len(rows) == 6 and rows["suppressed"].all() and rows["mean_diff"].isna().all()
    assert rows["n"].eq(3).all()
    assert gains.loc[gains["group"] == "ALL", "mean_diff"].notna().all()
    post_only = pd.read_csv(out / "post_only.csv")
    assert post_only.loc[post_only["group"] == "G03", "mean"].isna().all()
    text = "\n".join(p.text for p in Document(out / "laporan.docx").paragraphs)
    assert "Perlindungan kelompok kecil" in text
    label = evalkit.load_questionnaire(evalkit.bundled_questionnaire()).group_label("G03")
    html = (out / "laporan.html").read_text(encoding="utf-8")
    rows_html = re.findall(rf"<tr><td>{re.escape(label)}</td>(.*?)</tr>", html)
    assert rows_html and all(re.fullmatch(r"<td>3</td><td>disembunyikan</td>(<td></td>)*", r) for r in rows_html)
