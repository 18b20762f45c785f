# Reference values for Tests/SIPASTests/RegressionTests.swift, ReliabilityTests.swift and DistributionTests.swift.
#
# Run from this folder:  Rscript make_fixtures.R
# Writes regression.csv (the data) and r-results.json (what R computes on the data read back from the CSV).
# Deterministic: set.seed below; R 4.2.2, sandwich 3.0.2, psych 2.2.9, jsonlite 1.8.4 produced the committed files.
suppressPackageStartupMessages({ library(sandwich); library(psych); library(jsonlite) })

set.seed(20240601)
n <- 200; G <- 15
cluster_ids <- sprintf("C%02d", 1:G)
g <- sample(cluster_ids, n, replace = TRUE)
u <- rnorm(G)[match(g, cluster_ids)]                       # cluster effect: makes cluster SEs differ
x1 <- round(rnorm(n, 3.5, 0.8) + 0.3 * u, 3)
x2 <- round(0.7 * x1 + rnorm(n, 1, 0.5), 3)                # correlated with x1 (r ~ 0.7)
x3 <- round(runif(n, 1, 5), 3)
x4 <- round(0.5 * x3 - 0.3 * x1 + rnorm(n, 0, 0.6), 3)     # correlated with x3 and x1
w  <- round(runif(n, 0.5, 3), 4)
y  <- round(1 + 0.5 * x1 + 0.3 * x2 - 0.2 * x3 + 0.4 * x4 + 0.5 * u +
            rnorm(n, 0, 0.8) * sqrt(1 + x3 / 2), 4)         # heteroskedastic errors
f  <- rnorm(n)                                              # Likert items driven by one latent factor
likert <- function(z) pmin(5, pmax(1, round(z)))
a1 <- likert(3.4 + 0.9 * f + rnorm(n, 0, 0.8))
a2 <- likert(3.6 + 0.7 * f + rnorm(n, 0, 0.9))
a3 <- likert(2.6 - 0.8 * f + rnorm(n, 0, 0.9))             # reverse-keyed
a4 <- likert(3.2 + 0.5 * f + rnorm(n, 0, 1.0))
y[c(17, 121)] <- NA                                         # rows dropped with reason "missing y"
x2[c(5, 60, 199)] <- NA                                     # ... and "missing x2"
a2[c(33, 150)] <- NA                                        # alpha: listwise, 2 rows dropped
data <- data.frame(y, x1, x2, x3, x4, w, g, a1, a2, a3, a4)
write.csv(data, "regression.csv", row.names = FALSE, na = "")

# Everything below uses the data as read back from the CSV, so R and sipas start from identical doubles.
d <- read.csv("regression.csv", stringsAsFactors = FALSE)
cc <- na.omit(d[, c("y", "x1", "x2", "x3", "x4", "w", "g")])
predictors <- c("x1", "x2", "x3", "x4")

describe_fit <- function(fit, weights = NULL) {
  s <- summary(fit)
  X <- model.matrix(fit)
  yv <- model.response(model.frame(fit))
  wv <- if (is.null(weights)) rep(1, nrow(X)) else weights
  wsd <- function(v) { m <- sum(wv * v) / sum(wv); sqrt(sum(wv * (v - m)^2) / sum(wv)) }
  b <- coef(fit)
  std_beta <- c(NA, sapply(predictors, function(p) b[[p]] * wsd(X[, p]) / wsd(yv)))
  # VIF by hand (no car): 1 / (1 - R^2_j), R^2_j from the (weighted) regression of x_j on the other predictors.
  vif <- c(NA, sapply(predictors, function(p) {
    aux <- lm(reformulate(setdiff(predictors, p), p), data = cc, weights = weights)
    1 / (1 - summary(aux)$r.squared)
  }))
  # Condition number (2-norm) of the (weighted) design, columns scaled to unit length, and unscaled.
  Xw <- X * sqrt(wv)
  dsc <- svd(sweep(Xw, 2, sqrt(colSums(Xw^2)), "/"))$d
  dun <- svd(Xw)$d
  se_of <- function(V) unname(sqrt(diag(V)))
  wald <- function(V) {            # robust Wald F for all slopes: b' V^-1 b / q, F(q, df_residual)
    idx <- -1; bb <- b[idx]; q <- length(bb)
    Fv <- drop(t(bb) %*% solve(V[idx, idx], bb)) / q
    list(f = Fv, p = pf(Fv, q, fit$df.residual, lower.tail = FALSE))
  }
  V <- list(classical = vcov(fit),
            hc0 = vcovHC(fit, type = "HC0"), hc1 = vcovHC(fit, type = "HC1"),
            hc2 = vcovHC(fit, type = "HC2"), hc3 = vcovHC(fit, type = "HC3"),
            cluster = vcovCL(fit, cluster = ~g))
  ci <- confint(fit)
  list(
    n = nrow(X), df_residual = fit$df.residual,
    terms = names(b), estimate = unname(b),
    se = se_of(V$classical), t = unname(s$coefficients[, 3]), p = unname(s$coefficients[, 4]),
    ci_lower = unname(ci[, 1]), ci_upper = unname(ci[, 2]),
    r_squared = s$r.squared, adj_r_squared = s$adj.r.squared, sigma = s$sigma,
    f_statistic = unname(s$fstatistic[1]),
    f_p_value = unname(pf(s$fstatistic[1], s$fstatistic[2], s$fstatistic[3], lower.tail = FALSE)),
    std_beta = unname(std_beta), vif = unname(vif),
    condition_number_scaled = max(dsc) / min(dsc), condition_number_unscaled = max(dun) / min(dun),
    se_hc0 = se_of(V$hc0), se_hc1 = se_of(V$hc1), se_hc2 = se_of(V$hc2), se_hc3 = se_of(V$hc3),
    se_cluster = se_of(V$cluster),
    p_cluster = unname(2 * pt(-abs(b / se_of(V$cluster)), fit$df.residual)),
    wald_f_hc3 = wald(V$hc3)$f, wald_p_hc3 = wald(V$hc3)$p,
    wald_f_cluster = wald(V$cluster)$f, wald_p_cluster = wald(V$cluster)$p)
}

ols <- lm(y ~ x1 + x2 + x3 + x4, data = cc)
wls <- lm(y ~ x1 + x2 + x3 + x4, data = cc, weights = w)
noint <- lm(y ~ x1 + x2 + x3 + x4 - 1, data = cc)
noint_s <- summary(noint)

items <- na.omit(d[, c("a1", "a2", "a3", "a4")])
al <- psych::alpha(items, keys = c("a3"), warnings = FALSE)

dist <- list(
  list(fn = "pt", x = -40, df1 = 3, lower = TRUE, value = pt(-40, 3)),
  list(fn = "pt", x = 2.5, df1 = 1, lower = TRUE, value = pt(2.5, 1)),
  list(fn = "pt", x = 1e4, df1 = 2, lower = FALSE, value = pt(1e4, 2, lower.tail = FALSE)),
  list(fn = "pt", x = -8.5, df1 = 195, lower = TRUE, value = pt(-8.5, 195)),
  list(fn = "pt2", x = -8.5, df1 = 4, lower = TRUE, value = 2 * pt(-8.5, 4)),
  list(fn = "pt2", x = 40, df1 = 3, lower = TRUE, value = 2 * pt(-40, 3)),
  list(fn = "pt2", x = 0.3, df1 = 1, lower = TRUE, value = 2 * pt(-0.3, 1)),
  list(fn = "qt", x = 0.975, df1 = 3, lower = TRUE, value = qt(0.975, 3)),
  list(fn = "qt", x = 1e-10, df1 = 2, lower = TRUE, value = qt(1e-10, 2)),
  list(fn = "pf", x = 1e4, df1 = 2, df2 = 5, lower = FALSE, value = pf(1e4, 2, 5, lower.tail = FALSE)),
  list(fn = "pf", x = 3.2, df1 = 4, df2 = 30, lower = TRUE, value = pf(3.2, 4, 30)),
  list(fn = "pf", x = 0.5, df1 = 1, df2 = 1, lower = TRUE, value = pf(0.5, 1, 1)),
  list(fn = "pf", x = 500, df1 = 4, df2 = 195, lower = FALSE, value = pf(500, 4, 195, lower.tail = FALSE)),
  list(fn = "qf", x = 0.95, df1 = 3, df2 = 196, lower = TRUE, value = qf(0.95, 3, 196)),
  list(fn = "qf", x = 1e-10, df1 = 2, df2 = 5, lower = FALSE, value = qf(1e-10, 2, 5, lower.tail = FALSE)),
  list(fn = "pchisq", x = 100, df1 = 3, lower = FALSE, value = pchisq(100, 3, lower.tail = FALSE)),
  list(fn = "pchisq", x = 400, df1 = 2, lower = FALSE, value = pchisq(400, 2, lower.tail = FALSE)),
  list(fn = "pchisq", x = 0.001, df1 = 1, lower = TRUE, value = pchisq(0.001, 1)),
  list(fn = "qchisq", x = 0.95, df1 = 1, lower = TRUE, value = qchisq(0.95, 1)),
  list(fn = "qchisq", x = 1e-12, df1 = 4, lower = FALSE, value = qchisq(1e-12, 4, lower.tail = FALSE)),
  list(fn = "qchisq", x = 0.5, df1 = 0.5, lower = TRUE, value = qchisq(0.5, 0.5))
)

out <- list(
  r_version = R.version.string,
  packages = list(sandwich = as.character(packageVersion("sandwich")), psych = as.character(packageVersion("psych"))),
  rows = list(read = nrow(d), used = nrow(cc)),
  ols = describe_fit(ols),
  wls = describe_fit(wls, weights = cc$w),
  no_intercept = list(estimate = unname(coef(noint)), se = unname(noint_s$coefficients[, 2]),
                      r_squared = noint_s$r.squared, adj_r_squared = noint_s$adj.r.squared,
                      f_statistic = unname(noint_s$fstatistic[1])),
  alpha = list(n = nrow(items), raw_alpha = al$total$raw_alpha, std_alpha = al$total$std.alpha,
               items = rownames(al$item.stats), r_drop = unname(al$item.stats$r.drop),
               alpha_if_dropped = unname(al$alpha.drop$raw_alpha),
               std_alpha_if_dropped = unname(al$alpha.drop$std.alpha)),
  distributions = dist
)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"), "r-results.json")
