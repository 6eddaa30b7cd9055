# Reference values for evalkit.review.retention (issue 16): the three contrasts of each
# group of data/waves_long.csv (complete pairs per contrast), computed with base R and
# effectsize (independent implementation).
#
# Run from this folder:   R CMD BATCH --no-save --no-timing retention_reference.R
# which writes retention_reference.Rout; tests/review/test_retention.py keeps the printed
# values as literals, so R is never needed to run the tests.
options(warn = 1)
out <- function(name, x) cat(sprintf("%-34s %s\n", name, paste(sprintf("%.15g", x), collapse = " ")))
suppressPackageStartupMessages(library(effectsize))
cat("effectsize", as.character(packageVersion("effectsize")), "\n")
wl <- read.csv("data/waves_long.csv")
wide <- reshape(wl, idvar = c("group", "participant"), timevar = "wave", direction = "wide")
names(wide) <- sub("^score\\.", "", names(wide))
contrasts <- list(c("pre", "post"), c("post", "followup"), c("pre", "followup"))
for (g in c("ALL", "A", "B")) {
  s <- if (g == "ALL") wide else wide[wide$group == g, ]
  p <- c()
  for (cn in contrasts) {
    d <- s[complete.cases(s[, cn]), ]
    x <- d[[cn[2]]]; y <- d[[cn[1]]]
    tt <- t.test(x, y, paired = TRUE)
    wt <- suppressWarnings(wilcox.test(x, y, paired = TRUE, digits.rank = 9))  # R default: exact when n < 50 and no ties
    dz <- cohens_d(x, y, paired = TRUE, ci = 0.95)  # noncentral-t interval
    name <- paste0(g, ".", cn[2], "-", cn[1])
    out(paste0(name, ".n_t_p"), c(nrow(d), tt$statistic, tt$p.value))
    out(paste0(name, ".diff_ci"), c(tt$estimate, tt$conf.int))
    out(paste0(name, ".wilcoxon_p"), wt$p.value)
    out(paste0(name, ".dz_ci"), c(dz$Cohens_d, dz$CI_low, dz$CI_high))
    p <- c(p, tt$p.value)
  }
  out(paste0(g, ".p_holm"), p.adjust(p, "holm"))
}
