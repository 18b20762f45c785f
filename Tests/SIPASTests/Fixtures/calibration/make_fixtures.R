# Writes apiclus1.csv, apistrat.csv and expected.json: R survey's calibrated designs on R's api data
# (postStratify, rake, calibrate linear / raking / logit with and without bounds), their weights, svymean and
# svytotal of api00 and enroll, svyby domain means and svyglm(api00 ~ enroll + api99); and sipas-expected.json: the bundled SIPAS survey
# (datasets/sipas-2024-synthetic.csv) raked to gender and age_group, svymean of two criteria overall and by
# unit_level. Run once from this folder: Rscript make_fixtures.R
# (R 4.2.2, survey 4.1-1, MASS 7.3-58.2 — calibrate() needs MASS::ginv —, jsonlite 1.8.4).
suppressMessages({ library(survey); library(jsonlite) })
data(api)
cols <- c("cds", "dnum", "stype", "sch.wide", "api00", "api99", "enroll", "pw", "fpc")
write.csv(apiclus1[, cols], "apiclus1.csv", row.names = FALSE)
write.csv(apistrat[, setdiff(cols, "dnum")], "apistrat.csv", row.names = FALSE)
clus1 <- svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1)
strat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = apistrat)

pop.stype <- data.frame(stype = c("E", "H", "M"), Freq = as.vector(table(apipop$stype)[c("E", "H", "M")]))
pop.sw <- data.frame(sch.wide = c("No", "Yes"), Freq = as.vector(table(apipop$sch.wide)[c("No", "Yes")]))
pop.cells <- as.data.frame(table(stype = apipop$stype, sch.wide = apipop$sch.wide))
N <- nrow(apipop)
tot.sw <- c(`(Intercept)` = N, stypeH = 755, stypeM = 1018, sch.wideYes = sum(apipop$sch.wide == "Yes"))
tot.api99 <- c(`(Intercept)` = N, stypeH = 755, stypeM = 1018, api99 = sum(apipop$api99))
tight <- 1e-13
designs <- list(
  poststratify = list(data = "apiclus1", base = clus1, design = postStratify(clus1, ~stype, pop.stype)),
  cells = list(data = "apiclus1", base = clus1, design = postStratify(clus1, ~stype + sch.wide, pop.cells)),
  rake = list(data = "apiclus1", base = clus1, design = rake(clus1, list(~stype, ~sch.wide), list(pop.stype, pop.sw),
                                                   control = list(maxit = 500, epsilon = tight))),
  linear = list(data = "apistrat", base = strat, design = calibrate(strat, ~stype + api99, tot.api99)),
  linear_bounded = list(data = "apiclus1", base = clus1, design = calibrate(clus1, ~stype + api99, tot.api99, calfun = "linear",
                                                                   bounds = c(0.5, 1.9), epsilon = tight, maxit = 200)),
  raking_bounded = list(data = "apiclus1", base = clus1, design = calibrate(clus1, ~stype + sch.wide, tot.sw, calfun = "raking",
                                                                   bounds = c(0.9, 1.9), epsilon = tight, maxit = 200)),
  logit = list(data = "apiclus1", base = clus1, design = calibrate(clus1, ~stype + api99, tot.api99, calfun = "logit",
                                                          bounds = c(0.5, 2.1), epsilon = tight, maxit = 200))
)
est <- function(r) list(estimate = as.numeric(coef(r)), se = as.numeric(SE(r)))
byest <- function(b, key) lapply(seq_len(nrow(b)), function(i) list(group = as.character(b[[key]][i]),
                                                               estimate = as.numeric(coef(b)[i]), se = as.numeric(SE(b)[i])))
out <- list(population = list(stype = setNames(as.list(pop.stype$Freq), pop.stype$stype),
                              sch.wide = setNames(as.list(pop.sw$Freq), pop.sw$sch.wide),
                              cells = lapply(seq_len(nrow(pop.cells)), function(i) list(stype = as.character(pop.cells$stype[i]),
                                  sch.wide = as.character(pop.cells$sch.wide[i]), count = pop.cells$Freq[i])),
                              api99 = sum(apipop$api99), N = N))
for (name in names(designs)) {
  d <- designs[[name]]$design
  out[[name]] <- list(
    data = designs[[name]]$data, df = degf(d), weights = unname(weights(d)),
    mean_api00 = est(svymean(~api00, d)), mean_enroll = est(svymean(~enroll, d)),
    total_api00 = est(svytotal(~api00, d)), total_enroll = est(svytotal(~enroll, d)),
    by_stype_mean_api00 = byest(svyby(~api00, ~stype, d, svymean), "stype"),
    by_schwide_mean_enroll = byest(svyby(~enroll, ~sch.wide, d, svymean), "sch.wide"),
    by_schwide_total_enroll = byest(svyby(~enroll, ~sch.wide, d, svytotal), "sch.wide"))
  fit <- svyglm(api00 ~ enroll + api99, design = d)
  out[[name]]$svyglm <- list(estimate = unname(coef(fit)), se = unname(SE(fit)), df_residual = fit$df.residual)
}
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "expected.json")

# The bundled SIPAS survey raked to made-up provincial margins (the numbers in sipas-rake.yaml).
sipas <- read.csv("../../../../datasets/sipas-2024-synthetic.csv", stringsAsFactors = FALSE)
for (q in c("q01", "q14")) { v <- sipas[[q]]; v[!(v %in% 1:5)] <- NA; sipas[[q]] <- v }
pop.gender <- data.frame(gender = c("nam", "nu"), Freq = c(402310, 398755))
pop.age <- data.frame(age_group = c("18-29", "30-44", "45-59", "60+"), Freq = c(221004, 246712, 198331, 135018))
base <- svydesign(id = ~cluster, strata = ~stratum, weights = ~weight, data = sipas, nest = TRUE)
raked <- rake(base, list(~gender, ~age_group), list(pop.gender, pop.age), control = list(maxit = 500, epsilon = tight))
s <- list(df = degf(raked))
for (q in c("q01", "q14")) {
  f <- as.formula(paste0("~", q))
  s[[q]] <- est(svymean(f, raked, na.rm = TRUE))
  s[[paste0(q, "_by_unit_level")]] <- byest(svyby(f, ~unit_level, raked, svymean, na.rm = TRUE), "unit_level")
}
s$weights_first10 <- unname(weights(raked))[1:10]
writeLines(toJSON(s, auto_unbox = TRUE, digits = NA, pretty = TRUE), "sipas-expected.json")
