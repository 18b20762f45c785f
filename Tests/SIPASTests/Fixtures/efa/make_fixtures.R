# Reference values for exploratory factor analysis (sipas factors), written once:
#   cd Tests/SIPASTests/Fixtures/efa && Rscript make_fixtures.R
# R 4.2.2, psych 2.2.9, GPArotation 2022.10-2, jsonlite 1.8.4 (Debian packages r-base-core, r-cran-psych,
# r-cran-gparotation, r-cran-jsonlite). Reads the bundled synthetic survey; writes items.csv and r-results.json.
# psych::fa(rotate = "promax") needs GPArotation (psych::kaiser checks for it) although the rotation itself is psych's.
suppressMessages({ library(psych); library(GPArotation); library(jsonlite) })

raw <- read.csv("../../../../datasets/sipas-2024-synthetic.csv", colClasses = "character")
names <- sprintf("q%02d", 1:10)
items <- raw[, names]
# items.csv keeps the raw cells (blank, 9/99 "don't know", invalid 0/6) so `--na 9,99,0,6` is exercised.
write.csv(items, "items.csv", row.names = FALSE, quote = FALSE)

x <- as.data.frame(lapply(items, function(v) { v[v %in% c("", "0", "6", "9", "99")] <- NA; as.numeric(v) }))
complete <- complete.cases(x)
first_missing <- apply(x[!complete, ], 1, function(r) names[which(is.na(r))[1]])
x <- x[complete, ]
n <- nrow(x)
r <- cor(x)
k <- KMO(r)
b <- cortest.bartlett(r, n = n)

# Maximum likelihood to full precision: psych::fa(fm = "ml") runs optim(L-BFGS-B) with its default factr = 1e7
# and offers no way to tighten it, so stops ~1e-5 short of the optimum. ml_tight repeats psych's own steps
# (its FAfn/FAgr/FAout, start 1 - smc, bounds [0.005, 1]) with factr = 1, pgtol = 0, then psych's
# post-processing: columns signed by colSums, stats::varimax, psych::kaiser(rotate = "Promax") (fa's "promax") or
# psych::Promax (fa's "Promax"), signed again, ordered by variance.
FAfn <- function(Psi, S, nf) {
  sc <- diag(1/sqrt(Psi)); e <- eigen(sc %*% S %*% sc, symmetric = TRUE, only.values = TRUE)$values[-(1:nf)]
  -(sum(log(e) - e) - nf + nrow(S))
}
FAgr <- function(Psi, S, nf) {
  sc <- diag(1/sqrt(Psi)); E <- eigen(sc %*% S %*% sc, symmetric = TRUE)
  load <- diag(sqrt(Psi)) %*% E$vectors[, 1:nf, drop = FALSE] %*% diag(sqrt(pmax(E$values[1:nf] - 1, 0)), nf)
  diag(load %*% t(load) + diag(Psi) - S)/Psi^2
}
FAout <- function(Psi, S, q) {
  sc <- diag(1/sqrt(Psi)); E <- eigen(sc %*% S %*% sc, symmetric = TRUE)
  diag(sqrt(Psi)) %*% E$vectors[, 1:q, drop = FALSE] %*% diag(sqrt(pmax(E$values[1:q] - 1, 0)), q)
}
ml_tight <- function(nf, rotate) {
  res <- optim(1 - smc(r), FAfn, FAgr, method = "L-BFGS-B", lower = 0.005, upper = 1,
               control = list(fnscale = 1, parscale = rep(0.01, ncol(r)), factr = 1, pgtol = 0, maxit = 10000), nf = nf, S = r)
  L <- FAout(res$par, r, nf)
  L <- L %*% diag(ifelse(colSums(L) < 0, -1, 1), nf)
  h2 <- rowSums(L^2)
  Phi <- NULL
  if (nf > 1 && rotate == "varimax") L <- unclass(stats::varimax(L)$loadings)
  if (nf > 1 && rotate == "Promax") { p <- Promax(L); L <- unclass(p$loadings); Phi <- p$Phi }
  if (nf > 1 && rotate == "promax") { p <- kaiser(L, rotate = "Promax"); L <- unclass(p$loadings); Phi <- p$Phi }
  s <- ifelse(colSums(L) < 0, -1, 1); L <- L %*% diag(s, nf)
  if (!is.null(Phi)) Phi <- diag(s, nf) %*% Phi %*% diag(s, nf)
  ss <- if (is.null(Phi)) colSums(L^2) else diag(Phi %*% t(L) %*% L)
  o <- order(ss, decreasing = TRUE)
  out <- list(loadings = unname(L[, o, drop = FALSE]), communality = unname(h2), uniquenesses = unname(1 - h2),
              ss_loadings = unname(ss[o]), proportion_var = unname(ss[o]) / ncol(r), objective = res$value,
              convergence = res$convergence)
  if (!is.null(Phi)) out$phi <- unname(Phi[o, o])
  out
}
fit <- function(nf, rotate, fm = "pa") {
  f <- fa(x, nfactors = nf, fm = fm, rotate = rotate)
  out <- list(loadings = unclass(f$loadings), communality = unname(f$communality),
              uniquenesses = unname(f$uniquenesses), ss_loadings = unname(f$Vaccounted[1, ]),
              proportion_var = unname(f$Vaccounted[2, ]), values = f$values,
              iterations = length(f$communality.iterations))
  dimnames(out$loadings) <- NULL
  if (!is.null(f$Phi)) { out$phi <- unname(f$Phi) }
  # fa's rot.mat: the transformation of the unrotated (column-signed) loadings, before fa signs and orders the columns.
  if (!is.null(f$rot.mat)) { out$rot_mat <- unname(f$rot.mat) }
  out
}
# 2 and 3 factors. Keys *_promax: fa(rotate = "promax") = psych::kaiser(loadings, rotate = "Promax"): rows divided
# by sqrt(communality), psych::Promax (stats::varimax, then the power-4 target by lm.fit), rows multiplied back
# (Kaiser normalization, as SPSS PROMAX). Keys *_promax_raw: fa(rotate = "Promax") = psych::Promax on the loadings
# themselves (stats::promax's loadings; target from the de-normalized varimax loadings).
# A small case whose Bartlett p-value is not 0: the first 25 complete rows, items q01-q05.
rs <- cor(x[1:25, 1:5]); ks <- KMO(rs); bs <- cortest.bartlett(rs, n = 25)
small <- list(n = 25, kmo = ks$MSA, kmo_items = unname(ks$MSAi), bartlett_chisq = bs$chisq, bartlett_df = bs$df,
              bartlett_p = bs$p.value)
# The bundled data as the README example reads it (`sipas factors datasets/sipas-2024-synthetic.csv --items
# q01,…,q10 --factors 3 --rotation promax --na 9,99`): blank, "9" and "99" are missing; the invalid 0 and 6 are
# numbers (only --na texts and blanks are missing for sipas factors). psych::fa(fm = "pa"), 3 factors, both promaxes.
xb <- as.data.frame(lapply(raw[, names], function(v) { v[v %in% c("", "9", "99")] <- NA; as.numeric(v) }))
xb <- xb[complete.cases(xb), ]
bundled_fit <- function(rotate) {
  f <- fa(xb, nfactors = 3, fm = "pa", rotate = rotate)
  list(loadings = unname(unclass(f$loadings)), phi = unname(f$Phi), communality = unname(f$communality))
}
bundled <- list(na = c("9", "99"), n = nrow(xb), promax = bundled_fit("promax"), promax_raw = bundled_fit("Promax"))

results <- list(small = small, 
  n = n, read = nrow(raw), excluded_first_missing = as.list(table(first_missing)),
  items = names, correlation = unname(r), eigenvalues = eigen(r, symmetric = TRUE)$values,
  kmo = k$MSA, kmo_items = unname(k$MSAi),
  bartlett_chisq = b$chisq, bartlett_df = b$df, bartlett_p = b$p.value,
  pa3_varimax = fit(3, "varimax"), pa3_promax = fit(3, "promax"), pa3_promax_raw = fit(3, "Promax"), pa3_none = fit(3, "none"),
  pa2_varimax = fit(2, "varimax"), pa2_promax = fit(2, "promax"), pa2_promax_raw = fit(2, "Promax"),
  ml3_varimax_default = fit(3, "varimax", "ml"), ml3_promax_default = fit(3, "promax", "ml"),
  ml3_varimax = ml_tight(3, "varimax"), ml3_promax = ml_tight(3, "promax"), ml3_promax_raw = ml_tight(3, "Promax"),
  ml3_none = ml_tight(3, "none"), ml2_varimax = ml_tight(2, "varimax"), ml2_promax = ml_tight(2, "promax"),
  ml2_promax_raw = ml_tight(2, "Promax"), ml1_none = ml_tight(1, "none"),
  bundled = bundled)
writeLines(toJSON(results, digits = NA, auto_unbox = TRUE, pretty = TRUE), "r-results.json")
