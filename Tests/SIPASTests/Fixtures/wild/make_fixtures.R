# Reference values for the wild cluster bootstrap (sipas regress --wild-bootstrap), written once:
#   cd Tests/SIPASTests/Fixtures/wild && Rscript make_fixtures.R
# R 4.2.2, sandwich 3.0.2, jsonlite 1.8.4. fwildclusterboot is not installed, so this is a brute-force
# reference: for every replication it refits lm() on y* and recomputes sandwich::vcovCL (HC1-type CR1).
# The multipliers are drawn here once (seeded) and committed, and sipas's tests read the same files, so
# the comparison is exact (no Monte Carlo error). Data: ../models/regression.csv (200 rows, 15 clusters g).
suppressPackageStartupMessages({ library(sandwich); library(jsonlite) })
set.seed(20241123)
d <- read.csv("../models/regression.csv", stringsAsFactors = FALSE)
cc <- na.omit(d[, c("y", "x1", "x2", "x3", "x4", "w", "g")])
clusters <- unique(cc$g)                 # order of first appearance, as sipas numbers them
G <- length(clusters); B <- 199
rademacher <- matrix(sample(c(-1, 1), B * G, replace = TRUE), B, G)
webb_points <- c(-sqrt(1.5), -1, -sqrt(0.5), sqrt(0.5), 1, sqrt(1.5))
webb <- matrix(sample(webb_points, B * G, replace = TRUE), B, G)
write.table(rademacher, "multipliers-rademacher.csv", sep = ",", row.names = FALSE, col.names = FALSE)
write.table(format(webb, digits = 17), "multipliers-webb.csv", sep = ",", row.names = FALSE, col.names = FALSE, quote = FALSE)
rademacher <- as.matrix(read.csv("multipliers-rademacher.csv", header = FALSE))
webb <- as.matrix(read.csv("multipliers-webb.csv", header = FALSE))

gi <- match(cc$g, clusters)
X <- cbind(1, as.matrix(cc[, c("x1", "x2", "x3", "x4")]))
terms <- c("(Intercept)", "x1", "x2", "x3", "x4")
cr1_t <- function(yv, w, j, centre) {
  fit <- if (is.null(w)) lm(yv ~ X - 1) else lm(yv ~ X - 1, weights = w)
  V <- vcovCL(fit, cluster = cc$g, type = "HC1")
  (coef(fit)[j] - centre) / sqrt(V[j, j])
}
boot <- function(weighted, V, level = 0.95) {
  w <- if (weighted) cc$w else NULL
  full <- if (weighted) lm(cc$y ~ X - 1, weights = w) else lm(cc$y ~ X - 1)
  Vf <- vcovCL(full, cluster = cc$g, type = "HC1")
  out <- list()
  for (j in seq_along(terms)) {
    t0 <- coef(full)[j] / sqrt(Vf[j, j])
    r <- if (weighted) lm(cc$y ~ X[, -j] - 1, weights = w) else lm(cc$y ~ X[, -j] - 1)
    tnull <- sapply(1:nrow(V), function(b) cr1_t(fitted(r) + V[b, gi] * residuals(r), w, j, 0))
    tun <- sapply(1:nrow(V), function(b) cr1_t(fitted(full) + V[b, gi] * residuals(full), w, j, coef(full)[j]))
    q <- unname(quantile(abs(tun), level, type = 1))
    se <- sqrt(Vf[j, j])
    out[[terms[j]]] <- list(estimate = unname(coef(full)[j]), t = unname(t0),
                            p = mean(abs(tnull) >= abs(t0) * (1 - 1e-12)), q = q,
                            ci_lower = unname(coef(full)[j] - q * se), ci_upper = unname(coef(full)[j] + q * se))
  }
  out
}
results <- list(n = nrow(cc), clusters = clusters, replications = B,
                ols_rademacher = boot(FALSE, rademacher), ols_webb = boot(FALSE, webb),
                wls_webb = boot(TRUE, webb))
writeLines(toJSON(results, digits = NA, auto_unbox = TRUE, pretty = TRUE), "r-results.json")
