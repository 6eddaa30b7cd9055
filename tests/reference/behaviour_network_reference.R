# Reference values for tests/review/test_behaviour.py and tests/review/test_network_review.py
# (issue 16). Run: Rscript tests/reference/behaviour_network_reference.R > tests/reference/behaviour_network_reference.Rout
options(digits = 15)

# Wilson intervals of the behaviour shares (did it at least once) and of the agent-of-change
# share, for the counts of the test's hand-made follow-up file: prop.test without continuity
# correction is the Wilson score interval.
counts <- rbind(
  c(2, 5), c(1, 4), c(3, 9),   # b1 (yes/no): G1, G2, ALL
  c(2, 4), c(2, 4), c(4, 8),   # b2 (frequency): G1, G2, ALL
  c(2, 4), c(3, 5), c(5, 9),   # b3 (numeric count): G1, G2, ALL
  c(2, 5), c(2, 4), c(4, 9),   # b4 (reverse-keyed): G1, G2, ALL
  c(3, 5), c(2, 4), c(5, 9)    # agents (b1 or b2): G1, G2, ALL
)
for (i in seq_len(nrow(counts))) {
  ci <- prop.test(counts[i, 1], counts[i, 2], correct = FALSE)$conf.int
  cat(sprintf("wilson %d/%d: %.15f %.15f\n", counts[i, 1], counts[i, 2], ci[1], ci[2]))
}

# Ties per participant at pre and follow-up of the participants answering both waves
# (p1, p2, p3, p4, p6, p7 of the test's network file), paired by participant.
pre <- c(3, 0, 1, 1, 0, 1)
fu <- c(5, 1, 2, 3, 2, 4)
group <- c("G1", "G1", "G1", "G2", "G3", "G3")
report <- function(label, a, b) {
  t <- t.test(b, a, paired = TRUE)
  w <- suppressWarnings(wilcox.test(b, a, paired = TRUE, exact = NULL, correct = TRUE))
  cat(sprintf("%s: n=%d mean_diff=%.15f ci=%.15f %.15f t=%.15f df=%g p=%.15f V=%g p_wilcoxon=%.15f d_z=%.15f\n",
              label, length(a), mean(b - a), t$conf.int[1], t$conf.int[2], t$statistic, t$parameter,
              t$p.value, w$statistic, w$p.value, mean(b - a) / sd(b - a)))
}
report("ALL", pre, fu)
report("G1", pre[group == "G1"], fu[group == "G1"])
