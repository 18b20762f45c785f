# Reference values for design-based regression (svyglm) and relative importance (LMG, Johnson's relative
# weights, dominance analysis), produced once. Run from this folder:  Rscript make_fixtures.R
# (R 4.2.2, survey 4.1-1, jsonlite 1.8.4). Writes drivers.csv and r-results.json; the Swift tests need no R.
# relaimpo is not installed: LMG is computed by brute force over all 5! orderings with lm(), Johnson's
# weights by their eigen formula, dominance by enumerating all subsets with lm().
suppressMessages({library(survey); library(jsonlite)})
set.seed(20240815)

# A stratified two-stage-like sample: 4 strata, 2-7 PSUs each (labels unique across strata), 6-14
# respondents per PSU, unequal weights, FPC = PSUs in the stratum's population.
strata_psus <- c(A = 6, B = 5, C = 7, D = 2)
strata_pop  <- c(A = 40, B = 30, C = 50, D = 9)
rows <- list()
for (h in names(strata_psus)) for (i in seq_len(strata_psus[[h]])) {
  m <- sample(6:14, 1)
  u <- rnorm(1, 0, 0.35)                      # PSU effect shared by its respondents
  g <- rnorm(5, 0, 1)
  z <- matrix(rnorm(m * 5), m) %*% chol(matrix(0.5, 5, 5) + diag(0.5, 5))
  f <- 3.6 + 0.6 * z + u
  f[] <- pmin(5, pmax(1, round(f * 3) / 3))   # factor scores: means of 3 items on 1-5
  y <- 0.4 + 0.30 * f[, 1] + 0.20 * f[, 2] + 0.15 * f[, 3] + 0.05 * f[, 4] + 0.10 * f[, 5] + u / 2 +
       rnorm(m, 0, 0.45) * (1 + 0.3 * (h == "C"))
  y <- pmin(5, pmax(1, round(y)))
  rows[[length(rows) + 1]] <- data.frame(
    stratum = h, psu = paste0(h, "-", i), w = round(runif(m, 20, 80) * (1 + (h == "B")), 3),
    fpc = strata_pop[[h]], y = y, f1 = f[, 1], f2 = f[, 2], f3 = f[, 3], f4 = f[, 4], f5 = f[, 5])
}
d <- do.call(rbind, rows)
for (v in c("f1", "f2", "f3", "f4", "f5")) d[[v]] <- round(d[[v]], 6)
# Missing values: y in 3 rows, f2 in 2 rows, and every y of PSU C-7 (so that PSU leaves the fit and the
# design degrees of freedom drop by one, as survey's degf counts PSUs with rows in the fit).
d$y[c(5, 40, 77)] <- NA
d$f2[c(12, 100)] <- NA
d$y[d$psu == "C-7"] <- NA
write.csv(d, "drivers.csv", row.names = FALSE, na = "")
d <- read.csv("drivers.csv")

out <- list(n_rows = nrow(d))
fit_summary <- function(fit, design, slopes = ~f1 + f2 + f3 + f4 + f5) {
  s <- summary(fit)$coefficients
  dfr <- fit$df.residual
  q <- qt(0.975, dfr)
  list(terms = rownames(s), estimate = unname(s[, 1]), se = unname(s[, 2]), t = unname(s[, 3]),
       p = unname(s[, 4]), ci_lower = unname(s[, 1] - q * s[, 2]), ci_upper = unname(s[, 1] + q * s[, 2]),
       vcov = unname(as.vector(vcov(fit))), df_residual = dfr, degf = degf(design),
       n = length(fit$residuals),
       wald = {r <- regTermTest(fit, slopes, method = "Wald")
               list(f = unname(r$Ftest), df = unname(r$df), ddf = unname(r$ddf), p = unname(r$p))})
}
frm <- y ~ f1 + f2 + f3 + f4 + f5
des_fpc <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, fpc = ~fpc, data = d)
des_nofpc <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, data = d)
des_clus <- svydesign(ids = ~psu, weights = ~w, data = d)            # clusters only, no strata
out$svyglm_fpc <- fit_summary(svyglm(frm, des_fpc), subset(des_fpc, !is.na(y) & !is.na(f2)))
out$svyglm_nofpc <- fit_summary(svyglm(frm, des_nofpc), subset(des_nofpc, !is.na(y) & !is.na(f2)))
out$svyglm_clusters <- fit_summary(svyglm(frm, des_clus), subset(des_clus, !is.na(y) & !is.na(f2)))

# Relative importance on the complete cases, unweighted and weighted by w.
cc <- d[complete.cases(d[, c("y", "f1", "f2", "f3", "f4", "f5")]), ]
xs <- c("f1", "f2", "f3", "f4", "f5")
perms <- function(v) if (length(v) <= 1) list(v) else do.call(c, lapply(seq_along(v), function(i) lapply(perms(v[-i]), function(p) c(v[i], p))))
importance <- function(wts) {
  r2 <- function(S) {
    if (length(S) == 0) return(0)
    summary(lm(reformulate(S, "y"), data = cc, weights = wts))$r.squared
  }
  cache <- new.env()
  R2 <- function(S) { key <- paste0("k:", paste(sort(S), collapse = "+")); if (is.null(cache[[key]])) cache[[key]] <- r2(S); cache[[key]] }
  lmg <- setNames(numeric(5), xs)
  P <- perms(xs)
  for (p in P) for (k in seq_along(p)) lmg[p[k]] <- lmg[p[k]] + R2(p[1:k]) - R2(if (k > 1) p[1:(k - 1)] else character(0))
  lmg <- lmg / length(P)
  # Conditional dominance: mean increment of x_j over subsets of size k of the others, k = 0..4.
  cond <- sapply(xs, function(j) {
    others <- setdiff(xs, j)
    sapply(0:4, function(k) {
      subs <- if (k == 0) list(character(0)) else combn(others, k, simplify = FALSE)
      mean(sapply(subs, function(S) R2(c(S, j)) - R2(S)))
    })
  })
  # Complete dominance: 1 if row dominates column in every subset of the other predictors, 0 if dominated,
  # 0.5 if neither.
  comp <- matrix(NA, 5, 5, dimnames = list(xs, xs))
  for (i in xs) for (j in xs) if (i != j) {
    others <- setdiff(xs, c(i, j))
    subs <- c(list(character(0)), unlist(lapply(1:3, function(k) combn(others, k, simplify = FALSE)), recursive = FALSE))
    diffs <- sapply(subs, function(S) (R2(c(S, i)) - R2(S)) - (R2(c(S, j)) - R2(S)))
    comp[i, j] <- if (all(diffs > 0)) 1 else if (all(diffs < 0)) 0 else 0.5
  }
  # Johnson (2000): R = P L P', Lambda = R^(1/2), beta = R^(-1/2) r_xy, raw weight_j = sum_k Lambda_jk^2 beta_k^2.
  cw <- cov.wt(cc[, c(xs, "y")], wt = if (is.null(wts)) rep(1, nrow(cc)) else wts, cor = TRUE)$cor
  Rxx <- cw[xs, xs]; rxy <- cw[xs, "y"]
  e <- eigen(Rxx, symmetric = TRUE)
  Lam <- e$vectors %*% diag(sqrt(e$values)) %*% t(e$vectors)
  beta <- solve(Lam, rxy)
  rw <- as.vector((Lam^2) %*% (beta^2))
  list(r_squared = R2(xs), lmg = unname(lmg), conditional = unname(t(cond)), complete = unname(as.vector(comp)),
       relative_weights = rw, all_subsets_r2 = {
         subs <- unlist(lapply(1:5, function(k) combn(xs, k, simplify = FALSE)), recursive = FALSE)
         setNames(lapply(subs, R2), sapply(subs, paste, collapse = "+"))
       })
}
out$importance_unweighted <- importance(NULL)
out$importance_weighted <- importance(cc$w)
out$importance_terms <- xs
out$complete_cases <- nrow(cc)
# sipas drivers on ../design/sipas-subset.csv (units U01-U08 of the bundled dataset, khanhhoa-admin): factor
# score = mean of the answered criteria of the factor (no reversed items in this preset); rows without the
# overall item or with a factor unanswered are dropped. Pooled: svyglm over strata = stratum, PSU = cluster,
# weights = weight (design on all 562 rows) and unweighted lm; per unit: lm for U04.
s <- read.csv("../design/sipas-subset.csv")
fac <- list(access = c("q01", "q02", "q03"), procedures = c("q04", "q05", "q06", "q07"),
            officials = c("q08", "q09", "q10"), results = c("q11", "q12", "q13"), feedback = c("q14", "q15", "q16"))
for (f in names(fac)) { m <- rowMeans(s[, fac[[f]]], na.rm = TRUE); m[is.nan(m)] <- NA; s[[f]] <- m }
fx <- y ~ access + procedures + officials + results + feedback
use <- complete.cases(s[, c("overall", names(fac))])
dsub <- svydesign(ids = ~cluster, strata = ~stratum, weights = ~weight, data = s)
out$drivers_pooled_design <- fit_summary(svyglm(overall ~ access + procedures + officials + results + feedback, dsub),
                                         subset(dsub, use), ~access + procedures + officials + results + feedback)
lmsum <- function(fit) { sm <- summary(fit); list(estimate = unname(coef(fit)), se = unname(sm$coefficients[, 2]),
  p = unname(sm$coefficients[, 4]), r_squared = sm$r.squared, n = nobs(fit)) }
out$drivers_pooled_lm <- lmsum(lm(overall ~ access + procedures + officials + results + feedback, data = s))
out$drivers_u04_lm <- lmsum(lm(overall ~ access + procedures + officials + results + feedback, data = s[s$unit_id == "U04", ]))
out$drivers_rows <- list(used = sum(use), missing_overall = sum(is.na(s$overall)),
                         per_unit_used = as.list(table(s$unit_id[use])))
cc <- s[use, ]; cc$y <- cc$overall; xs <- names(fac)
out$drivers_pooled_lmg <- importance(NULL)$lmg
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "r-results.json")
