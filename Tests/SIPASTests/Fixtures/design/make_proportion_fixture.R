# Writes proportions.csv and proportions-expected.json: svyciprop (beta = Korn–Graubard, logit) on R's apistrat
# (stratified, FPC) and apiclus1 (one-stage cluster) with 30 values of x blanked at random, for the whole
# sample (na.rm = TRUE) and for domains by stype through svyby (each domain a subset design: its rows and
# its degf). Run once: Rscript make_proportion_fixture.R (R 4.2.2, survey 4.1-1, jsonlite 1.8.4).
suppressMessages({ library(survey); library(jsonlite) })
data(api)
set.seed(3)
make <- function(d) { d$x <- as.numeric(d$sch.wide == "Yes"); d$x[sample(nrow(d), 30)] <- NA; d }
s <- make(apistrat); s$sample <- "strat"
c1 <- make(apiclus1); c1$sample <- "clus1"; c1$stratum <- "all"
s$dnum <- s$snum; s$stratum <- as.character(s$stype)
rows <- rbind(s[, c("sample", "stratum", "dnum", "stype", "pw", "fpc", "x")], c1[, c("sample", "stratum", "dnum", "stype", "pw", "fpc", "x")])
write.csv(rows, "proportions.csv", row.names = FALSE, na = "")
designs <- list(strat = svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = s),
                clus1 = svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = c1))
out <- list()
for (name in names(designs)) {
  des <- designs[[name]]
  for (method in c("beta", "logit")) {
    r <- svyciprop(~x, des, method = method, na.rm = TRUE)
    out[[length(out) + 1]] <- list(sample = name, method = method, group = "", estimate = as.numeric(r),
                                   lower = unname(confint(r)[1]), upper = unname(confint(r)[2]), df = degf(des))
    b <- svyby(~x, ~stype, des, svyciprop, method = method, na.rm = TRUE, vartype = "ci")
    for (i in seq_len(nrow(b))) {
      g <- as.character(b$stype[i])
      out[[length(out) + 1]] <- list(sample = name, method = method, group = g, estimate = unname(coef(b)[i]),
                                     lower = as.numeric(b$ci_l[i]), upper = as.numeric(b$ci_u[i]),
                                     df = degf(subset(des, stype == g)))
    }
  }
}
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "proportions-expected.json")
