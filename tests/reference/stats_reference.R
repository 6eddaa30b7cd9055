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
