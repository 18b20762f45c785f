// R's standalone math library (Debian r-mathlib): R's own distribution functions.
// MATHLIB_STANDALONE must be defined before Rmath.h; a module map cannot define macros.
#define MATHLIB_STANDALONE 1
#include <Rmath.h>
