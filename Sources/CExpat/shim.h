// expat (Debian libexpat1-dev): a streaming (SAX-style) XML parser, used to read the sheets of .xlsx workbooks.
#include <expat.h>
