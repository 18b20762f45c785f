# Writes the replicate-weight fixtures: R's api data with replicate weight columns made by R survey's
# as.svrepdesign (JK1 and bootstrap on apiclus1; JKn on apistrat; BRR and Fay on apistrat grouped into 20
# pseudo-strata of 2 PSUs), the design files that declare them, and expected.json: svymean/svytotal of api00 and
# enroll, svyby domain means and totals by stype, svyglm(api00 ~ enroll + api99), SEs and degf, computed by svrepdesign from the columns as
# written (rounded to 8 significant digits, so sipas reads exactly the weights R used). sipas-expected.json: the
# bundled SIPAS survey with 20 bootstrap replicates of its stratified cluster design, svymean of two criteria
# overall and by unit_level. Run once from this folder: Rscript make_replicate_fixtures.R
# (R 4.2.2, survey 4.1-1, jsonlite 1.8.4.)
suppressMessages({ library(survey); library(jsonlite) })
data(api)
cols <- c("cds", "dnum", "stype", "sch.wide", "api00", "api99", "enroll", "pw", "fpc")
digits <- 8
num <- function(x) format(x, digits = 17, scientific = FALSE, trim = TRUE)

# Replicate columns as written (rounded), with their prefix.
columns <- function(design, prefix) {
  w <- signif(unname(weights(design, "analysis")), digits)
  colnames(w) <- paste0(prefix, seq_len(ncol(w)))
  w
}

clus1 <- svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1)
set.seed(19)
jk1 <- as.svrepdesign(clus1, type = "JK1")
boot <- as.svrepdesign(clus1, type = "bootstrap", replicates = 50)
clus1.data <- cbind(apiclus1[, cols], columns(jk1, "jk"), columns(boot, "bs"))
write.csv(clus1.data, "apiclus1-replicates.csv", row.names = FALSE)

strat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = apistrat)
jkn <- as.svrepdesign(strat, type = "JKn")
# BRR needs 2 PSUs per stratum: within each school type, schools in cds order form PSUs of 5, and consecutive
# PSUs pair into pseudo-strata (E: 10, H: 5, M: 5).
s <- apistrat[order(apistrat$stype, apistrat$cds), ]
s$rank <- ave(seq_len(nrow(s)), s$stype, FUN = seq_along)
s$psu <- paste(s$stype, (s$rank - 1) %/% 5)
s$pseudo <- paste(s$stype, (s$rank - 1) %/% 10)
paired <- svydesign(id = ~psu, strata = ~pseudo, weights = ~pw, data = s, nest = TRUE)
brr <- as.svrepdesign(paired, type = "BRR")
fay <- as.svrepdesign(paired, type = "Fay", fay.rho = 0.5)
strat.data <- cbind(s[, c(setdiff(cols, "dnum"), "psu", "pseudo")], columns(brr, "brr"), columns(fay, "fay"))
strat.jkn <- cbind(apistrat[, setdiff(cols, "dnum")], columns(jkn, "jkn"))
write.csv(strat.data, "apistrat-brr.csv", row.names = FALSE)
write.csv(strat.jkn, "apistrat-jkn.csv", row.names = FALSE)

yaml <- function(file, prefix, type, extra = character()) {
  writeLines(c(paste0("# ", type, " replicate weights made by make_replicate_fixtures.R"), "weight: pw", "replicates:",
               paste0("  columns: \"", prefix, "*\""), paste0("  type: ", type), extra), file)
}
yaml("jk1.yaml", "jk", "JK1", paste0("  scale: ", num(jk1$scale)))
yaml("jk1-default.yaml", "jk", "JK1")
yaml("jk1-mse.yaml", "jk", "JK1", c(paste0("  scale: ", num(jk1$scale)), "  mse: true"))
yaml("bootstrap.yaml", "bs", "bootstrap", paste0("  scale: ", num(boot$scale)))
yaml("jkn.yaml", "jkn", "JKn", c(paste0("  rscales: [", paste(num(jkn$rscales), collapse = ", "), "]")))
yaml("brr.yaml", "brr", "BRR")
yaml("fay.yaml", "fay", "Fay", "  rho: 0.5")
yaml("sdr.yaml", "brr", "successive-difference")

# The designs as svrepdesign builds them from the written columns (what sipas reads).
rep <- function(data, prefix, type, ...) {
  svrepdesign(data = data, repweights = paste0("^", prefix, "[0-9]+$"), weights = ~pw, type = type,
              combined.weights = TRUE, ...)
}
cases <- list(
  jk1 = list(data = "apiclus1-replicates", file = "jk1.yaml", source = jk1,
             design = rep(clus1.data, "jk", "JK1", scale = jk1$scale)),
  jk1_default = list(data = "apiclus1-replicates", file = "jk1-default.yaml",
                     design = rep(clus1.data, "jk", "JK1", scale = 14 / 15)),
  jk1_mse = list(data = "apiclus1-replicates", file = "jk1-mse.yaml",
                 design = rep(clus1.data, "jk", "JK1", scale = jk1$scale, mse = TRUE)),
  bootstrap = list(data = "apiclus1-replicates", file = "bootstrap.yaml", source = boot,
                   design = rep(clus1.data, "bs", "bootstrap", scale = boot$scale)),
  jkn = list(data = "apistrat-jkn", file = "jkn.yaml", source = jkn,
             design = rep(strat.jkn, "jkn", "JKn", rscales = jkn$rscales)),
  brr = list(data = "apistrat-brr", file = "brr.yaml", source = brr, design = rep(strat.data, "brr", "BRR")),
  fay = list(data = "apistrat-brr", file = "fay.yaml", source = fay, design = rep(strat.data, "fay", "Fay", rho = 0.5)),
  sdr = list(data = "apistrat-brr", file = "sdr.yaml", design = rep(strat.data, "brr", "successive-difference"))
)
est <- function(r) list(estimate = as.numeric(coef(r)), se = as.numeric(SE(r)))
byest <- function(b) lapply(seq_len(nrow(b)), function(i) list(group = as.character(b$stype[i]),
                                                          estimate = as.numeric(coef(b)[i]), se = as.numeric(SE(b)[i])))
out <- list()
for (name in names(cases)) {
  d <- cases[[name]]$design
  out[[name]] <- list(
    data = cases[[name]]$data, file = cases[[name]]$file, df = degf(d), replicates = ncol(d$repweights),
    scale = d$scale, mean_api00 = est(svymean(~api00, d)), mean_enroll = est(svymean(~enroll, d)),
    total_api00 = est(svytotal(~api00, d)), total_enroll = est(svytotal(~enroll, d)),
    by_stype_mean_api00 = byest(svyby(~api00, ~stype, d, svymean)),
    by_stype_total_enroll = byest(svyby(~enroll, ~stype, d, svytotal)))
  fit <- svyglm(api00 ~ enroll + api99, design = d)
  out[[name]]$svyglm <- list(estimate = unname(coef(fit)), se = unname(SE(fit)), df_residual = fit$df.residual)
  # The rounding of the written columns moves nothing that matters: the SE from as.svrepdesign's own weights.
  if (!is.null(cases[[name]]$source)) {
    out[[name]]$unrounded_se_mean_api00 <- as.numeric(SE(svymean(~api00, cases[[name]]$source)))
  }
}
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "expected.json")

# The bundled SIPAS survey with 20 bootstrap replicates of its design (strata and clusters).
sipas <- read.csv("../../../../datasets/sipas-2024-synthetic.csv", stringsAsFactors = FALSE, check.names = FALSE)
base <- svydesign(id = ~cluster, strata = ~stratum, weights = ~weight, data = sipas, nest = TRUE)
set.seed(2024)
sboot <- as.svrepdesign(base, type = "bootstrap", replicates = 20)
sipas.data <- cbind(sipas, columns(sboot, "bw"))
write.csv(sipas.data, "sipas-replicates.csv", row.names = FALSE, na = "")
writeLines(c("# The bundled SIPAS survey with 20 bootstrap replicates of its stratified cluster design (make_replicate_fixtures.R)",
             "weight: weight", "replicates:", "  columns: \"bw*\"", "  type: bootstrap", paste0("  scale: ", num(sboot$scale))),
           "sipas-bootstrap.yaml")
scored <- sipas.data
for (q in c("q01", "q14")) { v <- scored[[q]]; v[!(v %in% 1:5)] <- NA; scored[[q]] <- v }
sd <- svrepdesign(data = scored, repweights = "^bw[0-9]+$", weights = ~weight, type = "bootstrap", scale = sboot$scale,
                  combined.weights = TRUE)
r <- list(df = degf(sd))
for (q in c("q01", "q14")) {
  f <- as.formula(paste0("~", q))
  r[[q]] <- est(svymean(f, sd, na.rm = TRUE))
  b <- svyby(f, ~unit_level, sd, svymean, na.rm = TRUE)
  r[[paste0(q, "_by_unit_level")]] <- lapply(seq_len(nrow(b)), function(i) list(group = as.character(b$unit_level[i]),
                                                                          estimate = as.numeric(coef(b)[i]), se = as.numeric(SE(b)[i])))
}
# A unit against the province (sipas compare --index q01): the difference recomputed in every replicate.
overall <- svymean(~q01, sd, na.rm = TRUE, return.replicates = TRUE)
units <- svyby(~q01, ~unit_level, sd, svymean, na.rm = TRUE, return.replicates = TRUE)
r$q01_unit_minus_province <- lapply(seq_len(nrow(units)), function(i) {
  d <- attr(units, "replicates")[, i] - overall$replicates
  difference <- as.numeric(coef(units)[i] - overall$mean)
  list(group = as.character(units$unit_level[i]), estimate = difference,
       se = sqrt(as.numeric(svrVar(d, sd$scale, sd$rscales, mse = FALSE, coef = difference))))
})
writeLines(toJSON(r, auto_unbox = TRUE, digits = NA, pretty = TRUE), "sipas-expected.json")
