# Reference values for the design-based estimators, produced once with R's survey package.
# Run from this folder:  Rscript make_fixtures.R  (R 4.2.2, survey 4.1-1, jsonlite; Debian packages
# r-base-core r-cran-survey r-cran-jsonlite). Writes the api*.csv data, sipas-subset.csv, lonely.csv and
# expected.json. The Swift tests read these files and need no R.
suppressMessages({library(survey); library(jsonlite)})
data(api)
w <- function(df, file) write.csv(df, file, row.names = FALSE, na = "")
w(apistrat[, c("cds", "stype", "sch.wide", "api00", "api99", "enroll", "pw", "fpc")], "apistrat.csv")
w(apiclus1[, c("cds", "dnum", "stype", "sch.wide", "api00", "api99", "enroll", "pw", "fpc")], "apiclus1.csv")
w(apiclus2[, c("cds", "dnum", "snum", "stype", "sch.wide", "api00", "enroll", "pw", "fpc1", "fpc2")], "apiclus2.csv")

est <- function(x, design_df) {
  list(estimate = unname(coef(x))[1], se = unname(SE(x))[1],
       ci_lower = unname(confint(x, df = design_df))[1], ci_upper = unname(confint(x, df = design_df))[2])
}
prop <- function(formula, design, method) {
  p <- svyciprop(formula, design, method = method)
  ci <- attr(p, "ci")
  list(estimate = unname(p)[1], se = sqrt(unname(attr(p, "var"))[1]), ci_lower = unname(ci[1]), ci_upper = unname(ci[2]))
}
byrows <- function(b, design_df) {
  lapply(seq_len(nrow(b)), function(i) {
    se <- unname(SE(b))[i]; e <- unname(coef(b))[i]; q <- qt(0.975, design_df)
    list(group = as.character(b[i, 1]), estimate = e, se = se, ci_lower = e - q * se, ci_upper = e + q * se)
  })
}
out <- list()

dstrat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = apistrat, fpc = ~fpc)
dstrat0 <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = apistrat)
m <- svymean(~api00, dstrat, deff = TRUE)
out$apistrat <- list(
  df = degf(dstrat),
  mean_api00_fpc = c(est(m, degf(dstrat)), list(deff = unname(deff(m)))),
  mean_api00_nofpc = est(svymean(~api00, dstrat0), degf(dstrat0)),
  total_enroll_fpc = est(svytotal(~enroll, dstrat), degf(dstrat)),
  by_stype_mean_api00 = byrows(svyby(~api00, ~stype, dstrat, svymean), degf(dstrat)),
  prop_schwide_logit = prop(~I(sch.wide == "Yes"), dstrat, "logit"),
  prop_schwide_beta = prop(~I(sch.wide == "Yes"), dstrat, "beta"),
  ratio_api00_api99 = est(svyratio(~api00, ~api99, dstrat), degf(dstrat)))

dclus1 <- svydesign(id = ~dnum, weights = ~pw, data = apiclus1, fpc = ~fpc)
dclus1n <- svydesign(id = ~dnum, weights = ~pw, data = apiclus1)
out$apiclus1 <- list(
  df = degf(dclus1),
  mean_api00_fpc = est(svymean(~api00, dclus1), degf(dclus1)),
  mean_api00_nofpc = est(svymean(~api00, dclus1n), degf(dclus1n)),
  total_enroll_fpc = est(svytotal(~enroll, dclus1), degf(dclus1)),
  by_stype_mean_api00 = byrows(svyby(~api00, ~stype, dclus1, svymean), degf(dclus1)),
  prop_schwide_logit = prop(~I(sch.wide == "Yes"), dclus1, "logit"),
  prop_schwide_beta = prop(~I(sch.wide == "Yes"), dclus1, "beta"))

dclus2 <- svydesign(id = ~dnum + snum, fpc = ~fpc1 + fpc2, data = apiclus2)
out$apiclus2 <- list(
  df = degf(dclus2),
  mean_api00_fpc = est(svymean(~api00, dclus2), degf(dclus2)),
  total_enroll_fpc = est(svytotal(~enroll, dclus2, na.rm = TRUE), degf(dclus2)))

# Lonely PSUs: stratum C has one PSU.
set.seed(1)
lonely <- data.frame(stratum = c(rep("A", 6), rep("B", 6), rep("C", 3)),
                     psu = c(1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 7),
                     weight = round(runif(15, 1, 5), 2), y = round(rnorm(15, 50, 10), 1))
w(lonely, "lonely.csv")
dl <- svydesign(id = ~psu, strata = ~stratum, weights = ~weight, data = lonely)
out$lonely <- lapply(c(adjust = "adjust", average = "average", remove = "remove", certainty = "certainty"), function(policy) {
  options(survey.lonely.psu = policy)
  m <- svymean(~y, dl)
  list(estimate = unname(coef(m)), se = unname(SE(m)))
})
options(survey.lonely.psu = "fail")

# A SIPAS composite (mean of criterion indices over respondents with item-level missingness) by the delta
# method on survey totals: independent of sipas's own influence-value formula.
sipas <- read.csv("../../../../datasets/sipas-2024-synthetic.csv", stringsAsFactors = FALSE)
sipas <- sipas[sipas$unit_id %in% sprintf("U%02d", 1:8), ]
items <- sprintf("q%02d", 1:16)
for (q in items) { v <- sipas[[q]]; v[!(v %in% 1:5)] <- NA; sipas[[q]] <- v }
w(sipas, "sipas-subset.csv")
for (q in items) {
  sipas[[paste0("n_", q)]] <- ifelse(is.na(sipas[[q]]), 0, sipas[[q]])
  sipas[[paste0("d_", q)]] <- ifelse(is.na(sipas[[q]]), 0, 1)
}
ds <- svydesign(id = ~cluster, strata = ~stratum, weights = ~weight, data = sipas, nest = TRUE)
composite <- function(design, qs) {
  f <- as.formula(paste("~", paste(c(paste0("n_", qs), paste0("d_", qs)), collapse = "+")))
  t <- svytotal(f, design)
  expr <- parse(text = paste0("(", paste(sprintf("n_%s/d_%s", qs, qs), collapse = "+"), ")/", length(qs), "*20"))[[1]]
  r <- svycontrast(t, expr)
  e <- unname(coef(r)); se <- unname(SE(r)); q <- qt(0.975, degf(ds))
  list(estimate = e, se = se, ci_lower = e - q * se, ci_upper = e + q * se)
}
out$sipas <- list(
  df = degf(ds),
  overall = composite(ds, items),
  feedback = composite(ds, c("q14", "q15", "q16")),
  q14 = composite(ds, "q14"),
  U05_overall = composite(subset(ds, unit_id == "U05"), items),
  U05_procedures = composite(subset(ds, unit_id == "U05"), c("q04", "q05", "q06", "q07")))

# Unit U05 minus the province (the 8-unit subset), SIPAS: the unit is part of the province, so the delta
# method runs on the joint totals of the domain and the whole sample.
sipas$inU05 <- as.numeric(sipas$unit_id == "U05")
for (q in items) {
  sipas[[paste0("nu_", q)]] <- sipas[[paste0("n_", q)]] * sipas$inU05
  sipas[[paste0("du_", q)]] <- sipas[[paste0("d_", q)]] * sipas$inU05
}
ds <- svydesign(id = ~cluster, strata = ~stratum, weights = ~weight, data = sipas, nest = TRUE)
f <- as.formula(paste("~", paste(c(paste0("n_", items), paste0("d_", items), paste0("nu_", items), paste0("du_", items)), collapse = "+")))
t <- svytotal(f, ds)
expr <- parse(text = paste0("(", paste(sprintf("nu_%s/du_%s", items, items), collapse = "+"), ")/16*20 - (",
                            paste(sprintf("n_%s/d_%s", items, items), collapse = "+"), ")/16*20"))[[1]]
r <- svycontrast(t, expr)
out$sipas$U05_minus_province <- list(estimate = unname(coef(r)), se = unname(SE(r)))
# p.adjust on a fixed vector
pv <- c(0.001, 0.04, 0.03, 0.2, 0.5, 0.011, 0.9)
out$p_adjust <- list(p = pv, holm = p.adjust(pv, "holm"), bh = p.adjust(pv, "BH"))

writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "expected.json")
