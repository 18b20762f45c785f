# R's survey::rake on the benchmark's shape (scripts/bench-weights.sh): N rows, three margins of 64 categories,
# skewed sample shares, unequal weights; prints "R rake SECONDS" (elapsed, one run). Not the same random
# draws as the Swift program, the same sizes and shapes. Usage: Rscript scripts/bench-weights-r.R 100000
suppressMessages(library(survey))
n <- as.integer(commandArgs(TRUE)[1]); k <- 64
set.seed(1)
d <- data.frame(w = runif(n, 0.5, 4.5))
margins <- list(); pops <- list()
for (m in 1:3) {
  p <- (1 + ((0:(k - 1)) * (m + 2)) %% k)^-0.7
  v <- paste0("v", m)
  d[[v]] <- factor(sample.int(k, n, replace = TRUE, prob = p), levels = 1:k)
  share <- 1 + 0.5 * sin(0:(k - 1))
  pops[[m]] <- setNames(data.frame(factor(1:k, levels = 1:k), share / sum(share) * 5e6), c(v, "Freq"))
  margins[[m]] <- as.formula(paste0("~", v))
}
des <- svydesign(id = ~1, weights = ~w, data = d)
t <- system.time(r <- rake(des, margins, pops, control = list(maxit = 100, epsilon = 1e-10)))
cat("R rake", n, t[["elapsed"]], "\n")
