# Reference values for exploratory factor analysis (sipas factors), written once:
#   cd Tests/SIPASTests/Fixtures/efa && Rscript make_fixtures.R
# R 4.2.2, psych 2.2.9, jsonlite 1.8.4. Reads the bundled synthetic survey; writes items.csv and r-results.json.
suppressMessages({ library(psych); library(jsonlite) })

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

fit <- function(nf, rotate) {
  f <- fa(x, nfactors = nf, fm = "pa", rotate = rotate)
  out <- list(loadings = unclass(f$loadings), communality = unname(f$communality),
              uniquenesses = unname(f$uniquenesses), ss_loadings = unname(f$Vaccounted[1, ]),
              proportion_var = unname(f$Vaccounted[2, ]), values = f$values,
              iterations = length(f$communality.iterations))
  dimnames(out$loadings) <- NULL
  if (!is.null(f$Phi)) { out$phi <- unname(f$Phi) }
  out
}
# 2 and 3 factors; "Promax" is psych's own (stats::promax, m = 4, after Kaiser-normalized varimax): psych's "promax" needs GPArotation.
# A small case whose Bartlett p-value is not 0: the first 25 complete rows, items q01-q05.
rs <- cor(x[1:25, 1:5]); ks <- KMO(rs); bs <- cortest.bartlett(rs, n = 25)
small <- list(n = 25, kmo = ks$MSA, kmo_items = unname(ks$MSAi), bartlett_chisq = bs$chisq, bartlett_df = bs$df,
              bartlett_p = bs$p.value)
results <- list(small = small, 
  n = n, read = nrow(raw), excluded_first_missing = as.list(table(first_missing)),
  items = names, correlation = unname(r), eigenvalues = eigen(r, symmetric = TRUE)$values,
  kmo = k$MSA, kmo_items = unname(k$MSAi),
  bartlett_chisq = b$chisq, bartlett_df = b$df, bartlett_p = b$p.value,
  pa3_varimax = fit(3, "varimax"), pa3_promax = fit(3, "Promax"), pa3_none = fit(3, "none"),
  pa2_varimax = fit(2, "varimax"), pa2_promax = fit(2, "Promax"))
writeLines(toJSON(results, digits = NA, auto_unbox = TRUE, pretty = TRUE), "r-results.json")
