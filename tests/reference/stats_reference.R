# Reference values for evalkit.stats, computed with R (independent implementation).
#
# Run from this folder:   R CMD BATCH --no-save --no-timing stats_reference.R
# which writes stats_reference.Rout (code echoed with its output). The Python tests in
# tests/stats/ keep the printed values as literals; R is never needed to run them.
#
# Inputs: R's built-in data (sleep; psych::bfi), exported to data/*.csv by this script
# so that Python reads exactly the same rows, and hand-made data/*.csv files (read here).

options(warn = 1)  # print warnings where they happen
out <- function(name, x) {
  cat(sprintf("%-36s %s\n", name, paste(sprintf("%.15g", x), collapse = " ")))
}
cat("R:", R.version.string, "\n")
for (pkg in c("psych", "car", "emmeans", "effectsize", "GPArotation")) {
  if (requireNamespace(pkg, quietly = TRUE)) cat(pkg, as.character(packageVersion(pkg)), "\n")
}

# ---------------------------------------------------------------------------
# 1. Paired comparison (issue 2)
# ---------------------------------------------------------------------------
## sleep: pre = group 1, post = group 2, paired by ID
sleep_wide <- data.frame(id = as.integer(sleep$ID[sleep$group == 1]),
                         pre = sleep$extra[sleep$group == 1],
                         post = sleep$extra[sleep$group == 2])
stopifnot(all(sleep$ID[sleep$group == 1] == sleep$ID[sleep$group == 2]))
write.csv(sleep_wide, "data/sleep_wide.csv", row.names = FALSE)

paired_ref <- function(label, pre, post, ...) {
  ok <- !is.na(pre) & !is.na(post)
  pre <- pre[ok]; post <- post[ok]; d <- post - pre; n <- length(d)
  tt <- t.test(post, pre, paired = TRUE)
  wt <- wilcox.test(post, pre, paired = TRUE, ...)
  J <- 1 - 3 / (4 * (n - 1) - 1)
  out(paste0(label, ".n"), n)
  out(paste0(label, ".mean_pre"), mean(pre));   out(paste0(label, ".sd_pre"), sd(pre))
  out(paste0(label, ".mean_post"), mean(post)); out(paste0(label, ".sd_post"), sd(post))
  out(paste0(label, ".mean_diff"), mean(d));    out(paste0(label, ".sd_diff"), sd(d))
  out(paste0(label, ".ci"), tt$conf.int)
  out(paste0(label, ".t"), tt$statistic); out(paste0(label, ".df"), tt$parameter)
  out(paste0(label, ".p"), tt$p.value)
  out(paste0(label, ".V"), wt$statistic); out(paste0(label, ".p_wilcoxon"), wt$p.value)
  cat(label, ".wilcoxon_method: ", wt$method, "\n", sep = "")
  # d_z and g_av by hand: effectsize 0.8.3 (Debian) has no repeated_measures_d().
  out(paste0(label, ".d_z"), mean(d) / sd(d))
  out(paste0(label, ".g_av"), mean(d) / ((sd(pre) + sd(post)) / 2) * J)
  out(paste0(label, ".share_improved"), mean(d > 0))
}

paired_ref("sleep", sleep_wide$pre, sleep_wide$post)
print(t.test(sleep_wide$post, sleep_wide$pre, paired = TRUE), digits = 15)

## exact case: 8 made-up pairs, no ties, no zeros
exact_pre  <- c(12.1, 14.3, 9.8, 11.0, 13.5, 10.2, 15.1, 8.7)
exact_post <- c(13.0, 16.1, 9.5, 13.4, 15.8, 10.9, 17.9, 11.2)
paired_ref("exact", exact_pre, exact_post)

## zero differences without ties among the non-zero ones (exact impossible: zeros)
zero_pre  <- c(5, 7, 6, 9, 4, 8, 3)
zero_post <- c(8, 7, 10, 10, 6, 13, 3)
paired_ref("zeros", zero_pre, zero_post)

## float noise: percent scores k/12; differences equal on paper (ties)
noise_pre  <- 100 * c(5, 6, 3, 4, 7, 2) / 12
noise_post <- 100 * c(7, 8, 4, 5, 10, 6) / 12
d <- noise_post - noise_pre
cat("noise: distinct |d| unrounded:", length(unique(abs(d))),
    " rounded to 9 digits:", length(unique(signif(abs(d), 9))), "\n")
paired_ref("noise_default", noise_pre, noise_post)
paired_ref("noise_digits9", noise_pre, noise_post, digits.rank = 9)

## grouped: 3 groups of different sizes (C has a missing pre)
pg <- read.csv("data/paired_groups.csv")
for (g in c("A", "B", "C")) {
  s <- pg[pg$group == g, ]
  paired_ref(paste0("group", g), s$pre, s$post)
}

## normalized gain (Hake 1998), by the formula
gain_ref <- function(label, pre, post, max = 100) {
  ok <- !is.na(pre) & !is.na(post); pre <- pre[ok]; post <- post[ok]
  room <- pre < max
  out(paste0(label, ".g_class"), (mean(post) - mean(pre)) / (max - mean(pre)))
  out(paste0(label, ".g_individual"), mean(((post - pre) / (max - pre))[room]))
  out(paste0(label, ".n_excluded"), sum(!room))
}
gain_ref("gain", c(40, 55, 100, 70, 85, 30), c(70, 80, 95, 90, 100, 45))
for (g in c("A", "B", "C")) {
  s <- pg[pg$group == g, ]
  gain_ref(paste0("gain", g), s$pre, s$post)
}

## multiple-testing adjustment
p_raw <- c(0.01, 0.04, 0.03, 0.005, 0.2, NA, 0.04, 0.5)
out("p_adjust.holm", p.adjust(p_raw, "holm"))
out("p_adjust.BH", p.adjust(p_raw, "BH"))

## exact signed-rank distribution at the largest n with an exact p-value
out("psignrank_400_49", psignrank(400, 49))

# ---------------------------------------------------------------------------
# 2. Reliability (issue 3): psych::bfi A1-A5, complete cases, A1 reverse-keyed
# ---------------------------------------------------------------------------
suppressPackageStartupMessages(library(psych))
bfi_a <- psych::bfi[complete.cases(psych::bfi[, paste0("A", 1:5)]), paste0("A", 1:5)]
write.csv(bfi_a, "data/bfi_agreeableness.csv", row.names = FALSE)  # raw, A1 not reversed
items <- bfi_a
items$A1 <- 7 - items$A1  # reverse-key A1 (1..6 scale)
out("bfi.n", nrow(items))
a <- psych::alpha(items)
out("alpha.raw_alpha", a$total$raw_alpha)
out("alpha.std_alpha", a$total$std.alpha)
print(a$feldt, digits = 15)
ci <- psych::alpha.ci(a$total$raw_alpha, nrow(items), ncol(items), p.val = 0.05)
out("alpha.feldt_ci", c(ci$lower.ci, ci$upper.ci))
ci90 <- psych::alpha.ci(a$total$raw_alpha, nrow(items), ncol(items), p.val = 0.10)
out("alpha.feldt_ci90", c(ci90$lower.ci, ci90$upper.ci))
out("item.mean", a$item.stats$mean)
out("item.sd", a$item.stats$sd)
out("item.r_drop", a$item.stats$r.drop)
out("item.alpha_if_deleted", a$alpha.drop$raw_alpha)
om <- psych::omega(items, nfactors = 1)
out("omega.omega_tot", om$omega.tot)
f1 <- psych::fa(items, nfactors = 1, fm = "minres")
out("omega.minres_loadings", as.numeric(f1$loadings))
## a small data set with missing values: listwise deletion
small <- read.csv("data/reliability_small.csv")
out("small.n_complete", sum(complete.cases(small)))
as <- psych::alpha(small[complete.cases(small), ])
out("small.raw_alpha", as$total$raw_alpha)
out("small.std_alpha", as$total$std.alpha)
cs <- psych::alpha.ci(as$total$raw_alpha, sum(complete.cases(small)), ncol(small))
out("small.feldt_ci", c(cs$lower.ci, cs$upper.ci))

# ---------------------------------------------------------------------------
# 3. Item analysis of 0/1 items (issue 3), data/items_binary.csv (one NA in q2)
# ---------------------------------------------------------------------------
ib <- read.csv("data/items_binary.csv")
out("items.difficulty", colMeans(ib, na.rm = TRUE))
cc <- ib[complete.cases(ib), ]
out("items.n_complete", nrow(cc))
out("items.r_pbis", sapply(seq_along(cc), function(j) cor(cc[, j], rowSums(cc[, -j]))))
ng <- round(0.27 * nrow(cc))  # 14 rows -> 3.78 -> 4 (no .5 case, so R's rounding = half-up)
out("items.ng", ng)
## Upper-lower groups with ties at the boundary score shared equally (issue 21): weight 1
## beyond the boundary, (ng - m) / t for each of the t respondents at it.
ul_weights <- function(s, ng) {
  cut <- sort(s)[ng]; below <- s < cut; tied <- s == cut
  ifelse(below, 1, ifelse(tied, (ng - sum(below)) / sum(tied), 0))
}
ul_index <- function(x, ng) {
  s <- rowSums(x)
  list(upper = colSums(x * ul_weights(-s, ng)) / ng, lower = colSums(x * ul_weights(s, ng)) / ng)
}
ul <- ul_index(cc, ng)
out("items.p_upper", ul$upper)
out("items.p_lower", ul$lower)
## the same as the mean of the stable-sort groups over every way of breaking the ties:
## here five respondents tie at the upper boundary (total 5) for three places
s <- rowSums(cc); top <- which(s > 5); tied <- which(s == 5)
out("items.tied_at_upper_cut", length(tied))
by_order <- combn(tied, ng - length(top), function(k) colMeans(cc[c(top, k), ]))
out("items.p_upper_mean_over_tie_orders", rowMeans(by_order))
o <- order(rowSums(cc))  # data order among ties: what evalkit did before issue 21
out("items.p_upper_data_order", colMeans(cc[tail(o, ng), ]))
## McNemar: q1 (before) vs q4 (after) and a made-up pair of vectors
mc_before <- c(1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0)
mc_after  <- c(1, 1, 1, 1, 0, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 0)
m <- mcnemar.test(factor(mc_before, 0:1), factor(mc_after, 0:1))
out("mcnemar.statistic", m$statistic); out("mcnemar.p", m$p.value)
b <- sum(mc_before == 1 & mc_after == 0); c <- sum(mc_before == 0 & mc_after == 1)
out("mcnemar.bc", c(b, c))
out("mcnemar.exact_p", binom.test(b, b + c, 0.5)$p.value)

# ---------------------------------------------------------------------------
# 4. Comparing groups (issue 3) on data/paired_groups.csv
# ---------------------------------------------------------------------------
suppressPackageStartupMessages({library(car); library(emmeans)})
pgc <- pg[complete.cases(pg), ]
pgc$group <- factor(pgc$group)
fit <- lm(post ~ pre + group, data = pgc)
av <- car::Anova(fit, type = 2)
print(av, digits = 15)
out("ancova.F", av["group", "F value"]); out("ancova.df", c(av["group", "Df"], av["Residuals", "Df"]))
out("ancova.p", av["group", "Pr(>F)"])
out("ancova.partial_eta2", av["group", "Sum Sq"] / (av["group", "Sum Sq"] + av["Residuals", "Sum Sq"]))
em <- summary(emmeans::emmeans(fit, "group"))
print(em, digits = 15)
out("ancova.adjusted_mean", em$emmean); out("ancova.ci_low", em$lower.CL); out("ancova.ci_high", em$upper.CL)
nd <- data.frame(pre = mean(pgc$pre), group = levels(pgc$group))
out("ancova.predict_check", predict(fit, nd, interval = "confidence")[, "fit"])
out("ancova.slope_homogeneity_p", anova(fit, lm(post ~ pre * group, data = pgc))[2, "Pr(>F)"])
kt <- kruskal.test(post ~ group, data = pg)
out("kruskal.statistic", kt$statistic); out("kruskal.df", kt$parameter); out("kruskal.p", kt$p.value)
pt <- pairwise.t.test(pg$post, pg$group, pool.sd = FALSE, p.adjust.method = "holm")
print(pt$p.value, digits = 15)
out("pairwise_t.holm", pt$p.value[lower.tri(pt$p.value, diag = TRUE)])  # AB, AC, BC
out("pairwise_t.raw", pairwise.t.test(pg$post, pg$group, pool.sd = FALSE, p.adjust.method = "none")$p.value[lower.tri(pt$p.value, diag = TRUE)])
out("pairwise_t.BH", pairwise.t.test(pg$post, pg$group, pool.sd = FALSE, p.adjust.method = "BH")$p.value[lower.tri(pt$p.value, diag = TRUE)])
out("t.welch_B_minus_A", t.test(pg$post[pg$group == "B"], pg$post[pg$group == "A"])$statistic)
pw <- pairwise.wilcox.test(pg$post, pg$group, p.adjust.method = "holm")
out("pairwise_wilcox.holm", pw$p.value[lower.tri(pw$p.value, diag = TRUE)])
out("pairwise_wilcox.raw", pairwise.wilcox.test(pg$post, pg$group, p.adjust.method = "none")$p.value[lower.tri(pw$p.value, diag = TRUE)])
out("wilcox.W_B_vs_A", wilcox.test(pg$post[pg$group == "B"], pg$post[pg$group == "A"])$statistic)
## exact rank-sum case (no ties)
ex_x <- c(1.1, 2.3, 3.6, 4.2, 5.9); ex_y <- c(2.5, 6.1, 7.4, 8.8, 9.3, 10.7)
we <- wilcox.test(ex_y, ex_x)
out("wilcox_exact.W", we$statistic); out("wilcox_exact.p", we$p.value)

# ---------------------------------------------------------------------------
# 5. Effect-size intervals and reliable change (issue 3), by the formula
# ---------------------------------------------------------------------------
## CI of d_z by inverting the noncentral t (no MBESS in Debian): uniroot on pt()
dz_ci <- function(dz, n, conf = 0.95) {
  t <- dz * sqrt(n); g <- 1 - conf
  f <- function(target) uniroot(function(ncp) pt(t, n - 1, ncp) - target,
                                c(t - 20, t + 20), tol = 1e-13)$root / sqrt(n)
  c(f(1 - g / 2), f(g / 2))
}
out("dz_ci.sleep", dz_ci(mean(sleep_wide$post - sleep_wide$pre) / sd(sleep_wide$post - sleep_wide$pre), 10))
out("dz_ci.0.3_n40", dz_ci(0.3, 40))
out("dz_ci.-0.8_n12_90", dz_ci(-0.8, 12, 0.90))
## reliable change (Jacobson & Truax 1991) on sleep with r = 0.8
r <- 0.8
out("rci.sleep", (sleep_wide$post - sleep_wide$pre) / (sqrt(2) * sd(sleep_wide$pre) * sqrt(1 - r)))

# ---------------------------------------------------------------------------
# 6. CI of g_av (Algina & Keselman 2003, adapted to d_av), by the formula
# ---------------------------------------------------------------------------
gav_ci <- function(pre, post, conf = 0.95) {
  d <- post - pre; n <- length(d); t <- mean(d) / (sd(d) / sqrt(n)); g <- 1 - conf
  lam <- function(target) uniroot(function(ncp) pt(t, n - 1, ncp) - target,
                                  c(t - 20, t + 20), tol = 1e-13)$root
  J <- 1 - 3 / (4 * (n - 1) - 1)
  c(lam(1 - g / 2), lam(g / 2)) * sd(d) / (sqrt(n) * (sd(pre) + sd(post)) / 2) * J
}
out("gav_ci.sleep", gav_ci(sleep_wide$pre, sleep_wide$post))
out("gav_ci.exact_90", gav_ci(exact_pre, exact_post, 0.90))
for (g in c("A", "B", "C")) {
  s <- pg[pg$group == g & complete.cases(pg), ]
  out(paste0("gav_ci.group", g), gav_ci(s$pre, s$post))
}

# ---------------------------------------------------------------------------
# 7. Pipeline review statistics (tests/test_review.py) on data/review/*.csv,
#    scored here from the raw answers, independently of evalkit's scoring.
# ---------------------------------------------------------------------------
rv_pre <- read.csv("data/review/pre.csv", na.strings = "", colClasses = "character")
rv_post <- read.csv("data/review/post.csv", na.strings = "", colClasses = "character")
key <- c(t1 = "b", t2 = "c", t3 = "B", t4 = "a")
score_items <- function(w) {
  k <- sapply(names(key), function(i) ifelse(is.na(w[[i]]), NA, as.numeric(w[[i]] == key[i])))
  lik <- sapply(c("s1", "s2", "s3", "u1", "z1", "z2"), function(i) as.numeric(w[[i]]))
  lik[, "s3"] <- 6 - lik[, "s3"]  # reverse-keyed, 5 points
  data.frame(kode = w$kode, kelompok = w$kelompok, k, lik)
}
sp <- score_items(rv_pre); so <- score_items(rv_post)
tk <- c("t1", "t2", "t3", "t4"); sk <- c("s1", "s2", "s3")
# knowledge: a blank is wrong for rows with >= 2 of 4 answered (min_answered 0.5)
know <- function(s) { x <- s[rowSums(!is.na(s[, tk])) >= 2, tk]; x[is.na(x)] <- 0; x }
for (w in c("pre", "post")) {
  s <- if (w == "pre") sp else so
  kx <- know(s)
  ak <- suppressWarnings(psych::alpha(kx, check.keys = FALSE, warnings = FALSE))
  out(paste0("rv.", w, ".tahu.n"), nrow(kx))
  out(paste0("rv.", w, ".tahu.alpha"), c(ak$total$raw_alpha, ak$total$std.alpha))
  ci <- psych::alpha.ci(ak$total$raw_alpha, nrow(kx), 4)
  out(paste0("rv.", w, ".tahu.feldt"), c(ci$lower.ci, ci$upper.ci))
  out(paste0("rv.", w, ".tahu.r_drop"), ak$item.stats$r.drop)
  out(paste0("rv.", w, ".tahu.alpha_drop"), ak$alpha.drop$raw_alpha)
  out(paste0("rv.", w, ".tahu.difficulty"), colMeans(kx))
  out(paste0("rv.", w, ".tahu.r_pbis"), sapply(tk, function(j) cor(kx[[j]], rowSums(kx[, setdiff(tk, j)]))))
  ul <- ul_index(kx, round(0.27 * nrow(kx)))
  out(paste0("rv.", w, ".tahu.d"), ul$upper - ul$lower)
  raw <- (if (w == "pre") rv_pre else rv_post)
  raw <- raw[rowSums(!is.na(raw[, tk])) >= 2, ]
  for (i in c("t1", "t2", "t3", "t4")) {
    tab <- table(raw[[i]]); wrong <- tab[names(tab) != key[i]]
    cat(sprintf("%-36s %s %.15g\n", paste0("rv.", w, ".", i, ".top_distractor"),
                names(which.max(wrong)), max(wrong) / sum(tab)))
  }
  sx <- s[complete.cases(s[, sk]), sk]
  as <- psych::alpha(sx, check.keys = FALSE)
  out(paste0("rv.", w, ".sikap.n"), nrow(sx))
  out(paste0("rv.", w, ".sikap.alpha"), c(as$total$raw_alpha, as$total$std.alpha))
  ci <- psych::alpha.ci(as$total$raw_alpha, nrow(sx), 3)
  out(paste0("rv.", w, ".sikap.feldt"), c(ci$lower.ci, ci$upper.ci))
  out(paste0("rv.", w, ".sikap.mean_sd"), c(as$item.stats$mean, as$item.stats$sd))
  out(paste0("rv.", w, ".sikap.r_drop"), as$item.stats$r.drop)
  out(paste0("rv.", w, ".sikap.alpha_drop"), as$alpha.drop$raw_alpha)
  out(paste0("rv.", w, ".sikap.omega"), psych::omega(sx, nfactors = 1, plot = FALSE)$omega.tot)
}
## scale scores (percent correct of 4; mean of answered Likert items if >= 2 of 3),
## rounded to 6 decimals as evalkit's scoring does (so that equal gains tie in ranks)
scores <- function(s) {
  ok_t <- rowSums(!is.na(s[, tk])) >= 2; ok_s <- rowSums(!is.na(s[, sk])) >= 2
  data.frame(kode = s$kode, kelompok = s$kelompok,
             tahu = round(ifelse(ok_t, 100 * rowSums(s[, tk], na.rm = TRUE) / 4, NA), 6),
             sikap = round(ifelse(ok_s, rowMeans(s[, sk], na.rm = TRUE), NA), 6), tunggal = s$u1)
}
m <- merge(scores(sp), scores(so), by = c("kode", "kelompok"), suffixes = c(".pre", ".post"))
m$kelompok <- factor(m$kelompok)
## item change, McNemar on the pairs with a knowledge score in both waves
kp <- sp[rowSums(!is.na(sp[, tk])) >= 2, c("kode", tk)]; kp[is.na(kp)] <- 0
ko <- so[rowSums(!is.na(so[, tk])) >= 2, c("kode", tk)]; ko[is.na(ko)] <- 0
kk <- merge(kp, ko, by = "kode", suffixes = c(".pre", ".post"))
out("rv.item_change.n_pairs", nrow(kk))
pm <- sapply(tk, function(i) suppressWarnings(mcnemar.test(factor(kk[[paste0(i, ".pre")]], 0:1),
                                                           factor(kk[[paste0(i, ".post")]], 0:1))$p.value))
out("rv.item_change.share_pre", colMeans(kk[, paste0(tk, ".pre")]))
out("rv.item_change.share_post", colMeans(kk[, paste0(tk, ".post")]))
out("rv.item_change.p_mcnemar", pm)
out("rv.item_change.p_holm", p.adjust(pm, "holm"))
## without participant A02, item t1 has b = c = 2: no continuity correction, p = 1 (issue 21)
kk2 <- kk[kk$kode != "A02", ]
out("rv.item_change_no_A02.t1_bc", c(sum(kk2$t1.pre == 1 & kk2$t1.post == 0),
                                     sum(kk2$t1.pre == 0 & kk2$t1.post == 1)))
pm2 <- sapply(tk, function(i) suppressWarnings(mcnemar.test(factor(kk2[[paste0(i, ".pre")]], 0:1),
                                                            factor(kk2[[paste0(i, ".post")]], 0:1))$p.value))
out("rv.item_change_no_A02.p_mcnemar", pm2)
out("rv.item_change_no_A02.p_holm", p.adjust(pm2, "holm"))
## group comparison per scale (group C has two people)
for (sc in c("tahu", "sikap", "tunggal")) {
  d <- data.frame(pre = m[[paste0(sc, ".pre")]], post = m[[paste0(sc, ".post")]], g = m$kelompok)
  d <- d[complete.cases(d), ]
  fit <- lm(post ~ pre + g, data = d)
  av <- car::Anova(fit, type = 2)
  out(paste0("rv.", sc, ".ancova"), c(av["g", "F value"], av["g", "Df"], av["Residuals", "Df"],
                                      av["g", "Pr(>F)"], av["g", "Sum Sq"] / (av["g", "Sum Sq"] + av["Residuals", "Sum Sq"])))
  out(paste0("rv.", sc, ".slope_p"), anova(fit, lm(post ~ pre * g, data = d))[2, "Pr(>F)"])
  em <- summary(emmeans::emmeans(fit, "g"))
  out(paste0("rv.", sc, ".emmeans"), c(em$emmean, em$lower.CL, em$upper.CL))
  gain <- round(d$post - d$pre, 6)  # scores carry 6 decimals: float noise must not break ties
  kt <- kruskal.test(gain ~ d$g)
  out(paste0("rv.", sc, ".kruskal"), c(kt$statistic, kt$parameter, kt$p.value))
  lt <- function(p) p[lower.tri(p, diag = TRUE)]  # AB, AC, BC
  out(paste0("rv.", sc, ".pairwise_raw"), lt(pairwise.t.test(gain, d$g, pool.sd = FALSE, p.adjust.method = "none")$p.value))
  out(paste0("rv.", sc, ".pairwise_holm"), lt(pairwise.t.test(gain, d$g, pool.sd = FALSE, p.adjust.method = "holm")$p.value))
  out(paste0("rv.", sc, ".pairwise_BH"), lt(pairwise.t.test(gain, d$g, pool.sd = FALSE, p.adjust.method = "BH")$p.value))
}
## reliable change on sikap: pre-test alpha (listwise), SD of the matched pre-test scores
a_pre <- psych::alpha(sp[complete.cases(sp[, sk]), sk], check.keys = FALSE)$total$raw_alpha
d <- m[order(m$kelompok, m$kode), ]
out("rv.sikap.rci", (d$sikap.post - d$sikap.pre) / (sqrt(2) * sd(d$sikap.pre, na.rm = TRUE) * sqrt(1 - a_pre)))
cat("rv.sikap.rci_order", as.character(d$kode), "\n")
## attrition: pre-test scores of drop-outs (no post-test) vs completers, Welch
ps <- scores(sp); ps$dropout <- !(ps$kode %in% rv_post$kode)
for (sc in c("tahu", "sikap")) {
  for (g in c("B", "ALL")) {
    s <- if (g == "ALL") ps else ps[ps$kelompok == g, ]
    tt <- t.test(s[[sc]][s$dropout], s[[sc]][!s$dropout], var.equal = FALSE)
    out(paste0("rv.attrition.", sc, ".", g), c(tt$estimate[2], tt$estimate[1], tt$statistic, tt$parameter, tt$p.value))
  }
}

# ---------------------------------------------------------------------------
# 8. Edge cases and documentation claims (issue 21), tests/stats/test_edge_cases.py
# ---------------------------------------------------------------------------
fct <- function(v) factor(v, 0:1)
## McNemar: R corrects for continuity only when b != c, so b = c gives X^2 = 0, p = 1
m <- mcnemar.test(fct(c(1, 0)), fct(c(0, 1)))
out("mcnemar_b_eq_c_1.statistic_p", c(m$statistic, m$p.value))
eq_before <- c(1, 1, 1, 0, 0, 0, 1, 0, 1, 0, 1)
eq_after  <- c(0, 0, 0, 1, 1, 1, 1, 0, 1, 0, 1)
m <- mcnemar.test(fct(eq_before), fct(eq_after))
out("mcnemar_b_eq_c_3.statistic_p", c(m$statistic, m$p.value))
cat("mcnemar_b_eq_c_3.method:", m$method, "\n")
out("mcnemar_b_eq_c_3.exact_p", binom.test(3, 6, 0.5)$p.value)
## b = 4, c = 2 (corrected): (|4 - 2| - 1)^2 / 6
m <- mcnemar.test(fct(c(1, 1, 1, 1, 0, 0, 1, 0)), fct(c(0, 0, 0, 0, 1, 1, 1, 0)))
out("mcnemar_b4_c2.statistic_p", c(m$statistic, m$p.value))
## no discordant pairs: R gives NaN; binom.test(0, 0) stops
m <- suppressWarnings(mcnemar.test(fct(c(1, 0, 1)), fct(c(1, 0, 1))))
out("mcnemar_none.statistic_p", c(m$statistic, m$p.value))
cat("mcnemar_none.exact:", tryCatch(binom.test(0, 0)$p.value, error = conditionMessage), "\n")

## Welch's t with zero variance in both groups, or a group of one: R stops
cat("welch_zero_variance:", tryCatch(t.test(c(3, 3, 3), c(1, 1))$statistic, error = conditionMessage), "\n")
cat("welch_group_of_one:", tryCatch(t.test(c(7), c(5, 5.5))$statistic, error = conditionMessage), "\n")
cat("paired_n1:", tryCatch(t.test(2, 1, paired = TRUE)$statistic, error = conditionMessage), "\n")

## ANCOVA with an exact fit: car::Anova stops, anova() prints F = 8e30, emmeans' CIs have width 0
perf <- data.frame(g = factor(rep(c("a", "b"), each = 3)), pre = c(1, 2, 3, 1, 2, 4))
perf$post <- perf$pre + ifelse(perf$g == "a", 1, 3)
pfit <- lm(post ~ pre + g, data = perf)
cat("ancova_perfect.car:", tryCatch(car::Anova(pfit, type = 2)[1, 3], error = conditionMessage), "\n")
out("ancova_perfect.anova_F", anova(lm(post ~ pre, data = perf), pfit)[2, "F"])
pem <- summary(emmeans::emmeans(pfit, "g"))
out("ancova_perfect.emmean", pem$emmean)
out("ancova_perfect.ci_width", pem$upper.CL - pem$lower.CL)
## pre constant within each of two groups: g is aliased; car::Anova gives NA
conf <- data.frame(g = factor(rep(c("a", "b"), each = 3)), pre = c(1, 1, 1, 2, 2, 2),
                   post = c(2, 3, 5, 4, 4, 7))
cfit <- lm(post ~ pre + g, data = conf)
out("ancova_confounded.car_F", suppressMessages(car::Anova(cfit, type = 2))["g", "F value"])
cem <- summary(suppressMessages(emmeans::emmeans(cfit, "g")))
out("ancova_confounded.emmeans", c(cem$emmean, cem$lower.CL, cem$upper.CL))

## Rank tests and float noise: percent scores k/12 whose differences tie on paper
kw_x <- 100 * c(7, 8, 4, 5, 10, 6, 9, 3) / 12 - 100 * c(5, 6, 3, 4, 7, 2, 7, 1) / 12
kw_g <- c("a", "b", "a", "b", "a", "b", "c", "c")
cat("kw_x:", sprintf("%.17g", kw_x), "\n")
k0 <- kruskal.test(kw_x, kw_g); k9 <- kruskal.test(signif(kw_x, 9), kw_g)
out("kruskal_noise.default", c(k0$statistic, k0$p.value))
out("kruskal_noise.signif9", c(k9$statistic, k9$p.value))
rs_a <- c(0.1 + 0.2, 1.5, 2.7, 4.1); rs_b <- c(0.3, 2.2, 3.9, 5.0, 6.4)
w0 <- wilcox.test(rs_b, rs_a); w9 <- suppressWarnings(wilcox.test(rs_b, rs_a, digits.rank = 9))
out("ranksum_noise.default", c(w0$statistic, w0$p.value))
out("ranksum_noise.digits9", c(w9$statistic, w9$p.value))
## Signed rank on decimal scores: R's default ranks float noise, digits.rank = 9 does not
dec_pre  <- c(0.1, 0.2, 0.7, 1.5, 2.0, 0.4, 1.1, 0.3)
dec_post <- c(0.3, 0.4, 1.0, 1.2, 2.6, 0.9, 1.4, 0.8)
cat("decimal_d:", sprintf("%.17g", dec_post - dec_pre), "\n")
w0 <- suppressWarnings(wilcox.test(dec_post, dec_pre, paired = TRUE))
w9 <- suppressWarnings(wilcox.test(dec_post, dec_pre, paired = TRUE, digits.rank = 9))
out("signrank_decimal.default", c(w0$statistic, w0$p.value))
out("signrank_decimal.digits9", c(w9$statistic, w9$p.value))

## Noncentral t above ncp 37.62 (?pt: "only for abs(ncp) <= 37.62"): the d_z limits from
## uniroot on pt() against uniroot on the cdf by quadrature, E[pnorm(t sqrt(V/df) - ncp)],
## V ~ chi^2(df), with integrate() (rel.tol 1e-13)
pt_quad <- function(t, df, ncp) {
  integrate(function(v) pnorm(t * sqrt(v / df) - ncp) * dchisq(v, df),
            qchisq(1e-18, df), qchisq(1e-18, df, lower.tail = FALSE),
            rel.tol = 1e-13, subdivisions = 2000L)$value
}
ncp_root <- function(cdf, t, target) {
  uniroot(function(ncp) cdf(t, ncp) - target, c(t - 20, t + 20), tol = 1e-13)$root
}
for (cfg in list(c(3, 200), c(2.5, 300), c(0.5, 10))) {
  dz <- cfg[1]; n <- cfg[2]; t <- dz * sqrt(n); lab <- paste0("nct_dz", dz, "_n", n)
  q <- sapply(c(0.975, 0.025), function(p) ncp_root(function(t, d) pt_quad(t, n - 1, d), t, p))
  r <- suppressWarnings(sapply(c(0.975, 0.025), function(p) ncp_root(function(t, d) pt(t, n - 1, d), t, p)))
  out(paste0(lab, ".quadrature"), q / sqrt(n))
  out(paste0(lab, ".pt"), r / sqrt(n))
  out(paste0(lab, ".pt_at_quadrature_roots"), suppressWarnings(pt(t, n - 1, q)))
}

## omega does not reverse negatively loading items: psych::omega(flip = FALSE)
bfi_raw <- read.csv("data/bfi_agreeableness.csv")  # A1 not reversed: it loads negatively
om_nf <- suppressWarnings(psych::omega(bfi_raw, nfactors = 1, flip = FALSE, plot = FALSE))
om_f <- suppressWarnings(psych::omega(bfi_raw, nfactors = 1, plot = FALSE))
out("omega_raw.flip_false", om_nf$omega.tot)
out("omega_raw.flip_true_default", om_f$omega.tot)

## fewer complete rows (5) than items (6): alpha; omega by minres to a tight tolerance
## (psych's optim stops earlier here: 1.4e-7 higher)
nk <- data.frame(q0 = c(4, 2, 3, 1, 5), q1 = c(4, 2, 2, 1, 5), q2 = c(3, 3, 2, 1, 4),
                 q3 = c(4, 3, 3, 1, 4), q4 = c(4, 4, 1, 1, 4), q5 = c(4, 2, 3, 1, 5))
a_nk <- psych::alpha(nk)
out("n_lt_k.alpha", c(a_nk$total$raw_alpha, a_nk$total$std.alpha))
R_nk <- cor(nk)
minres_loss <- function(l) { r <- R_nk - outer(l, l); diag(r) <- 0; sum(r^2) }
e <- eigen(R_nk); start <- e$vectors[, 1] * sqrt(e$values[1]); start <- start * sign(sum(start))
lam <- optim(start, minres_loss, method = "BFGS", control = list(reltol = 1e-15, maxit = 10000))$par
out("n_lt_k.omega_tight_minres", 1 - sum(1 - lam^2) / sum(R_nk))
out("n_lt_k.omega_psych", suppressWarnings(psych::omega(nk, nfactors = 1, flip = FALSE, plot = FALSE))$omega.tot)

## a zero-variance item: alpha by the formula (k = 3); psych::alpha drops the item instead
zv <- data.frame(a = c(1, 2, 3, 4), b = c(2, 3, 3, 5), c = c(2, 2, 2, 2))
out("zero_var.alpha_formula", 3 / 2 * (1 - sum(apply(zv, 2, var)) / var(rowSums(zv))))
out("zero_var.psych_raw_alpha_item_dropped", suppressWarnings(psych::alpha(zv))$total$raw_alpha)
out("zero_var.r_drop", suppressWarnings(sapply(1:3, function(j) cor(zv[, j], rowSums(zv[, -j])))))
## a constant rest score: items a and b vary, but the sum of the others is constant for both
rc <- data.frame(a = c(1, 2, 3, 4), b = c(1, 2, 3, 4), c = c(4, 3, 2, 1))
out("const_rest.r_drop", suppressWarnings(sapply(1:3, function(j) cor(rc[, j], rowSums(rc[, -j])))))
out("const_rest.sd", apply(rc, 2, sd))
