"""The report's follow-up parts: did the gain last (under Tingkat 2) and what participants
did afterwards (Tingkat 3 — Perilaku), their tables for the workbook and the summary lines.

Without a follow-up wave every table here is empty, and the report says so once, in the
behaviour section and the executive summary.
"""

from __future__ import annotations

import pandas as pd

from .. import _numbers as fmt
from .._constants import ALL_GROUPS
from .._i18n import tr
from ..privacy import FLAG, find_suppressed, suppress
from ._content import Block, scale_unit
from ._outline import Context, frame

#: Workbook sheets of the follow-up, in order; each a table of :func:`followup_tables`.
SHEETS = ("retention_means", "retention", "retention_ratio", "friedman", "mixed_model", "behaviour",
          "behaviour_frequencies", "change_agents", "network", "network_change")
_IDS = ("scale", "group", "wave", "contrast", "n", "ci_level", "n_participants", "n_obs", "item", "action",
        "reverse", "level")

_T = {
    "retention": {"id": "Apakah kenaikan bertahan?", "en": "Did the gain last?"},
    "no_followup": {"id": "Laporan ini tidak menyertakan tindak lanjut: tidak ada berkas jawaban gelombang tindak "
                          "lanjut yang diberikan, sehingga tindakan peserta sesudah pelatihan dan bertahannya "
                          "kenaikan belum dapat dinilai.",
                    "en": "This report has no follow-up: no answer file of the follow-up wave was given, so what "
                          "participants did after the training and whether the gains lasted cannot be assessed "
                          "yet."},
    "intro": {"id": "Sebanyak {n} peserta yang dapat dipasangkan juga mengisi kuesioner tindak lanjut. Selisih di "
                    "bawah dihitung pada peserta yang mengisi kedua gelombang yang dibandingkan; suatu selisih "
                    "disebut nyata bila IK 95%-nya tidak mencakup nol.",
              "en": "{n} of the matched participants also answered the follow-up questionnaire. The differences "
                    "below use the participants who answered both waves compared; a difference is called real "
                    "when its 95% CI excludes zero."},
    "held": {"id": "{scale}: kenaikan bertahan. Pada tindak lanjut skornya {fu}, {sustained} {unit} dibanding "
                   "sebelum pelatihan ({pre}); selisih terhadap sesudah pelatihan {decay}.",
             "en": "{scale}: the gain lasted. At follow-up the score is {fu}, {sustained} {unit} compared with "
                   "before the training ({pre}); the difference from after the training is {decay}."},
    "partly": {"id": "{scale}: kenaikan bertahan sebagian. Skor turun {drop} {unit} sejak sesudah pelatihan "
                     "(IK 95% {ci}), tetapi masih {sustained} {unit} dibanding sebelum pelatihan.",
               "en": "{scale}: the gain partly lasted. The score fell by {drop} {unit} since after the training "
                     "(95% CI {ci}), but is still {sustained} {unit} compared with before the training."},
    "gone": {"id": "{scale}: kenaikan tidak bertahan. Pada tindak lanjut selisih terhadap sebelum pelatihan "
                   "{sustained} (IK 95% {ci}).",
             "en": "{scale}: the gain did not last. At follow-up the difference from before the training is "
                   "{sustained} (95% CI {ci})."},
    "up": {"id": "naik {x}", "en": "up {x}"},
    "down": {"id": "turun {x}", "en": "down {x}"},
    "flat": {"id": "tidak nyata ({x})", "en": "not real ({x})"},
    "ratio": {"id": " Rasio retensi {r} (IK 95% {ci}): bagian kenaikan awal yang masih ada pada tindak lanjut.",
              "en": " Retention ratio {r} (95% CI {ci}): the share of the immediate gain still present at "
                    "follow-up."},
    "head": {"id": ["Skala", "Perbandingan", "n", "Selisih", "IK 95%", "p Holm", "d_z"],
             "en": ["Scale", "Comparison", "n", "Difference", "95% CI", "Holm p", "d_z"]},
    "contrast": {"post - pre": {"id": "sesudah − sebelum", "en": "after − before"},
                 "followup - post": {"id": "tindak lanjut − sesudah", "en": "follow-up − after"},
                 "followup - pre": {"id": "tindak lanjut − sebelum", "en": "follow-up − before"}},
    "fig": {"id": "Skor rata-rata pada ketiga gelombang (semua kelompok).",
            "en": "Mean scores at the three waves (all groups)."},
    "caption": {"id": "Skor sebelum, sesudah dan saat tindak lanjut (semua kelompok); p Holm dikoreksi atas tiga "
                      "perbandingan setiap skala.",
                "en": "Scores before, after and at follow-up (all groups); Holm p adjusted over the three "
                      "comparisons of each scale."},
    "mixed": {"id": "Model campuran (semua peserta yang dapat dipasangkan, termasuk yang tidak mengisi tindak "
                    "lanjut) memberi selisih tindak lanjut − sebelum: {items}. Uji di atas hanya memakai peserta "
                    "yang lengkap; bila keduanya berbeda jauh, peserta yang berhenti kemungkinan berbeda dari yang "
                    "bertahan. Tabel per kelompok ada di buku kerja (lembar retention).",
              "en": "The mixed model (every matched participant, including those who missed the follow-up) gives "
                    "the difference follow-up − before: {items}. The tests above use complete participants only; "
                    "if the two differ much, those who dropped out probably differ from those who stayed. The "
                    "per-group tables are in the workbook (sheet retention)."},
    "b_intro": {"id": "Tingkat ini menilai apa yang dilakukan peserta dalam tiga bulan sesudah pelatihan, dari jawaban "
                      "kuesioner tindak lanjut. Suatu tindakan dihitung bila dilakukan sedikitnya sekali. Tabel per "
                      "kelompok dan sebaran frekuensinya ada di buku kerja (lembar behaviour, "
                      "behaviour_frequencies, change_agents).",
                "en": "This level assesses what participants did in the three months after the training, from the "
                      "follow-up questionnaire. An action counts when it was done at least once. The per-group "
                      "tables and frequency distributions are in the workbook (sheets behaviour, "
                      "behaviour_frequencies, change_agents)."},
    "agents": {"id": "Agen perubahan: {k} dari {n} peserta ({share}; IK 95% {ci}) melakukan sedikitnya satu tindakan "
                     "advokasi atau perlindungan.",
               "en": "Agents of change: {k} of {n} participants ({share}; 95% CI {ci}) took at least one advocacy "
                     "or protection action."},
    "action": {"advocacy": {"id": "advokasi", "en": "advocacy"}, "protection": {"id": "perlindungan",
                                                                                 "en": "protection"},
               "": {"id": "–", "en": "–"}},
    "b_head": {"id": ["Tindakan", "Jenis", "n", "Pernah melakukan", "IK 95%"],
               "en": ["Action", "Kind", "n", "Did it at least once", "95% CI"]},
    "b_caption": {"id": "Peserta yang melakukan setiap tindakan sedikitnya sekali sesudah pelatihan (semua kelompok; "
                        "IK 95% Wilson).",
                  "en": "Participants who took each action at least once after the training (all groups; 95% "
                        "Wilson CI)."},
    "network": {"id": "Jejaring antarkelompok", "en": "Network between groups"},
    "net_change": {"id": "Pada {n} peserta yang menjawab pertanyaan jejaring sebelum pelatihan dan saat tindak lanjut, "
                         "rata-rata mitra kerja sama urusan HAM berubah dari {pre} menjadi {fu} per peserta: {verdict} "
                         "(selisih IK 95% {ci}; {p}, uji t berpasangan).",
                   "en": "For the {n} participants who answered the network question before the training and at "
                         "follow-up, the mean number of partners on human-rights matters went from {pre} to {fu} per "
                         "participant: {verdict} (difference 95% CI {ci}; {p}, paired t-test)."},
    "net_up": {"id": "jejaring nyata bertambah", "en": "the network really grew"},
    "net_down": {"id": "jejaring nyata berkurang", "en": "the network really shrank"},
    "net_flat": {"id": "perubahannya belum nyata", "en": "the change is not yet real"},
    "net_fig": {"id": "Jejaring antarkelompok sebelum pelatihan dan saat tindak lanjut (simpul: kelompok; garis: "
                      "kerja sama yang disebut peserta; kelompok kecil tidak digambar).",
                "en": "Network between groups before the training and at follow-up (nodes: groups; lines: "
                      "cooperation named by participants; small groups not drawn)."},
    "s_agents": {"id": " Sebanyak {share} peserta tindak lanjut menjadi agen perubahan (sedikitnya satu tindakan "
                       "advokasi atau perlindungan).",
                 "en": " {share} of the follow-up participants became agents of change (at least one advocacy or "
                       "protection action)."},
    "s_held": {"id": "Pada tindak lanjut ({n} peserta), skor masih nyata lebih tinggi daripada sebelum pelatihan "
                     "pada {held} dari {m} skala{which}.",
               "en": "At follow-up ({n} participants), scores were still really higher than before the training "
                     "on {held} of {m} scales{which}."},
    "s_partly": {"id": " Pada {k} skala skornya turun lagi sejak sesudah pelatihan.",
                 "en": " On {k} scales the score fell again since after the training."},
}


def followup_tables(analysis, *, k: int) -> dict[str, pd.DataFrame]:
    """The follow-up's tables for the workbook, small groups suppressed (empty without a follow-up)."""
    r = analysis.retention
    named = {"retention_means": (r.means, ("scale", "wave")), "retention": (r.contrasts, ("scale", "contrast")),
             "retention_ratio": (r.ratio, ("scale",)), "friedman": (r.friedman, ("scale",)),
             "mixed_model": (r.mixed, ("scale", "contrast"))}
    named.update({"behaviour": (analysis.behaviour, ("item",)),
                  "behaviour_frequencies": (analysis.behaviour_frequencies, ("item",)),
                  "change_agents": (analysis.change_agents, ())})
    if analysis.network is not None:
        named.update({"network": (analysis.network.summary, ("wave",)),
                      "network_change": (analysis.network.change, ())})
    out = {}
    for name, (table, by) in named.items():
        if table.empty:
            continue
        n = "n_participants" if name == "mixed_model" else "n"  # the mixed model counts people apart from scores
        out[name] = suppress(table, find_suppressed(table, k=k, n=n, by=by), keep=_IDS)
    return out


def has_followup(ctx: Context) -> bool:
    return ctx.analysis.followup is not None


def retention_blocks(ctx: Context) -> list[Block]:
    """Under Tingkat 2: did the gain last? One sentence per scale, the pooled contrasts, the mixed model."""
    if not has_followup(ctx):
        return []
    q, lang = ctx.q, ctx.lang
    contrasts = ctx.tables["retention"]
    pooled = contrasts[(contrasts["group"] == ALL_GROUPS) & ~contrasts[FLAG]]
    means = ctx.tables["retention_means"]
    n = int(means.loc[(means["group"] == ALL_GROUPS) & (means["wave"] == means["wave"].iloc[-1]), "n"].max())
    blocks = [Block("heading", tr(_T["retention"], lang), level=3),
              Block("para", tr(_T["intro"], lang, n=fmt.integer(n, lang=lang)))]
    sentences = [_scale_sentence(ctx, scale, rows) for scale, rows in pooled.groupby("scale", sort=False)]
    blocks.append(Block("bullets", items=[s for s in sentences if s]))
    if "retention" in ctx.charts:
        blocks.append(Block("image", image=ctx.charts["retention"], text=tr(_T["fig"], lang), key="fig_retention"))
    if len(pooled):
        blocks.append(Block("table", table=_contrast_table(pooled, q, lang), text=tr(_T["caption"], lang),
                            key="retention"))
    mixed = ctx.tables.get("mixed_model")
    if mixed is not None:
        ci_word = {"id": "IK 95%", "en": "95% CI"}[lang]
        rows = mixed[(mixed["group"] == ALL_GROUPS) & (mixed["contrast"] == "followup - pre") & ~mixed[FLAG]]
        items = "; ".join(f"{q.scale(r['scale']).label(lang)} {_num(q, r['scale'], r['estimate'], lang, sign=True)}"
                          f" ({ci_word} {_ci(q, r['scale'], r['ci_low'], r['ci_high'], lang)})"
                          for r in rows.to_dict("records"))
        if items:
            blocks.append(Block("note", tr(_T["mixed"], lang, items=items)))
    return blocks


def _num(q, scale: str, x, lang: str, *, sign: bool = False) -> str:
    return fmt.number(x, scale_unit(q, scale, lang)[1], lang=lang, sign=sign)


def _ci(q, scale: str, low, high, lang: str) -> str:
    return fmt.interval(low, high, scale_unit(q, scale, lang)[1], lang=lang)


def _verdict(rows: pd.DataFrame) -> tuple[str, dict, dict]:
    """``held``, ``partly`` or ``gone`` from the pooled contrasts' intervals (the report's one rule)."""
    by = rows.set_index("contrast")
    sustained, decay = by.loc["followup - pre"], by.loc["followup - post"]
    if not sustained["ci_low"] > 0:
        return "gone", sustained, decay
    return ("partly" if decay["ci_high"] < 0 else "held"), sustained, decay


def _signed(row, lang: str, digits: int) -> str:
    x = fmt.number(abs(row["mean_diff"]), digits, lang=lang)
    if row["ci_low"] > 0:
        return tr(_T["up"], lang, x=x)
    if row["ci_high"] < 0:
        return tr(_T["down"], lang, x=x)
    return tr(_T["flat"], lang, x=fmt.number(row["mean_diff"], digits, lang=lang, sign=True))


def _scale_sentence(ctx: Context, scale: str, rows: pd.DataFrame) -> str:
    lang = ctx.lang
    label = ctx.q.scale(scale).label(lang)
    unit, digits = scale_unit(ctx.q, scale, lang)
    if set(rows["contrast"]) < {"followup - pre", "followup - post"}:
        return ""
    word, sustained, decay = _verdict(rows)
    means = ctx.tables["retention_means"]
    m = means[(means["scale"] == scale) & (means["group"] == ALL_GROUPS)].set_index("wave")["mean"]
    text = tr(_T[word], lang, scale=label, unit=unit, fu=fmt.number(m.iloc[-1], digits, lang=lang),
              pre=fmt.number(m.iloc[0], digits, lang=lang), sustained=_signed(sustained, lang, digits),
              decay=_signed(decay, lang, digits), drop=fmt.number(abs(decay["mean_diff"]), digits, lang=lang),
              ci=fmt.interval((decay if word == "partly" else sustained)["ci_low"],
                              (decay if word == "partly" else sustained)["ci_high"], digits, lang=lang))
    ratio = ctx.tables.get("retention_ratio")
    if ratio is not None:
        r = ratio[(ratio["scale"] == scale) & (ratio["group"] == ALL_GROUPS) & ~ratio[FLAG]]
        if len(r) and pd.notna(r["retention"].iloc[0]) and pd.notna(r["ci_low"].iloc[0]):
            text += tr(_T["ratio"], lang, r=fmt.number(r["retention"].iloc[0], 2, lang=lang),
                       ci=fmt.interval(r["ci_low"].iloc[0], r["ci_high"].iloc[0], 2, lang=lang))
    return text


def _contrast_table(pooled: pd.DataFrame, q, lang: str) -> pd.DataFrame:
    rows = []
    for r in pooled.to_dict("records"):
        digits = scale_unit(q, r["scale"], lang)[1]
        rows.append([q.scale(r["scale"]).label(lang), tr(_T["contrast"][r["contrast"]], lang), fmt.integer(r["n"], lang=lang),
                     fmt.number(r["mean_diff"], digits, lang=lang, sign=True),
                     fmt.interval(r["ci_low"], r["ci_high"], digits, lang=lang),
                     fmt.p_value(r["p_holm"], lang=lang, prefix=""), fmt.number(r["d_z"], 2, lang=lang)])
    return frame(rows, _T["head"][lang])


def behaviour_blocks(ctx: Context) -> list[Block]:
    """Tingkat 3: who acted after the training (agen perubahan, each action) and the network;
    without a follow-up, one sentence saying so."""
    lang = ctx.lang
    if not has_followup(ctx):
        return [Block("para", tr(_T["no_followup"], lang))]
    blocks = [Block("para", tr(_T["b_intro"], lang))]
    agents = _pooled(ctx.tables.get("change_agents"))
    if agents is not None:
        blocks.append(Block("para", tr(_T["agents"], lang, k=fmt.integer(agents["n_agents"], lang=lang),
                                       n=fmt.integer(agents["n"], lang=lang), share=fmt.percent(agents["share"], lang=lang),
                                       ci=_share_ci(agents, lang))))
    shares = ctx.tables.get("behaviour")
    if shares is not None and len(shares):
        pooled = shares[(shares["group"] == ALL_GROUPS) & ~shares[FLAG]]
        rows = [[ctx.q.item(r["item"]).text[lang], tr(_T["action"].get(r["action"] or "", _T["action"][""]), lang),
                 fmt.integer(r["n"], lang=lang), fmt.percent(r["share"], lang=lang), _share_ci(r, lang)]
                for r in pooled.to_dict("records")]
        blocks.append(Block("table", table=frame(rows, _T["b_head"][lang]), text=tr(_T["b_caption"], lang),
                            key="behaviour"))
    blocks += _network_blocks(ctx)
    return blocks


def _pooled(table: pd.DataFrame | None):
    """The ALL row of a table, or None when absent or suppressed."""
    if table is None or table.empty:
        return None
    rows = table[(table["group"] == ALL_GROUPS) & ~table[FLAG]]
    return rows.iloc[0] if len(rows) else None


def _share_ci(row, lang: str) -> str:
    return fmt.interval(100 * row["ci_low"], 100 * row["ci_high"], 0, lang=lang) + "%"


def _network_blocks(ctx: Context) -> list[Block]:
    lang = ctx.lang
    change = _pooled(ctx.tables.get("network_change"))
    blocks = [Block("heading", tr(_T["network"], lang), level=3)] if change is not None or "network" in ctx.charts else []
    if change is not None:
        word = ("up" if change["ci_low"] > 0 else "down" if change["ci_high"] < 0 else "flat")
        blocks.append(Block("para", tr(_T["net_change"], lang, n=fmt.integer(change["n"], lang=lang),
                                       pre=fmt.number(change["mean_pre"], 2, lang=lang),
                                       fu=fmt.number(change["mean_followup"], 2, lang=lang),
                                       verdict=tr(_T["net_" + word], lang),
                                       ci=fmt.interval(change["ci_low"], change["ci_high"], 2, lang=lang),
                                       p=fmt.p_value(change["p"], lang=lang))))
    if "network" in ctx.charts:
        blocks.append(Block("image", image=ctx.charts["network"], text=tr(_T["net_fig"], lang), key="fig_network"))
    return blocks


def summary_lines(ctx: Context) -> list[str]:
    """The executive summary's follow-up sentences (or that there was no follow-up)."""
    lang = ctx.lang
    if not has_followup(ctx):
        return [tr(_T["no_followup"], lang)]
    contrasts = ctx.tables["retention"]
    pooled = contrasts[(contrasts["group"] == ALL_GROUPS) & ~contrasts[FLAG]]
    verdicts = {scale: _verdict(rows)[0] for scale, rows in pooled.groupby("scale", sort=False)
                if {"followup - pre", "followup - post"} <= set(rows["contrast"])}
    agents = _pooled(ctx.tables.get("change_agents"))
    acted = tr(_T["s_agents"], lang, share=fmt.percent(agents["share"], lang=lang)) if agents is not None else ""
    if not verdicts:
        return [acted.strip()] if acted else []
    held = [s for s, v in verdicts.items() if v != "gone"]
    names = ", ".join(ctx.q.scale(s).label(lang) for s in held)
    n = int(pooled.loc[pooled["contrast"] == "followup - pre", "n"].max())
    partly = sum(v == "partly" for v in verdicts.values())
    return [tr(_T["s_held"], lang, n=fmt.integer(n, lang=lang), held=len(held), m=len(verdicts),
               which=f" ({names})" if names and len(held) < len(verdicts) else "")
            + (tr(_T["s_partly"], lang, k=partly) if partly else "") + acted]

