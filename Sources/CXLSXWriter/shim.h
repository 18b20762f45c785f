// libxlsxwriter (Debian libxlsxwriter-dev): writes .xlsx files.
#include <xlsxwriter.h>
