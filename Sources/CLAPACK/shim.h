// LAPACKE (Debian liblapacke-dev) and CBLAS (libopenblas-dev). The C interface avoids the hidden
// string-length arguments of the Fortran symbols.
#include <cblas.h>
#include <lapacke.h>
