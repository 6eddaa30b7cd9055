# Reference values for the meta-analysis (issue 17), three-wave statistics and Wilson
# intervals (issue 16) of evalkit.stats, computed with R (independent implementation).
#
# Run from this folder:   R CMD BATCH --no-save --no-timing waves_meta_reference.R
# which writes waves_meta_reference.Rout. The Python tests in tests/stats/ keep the printed
# values as literals; R is never needed to run them.
#
# Inputs: metafor's dat.bcg (converted with escalc and exported to data/meta_bcg.csv by this
# script), and the hand-made data/meta_trainings.csv and data/waves_long.csv.

options(warn = 1)
out <- function(name, x) {
  cat(sprintf("%-36s %s\n", name, paste(sprintf("%.15g", x), collapse = " ")))
}
cat("R:", R.version.string, "\n")
suppressPackageStartupMessages({library(metafor); library(lme4)})
for (pkg in c("metafor", "lme4")) cat(pkg, as.character(packageVersion(pkg)), "\n")

# ---------------------------------------------------------------------------
# 1. Effect sizes per training (escalc)
# ---------------------------------------------------------------------------
tr <- read.csv("data/meta_trainings.csv")
md <- escalc("MC", m1i = mean_post, m2i = mean_pre, sd1i = sd_post, sd2i = sd_pre,
             ni = n, ri = ri, data = tr)
gz <- escalc("SMCC", m1i = mean_post, m2i = mean_pre, sd1i = sd_post, sd2i = sd_pre,
             ni = n, ri = ri, data = tr)
out("escalc.MC.yi", md$yi); out("escalc.MC.vi", md$vi)
out("escalc.SMCC.yi", gz$yi); out("escalc.SMCC.vi", gz$vi)
# d_z without the small-sample correction: SMCC's formula with c(m) = 1, by hand.
sdd <- sqrt(tr$sd_post^2 + tr$sd_pre^2 - 2 * tr$ri * tr$sd_post * tr$sd_pre)
dz <- (tr$mean_post - tr$mean_pre) / sdd
out("escalc.dz.yi", dz); out("escalc.dz.vi", 1 / tr$n + dz^2 / (2 * tr$n))
out("trainings.sd_diff", sdd)

# ---------------------------------------------------------------------------
# 2. Random-effects meta-analysis: rma()
# ---------------------------------------------------------------------------
bcg <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
write.csv(data.frame(trial = bcg$trial, author = bcg$author, year = bcg$year,
                     ablat = bcg$ablat, alloc = bcg$alloc,
                     yi = sprintf("%.17g", bcg$yi), vi = sprintf("%.17g", bcg$vi)),
          "data/meta_bcg.csv", row.names = FALSE, quote = FALSE)

fit_out <- function(label, fit) {
  pr <- predict(fit)
  out(paste0(label, ".k"), fit$k)
  out(paste0(label, ".estimate"), fit$b); out(paste0(label, ".se"), fit$se)
  out(paste0(label, ".stat"), fit$zval); out(paste0(label, ".p"), fit$pval)
  out(paste0(label, ".ci"), c(fit$ci.lb, fit$ci.ub))
  out(paste0(label, ".pi"), c(pr$pi.lb, pr$pi.ub))
  out(paste0(label, ".tau2"), fit$tau2); out(paste0(label, ".i2"), fit$I2)
  out(paste0(label, ".h2"), fit$H2)
  out(paste0(label, ".q"), c(fit$QE, fit$QEp))
}
tight <- list(threshold = 1e-12, maxiter = 10000)
for (data_name in c("bcg", "md")) {
  d <- if (data_name == "bcg") bcg else md
  fit_out(paste0(data_name, ".reml_knha"), rma(yi, vi, data = d, test = "knha", control = tight))
  fit_out(paste0(data_name, ".reml_z"), rma(yi, vi, data = d, control = tight))
  fit_out(paste0(data_name, ".dl_knha"), rma(yi, vi, data = d, method = "DL", test = "knha"))
  fit_out(paste0(data_name, ".dl_z"), rma(yi, vi, data = d, method = "DL"))
  # metafor's default stopping rule (change in tau2 below 1e-5), for comparison
  fit_out(paste0(data_name, ".reml_knha_default"), rma(yi, vi, data = d, test = "knha"))
}
fit_out("gz.reml_knha", rma(yi, vi, data = gz, test = "knha", control = tight))
# Separate fits per province (subgroups), as meta_analysis(group="province")
for (p in unique(md$province)) {
  fit_out(paste0("md.", p), rma(yi, vi, data = md, subset = province == p, test = "knha",
                                control = tight))
}
# A homogeneous set: REML tau2 on the boundary 0
homog <- data.frame(yi = c(0.50, 0.55, 0.45, 0.52, 0.48), vi = c(0.04, 0.05, 0.03, 0.06, 0.04))
fit_out("homog.reml_knha", rma(yi, vi, data = homog, test = "knha", control = tight))

# ---------------------------------------------------------------------------
# 3. Subgroups (QM test of factor(moderator)) and meta-regression on year
# ---------------------------------------------------------------------------
mods_out <- function(label, fit) {
  out(paste0(label, ".qm"), c(fit$QM, fit$QMdf, fit$QMp))
  out(paste0(label, ".tau2"), fit$tau2); out(paste0(label, ".i2"), fit$I2)
  out(paste0(label, ".q"), c(fit$QE, fit$QEp)); out(paste0(label, ".k"), fit$k)
  out(paste0(label, ".b"), fit$b); out(paste0(label, ".se"), fit$se)
  out(paste0(label, ".stat"), fit$zval); out(paste0(label, ".p"), fit$pval)
  out(paste0(label, ".ci_lb"), fit$ci.lb); out(paste0(label, ".ci_ub"), fit$ci.ub)
}
mods_out("bcg.alloc_knha", rma(yi, vi, mods = ~ factor(alloc), data = bcg, test = "knha", control = tight))
mods_out("bcg.alloc_z", rma(yi, vi, mods = ~ factor(alloc), data = bcg, control = tight))
mods_out("md.province_knha", rma(yi, vi, mods = ~ factor(province), data = md, test = "knha", control = tight))
mods_out("md.province_dl", rma(yi, vi, mods = ~ factor(province), data = md, method = "DL", test = "knha"))
# With year near 2025, X'WX is ill-conditioned and tau2 only settles to about 1e-10:
# a threshold of 1e-12 never converges, so 1e-10 here.
year_tight <- list(threshold = 1e-10, maxiter = 10000)
mods_out("bcg.year_knha", rma(yi, vi, mods = ~ year, data = bcg, test = "knha", control = year_tight))
mods_out("md.year_knha", rma(yi, vi, mods = ~ year, data = md, test = "knha", control = year_tight))
mods_out("md.year_z", rma(yi, vi, mods = ~ year, data = md, control = year_tight))
mods_out("md.year2025_knha", rma(yi, vi, mods = ~ I(year - 2025), data = md, test = "knha", control = year_tight))

# ---------------------------------------------------------------------------
# 4. Three waves: Friedman, lme4 mixed model
# ---------------------------------------------------------------------------
wl <- read.csv("data/waves_long.csv")
wide <- reshape(wl, idvar = c("group", "participant"), timevar = "wave", direction = "wide")
names(wide) <- sub("^score\\.", "", names(wide))
for (g in c("A", "B", "ALL")) {
  s <- if (g == "ALL") wide else wide[wide$group == g, ]
  s <- s[complete.cases(s[, c("pre", "post", "followup")]), ]
  ft <- friedman.test(as.matrix(s[, c("pre", "post", "followup")]))
  out(paste0("friedman.", g), c(nrow(s), ft$statistic, ft$parameter, ft$p.value))
}
wl$wave <- factor(wl$wave, levels = c("pre", "post", "followup"))
for (g in c("A", "B")) {
  s <- wl[wl$group == g, ]
  m <- lmer(score ~ wave + (1 | participant), data = s, REML = TRUE)
  V <- as.matrix(vcov(m)); b <- fixef(m)
  cf <- rbind(c(0, 1, 0), c(0, 0, 1), c(0, -1, 1))  # post-pre, followup-pre, followup-post
  out(paste0("lmer.", g, ".estimate"), cf %*% b)
  out(paste0("lmer.", g, ".se"), sqrt(diag(cf %*% V %*% t(cf))))
  out(paste0("lmer.", g, ".intercept"), b[1])
  vc <- as.data.frame(VarCorr(m))
  out(paste0("lmer.", g, ".var_participant"), vc$vcov[1]); out(paste0("lmer.", g, ".var_residual"), vc$vcov[2])
  out(paste0("lmer.", g, ".nobs"), c(nobs(m), ngrps(m)))
  print(confint(m, method = "Wald"), digits = 15)
}

# ---------------------------------------------------------------------------
# 5. Wilson interval: prop.test without continuity correction
# ---------------------------------------------------------------------------
xs <- c(0, 3, 10, 17, 1, 45); ns <- c(10, 10, 10, 40, 1, 52)
for (level in c(0.95, 0.9)) {
  ci <- t(mapply(function(x, n) suppressWarnings(prop.test(x, n, correct = FALSE, conf.level = level)$conf.int), xs, ns))
  out(sprintf("wilson.%g.low", level), ci[, 1]); out(sprintf("wilson.%g.high", level), ci[, 2])
}
