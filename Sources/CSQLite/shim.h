// SQLite (Debian libsqlite3-dev): the embedded database that holds a survey archive (sipas store).
#include <sqlite3.h>
