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
o <- order(rowSums(cc))
out("items.ng", ng)
out("items.p_upper", colMeans(cc[tail(o, ng), ]))
out("items.p_lower", colMeans(cc[head(o, ng), ]))
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
