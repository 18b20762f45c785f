// libedit (Debian libedit-dev): line editing, history and completion for the sipas REPL.
// Swift 6 cannot touch these C globals directly, so small inline accessors stand in for them.
#include <stdio.h>
#include <editline/readline.h>

static inline void sipas_set_completer(rl_completion_func_t *completer) { rl_attempted_completion_function = completer; }
static inline void sipas_completion_done(void) { rl_attempted_completion_over = 1; }
static inline const char *sipas_line_buffer(void) { return rl_line_buffer; }
static inline int sipas_history_length(void) { return history_length; }
