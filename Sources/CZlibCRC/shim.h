// zlib (Debian zlib1g-dev), for its CRC-32: the checksum of each workbook part read (ZIPFoundation's own is
// table-driven Swift, several times slower).
#include <zlib.h>
