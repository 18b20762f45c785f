// ReadStat (Debian libreadstat-dev): reads and writes SPSS (.sav, .zsav) and Stata (.dta) files.
#include <readstat.h>
