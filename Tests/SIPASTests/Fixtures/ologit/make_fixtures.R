# Reference values for the ordered logit (sipas ologit), written once:
#   cd Tests/SIPASTests/Fixtures/ologit && Rscript make_fixtures.R
# R 4.2.2, MASS 7.3-58.2, jsonlite 1.8.4. Writes data.csv (first 800 rows of the bundled synthetic survey:
# overall, q01, q05, q09, q13, weight; raw cells with 9/99/0/6 codes) and r-results.json.
suppressPackageStartupMessages({ library(MASS); library(jsonlite) })
raw <- read.csv("../../../../datasets/sipas-2024-synthetic.csv", colClasses = "character")[1:800, ]
d <- raw[, c("overall", "q01", "q05", "q09", "q13", "weight")]
write.csv(d, "data.csv", row.names = FALSE, quote = FALSE)
x <- as.data.frame(lapply(d, function(v) { v[v %in% c("", "0", "6", "9", "99")] <- NA; as.numeric(v) }))
x <- x[complete.cases(x), ]
# Tight optimisation (reltol 1e-15) and a fine Hessian step (ndeps 1e-5) so the reference is the maximum itself.
fitone <- function(weighted) {
  args <- list(factor(overall) ~ q01 + q05 + q09 + q13, data = x, Hess = TRUE,
               control = list(reltol = 1e-15, maxit = 10000, ndeps = rep(1e-5, 4 + length(unique(x$overall)) - 1)))
  if (weighted) args$weights <- x$weight
  f <- do.call(polr, args)
  V <- vcov(f)
  list(coefficients = unname(coef(f)), zeta = unname(f$zeta), zeta_names = names(f$zeta),
       se = unname(sqrt(diag(V))), loglik = as.numeric(logLik(f)), deviance = f$deviance, aic = AIC(f),
       counts = unname(as.vector(table(x$overall))))
}
results <- list(n = nrow(x), unweighted = fitone(FALSE), weighted = fitone(TRUE))
writeLines(toJSON(results, digits = NA, auto_unbox = TRUE, pretty = TRUE), "r-results.json")
